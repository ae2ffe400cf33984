// Codex CLI files from a persona: skills for its workflows and prefix rules for its command rules, where
// a prefix says what Claude Code's rule says (an allow never broader; a deny or ask never silently narrower).
import { describe, expect, it } from 'vitest';
import type { PlannedPersonaView } from '../../shared/assistants/assistant-plan.js';
import { codexRulesPath, planCodex } from '../../shared/assistants/codex.js';
import { WRAPPED_DENY_LINE } from '../../shared/assistants/command-prefixes.js';
import { checkCodexRules, checkCodexSkillPolicy, checkSkill } from '../../shared/assistants/file-checks.js';
import { plannedPersonas } from './planned-personas.js';

function persona(permissions: Partial<PlannedPersonaView['permissions']>, env: Record<string, string> = {}): PlannedPersonaView {
  return { id: 'p', displayName: 'P', workflows: [], permissions: { allow: [], ask: [], deny: [], ...permissions }, env };
}

function rulesOf(view: PlannedPersonaView): string[] {
  const file = planCodex(view).files.find((f) => f.path === codexRulesPath(view.id));
  return file ? file.content.split('\n').filter((line) => line.startsWith('prefix_rule')) : [];
}

describe('Codex files', () => {
  it('every built-in persona, at every level: skills and rules that read as their formats', () => {
    for (const { label, view } of plannedPersonas()) {
      const plan = planCodex(view);
      for (const file of plan.files) {
        const problems = file.path.endsWith('.rules')
          ? checkCodexRules(file.content)
          : file.path.endsWith('/agents/openai.yaml')
            ? checkCodexSkillPolicy(file.content)
            : checkSkill(file.path, file.content);
        expect(problems, `${label}: ${file.path}`).toEqual([]);
      }
      expect(plan.files.filter((f) => f.path.endsWith('/SKILL.md')).map((f) => f.path), label).toEqual(view.workflows.map((w) => `.agents/skills/${w.name}/SKILL.md`));
    }
  });

  it('every deny rule of every persona is written as forbidden or named as not expressed', () => {
    for (const { label, view } of plannedPersonas()) {
      const plan = planCodex(view);
      const rules = rulesOf(view).join('\n');
      for (const rule of view.permissions.deny) {
        const written = rules.split('\n').some((line) => line.includes('decision = "forbidden"') && /justification = "Claude Code rules? (.*)"\)$/.exec(line)![1]!.split(', ').includes(rule));
        const said = plan.cannotExpress.some((line) => line.includes(`\`${rule}\``));
        expect(written || said, `${label}: ${rule}`).toBe(true);
      }
    }
  });

  it('an allow becomes a prefix rule only when it is "these words, then anything"', () => {
    const view = persona({ allow: ['Bash(ls *)', 'Bash(git status)', 'Bash(npm run lint:*)'] });
    expect(rulesOf(view)).toEqual([
      'prefix_rule(pattern = ["ls"], decision = "allow", justification = "Claude Code rule Bash(ls *)")',
      'prefix_rule(pattern = ["npm", "run", "lint"], decision = "allow", justification = "Claude Code rule Bash(npm run lint:*)")',
    ]);
    expect(planCodex(view).cannotExpress).toEqual(['1 allow rule(s) cannot be expressed as prefix rules (they match whole leading words): `Bash(git status)`']);
  });

  it('an allow that a deny it cannot express would overlap is dropped (the deny must still hold)', () => {
    const view = persona({ allow: ['Bash(git diff -- *)', 'Bash(ls *)'], deny: ['Bash(git *secrets/*)'] });
    expect(rulesOf(view)).toEqual(['prefix_rule(pattern = ["ls"], decision = "allow", justification = "Claude Code rule Bash(ls *)")']);
    expect(planCodex(view).cannotExpress.join('\n')).toContain('`Bash(git diff -- *)`');
  });

  it('an allow that runs a file of the repository is dropped: Codex may edit it, the deny on editing it cannot be expressed', () => {
    const view = persona({ allow: ['Bash(scripts/tool.sh *)', 'Bash(node ./bin/run.mjs *)', 'Bash(ls *)'], deny: ['Edit(**/scripts/tool.sh)', 'Edit(**/bin/**)'] });
    expect(rulesOf(view)).toEqual(['prefix_rule(pattern = ["ls"], decision = "allow", justification = "Claude Code rule Bash(ls *)")']);
    expect(planCodex(view).cannotExpress.join('\n')).toContain('`Bash(scripts/tool.sh *)`, `Bash(node ./bin/run.mjs *)`');
  });

  it('a deny with a glob inside its last word covers that word and says it covers no more', () => {
    const view = persona({ deny: ['Bash(git push --force*)', 'Bash(sudo *)', 'Bash(sudo)'] });
    expect(rulesOf(view)).toEqual([
      'prefix_rule(pattern = ["git", "push", "--force"], decision = "forbidden", justification = "Claude Code rule Bash(git push --force*)")',
      'prefix_rule(pattern = ["sudo"], decision = "forbidden", justification = "Claude Code rules Bash(sudo *), Bash(sudo)")',
    ]);
    expect(planCodex(view).cannotExpress).toContain('deny rule `Bash(git push --force*)` covers `git push --force` only: longer words starting with its last one cannot be expressed');
    // Claude Code looks past `nice` and `timeout`; a prefix rule does not, and that is said.
    expect(planCodex(view).cannotExpress).toContain(WRAPPED_DENY_LINE);
    expect(planCodex(persona({ allow: ['Bash(ls *)'] })).cannotExpress).not.toContain(WRAPPED_DENY_LINE);
  });

  it('quotes, escapes and shell syntax in a rule are never turned into words', () => {
    const view = persona({ ask: ['Bash(echo "a b" *)', 'Bash(cat $HOME/x)'], deny: ['Bash(a\\ b *)'] });
    expect(rulesOf(view)).toEqual([]);
    expect(planCodex(view).files).toEqual([]);
  });

  it('file rules and env are named as not expressed, with the trust note in the rules file', () => {
    const view = persona({ deny: ['Read(./.env)', 'Bash(sudo *)'] }, { PYTHONUNBUFFERED: '1' });
    const plan = planCodex(view);
    expect(plan.cannotExpress.join('\n')).toContain('`Read(./.env)`');
    expect(plan.cannotExpress.join('\n')).toContain('PYTHONUNBUFFERED');
    expect(plan.files[0]!.content).toContain('only once you trust the project');
  });

  it('the rules check names a line dp did not write as a prefix rule', () => {
    expect(checkCodexRules('# c\nprefix_rule(pattern = ["a"], decision = "allow")\n')).toEqual([]);
    expect(checkCodexRules('prefix_rule(pattern = [], decision = "allow")\nprefix_rule(pattern = ["a"], decision = "maybe")\n')).toEqual([
      'line 1: not a prefix_rule(pattern = [...], decision = "allow|prompt|forbidden") line',
      'line 2: not a prefix_rule(pattern = [...], decision = "allow|prompt|forbidden") line',
    ]);
  });
});

