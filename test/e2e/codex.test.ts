// Codex CLI itself, offline and logged out, loads what dp writes for it: every persona's AGENTS.md section,
// a skill per workflow, and (once the project is trusted) the command rules, whose decisions `codex
// execpolicy check` gives for the persona's own commands. `codex debug prompt-input` prints the model's
// whole input.
import { describe, expect, it } from 'vitest';
import { codexRulesPath, planCodex } from '../../shared/assistants/codex.js';
import { viewOf } from '../../shared/assistants/persona-view.js';
import { applyBuiltins, firstLine, useSandbox, whyNotRunnable } from '../support/assistant-clis.js';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const skip = whyNotRunnable('codex');
const sandbox = useSandbox();

describe.skipIf(skip !== null)(`codex CLI loads what dp writes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it("untrusted: every persona's AGENTS.md section and every skill the model may use are in the prompt; the sandbox stays read-only", async () => {
    const box = sandbox();
    const personas = applyBuiltins(box, ['codex'], { 'AGENTS.md': '# Team\n\nTEAM-RULES\n' });
    const { stdout, exitCode } = await box.run('codex', ['debug', 'prompt-input', 'hi']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('TEAM-RULES');
    for (const persona of personas) {
      expect(stdout).toContain(firstLine(persona.section));
      // Skills only the user starts stay out of the model's list (their agents/openai.yaml policy).
      for (const workflow of viewOf(persona).workflows) {
        if (workflow.userOnly) expect(stdout, workflow.name).not.toContain(`${workflow.name}: `);
        else expect(stdout, workflow.name).toContain(`${workflow.name}: `);
      }
    }
    expect(stdout).toContain('`sandbox_mode` is `read-only`');
    const workflows = personas.flatMap((p) => viewOf(p).workflows);
    expect(workflows.some((w) => w.userOnly) && workflows.some((w) => !w.userOnly)).toBe(true);
  });

  it('trusted: Codex takes the project in (workspace sandbox); every forbidden rule forbids its own command', async () => {
    const box = sandbox();
    const personas = applyBuiltins(box, ['codex'], {});
    box.write('../home/.codex/config.toml', `[projects.${JSON.stringify(box.repo)}]\ntrust_level = "trusted"\n`);
    const prompt = await box.run('codex', ['debug', 'prompt-input', 'hi']);
    expect(prompt.stdout).toContain('`sandbox_mode` is `workspace-write`');
    let checked = 0;
    for (const persona of personas) {
      const rulesFile = join(box.repo, codexRulesPath(persona.id));
      if (!existsSync(rulesFile)) continue;
      const lines = readFileSync(rulesFile, 'utf8').split('\n').filter((l) => l.startsWith('prefix_rule'));
      // Deny must mean deny: each forbidden rule, and the first prompt rule, one process each.
      for (const line of [...lines.filter((l) => l.includes('"forbidden"')), ...lines.filter((l) => l.includes('"prompt"')).slice(0, 1)]) {
        const words = JSON.parse(/pattern = (\[.*?\])/.exec(line)![1]!) as string[];
        const check = await box.run('codex', ['execpolicy', 'check', '--rules', rulesFile, ...words, 'x']);
        const expected = /decision = "(\w+)"/.exec(line)![1]!;
        const order = ['allow', 'prompt', 'forbidden'];
        // The strictest matching rule wins: never less strict than this rule's own decision.
        expect(order.indexOf((JSON.parse(check.stdout) as { decision: string }).decision), `${persona.id}: ${words.join(' ')}`).toBeGreaterThanOrEqual(order.indexOf(expected));
        checked++;
      }
      const unmatched = await box.run('codex', ['execpolicy', 'check', '--rules', rulesFile, 'ls', '-la']);
      expect(JSON.parse(unmatched.stdout)).toEqual({ matchedRules: [] });
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('a workflow only the user starts is not in the model\'s skill list; the others are', async () => {
    const box = sandbox();
    const view = { id: 'p', displayName: 'P', permissions: { allow: [], ask: [], deny: [] }, env: {}, workflows: [
      { name: 'ship-it', description: 'Ship the release', userOnly: true, body: 'Ship.\n' },
      { name: 'look-around', description: 'Look around the code', body: 'Look.\n' },
    ] };
    for (const file of planCodex(view).files) box.write(file.path, file.content);
    const { stdout } = await box.run('codex', ['debug', 'prompt-input', 'hi']);
    expect(stdout).toContain('look-around: Look around the code');
    expect(stdout).not.toContain('ship-it');
  });
});
