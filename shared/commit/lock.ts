// One dp run at a time per repository. The lock lives outside the repository (in the temp directory,
// keyed by the repository's real path), so taking it writes nothing in the repository.
import { createHash } from 'node:crypto';
import { linkSync, readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DpError } from '../errors.js';

/** Locks this process holds (by lock path). */
const held = new Set<string>();

export function lockPath(repoRoot: string): string {
  const key = createHash('sha256').update(realpathSync(repoRoot)).digest('hex').slice(0, 16);
  return join(tmpdir(), `generator-dp-${key}.lock`);
}

function holderAlive(path: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Take the repository's lock, waiting up to `waitMs` (DP_LOCK_WAIT_MS, default 10 s) for another run to finish; a lock left by a
 * process that no longer exists is taken over. Idempotent within one process, so generators composed
 * in one run share it.
 */
export function holdLock(repoRoot: string, { waitMs = Number(process.env.DP_LOCK_WAIT_MS ?? 10_000) } = {}): void {
  const path = lockPath(repoRoot);
  if (held.has(path)) return;
  const deadline = Date.now() + waitMs;
  for (;;) {
    // The lock appears with its holder's pid already in it (written aside, then linked into place):
    // another run never sees an empty lock and mistakes it for a stale one.
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${process.pid}\n${repoRoot}\n`);
    try {
      linkSync(temporary, path);
      held.add(path);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
    const holder = holderAlive(path);
    if (holder === null) {
      try {
        unlinkSync(path);
      } catch {
        // another waiter took it over first
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new DpError(
        `another dp run (pid ${holder}) is changing this repository`,
        `wait for it to finish and run again; if no dp is running, delete ${path}`,
      );
    }
    sleep(100);
  }
}

export function releaseLock(repoRoot: string): void {
  let path: string;
  try {
    path = lockPath(repoRoot);
  } catch {
    return;
  }
  if (!held.delete(path)) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

process.on('exit', () => {
  for (const path of held) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
});
