// Codex CLI itself, offline and logged out, loads what dp writes for it: the AGENTS.md section, a skill
// per workflow, and (once the project is trusted) the command rules, whose decisions `codex execpolicy
// check` gives for the persona's own commands. `codex debug prompt-input` prints the model's whole input.
import { describe, expect, it } from 'vitest';
import { codexRulesPath, planCodex } from '../../shared/assistants/codex.js';
import { onePlanPerPersona } from '../assistants/planned-personas.js';
import { useSandbox, whyNotRunnable } from '../support/assistant-clis.js';

const skip = whyNotRunnable('codex');
const sandbox = useSandbox();

describe.skipIf(skip !== null)(`codex CLI loads what dp writes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const personas = onePlanPerPersona();

  function writeAll(box: ReturnType<typeof sandbox>): void {
    box.write('AGENTS.md', personas.map((p) => `<!-- dp:begin ${p.id} -->\n## ${p.displayName}\nMARKER-${p.id}\n<!-- dp:end ${p.id} -->\n`).join('\n'));
    for (const persona of personas) for (const file of planCodex(persona).files) box.write(file.path, file.content);
  }

  it('untrusted: the AGENTS.md sections and every skill are in the prompt; the rules and sandbox are not the project\'s', async () => {
    const box = sandbox();
    writeAll(box);
    const { stdout, exitCode } = await box.run('codex', ['debug', 'prompt-input', 'hi']);
    expect(exitCode).toBe(0);
    for (const persona of personas) {
      expect(stdout).toContain(`MARKER-${persona.id}`);
      for (const workflow of persona.workflows) expect(stdout).toContain(`${workflow.name}: `);
    }
    expect(stdout).toContain('`sandbox_mode` is `read-only`');
  });

  it('trusted: Codex takes the project in (workspace sandbox); every written rule gives its decision for its own command', async () => {
    const box = sandbox();
    writeAll(box);
    box.write('../home/.codex/config.toml', `[projects.${JSON.stringify(box.repo)}]\ntrust_level = "trusted"\n`);
    const prompt = await box.run('codex', ['debug', 'prompt-input', 'hi']);
    expect(prompt.stdout).toContain('`sandbox_mode` is `workspace-write`');
    for (const persona of personas) {
      const rules = planCodex(persona).files.find((f) => f.path === codexRulesPath(persona.id));
      if (!rules) continue;
      // The forbidden rules (deny must mean deny) and the first prompt rule: one process each.
      const lines = rules.content.split('\n').filter((l) => l.startsWith('prefix_rule'));
      const checked = [...lines.filter((l) => l.includes('"forbidden"')), ...lines.filter((l) => l.includes('"prompt"')).slice(0, 1)];
      for (const line of checked) {
        const words = JSON.parse(/pattern = (\[.*?\])/.exec(line)![1]!) as string[];
        const decision = /decision = "(\w+)"/.exec(line)![1]!;
        const check = await box.run('codex', ['execpolicy', 'check', '--rules', `${box.repo}/${codexRulesPath(persona.id)}`, ...words, 'x']);
        const result = JSON.parse(check.stdout) as { decision?: string };
        // The strictest matching rule wins: never less strict than this rule's own decision.
        const order = ['allow', 'prompt', 'forbidden'];
        expect(order.indexOf(result.decision!), `${persona.id}: ${words.join(' ')}`).toBeGreaterThanOrEqual(order.indexOf(decision));
      }
      const unmatched = await box.run('codex', ['execpolicy', 'check', '--rules', `${box.repo}/${codexRulesPath(persona.id)}`, 'ls', '-la']);
      expect(JSON.parse(unmatched.stdout)).toEqual({ matchedRules: [] });
    }
  });
});
