// GitHub Copilot CLI itself, offline and logged out, loads what dp writes for it: every persona's
// instructions once (AGENTS.md; CLAUDE.md and GEMINI.md, which it also reads, hold only imports) and a skill
// per workflow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { viewOf } from '../../shared/assistants/persona-view.js';
import { applyBuiltins, useSandbox, whyNotRunnable } from '../support/assistant-clis.js';

const skip = whyNotRunnable('copilot');
const sandbox = useSandbox();

describe.skipIf(skip !== null)(`copilot CLI loads what dp writes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('instruction list: AGENTS.md, CLAUDE.md and GEMINI.md, each persona in exactly one of them; skill list: every workflow', async () => {
    const box = sandbox();
    // Claude Code and Gemini CLI targeted too: their files, which Copilot CLI also reads, hold only imports of AGENTS.md.
    const personas = applyBuiltins(box, ['claude', 'gemini', 'copilot'], { 'AGENTS.md': '# Team\n' });
    const instructions = await box.run('copilot', ['instruction', 'list']);
    expect(instructions.exitCode).toBe(0);
    const listed = [...instructions.stdout.matchAll(/• (\S+)\n\s+from (\S+)/g)].map((m) => m[2]!);
    expect(listed.sort()).toEqual(['AGENTS.md', 'CLAUDE.md', 'GEMINI.md']);
    const loaded = listed.map((file) => readFileSync(join(box.repo, file), 'utf8')).join('\n');
    for (const persona of personas) expect(loaded.split(`<!-- dp:begin ${persona.id} -->`).length - 1, persona.id).toBe(1);

    const skills = await box.run('copilot', ['skill', 'list']);
    expect(skills.exitCode).toBe(0);
    const project = skills.stdout.split('Builtin skills:')[0]!;
    const names = personas.flatMap((p) => viewOf(p).workflows.map((w) => w.name));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(project).toContain(`  ${name} - `);
  });

  it('skill list: with Claude Code and Codex targeted too (.claude/skills and .agents/skills both hold them), each workflow once', async () => {
    const box = sandbox();
    const personas = applyBuiltins(box, ['claude', 'codex', 'copilot'], {});
    const { stdout } = await box.run('copilot', ['skill', 'list']);
    const project = stdout.split('Builtin skills:')[0]!;
    for (const name of personas.flatMap((p) => viewOf(p).workflows.map((w) => w.name))) expect(project.split(`  ${name} - `).length - 1, name).toBe(1);
  });
});
