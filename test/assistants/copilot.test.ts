// GitHub Copilot files from a persona: its workflows as skills (the same bytes Codex gets), none where
// Claude Code's skills, which Copilot reads too, carry them; its permissions named as not expressible.
import { describe, expect, it } from 'vitest';
import { planCodex } from '../../shared/assistants/codex.js';
import { planCopilot } from '../../shared/assistants/copilot.js';
import { checkSkill } from '../../shared/assistants/file-checks.js';
import { plannedPersonas } from './planned-personas.js';

describe('GitHub Copilot files', () => {
  it('every built-in persona, at every level: the skills are valid and byte for byte those written for Codex', () => {
    for (const { label, view } of plannedPersonas()) {
      const files = planCopilot(view, { claudeSkills: false }).files;
      expect(files.map((f) => f.path), label).toEqual(view.workflows.map((w) => `.agents/skills/${w.name}/SKILL.md`));
      for (const file of files) expect(checkSkill(file.path, file.content), label).toEqual([]);
      const codexSkills = planCodex(view).files.filter((f) => f.path.endsWith('/SKILL.md'));
      expect(files).toEqual(codexSkills);
    }
  });

  it('no skill of its own where Claude Code is targeted: Copilot reads .claude/skills, a second copy would list twice', () => {
    for (const { view } of plannedPersonas()) expect(planCopilot(view, { claudeSkills: true }).files).toEqual([]);
  });

  it('says the permissions stay unwritten, with their counts, and never writes an instruction file', () => {
    const view = { id: 'p', displayName: 'P', workflows: [], permissions: { allow: ['Bash(ls *)'], ask: [], deny: ['Bash(sudo *)', 'Read(./.env)'] }, env: { A: '1' } };
    const plan = planCopilot(view, { claudeSkills: false });
    expect(plan.files).toEqual([]);
    expect(plan.lists).toEqual([]);
    expect(plan.cannotExpress).toEqual([
      "its 2 deny, 0 ask and 1 allow rule(s) cannot be expressed: a repository cannot carry Copilot's tool permissions (Copilot CLI takes them from --allow-tool/--deny-tool and your user settings)",
      'environment variables (A) cannot be expressed: it has no project setting for them',
    ]);
  });

  it('the skill check names broken frontmatter and a name that is not its folder', () => {
    expect(checkSkill('.agents/skills/a/SKILL.md', 'no frontmatter')).toEqual(['no frontmatter: a skill starts with --- and its name and description']);
    expect(checkSkill('.agents/skills/a/SKILL.md', '---\nname: [a\n---\n')[0]).toMatch(/frontmatter is not YAML/);
    expect(checkSkill('.agents/skills/a/SKILL.md', '---\nname: b\ndescription: d\n---\n')).toEqual(['name "b" differs from its folder "a"']);
  });
});
