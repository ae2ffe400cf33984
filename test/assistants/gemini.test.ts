// Gemini CLI files from a persona: custom command TOML for its workflows (parsed back to the same text),
// and .gemini/settings.json entries valid against Gemini CLI's published settings schema.
import Ajv2020 from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { JsonListEntries, PlannedPersonaView } from '../../shared/assistants/assistant-plan.js';
import { checkGeminiCommand, checkJsonLists } from '../../shared/assistants/file-checks.js';
import { GEMINI_SETTINGS, geminiPrompt, planGemini, renderGeminiCommand } from '../../shared/assistants/gemini.js';
import type { Workflow } from '../../shared/assistants/workflow-text.js';
import { plannedPersonas } from './planned-personas.js';

// google-gemini/gemini-cli schemas/settings.schema.json (JSON Schema 2020-12), as of 0.56-nightly (2026-08).
const schema = JSON.parse(readFileSync(new URL('./gemini-settings.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(schema);

/** The settings file a repository without one gets from these entries. */
function settingsFrom(lists: JsonListEntries[]): Record<string, unknown> {
  const settings: Record<string, Record<string, string[]>> = {};
  for (const { path, key, values } of lists) {
    expect(path).toBe(GEMINI_SETTINGS);
    expect(key).toHaveLength(2);
    (settings[key[0]!] ??= {})[key[1]!] = values;
  }
  return settings;
}

const view = (workflows: Workflow[], permissions: Partial<PlannedPersonaView['permissions']> = {}): PlannedPersonaView => ({
  id: 'p', displayName: 'P', workflows, permissions: { allow: [], ask: [], deny: [], ...permissions }, env: {},
});

describe('Gemini CLI files', () => {
  it('every built-in persona, at every level: commands that parse back to their prompt, settings valid against the schema', () => {
    for (const { label, view: persona } of plannedPersonas()) {
      const plan = planGemini(persona);
      for (const [i, workflow] of persona.workflows.entries()) {
        const file = plan.files[i]!;
        expect(file.path).toBe(`.gemini/commands/${workflow.name}.toml`);
        expect(checkGeminiCommand(file.content), label).toEqual([]);
        expect(parse(file.content), `${label}: ${file.path}`).toEqual({ description: workflow.description, prompt: geminiPrompt(workflow) });
      }
      const settings = settingsFrom(plan.lists);
      expect(validate(settings), `${label}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(checkJsonLists(JSON.stringify(settings), plan.lists.map((l) => l.key))).toEqual([]);
    }
  });

  it('no settings entries for a persona without command rules; the schema refuses the old top-level contextFileName', () => {
    expect(planGemini(view([])).lists).toEqual([]);
    expect(validate({ contextFileName: 'AGENTS.md' })).toBe(false);
    expect(validate({ context: { fileName: ['AGENTS.md', 'GEMINI.md'] } })).toBe(true);
  });

  it('$ARGUMENTS becomes {{args}}; a literal !{ or @{ cannot run a command or inject a file', () => {
    const workflow = { name: 'w', description: 'd', body: 'Fix $ARGUMENTS.\nNever run !{rm -rf .} or read @{.env}.\n' };
    const prompt = (parse(renderGeminiCommand(view([workflow]), workflow)) as { prompt: string }).prompt;
    expect(prompt).toBe('Fix {{args}}.\nNever run ! {rm -rf .} or read @ {.env}.\n');
  });

  it("a body holding ''' or control characters is written as a basic string and parses back the same", () => {
    for (const body of ["Use '''triple''' quotes\n", 'tab\tbell\x07del\x7f "q" \\ end', 'crlf\r\nline\r\n']) {
      const workflow = { name: 'w', description: 'say "hi" \\ now', body };
      expect(parse(renderGeminiCommand(view([workflow]), workflow))).toEqual({ description: workflow.description, prompt: geminiPrompt(workflow) });
    }
  });

  it('denies become tools.exclude and exact allows stay out (Gemini asks); asks keep an overlapping allow out', () => {
    const plan = planGemini(view([], { allow: ['Bash(ls *)', 'Bash(git log *)', 'Bash(npm test)'], ask: ['Bash(git * --output*)'], deny: ['Bash(sudo *)'] }));
    expect(settingsFrom(plan.lists)).toEqual({ tools: { exclude: ['run_shell_command(sudo)'], allowed: ['run_shell_command(ls)'] } });
    expect(plan.cannotExpress[0]).toContain('deprecated (removed in Gemini CLI 1.0)');
    expect(plan.cannotExpress.join('\n')).toContain('`Bash(git log *)`, `Bash(npm test)`');
  });

  it('an allow that runs a file of the repository stays out: Gemini CLI may edit it, the deny on editing it cannot be expressed', () => {
    const plan = planGemini(view([], { allow: ['Bash(scripts/tool.sh *)', 'Bash(ls *)'], deny: ['Edit(**/scripts/tool.sh)'] }));
    expect(settingsFrom(plan.lists)).toEqual({ tools: { allowed: ['run_shell_command(ls)'] } });
    expect(plan.cannotExpress.join('\n')).toContain('`Bash(scripts/tool.sh *)`');
  });

  it('the command check names a TOML file broken by hand', () => {
    expect(checkGeminiCommand('prompt = """unclosed\n')[0]).toMatch(/^not TOML: /);
    expect(checkGeminiCommand('description = 1\n')).toEqual(['prompt must be a string', 'description must be a string']);
  });
});
