// Every built-in persona folder (personas/*/persona.json, whoever added it) is checked here: its
// workflows render as skills and its subagents as agent files with the frontmatter Claude Code reads
// (read back with a YAML parser: Claude Code drops what it cannot read without a word), their names are
// unique and no Claude Code built-in, and its permissions at every level stay within dp's policy.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { isBlanketAllow, isBroadAllow, riskyEnvNames } from '../../shared/persona/rules.js';
import type { Persona } from '../../shared/persona/schema.js';
import { packageRoot } from '../../shared/package-root.js';
import { planPersona } from '../../shared/plan/plan.js';
import { parse as parseYaml } from 'yaml';
import { CLAUDE_CODE_COMMANDS } from '../../shared/persona/claude-builtins.js';
import { frontmatter, yamlProblem } from './checks.js';

const personasDir = join(packageRoot(), 'personas');
const ids = readdirSync(personasDir)
  .filter((name) => existsSync(join(personasDir, name, 'persona.json')))
  .sort();

/** The persona planned at each of its levels (once, without a level, when it has none). */
function plans(persona: Persona) {
  const levels = persona.levels ? Object.keys(persona.levels) : [undefined];
  return levels.map((level) => ({ level: level ?? '(no levels)', plan: planPersona(persona, { level }) }));
}

function templateNames(id: string, folder: 'workflows' | 'agents' = 'workflows'): string[] {
  const dir = join(personasDir, id, folder);
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

    it('declares exactly the workflow and subagent templates it ships, and at least one subagent', () => {
      const declared = new Set([...persona.workflows, ...Object.values(persona.levels ?? {}).flatMap((level) => level.workflows)]);
      expect([...declared].sort()).toEqual(templateNames(id));
      expect([...persona.agents].sort()).toEqual(templateNames(id, 'agents'));
      expect(persona.agents.length).toBeGreaterThan(0);
    });

    it('writes each subagent as .claude/agents/<name>.md with its name, a description and a minimal tool list, read back by a YAML parser', () => {
      for (const { level, plan } of plans(persona)) {
        const agents = plan.files.filter((file) => file.path.startsWith('.claude/agents/'));
        expect(agents.map((file) => file.path), level).toEqual(persona.agents.map((name) => `.claude/agents/${name}.md`));
        for (const [index, file] of agents.entries()) {
          const agent = plan.agents[index]!;
          const yaml = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(file.content)![1]!) as Record<string, unknown>;
          expect(yaml, file.path).toEqual({ name: agent.name, description: agent.description, tools: agent.tools.join(', ') });
          expect(agent.tools.length, file.path).toBeLessThanOrEqual(4);
          expect(file.content, file.path).not.toMatch(/undefined|\[object Object\]/);
        }
      }
    });

    it('writes each workflow as .claude/skills/<name>/SKILL.md whose frontmatter a YAML parser reads back as the workflow, pre-approving only what the persona allows', () => {
      for (const { level, plan } of plans(persona)) {
        const skills = plan.files.filter((file) => file.path.startsWith('.claude/skills/'));
        expect(skills.map((file) => file.path), level).toEqual(plan.commands);
        expect(plan.workflows.map((workflow) => `.claude/skills/${workflow.name}/SKILL.md`), level).toEqual(plan.commands);
        for (const [index, file] of skills.entries()) {
          const workflow = plan.workflows[index]!;
          const where = `${file.path} (${level})`;
          const yaml = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(file.content)![1]!) as Record<string, unknown>;
          expect(yaml, where).toEqual({
            name: workflow.name,
            description: workflow.description,
            'argument-hint': workflow.argumentHint,
            'allowed-tools': workflow.allowedTools.join(', '),
            ...(workflow.userOnly ? { 'disable-model-invocation': true } : {}),
          });
          for (const tool of workflow.allowedTools) expect(['Read', 'Grep', 'Glob', ...plan.permissions.allow], where).toContain(tool);
          const fields = frontmatter(file.content);
          expect(fields, `${where}: frontmatter`).not.toBeNull();
          expect(Object.keys(fields!), where).toEqual(expect.arrayContaining(['name', 'description', 'argument-hint', 'allowed-tools']));
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

  it('use workflow and subagent names that are unique across personas and are not Claude Code built-ins', () => {
    for (const folder of ['workflows', 'agents'] as const) {
      const owners = new Map<string, string[]>();
      for (const id of ids) for (const name of templateNames(id, folder)) owners.set(name, [...(owners.get(name) ?? []), id]);
      const shared = [...owners].filter(([, personas]) => personas.length > 1);
      expect(shared, folder).toEqual([]);
      expect([...owners.keys()].filter((name) => CLAUDE_CODE_COMMANDS.has(name)), folder).toEqual([]);
    }
  });

  it('ask only for the user to start the workflows that write files or change state', () => {
    const userOnly = ids.flatMap((id) => plans(loadBuiltinPersona(id)).flatMap(({ plan }) => plan.workflows.filter((w) => w.userOnly).map((w) => w.name)));
    expect([...new Set(userOnly)].sort()).toEqual(['adr-new', 'dev-add-tests', 'dev-fix-bug', 'dev-perf-investigate', 'dev-undo-safely', 'mock-screen']);
  });

  it('use no positional $<digit> placeholders in any template', () => {
    for (const id of ids) {
      for (const name of templateNames(id)) {
        const source = readFileSync(join(personasDir, id, 'workflows', `${name}.md.ejs`), 'utf8');
        expect(source, `${id}/${name}`).not.toMatch(/\$\d/);
      }
    }
  });
});
