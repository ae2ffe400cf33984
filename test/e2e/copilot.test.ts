// GitHub Copilot CLI itself, offline and logged out, loads what dp writes for it: the persona's
// instructions from AGENTS.md (no copilot-instructions.md of its own) and a skill per workflow.
import { describe, expect, it } from 'vitest';
import { planCopilot } from '../../shared/assistants/copilot.js';
import { onePlanPerPersona } from '../assistants/planned-personas.js';
import { useSandbox, whyNotRunnable } from '../support/assistant-clis.js';

const skip = whyNotRunnable('copilot');
const sandbox = useSandbox();
const personas = onePlanPerPersona();

describe.skipIf(skip !== null)(`copilot CLI loads what dp writes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('instruction list: AGENTS.md is its repository instructions; skill list: every workflow is a project skill', async () => {
    const box = sandbox();
    box.write('AGENTS.md', personas.map((p) => `## ${p.displayName}\n`).join('\n'));
    for (const persona of personas) for (const file of planCopilot(persona, { claudeSkills: false }).files) box.write(file.path, file.content);
    const instructions = await box.run('copilot', ['instruction', 'list']);
    expect(instructions.exitCode).toBe(0);
    expect(instructions.stdout).toMatch(/Repository instructions:\n\s+• AGENTS\.md\n/);
    expect(instructions.stdout).not.toContain('copilot-instructions.md');
    const skills = await box.run('copilot', ['skill', 'list']);
    expect(skills.exitCode).toBe(0);
    const project = skills.stdout.split('Builtin skills:')[0]!;
    for (const persona of personas) for (const workflow of persona.workflows) expect(project).toContain(`  ${workflow.name} - `);
  });

  it('reads root CLAUDE.md and GEMINI.md as well: a persona section in one of them and in AGENTS.md would reach it twice', async () => {
    const box = sandbox();
    box.write('AGENTS.md', 'a\n');
    box.write('CLAUDE.md', 'c\n');
    box.write('GEMINI.md', 'g\n');
    const { stdout } = await box.run('copilot', ['instruction', 'list']);
    for (const file of ['AGENTS.md', 'CLAUDE.md', 'GEMINI.md']) expect(stdout).toContain(`• ${file}`);
  });
});
