// A repository set up when workflows were legacy commands (.claude/commands/<set>/<name>.md) upgrades to
// skills: an untouched command is taken back and its skill written; an edited one stays (Claude Code still
// loads it as /<set>:<name>, never under the skill's name), is reported once with what to do, and its skill
// is written beside it. The fixture is what dp wrote at be819b2 (`dp persona add developer pm designer
// --level beginner` in an empty git repository), record and bases included.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dp } from '../support/cli.js';
import { listFiles, read, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const FIXTURE = new URL('../fixtures/legacy-commands-install', import.meta.url).pathname;
const newDir = useTempDir('dp-migrate-');

const SETS = { dev: ['dev-explain', 'dev-fix-bug', 'dev-undo-safely'], product: ['acceptance-criteria', 'generate-prd', 'generate-release-notes', 'user-stories'], design: ['accessibility-audit', 'component-spec', 'design-system', 'mock-screen'] };
const SKILLS = Object.values(SETS).flat().sort();

function legacyInstall(): string {
  const dir = newDir();
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe('upgrading an installation that has legacy commands', () => {
  it('replaces untouched commands by skills, keeps an edited one beside its skill and says what to do, once', async () => {
    const dir = legacyInstall();
    const edited = '.claude/commands/dev/dev-explain.md';
    const mine = `${read(dir, edited)}\nAlso draw a diagram of the call graph.\n`;
    writeFileSync(join(dir, edited), mine);

    const upgraded = await dp(dir, ['upgrade']);
    expect(upgraded.stderr).toBe('');
    expect(upgraded.exitCode).toBe(0);
    expect(upgraded.stdout).toContain('removed  .claude/commands/product/generate-prd.md  (replaced by the skill /generate-prd in .claude/skills/generate-prd/SKILL.md)');
    expect(upgraded.stdout).toContain(
      `kept     ${edited}  (you edited it, so it stays and still loads as /dev:dev-explain; its new version is the skill /dev-explain in .claude/skills/dev-explain/SKILL.md: move your edits there, then delete this file)`,
    );
    for (const name of SKILLS) expect(upgraded.stdout).toContain(`created  .claude/skills/${name}/SKILL.md`);

    const files = listFiles(dir);
    expect(files.filter((path) => path.startsWith('.claude/commands/'))).toEqual([edited]);
    expect(read(dir, edited)).toBe(mine);
    expect(files.filter((path) => path.startsWith('.claude/skills/'))).toEqual(SKILLS.map((name) => `.claude/skills/${name}/SKILL.md`));
    expect(files.filter((path) => path.startsWith('.claude/agents/'))).toEqual(['.claude/agents/acceptance-checker.md', '.claude/agents/accessibility-auditor.md', '.claude/agents/diff-reviewer.md']);
    // The skill carries what the command said, under its own name.
    expect(read(dir, '.claude/skills/dev-explain/SKILL.md')).toMatch(/^---\nname: dev-explain\n/);
    expect(read(dir, '.claude/skills/dev-explain/SKILL.md')).toContain('# Explain this code');

    const record = JSON.parse(read(dir, '.claude/persona.json'));
    expect(Object.keys(record.managed.files).filter((path) => path.startsWith('.claude/commands/'))).toEqual([]);
    expect(record.configuration.commands).toEqual(expect.arrayContaining(SKILLS.map((name) => `.claude/skills/${name}/SKILL.md`)));
    expect(existsSync(join(dir, '.claude/commands/product'))).toBe(false);

    // Reported once: the next run has nothing to do and changes nothing.
    const before = snapshot(dir);
    const again = await dp(dir, ['upgrade']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toContain('.claude/commands/');
    expect(snapshot(dir)).toEqual(before);
  });

  it('an edited command is never lost: removing the persona afterwards keeps it too', async () => {
    const dir = legacyInstall();
    const edited = '.claude/commands/product/user-stories.md';
    writeFileSync(join(dir, edited), 'Our own way of writing stories.\n');
    expect((await dp(dir, ['upgrade'])).exitCode).toBe(0);
    const removed = await dp(dir, ['persona', 'remove', 'pm']);
    expect(removed.exitCode).toBe(0);
    expect(readFileSync(join(dir, edited), 'utf8')).toBe('Our own way of writing stories.\n');
    expect(listFiles(dir).filter((path) => path.startsWith('.claude/skills/user-stories'))).toEqual([]);
  });
});
