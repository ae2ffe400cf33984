// One dp run at a time per repository. The lock lives where only people who can already change the
// repository can write: its .git directory, or else a directory of the user's own (lock-dir.ts). It is
// created whole (written aside under a random name, then hard-linked into place, which never follows a
// symlink). A lock whose process is gone, or whose pid now belongs to a process started later (Linux),
// is stale. Stale locks are removed by one waiter at a time, under a second lock (`<lock>.break`) made
// the same way: so two waiters can never both take over, nor remove a lock a third run has just taken.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
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

/** What a lock file says: a holder, 'absent', 'unreadable' (another user's, in a shared repository), or 'invalid'. */
type Reading = { holder: Holder; text: string; ino: number } | { state: 'absent' | 'unreadable' } | { state: 'invalid'; text: string; ino: number | null };

function ownContent(root: string): string {
  return `${JSON.stringify({ pid: process.pid, start: processStartTime(process.pid), host: hostname(), root })}\n`;
}

/** The lock's content, read without following a symlink. */
function readLock(path: string): Reading {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: 'absent' };
    // Another user's lock in a group-shared repository: held, not stale.
    if (code === 'EACCES') return { state: 'unreadable' };
    // A symlink (ELOOP) or anything else that cannot be opened: not a lock dp wrote.
    return { state: 'invalid', text: '', ino: null };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { state: 'invalid', text: '', ino: stats.ino };
    const text = readFileSync(fd, 'utf8');
    try {
      const data = JSON.parse(text) as Partial<Holder>;
      if (Number.isInteger(data.pid) && (data.pid as number) > 0 && typeof data.host === 'string') {
        return { holder: { pid: data.pid as number, start: typeof data.start === 'number' ? data.start : null, host: data.host }, text, ino: stats.ino };
      }
    } catch {
      // not JSON: not a lock this version wrote
    }
    return { state: 'invalid', text, ino: stats.ino };
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

/** Whether a reading shows a run that still holds the lock. */
function isHeld(reading: Reading): boolean {
  if ('holder' in reading) return holderRuns(reading.holder);
  return reading.state === 'unreadable';
}

/** Create a lock file whole, or report that one is there. */
function tryCreate(path: string, content: string): boolean {
  const aside = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  // Readable by all: in a group-shared repository, another user's run must be able to tell it is held.
  const fd = openSync(aside, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
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

function remove(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'EISDIR' || code === 'EPERM') {
      throw new DpError(`${path} is not a lock file dp wrote (a directory is in its place)`, 'remove it, then run again; nothing was written');
    }
    throw error;
  }
}

/**
 * Remove the lock at `path` if it is still the stale one judged (same file, same content), holding the
 * break lock meanwhile. A break lock left by a breaker that died is itself removed when its holder is gone.
 */
function breakStale(path: string, judged: { text: string; ino: number | null }, content: string): void {
  const breaker = `${path}.break`;
  if (!tryCreate(breaker, content)) {
    const other = readLock(breaker);
    if (!isHeld(other)) remove(breaker);
    return;
  }
  try {
    const now = readLock(path);
    if ('ino' in now && now.ino === judged.ino && now.text === judged.text) remove(path);
  } finally {
    remove(breaker);
  }
}

/**
 * Take the repository's lock, waiting up to `waitMs` (DP_LOCK_WAIT_MS, default 10 s) for another run to
 * finish. Idempotent within one process, so generators composed in one run share it: returns true when
 * this call took it, false when this process already held it.
 */
export function holdLock(repoRoot: string, { waitMs = Number(process.env.DP_LOCK_WAIT_MS ?? 10_000) } = {}): boolean {
  const path = lockPath(repoRoot);
  if (held.has(path)) return false;
  const content = ownContent(repoRoot);
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryCreate(path, content)) {
      held.add(path);
      return true;
    }
    const current = readLock(path);
    if ('state' in current && current.state === 'absent') continue;
    if ('ino' in current && !isHeld(current)) {
      breakStale(path, current, content);
      continue;
    }
    if (Date.now() >= deadline) {
      const pid = 'holder' in current ? String(current.holder.pid) : 'unknown';
      throw new DpError(`another dp run (pid ${pid}) is changing this repository`, `wait for it to finish and run again; if no dp is running, delete ${path}`);
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
