// Every built-in persona folder (personas/*/persona.json, whoever added it) is checked here: its
// commands render with the frontmatter Claude Code reads, their names are unique, and its permissions
// at every level stay within dp's policy.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { isBlanketAllow, isBroadAllow, riskyEnvNames } from '../../shared/persona/rules.js';
import type { Persona } from '../../shared/persona/schema.js';
import { packageRoot } from '../../shared/package-root.js';
import { planPersona } from '../../shared/plan/plan.js';
import { BUILT_IN_COMMANDS, frontmatter, yamlProblem } from './checks.js';

const personasDir = join(packageRoot(), 'personas');
const ids = readdirSync(personasDir)
  .filter((name) => existsSync(join(personasDir, name, 'persona.json')))
  .sort();

/** The persona planned at each of its levels (once, without a level, when it has none). */
function plans(persona: Persona) {
  const levels = persona.levels ? Object.keys(persona.levels) : [undefined];
  return levels.map((level) => ({ level: level ?? '(no levels)', plan: planPersona(persona, { level }) }));
}

function templateNames(id: string): string[] {
  const dir = join(personasDir, id, 'commands');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md.ejs'))
    .map((name) => name.slice(0, -'.md.ejs'.length))
    .sort();
}

describe('built-in personas', () => {
  it('include the ones this version ships', () => {
    expect(ids).toEqual(expect.arrayContaining(['data-scientist', 'designer', 'developer', 'pm']));
  });

  describe.each(ids)('%s', (id) => {
    const persona = loadBuiltinPersona(id);

    it('declares exactly the command templates it ships', () => {
      const declared = new Set([...persona.commands, ...Object.values(persona.levels ?? {}).flatMap((level) => level.commands)]);
      expect([...declared].sort()).toEqual(templateNames(id));
    });

    it('renders every command with description, argument-hint and allowed-tools frontmatter, and no $<digit>', () => {
      for (const { level, plan } of plans(persona)) {
        const commands = plan.files.filter((file) => file.path.startsWith('.claude/commands/'));
        expect(commands.map((file) => file.path), level).toEqual(plan.commands);
        for (const file of commands) {
          const where = `${file.path} (${level})`;
          const fields = frontmatter(file.content);
          expect(fields, `${where}: frontmatter`).not.toBeNull();
          expect(Object.keys(fields!), where).toEqual(expect.arrayContaining(['description', 'argument-hint', 'allowed-tools']));
          for (const [key, value] of Object.entries(fields!)) expect(yamlProblem(value), `${where}: ${key}`).toBeNull();
          expect(fields!['allowed-tools'], where).not.toMatch(/(^|[ ,])Bash(\(\*\))?($|,)/);
          expect(file.content, where).not.toMatch(/\$\d/);
          expect(file.content, where).not.toMatch(/undefined|\[object Object\]/);
        }
        expect(plan.section, `CLAUDE.md section (${level})`).not.toMatch(/undefined|\[object Object\]/);
      }
    });

    it('allows nothing blanket or broad and never bypasses permissions, at any level', () => {
      const levels = [{ name: '(base)', permissions: persona.permissions }, ...Object.entries(persona.levels ?? {}).map(([name, level]) => ({ name, permissions: level.permissions }))];
      for (const { name, permissions } of levels) {
        for (const rule of permissions.allow) {
          expect(isBlanketAllow(rule), `${rule} (${name})`).toBe(false);
          expect(isBroadAllow(rule), `${rule} (${name})`).toBe(false);
        }
        expect(JSON.stringify(permissions), name).not.toContain('bypassPermissions');
      }
    });

    it('denies .env files and secrets/ at any depth and sets no environment variable that steers commands or holds a secret, at any level', () => {
      for (const { level, plan } of plans(persona)) {
        expect(plan.permissions.deny, level).toEqual(
          expect.arrayContaining(['Read(**/.env)', 'Read(**/.env.*)', 'Read(**/secrets/**)', 'Edit(**/.env)', 'Edit(**/.env.*)', 'Edit(**/secrets/**)', 'Bash(sudo *)']),
        );
        expect(riskyEnvNames(plan.env), level).toEqual([]);
      }
    });
  });

  it('use command basenames that are unique across personas and are not Claude Code built-ins', () => {
    const owners = new Map<string, string[]>();
    for (const id of ids) for (const name of templateNames(id)) owners.set(name, [...(owners.get(name) ?? []), id]);
    const shared = [...owners].filter(([, personas]) => personas.length > 1);
    expect(shared).toEqual([]);
    expect([...owners.keys()].filter((name) => BUILT_IN_COMMANDS.includes(name))).toEqual([]);
  });

  it('use no positional $<digit> placeholders in any template', () => {
    for (const id of ids) {
      for (const name of templateNames(id)) {
        const source = readFileSync(join(personasDir, id, 'commands', `${name}.md.ejs`), 'utf8');
        expect(source, `${id}/${name}`).not.toMatch(/\$\d/);
      }
    }
  });
});