describe('skill frontmatter', () => {
  it('any description reads back as written: quotes, colons, #, newlines, backslashes, non-ASCII', async () => {
    const { parse } = await import('yaml');
    const { renderSkill } = await import('../../shared/assistants/workflow-text.js');
    for (const description of ['say "hi": now # not a comment', 'two\nlines\ttab \\ back', "it's — ünïcödé ✓", '- looks: [like, yaml]', '@at `tick` *star* &amp !tag']) {
      const text = renderSkill({ name: 'w', description, body: 'Do it.\n' });
      expect(checkSkill('.agents/skills/w/SKILL.md', text)).toEqual([]);
      expect(parse(/^---\n([\s\S]*?)\n---\n/.exec(text)![1]!)).toEqual({ name: 'w', description });
    }
  });
});

describe('workflows only the user starts', () => {
  it('get a Codex skill policy that keeps them out of the model\'s list; Copilot says it cannot', async () => {
    const { planCopilot } = await import('../../shared/assistants/copilot.js');
    const view = { ...persona({}), workflows: [{ name: 'ship', description: 'Ship it', userOnly: true, body: 'Go.\n' }, { name: 'look', description: 'Look', body: 'See.\n' }] };
    const files = planCodex(view).files;
    expect(files.map((f) => f.path)).toEqual(['.agents/skills/ship/SKILL.md', '.agents/skills/ship/agents/openai.yaml', '.agents/skills/look/SKILL.md']);
    expect(files[1]!.content).toBe('policy:\n  allow_implicit_invocation: false\n');
    const { codexAdapter } = await import('../../shared/assistants/codex.js');
    expect(codexAdapter.check!(files[1]!.path, files[1]!.content)).toBeNull();
    expect(codexAdapter.check!(files[1]!.path, 'policy:\n  allow_implicit_invocation: maybe\n')).toBe('policy.allow_implicit_invocation must be true or false');
    expect(planCopilot(view, { claudeSkills: false }).cannotExpress[0]).toBe('that only you start the workflows ship cannot be expressed: Copilot may use a skill on its own when its description fits');
  });
});

describe('allows left out', () => {
  it('are named up to five, the rest counted: Codex asks for them, which is safe', () => {
    const allow = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((word) => `Bash(${word})`);
    expect(planCodex(persona({ allow })).cannotExpress).toEqual(['7 allow rule(s) cannot be expressed as prefix rules (they match whole leading words): `Bash(a)`, `Bash(b)`, `Bash(c)`, `Bash(d)`, `Bash(e)` and 2 more']);
  });
});
