// Crash safety: a dp run killed in the middle of writing leaves every file either in its old or in its
// new state (each is written to a temporary file and renamed), the record is written last, and the next
// run finishes the job: the result is the same as an uninterrupted run, and a further run writes nothing.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { planOnDisk } from '../../shared/engine/apply-on-disk.js';
import { packBase, sha256 } from '../../shared/merge/record.js';
import { dp, dpBin } from '../support/cli.js';
import { listFiles, read, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-crash-');
const preload = fileURLToPath(new URL('../fixtures/crash-after-renames.cjs', import.meta.url));

/** A repository where an older generator version applied data-scientist: every dp file is "old". */
async function olderVersionApplied(): Promise<string> {
  const dir = newDir();
  writeFileSync(join(dir, 'CLAUDE.md'), '# Team notes\n\nOurs.\n');
  await dp(dir, ['persona', 'add', 'data-scientist']);
  const record = JSON.parse(read(dir, '.claude/persona.json'));
  record.version = '0.0.1';
  for (const [path, entry] of Object.entries(record.managed.files) as Array<[string, { sha256: string; base: string }]>) {
    const old = `${read(dir, path)}# written by an older version\n`;
    writeFileSync(join(dir, path), old);
    entry.sha256 = sha256(old);
    entry.base = packBase(old);
  }
  writeFileSync(join(dir, '.claude/persona.json'), `${JSON.stringify(record, null, 2)}\n`);
  return dir;
}

function contents(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot(dir)).map(([path, s]) => [path, s.content]));
}

describe('a dp run killed while writing', () => {
  it('leaves each file old or new, and the next run repairs the repository', async () => {
    const before = await olderVersionApplied();
    const old = contents(before);
    const reference = newDir();
    cpSync(before, reference, { recursive: true });
    const upgraded = await dp(reference, ['upgrade']);
    expect(upgraded.exitCode).toBe(0);
    const fresh = contents(reference);
    const writes = planOnDisk(before, () => [{ id: 'data-scientist' }], { onConflict: 'keep' }).changes.length;
    expect(writes).toBeGreaterThan(5);

    for (let crashAt = 1; crashAt <= writes; crashAt += 1) {
      const dir = newDir();
      cpSync(before, dir, { recursive: true });
      const crashed = await execa('node', ['--require', preload, dpBin, 'upgrade'], { cwd: dir, reject: false, env: { DP_CRASH_AFTER_RENAMES: String(crashAt) } });
      expect(crashed.signal, `run killed before write ${crashAt}`).toBe('SIGKILL');
      for (const path of listFiles(dir).filter((p) => !p.endsWith('.tmp'))) {
        const now = read(dir, path);
        expect([old[path], fresh[path]], `${path} after a crash before write ${crashAt}`).toContain(now);
      }
      // The record is the last write: until then it still describes the old state.
      expect(read(dir, '.claude/persona.json')).toBe(old['.claude/persona.json']);

      const repaired = await dp(dir, ['upgrade']);
      expect(repaired.exitCode).toBe(0);
      expect(contents(dir), `repaired after a crash before write ${crashAt}`).toEqual(fresh);
      const settled = snapshot(dir);
      await dp(dir, ['upgrade']);
      expect(snapshot(dir)).toEqual(settled);
    }
  }, 120_000);
});

describe('a dp persona add killed while writing', () => {
  it('never loses track of the settings entries dp added: removing the persona afterwards takes them all back', async () => {
    const before = newDir();
    const mine = { permissions: { allow: ['Bash(make test)'], deny: ['Bash(curl *)'] }, model: 'opus' };
    writeFileSync(join(before, 'CLAUDE.md'), '# Ours\n');
    mkdirSync(join(before, '.claude'));
    writeFileSync(join(before, '.claude/settings.json'), `${JSON.stringify(mine, null, 2)}\n`);
    const writes = planOnDisk(before, () => [{ id: 'pm' }], { onConflict: 'keep' }).changes.length + 1; // + the intent record

    for (let crashAt = 1; crashAt <= writes; crashAt += 1) {
      const dir = newDir();
      cpSync(before, dir, { recursive: true });
      const crashed = await execa('node', ['--require', preload, dpBin, 'persona', 'add', 'pm'], { cwd: dir, reject: false, env: { DP_CRASH_AFTER_RENAMES: String(crashAt) } });
      expect(crashed.signal).toBe('SIGKILL');
      expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0);
      const removed = await dp(dir, ['persona', 'remove', 'pm']);
      expect(removed.exitCode).toBe(0);
      expect(JSON.parse(read(dir, '.claude/settings.json')), `settings after a crash before write ${crashAt}`).toEqual(mine);
      expect(read(dir, 'CLAUDE.md')).toBe('# Ours\n');
    }
  }, 120_000);
});

describe('a dp assistants add killed while writing', () => {
  it('the next run finishes it as an uninterrupted run does, and taking AGENTS.md and the persona back gives every byte back', async () => {
    const user = newDir();
    writeFileSync(join(user, 'CLAUDE.md'), '# Ours\r\n\r\nNo final newline');
    writeFileSync(join(user, 'AGENTS.md'), '# Team\n\nRun make check.\n');
    const mine = contents(user);
    const before = newDir();
    cpSync(user, before, { recursive: true });
    expect((await dp(before, ['persona', 'add', 'pm'])).exitCode).toBe(0);
    const reference = newDir();
    cpSync(before, reference, { recursive: true });
    expect((await dp(reference, ['assistants', 'add', 'agents'])).exitCode).toBe(0);
    const fresh = contents(reference);
    const writes = planOnDisk(before, (active) => active, { onConflict: 'keep', assistants: () => ['claude', 'agents'] }).changes.length;
    expect(writes).toBeGreaterThanOrEqual(3);

    for (let crashAt = 1; crashAt <= writes; crashAt += 1) {
      const dir = newDir();
      cpSync(before, dir, { recursive: true });
      const crashed = await execa('node', ['--require', preload, dpBin, 'assistants', 'add', 'agents'], { cwd: dir, reject: false, env: { DP_CRASH_AFTER_RENAMES: String(crashAt) } });
      expect(crashed.signal, `run killed before write ${crashAt}`).toBe('SIGKILL');
      expect((await dp(dir, ['assistants', 'add', 'agents'])).exitCode).toBe(0);
      expect(contents(dir), `repaired after a crash before write ${crashAt}`).toEqual(fresh);
      expect((await dp(dir, ['assistants', 'remove', 'agents'])).exitCode).toBe(0);
      expect((await dp(dir, ['persona', 'remove', 'pm'])).exitCode).toBe(0);
      expect(contents(dir), `given back after a crash before write ${crashAt}`).toEqual(mine);
    }
  }, 120_000);
});
