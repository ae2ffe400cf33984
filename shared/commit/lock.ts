// One dp run at a time per repository. The lock lives where only people who can already change the
// repository can write: its .git directory, or else a directory of the user's own (lock-dir.ts). It is
// created whole (written aside under a random name, then hard-linked into place, which never follows a
// symlink), and a lock whose process is gone, or whose pid now belongs to a process started later, is
// stale and taken over.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { DpError } from '../errors.js';
import { lockPath } from './lock-dir.js';
import { processStartTime } from './process-start.js';
import { sleepSync } from './sleep.js';

export { lockPath };

/** Locks this process holds (by lock path). */
const held = new Set<string>();

interface Holder {
  pid: number;
  /** The holder's start time (clock ticks since boot, /proc/<pid>/stat), null where /proc is absent. */
  start: number | null;
  host: string;
}

function ownHolder(): Holder {
  return { pid: process.pid, start: processStartTime(process.pid), host: hostname() };
}

function serialize(holder: Holder, root: string): string {
  return `${JSON.stringify({ ...holder, root })}\n`;
}

/** The lock's content, read without following a symlink; null when it holds no valid holder. */
function readHolder(path: string): { holder: Holder | null; text: string } | 'absent' {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'absent';
    // A symlink (ELOOP) or anything else that is not a plain file: not a lock dp wrote.
    return { holder: null, text: '' };
  }
  try {
    if (!fstatSync(fd).isFile()) return { holder: null, text: '' };
    const text = readFileSync(fd, 'utf8');
    try {
      const data = JSON.parse(text) as Partial<Holder>;
      if (!Number.isInteger(data.pid) || (data.pid as number) <= 0 || typeof data.host !== 'string') return { holder: null, text };
      return { holder: { pid: data.pid as number, start: typeof data.start === 'number' ? data.start : null, host: data.host }, text };
    } catch {
      return { holder: null, text };
    }
  } finally {
    closeSync(fd);
  }
}

/** Whether the holder is a process that still runs: same pid, same start time (pids are reused). */
function holderRuns(holder: Holder): boolean {
  // Another machine sharing the repository (a network file system): its processes cannot be checked here.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStartTime(holder.pid);
  return holder.start === null || start === null || start === holder.start;
}

/** Create the lock whole, or report that one is there (EEXIST). */
function tryCreate(path: string, content: string): boolean {
  const aside = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(aside, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(aside);
  }
}

/**
 * Remove a stale lock without racing another waiter that removes it too and takes the lock: the lock is
 * renamed aside first (atomic), and put back if what was moved is not the stale lock that was judged.
 */
function removeStale(path: string, judged: string): void {
  const aside = `${path}.${randomBytes(8).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // another waiter moved it first
  }
  const moved = readHolder(aside);
  const same = moved !== 'absent' && moved.text === judged;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // a new lock is already in place; the one moved aside was taken over meanwhile
    }
  }
  unlinkSync(aside);
}


/**
 * Take the repository's lock, waiting up to `waitMs` (DP_LOCK_WAIT_MS, default 10 s) for another run to
 * finish. Idempotent within one process, so generators composed in one run share it.
 */
export function holdLock(repoRoot: string, { waitMs = Number(process.env.DP_LOCK_WAIT_MS ?? 10_000) } = {}): void {
  const path = lockPath(repoRoot);
  if (held.has(path)) return;
  const content = serialize(ownHolder(), repoRoot);
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryCreate(path, content)) {
      held.add(path);
      return;
    }
    const current = readHolder(path);
    if (current === 'absent') continue;
    if (current.holder === null || !holderRuns(current.holder)) {
      removeStale(path, current.text);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new DpError(
        `another dp run (pid ${current.holder.pid}) is changing this repository`,
        `wait for it to finish and run again; if no dp is running, delete ${path}`,
      );
    }
    sleepSync(50);
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
