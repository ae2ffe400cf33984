// Cursor files from a persona: Markdown commands for its workflows and .cursor/cli.json permissions,
// where Shell(<program>) names a whole program: only rules about a whole program become Shell() rules.
import { describe, expect, it } from 'vitest';
import type { PlannedPersonaView } from '../../shared/assistants/assistant-plan.js';
import { CURSOR_CLI_SETTINGS, cursorFileRule, planCursor } from '../../shared/assistants/cursor.js';
import { checkJsonLists } from '../../shared/assistants/file-checks.js';
import { plannedPersonas } from './planned-personas.js';

const view = (permissions: Partial<PlannedPersonaView['permissions']>): PlannedPersonaView => ({
  id: 'p', displayName: 'P', workflows: [], permissions: { allow: [], ask: [], deny: [], ...permissions }, env: {},
});

function cliJson(plan: ReturnType<typeof planCursor>): unknown {
  const permissions: Record<string, string[]> = {};
  for (const { path, key, values } of plan.lists) {
    expect(path).toBe(CURSOR_CLI_SETTINGS);
    expect(key[0]).toBe('permissions');
    permissions[key[1]!] = values;
  }
  return { permissions };
}

describe('Cursor files', () => {
  it('every built-in persona, at every level: a command per workflow, no frontmatter, its body whole', () => {
    for (const { label, view: persona } of plannedPersonas()) {
      const plan = planCursor(persona);
      expect(plan.files.map((f) => f.path), label).toEqual(persona.workflows.map((w) => `.cursor/commands/${w.name}.md`));
      for (const [i, file] of plan.files.entries()) {
        expect(file.content.startsWith('---')).toBe(false);
        expect(file.content.startsWith(`${persona.workflows[i]!.description}\n\n`)).toBe(true);
        expect(file.content).toContain(persona.workflows[i]!.body);
      }
      expect(checkJsonLists(JSON.stringify(cliJson(plan)), [['permissions', 'allow'], ['permissions', 'deny']])).toEqual([]);
      // Every deny is written or said: a whole program as Shell(), a file rule as Read()/Write().
      const denied = plan.lists.find((l) => l.key[1] === 'deny')?.values ?? [];
      for (const rule of persona.permissions.deny) {
        const said = plan.cannotExpress.some((line) => line.includes(`\`${rule}\``));
        const program = /^Bash\(([\w.-]+)(?: \*|\*)?\)$/.exec(rule)?.[1];
        const written = denied.includes(program ? `Shell(${program})` : (cursorFileRule(rule) ?? ''));
        expect(said || written, `${label}: ${rule}`).toBe(true);
      }
    }
  });

  it('denies of a whole program and file denies are written; a deny about some arguments is said, never widened', () => {
    const plan = planCursor(view({ deny: ['Bash(sudo *)', 'Bash(rm -rf /)', 'Read(./.env)', 'Edit(**/secrets/**)', 'Read(//etc/shadow)', 'Read(~/.ssh/**)'] }));
    expect(cliJson(plan)).toEqual({ permissions: { deny: ['Shell(sudo)', 'Read(.env)', 'Write(**/secrets/**)', 'Read(/etc/shadow)'] } });
    expect(plan.cannotExpress[0]).toBe('2 deny rule(s) cannot be expressed in .cursor/cli.json (Shell() names a whole program, and denying all of it would deny more): `Bash(rm -rf /)`, `Read(~/.ssh/**)`');
  });

  it('an allow becomes Shell() only for a whole program, never for some of its arguments', () => {
    const plan = planCursor(view({ allow: ['Bash(ls *)', 'Bash(git status *)', 'Bash(pytest)', 'Read(./src/**)'] }));
    expect(cliJson(plan)).toEqual({ permissions: { allow: ['Shell(ls)', 'Read(src/**)'] } });
    expect(plan.cannotExpress.join('\n')).toContain('`Bash(pytest)`, `Bash(git status *)`');
  });

  it('a whole-program allow is not written where a deny about some of its arguments cannot be: the deny would not hold', () => {
    const plan = planCursor(view({ allow: ['Bash(git *)', 'Bash(rm *)', 'Bash(ls *)'], deny: ['Bash(git push *)', 'Bash(rm -rf /)'] }));
    expect(cliJson(plan)).toEqual({ permissions: { allow: ['Shell(ls)'] } });
    expect(plan.cannotExpress.join('\n')).toContain('`Bash(git *)`, `Bash(rm *)`');
  });

  it('a file allow is not written beside an ask for the same tool: Cursor has no ask list, the allow would cover what is asked for', () => {
    const plan = planCursor(view({ allow: ['Edit(./design/**)', 'Read(./src/**)'], ask: ['Edit(./design/secret/**)'] }));
    expect(cliJson(plan)).toEqual({ permissions: { allow: ['Read(src/**)'] } });
    expect(plan.cannotExpress.join('\n')).toContain('`Edit(./design/**)`');
  });

  it('file rules: the project\'s paths relative, absolute ones absolute, ~ refused', () => {
    expect(cursorFileRule('Read(./.env.*)')).toBe('Read(.env.*)');
    expect(cursorFileRule('Edit(/docs/**)')).toBe('Write(docs/**)');
    expect(cursorFileRule('Read(//var/log/**)')).toBe('Read(/var/log/**)');
    expect(cursorFileRule('Read(~/.aws/**)')).toBeNull();
    expect(cursorFileRule('WebFetch(domain:x.org)')).toBeNull();
  });
});

describe('the Cursor adapter check', () => {
  it('names a .cursor/cli.json broken by hand, and a permissions list that is not strings', async () => {
    const { cursorAdapter } = await import('../../shared/assistants/cursor.js');
    expect(cursorAdapter.check!('.cursor/cli.json', '{ "permissions": { "deny": ["Shell(rm)"] } }')).toBeNull();
    expect(cursorAdapter.check!('.cursor/cli.json', '{ "permissions": { "deny": [')).toMatch(/^not JSON \(/);
    expect(cursorAdapter.check!('.cursor/cli.json', '{ "permissions": { "deny": "Shell(rm)" } }')).toBe('permissions.deny must be a list of strings');
  });
});
