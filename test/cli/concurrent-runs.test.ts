// Runs started at the same moment in one repository: each waits for the lock and then builds on what the
// one before it left, so no run undoes another's persona. Through the dp CLI and through the generators.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { holdLock, releaseLock } from '../../shared/commit/lock.js';
import { applyOnDisk } from '../../shared/engine/apply-on-disk.js';
import { dp, type Ran } from '../support/cli.js';
import { read } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';
import { yoProcess } from '../support/yo-process.js';

const newDir = useTempDir('dp-concurrent-');

function activeIds(dir: string): string[] {
  return (JSON.parse(read(dir, '.claude/persona.json')) as { active: Array<{ id: string }> }).active.map((a) => a.id).sort();
}

function sectionIds(dir: string): string[] {
  return [...read(dir, 'CLAUDE.md').matchAll(/<!-- dp:begin ([\w-]+) -->/g)].map((m) => m[1]!).sort();
}

/** Start runs while the repository is locked, so that all of them are under way before any may write. */
async function behindTheLock(dir: string, start: () => Array<Promise<Ran>>, waitMs: number): Promise<Ran[]> {
  holdLock(dir);
  try {
    const runs = start();
    await sleep(waitMs);
    releaseLock(dir);
    return await Promise.all(runs);
  } finally {
    releaseLock(dir);
  }
}

describe('three runs started at once', () => {
  it('dp persona add ds, pm and designer together: all three are active afterwards, 20 times out of 20', async () => {
    for (let trial = 0; trial < 20; trial += 1) {
      const dir = newDir();
      mkdirSync(join(dir, '.git'));
      const runs = await Promise.all(['ds', 'pm', 'designer'].map((persona) => dp(dir, ['persona', 'add', persona])));
      expect(runs.map((r) => r.exitCode), `trial ${trial}: ${runs.map((r) => r.stderr).join('')}`).toEqual([0, 0, 0]);
      expect(activeIds(dir), `trial ${trial}`).toEqual(['data-scientist', 'designer', 'pm']);
      expect(sectionIds(dir), `trial ${trial}`).toEqual(['data-scientist', 'designer', 'pm']);
    }
  }, 120_000);

  it('dp persona remove of two personas at once, from three: only the third stays', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds', 'pm', 'designer']);
    const runs = await behindTheLock(dir, () => [dp(dir, ['persona', 'remove', 'pm']), dp(dir, ['persona', 'remove', 'designer'])], 1000);
    expect(runs.map((r) => r.exitCode)).toEqual([0, 0]);
    expect(activeIds(dir)).toEqual(['data-scientist']);
    expect(sectionIds(dir)).toEqual(['data-scientist']);
  });

  it('the generators (yo dp:pm, yo dp:designer) and dp together: all three are active afterwards', async () => {
    for (let trial = 0; trial < 2; trial += 1) {
      const dir = newDir();
      const runs = await behindTheLock(dir, () => [yoProcess(dir, 'pm'), yoProcess(dir, 'designer'), dp(dir, ['persona', 'add', 'ds'])], 4000);
      expect(runs.map((r) => r.exitCode), `trial ${trial}: ${runs.map((r) => r.stderr).join('')}`).toEqual([0, 0, 0]);
      expect(activeIds(dir), `trial ${trial}`).toEqual(['data-scientist', 'designer', 'pm']);
      expect(sectionIds(dir), `trial ${trial}`).toEqual(['data-scientist', 'designer', 'pm']);
    }
  }, 120_000);

  it('a generator that read the record before waiting for the lock applies over what the run before it wrote', async () => {
    const dir = newDir();
    mkdirSync(join(dir, 'profiles/personas'), { recursive: true });
    writeFileSync(join(dir, 'profiles/personas/plain.json'), JSON.stringify({ persona: 'plain', display_name: 'Plain' }));
    await dp(dir, ['persona', 'add', 'pm']);
    holdLock(dir);
    const waiting = yoProcess(dir, 'persona', {}, ['plain']);
    // yo has read the record (its checks, its questions) and waits for the lock; a run before it adds designer.
    await sleep(3000);
    applyOnDisk(dir, (active) => [...active, { id: 'designer' }], { onConflict: 'keep' });
    releaseLock(dir);
    const run = await waiting;
    expect(run.exitCode, run.stderr).toBe(0);
    expect(activeIds(dir)).toEqual(['designer', 'plain', 'pm']);
    expect(sectionIds(dir)).toEqual(['designer', 'plain', 'pm']);
  }, 60_000);
});

