// Crash safety of the bases file (.claude/persona.bases.json): it is written before every other file and
// keeps the previous record's bases one run more, so an upgrade killed before any of its writes leaves a
// record whose bases are still there: the next run merges the user's edits as an uninterrupted one does.
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { planOnDisk } from '../../shared/engine/apply-on-disk.js';
import { sha256 } from '../../shared/merge/record.js';
import { dp, dpBin } from '../support/cli.js';
import { read, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-crash-bases-');
const preload = fileURLToPath(new URL('../fixtures/crash-after-renames.cjs', import.meta.url));
const command = '.claude/skills/gpu-optimize/SKILL.md';
const tool = 'scripts/gpu_monitor.mjs';

/** An older version applied data-scientist (this format); the user then edited a command. */
async function olderVersionApplied(): Promise<{ dir: string; merged: string }> {
  const dir = newDir();
  await dp(dir, ['persona', 'add', 'data-scientist']);
  const current = read(dir, command);
  const old = current.replace(/^# (.*)$/m, '# $1 (old wording)');
  const oldTool = `${read(dir, tool)}// older\n`;
  const record = JSON.parse(read(dir, '.claude/persona.json'));
  record.version = '0.0.1';
  record.managed.files[command].sha256 = sha256(old);
  record.managed.files[tool].sha256 = sha256(oldTool);
  writeFileSync(join(dir, '.claude/persona.json'), `${JSON.stringify(record, null, 2)}\n`);
  const bases = JSON.parse(read(dir, '.claude/persona.bases.json'));
  delete bases.bases[sha256(current)];
  bases.bases[sha256(old)] = old;
  writeFileSync(join(dir, '.claude/persona.bases.json'), `${JSON.stringify(bases, null, 2)}\n`);
  writeFileSync(join(dir, command), `${old}\nMy own note.\n`);
  writeFileSync(join(dir, tool), oldTool);
  return { dir, merged: `${current}\nMy own note.\n` };
}

const contents = (dir: string) => Object.fromEntries(Object.entries(snapshot(dir)).map(([path, s]) => [path, s.content]));

describe('an upgrade killed while writing', () => {
  it('finds the bases it needs on the next run, and merges the user\'s edits as an uninterrupted run does', async () => {
    const { dir: before, merged } = await olderVersionApplied();
    const reference = newDir();
    cpSync(before, reference, { recursive: true });
    expect((await dp(reference, ['upgrade'])).exitCode).toBe(0);
    expect(read(reference, command)).toBe(merged);
    const fresh = contents(reference);
    const writes = planOnDisk(before, () => [{ id: 'data-scientist' }], { onConflict: 'keep' }).changes.length;
    expect(writes).toBeGreaterThan(2);

    for (let crashAt = 1; crashAt <= writes; crashAt += 1) {
      const dir = newDir();
      cpSync(before, dir, { recursive: true });
      const crashed = await execa('node', ['--require', preload, dpBin, 'upgrade'], { cwd: dir, reject: false, env: { DP_CRASH_AFTER_RENAMES: String(crashAt) } });
      expect(crashed.signal, `run killed before write ${crashAt}`).toBe('SIGKILL');
      expect((await dp(dir, ['upgrade'])).exitCode).toBe(0);
      expect(read(dir, command), `merged after a crash before write ${crashAt}`).toBe(merged);
      expect(contents(dir), `repaired after a crash before write ${crashAt}`).toEqual(fresh);
      const settled = snapshot(dir);
      await dp(dir, ['upgrade']);
      expect(snapshot(dir)).toEqual(settled);
    }
  }, 120_000);
});
