import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBlanketAllow, isBroadAllow } from '../../shared/persona/rules.js';
import { frontmatter, shadowingRule } from '../persona/checks.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { listFiles, read, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-sa-');

const COMMANDS = ['adr-new', 'architecture-review', 'performance-audit'];
const SA_FILES = [
  ...COMMANDS.map((name) => `.claude/skills/${name}/SKILL.md`),
  '.claude/agents/architecture-reviewer.md',
  '.claude/hooks/adr-guard.mjs',
  '.claude/persona.bases.json',
  '.claude/persona.json',
  '.claude/settings.json',
  'CLAUDE.md',
  'docs/adr/0000-template.md',
  'docs/adr/0001-record-architecture-decisions.md',
  'scripts/analyze_architecture.mjs',
  'scripts/analyze_architecture.sh',
].sort();

function json(dir: string, path: string) {
  return JSON.parse(read(dir, path));
}

function command(dir: string, name: string): string {
  return read(dir, `.claude/skills/${name}/SKILL.md`);
}

describe('yo dp:software-architect in an empty repository', () => {
  it('writes the analyzer, the three commands, the ADRs, the CLAUDE.md section, settings and record', async () => {
    const dir = newDir();
    const result = await runIn(dir, 'software-architect');
    expect(result.askedQuestions).toEqual([]);
    expect(listFiles(dir)).toEqual(SA_FILES);

    expect(read(dir, 'scripts/analyze_architecture.mjs').startsWith('#!/usr/bin/env node\n')).toBe(true);
    for (const file of ['scripts/analyze_architecture.mjs', 'scripts/analyze_architecture.sh']) {
      expect(statSync(join(dir, file)).mode & 0o111, file).toBe(0o111);
    }
    expect(read(dir, 'scripts/analyze_architecture.sh')).toContain('exec node "$(dirname "$0")/analyze_architecture.mjs" "$@"');

    for (const name of COMMANDS) {
      const text = command(dir, name);
      const fields = frontmatter(text)!;
      expect(Object.keys(fields), name).toEqual(['name', 'description', 'argument-hint', 'allowed-tools', ...(name === 'adr-new' ? ['disable-model-invocation'] : [])]);
      expect(fields['allowed-tools'], name).toContain('Bash(scripts/analyze_architecture.sh --json)');
      expect(fields['allowed-tools'], name).not.toContain('Bash(scripts/analyze_architecture.sh *)');
      expect(fields['allowed-tools'], name).not.toMatch(/(^|, )(Bash|Edit|Write)(, |$)/);
      expect(text, name).toContain('$ARGUMENTS');
      expect(text, name).not.toMatch(/\$\d/);
      // A failing !`command` would abort the slash command: the assistant runs the tools itself.
      expect(text, name).not.toMatch(/(^|\s)!`/m);
      expect(text, name).toMatch(/## 1\. Gather the facts first/);
      expect(text, name).toContain('scripts/analyze_architecture.sh --json');
      expect(text, name).toMatch(/## \d\. Answer/);
    }
    expect(command(dir, 'architecture-review')).toMatch(/Failure modes/);
    expect(command(dir, 'architecture-review')).toMatch(/CAP/);
    expect(command(dir, 'performance-audit')).toMatch(/Measure before optimising/);
    // Writing an ADR starts only when the user asks, and each write asks: the skill pre-approves reads only.
    expect(frontmatter(command(dir, 'adr-new'))!['disable-model-invocation']).toBe('true');
    expect(frontmatter(command(dir, 'adr-new'))!['allowed-tools']).not.toContain('Edit');
    expect(command(dir, 'adr-new')).toContain('**Status**: `Proposed`');

    const template = read(dir, 'docs/adr/0000-template.md');
    const first = read(dir, 'docs/adr/0001-record-architecture-decisions.md');
    for (const adr of [template, first]) {
      const headings = adr.match(/^#{1,2} .+$/gm)!;
      expect(headings.slice(1)).toEqual(['## Status', '## Context', '## Decision', '## Consequences']);
    }
    expect(first.startsWith('# 1. Record architecture decisions\n')).toBe(true);
    expect(first).toMatch(/## Status\n\nAccepted\n/);
    expect(first).toContain('We will keep Architecture Decision Records');
    expect(template).toMatch(/## Status\n\nProposed\n/);

    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith('<!-- dp:begin software-architect -->\n## Software Architect persona\n')).toBe(true);
    expect(claude.endsWith('<!-- dp:end software-architect -->\n')).toBe(true);
    for (const topic of ['Decisions are recorded (ADRs)', 'network\n  partition', 'Failure modes', 'Measure before optimising']) expect(claude).toContain(topic);
    for (const name of COMMANDS) expect(claude).toContain(`\`/${name}`);

    const settings = json(dir, '.claude/settings.json');
    expect(settings.permissions.allow).toEqual(expect.arrayContaining(['Bash(scripts/analyze_architecture.sh --json)', 'Bash(git log -n 200 --name-only --format=)']));
    for (const rule of settings.permissions.allow) {
      expect(rule, 'only the analyzer on this repository and read-only git').toMatch(/^Bash\((scripts\/analyze_architecture\.(sh|mjs)( --json)?|git (status|log|show|diff|blame|shortlog|ls-files)\b.*)\)$/);
      expect(isBlanketAllow(rule) || isBroadAllow(rule), rule).toBe(false);
      expect(shadowingRule(rule, [...settings.permissions.ask, ...settings.permissions.deny]), rule).toBeUndefined();
    }
    expect(settings.permissions.ask).toEqual(expect.arrayContaining(['Bash(git push *)', 'Bash(k6 run *)']));
    expect(settings.permissions.deny).toEqual(
      expect.arrayContaining(['Bash(sudo *)', 'Bash(git push --force*)', 'Read(./.env)', 'Read(./.env.*)', 'Read(./secrets/**)', 'Edit(**/scripts/analyze_architecture.mjs)', 'Edit(**/scripts/analyze_architecture.sh)']),
    );
    expect(JSON.stringify(settings)).not.toMatch(/bypassPermissions|"Bash\(\*\)"|"Bash"/);

    const record = json(dir, '.claude/persona.json');
    expect(record.active).toEqual([{ id: 'software-architect', displayName: 'Software Architect' }]);
    expect(record.configuration.tools).toEqual(['scripts/analyze_architecture.mjs']);
  });

  it.runIf(hasShared)('writes settings.json valid against the Claude Code settings schema', async () => {
    const dir = newDir();
    await runIn(dir, 'software-architect');
    expect(settingsSchemaErrors(json(dir, '.claude/settings.json'))).toEqual([]);
  });

  it('installs an analyzer that runs in the repository with nothing but Node', async () => {
    const dir = newDir();
    await runIn(dir, 'software-architect');
    const facts = JSON.parse(execFileSync(join(dir, 'scripts/analyze_architecture.sh'), ['--json'], { cwd: dir, encoding: 'utf8' }));
    expect(facts.root).toBe(dir);
    expect(facts.stacks).toEqual([]);
    expect(facts.languages).toEqual([
      // scripts/analyze_architecture.mjs and the ADR guard, .claude/hooks/adr-guard.mjs.
      { language: 'JavaScript', files: 2 },
      { language: 'Shell', files: 1 },
    ]);
    expect(facts.routes).toEqual([]);
    expect(facts.models).toEqual([]);
    expect(facts.diagram.mermaid).toContain('flowchart LR');
  });

  it("keeps the user's files and a re-run writes nothing", async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'CLAUDE.md'), '# Our system\n');
    mkdirSync(join(dir, 'docs/adr'), { recursive: true });
    writeFileSync(join(dir, 'docs/adr/0002-use-postgresql.md'), '# 2. Use PostgreSQL\n');
    await runIn(dir, 'software-architect');
    expect(read(dir, 'CLAUDE.md').startsWith('# Our system\n')).toBe(true);
    expect(read(dir, 'docs/adr/0002-use-postgresql.md')).toBe('# 2. Use PostgreSQL\n');

    const past = new Date(Date.now() - 60_000);
    for (const file of listFiles(dir)) utimesSync(join(dir, file), past, past);
    const before = snapshot(dir);
    await runIn(dir, 'software-architect');
    expect(snapshot(dir)).toEqual(before);
  });
});
