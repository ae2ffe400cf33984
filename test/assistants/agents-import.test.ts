// Claude Code reads AGENTS.md only where no CLAUDE.md exists: a CLAUDE.md that dp creates or owns in a
// repository with an AGENTS.md imports it (@AGENTS.md), so that applying a persona never takes the
// team's AGENTS.md out of Claude Code's context; removing the last persona gives the repository back.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dp } from '../support/cli.js';
import { listFiles, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-agents-import-');
const AGENTS = '# Team rules\n\nRun `make check` before every commit.\n';
const IMPORT = '<!-- dp:begin import-AGENTS.md -->\n@AGENTS.md\n<!-- dp:end import-AGENTS.md -->\n';

function repository(files: Record<string, string>): string {
  const dir = newDir();
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

const claude = (dir: string) => readFileSync(join(dir, 'CLAUDE.md'), 'utf8');

describe('a repository with an AGENTS.md and no CLAUDE.md', () => {
  it('the CLAUDE.md dp creates imports AGENTS.md first, and removing the last persona gives every byte back', async () => {
    const dir = repository({ 'AGENTS.md': AGENTS });
    const before = listFiles(dir);
    const added = await dp(dir, ['persona', 'add', 'pm']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(claude(dir).startsWith(`${IMPORT}\n<!-- dp:begin pm -->\n`)).toBe(true);
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).toBe(AGENTS);

    const again = snapshot(dir);
    expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0);
    expect(snapshot(dir)).toEqual(again);

    expect((await dp(dir, ['persona', 'remove', 'pm'])).exitCode).toBe(0);
    expect(listFiles(dir)).toEqual(before);
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).toBe(AGENTS);
  });

  it('an AGENTS.md that appears after dp wrote CLAUDE.md is imported by the next run', async () => {
    const dir = repository({});
    expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0);
    expect(claude(dir)).not.toContain('@AGENTS.md');
    writeFileSync(join(dir, 'AGENTS.md'), AGENTS);
    const upgraded = await dp(dir, ['upgrade']);
    expect(upgraded.exitCode, upgraded.stderr).toBe(0);
    expect(claude(dir)).toContain(`\n\n${IMPORT}`);
    expect((await dp(dir, ['persona', 'remove', 'pm'])).exitCode).toBe(0);
    expect(listFiles(dir)).toEqual(['AGENTS.md']);
  });

  it('the import goes when AGENTS.md goes', async () => {
    const dir = repository({ 'AGENTS.md': AGENTS });
    expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0);
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, 'AGENTS.md'));
    expect((await dp(dir, ['upgrade'])).exitCode).toBe(0);
    expect(claude(dir)).not.toContain('AGENTS.md');
    // The blank line dp put between the two sections stays until the pm section goes with it.
    expect(claude(dir).startsWith('\n<!-- dp:begin pm -->\n')).toBe(true);
    expect((await dp(dir, ['persona', 'remove', 'pm'])).exitCode).toBe(0);
    expect(listFiles(dir)).toEqual([]);
  });
});

describe('a repository whose own CLAUDE.md does not import AGENTS.md', () => {
  it('is left as the user chose: their CLAUDE.md already hides AGENTS.md from Claude Code, dp adds only its section', async () => {
    const user = '# Ours\n\nWe keep AGENTS.md for other tools.\n';
    const dir = repository({ 'AGENTS.md': AGENTS, 'CLAUDE.md': user });
    expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0);
    expect(claude(dir)).not.toContain('@AGENTS.md');
    expect(claude(dir).startsWith(`${user}\n<!-- dp:begin pm -->\n`)).toBe(true);
    expect((await dp(dir, ['persona', 'remove', 'pm'])).exitCode).toBe(0);
    expect(claude(dir)).toBe(user);
  });

  it('one that imports it already gets no second import', async () => {
    const user = '@AGENTS.md\n';
    const dir = repository({ 'AGENTS.md': AGENTS, 'CLAUDE.md': user });
    expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0);
    expect(claude(dir).match(/@AGENTS\.md/g)).toHaveLength(1);
  });
});
