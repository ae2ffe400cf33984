// Where the process's output goes, so that progress can be read from it: stdout/stderr (fd 1/2) when they are files,
// the file a `| tee log` reader writes when they are a pipe, and log files the process holds open for writing.
// Facts: impact.md §1.6 (fd targets: path, pipe:[ino], /dev/pts/N, /dev/null; Python block-buffers a redirected stdout).
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { isFileTarget, readOpenFiles, type OpenFile, type ProcEntry } from '../lib/proc.js';

export interface LogSource {
  /** Path as the process sees it (a " (deleted)" suffix kept when the file was removed). */
  path: string;
  /** How the process writes it: "stdout", "stderr", "stdout+stderr", "fd 5", "stdout via tee (PID 12)". */
  via: string;
  /** Where to read it: /proc/PID/fd/N, which works even for a deleted file. */
  readPath: string;
  mtimeMs: number | null;
}

const TAIL_BYTES = 64 * 1024;

/** The last `bytes` of a file as text, or null when unreadable. */
export function readTail(path: string, bytes = TAIL_BYTES): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The first `bytes` of a file as text, or null when unreadable. */
export function readHead(path: string, bytes = 256 * 1024): string | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(Math.min(fstatSync(fd).size, bytes));
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function isRegularFile(path: string): { ok: boolean; mtimeMs: number | null } {
  try {
    const stat = statSync(path);
    return { ok: stat.isFile(), mtimeMs: stat.mtimeMs };
  } catch {
    return { ok: false, mtimeMs: null };
  }
}

function describeTarget(target: string): string {
  if (target.startsWith('pipe:')) return `a pipe (${target})`;
  if (target.startsWith('socket:')) return `a socket (${target})`;
  if (/^\/dev\/(pts\/\d+|tty\w*)$/.test(target)) return `a terminal (${target}): output is on screen only`;
  if (target === '/dev/null') return 'discarded (/dev/null)';
  return target;
}

const LOG_NAME = /\.(log|out|err|txt)$|(^|\/)[^/]*log[^/]*$/i;

/**
 * Log candidates for a process whose fds are known. `neighbours` are processes that may read its stdout pipe
 * (asked for only when stdout or stderr is a pipe: a shell pipeline's `tee`). Returns the sources and one line per stream that is not a file.
 */
export function findLogSources(pid: number, files: OpenFile[], neighbours: () => ProcEntry[], root = '/proc'): { sources: LogSource[]; notes: string[] } {
  const sources: LogSource[] = [];
  const notes: string[] = [];
  let readers: ProcEntry[] | undefined;
  const byFd = new Map(files.map((f) => [f.fd, f]));
  const out = byFd.get(1);
  const err = byFd.get(2);
  const streams: { fd: number; via: string; target: string }[] = [];
  if (out && err && out.target === err.target) streams.push({ fd: 1, via: 'stdout+stderr', target: out.target });
  else {
    if (err) streams.push({ fd: 2, via: 'stderr', target: err.target });
    if (out) streams.push({ fd: 1, via: 'stdout', target: out.target });
  }
  for (const stream of streams) {
    const readPath = `${root}/${pid}/fd/${stream.fd}`;
    if (isFileTarget(stream.target)) {
      const file = isRegularFile(readPath);
      if (file.ok) {
        sources.push({ path: stream.target, via: stream.via, readPath, mtimeMs: file.mtimeMs });
        continue;
      }
    }
    if (stream.target.startsWith('pipe:')) {
      const tee = teeTarget(stream.target, (readers ??= neighbours()), root);
      if (tee) {
        sources.push({ ...tee, via: `${stream.via} via ${tee.via}` });
        continue;
      }
    }
    notes.push(`${stream.via} goes to ${describeTarget(stream.target)}`);
  }
  for (const file of files) {
    if (file.fd <= 2 || file.writable !== true || !isFileTarget(file.target)) continue;
    if (!LOG_NAME.test(file.target.replace(/ \(deleted\)$/, ''))) continue;
    if (sources.some((s) => s.path === file.target)) continue;
    const readPath = `${root}/${pid}/fd/${file.fd}`;
    const stat = isRegularFile(readPath);
    if (stat.ok) sources.push({ path: file.target, via: `fd ${file.fd} (open for writing)`, readPath, mtimeMs: stat.mtimeMs });
  }
  return { sources, notes };
}

/** The file written by the process that reads `pipe` on its stdin (e.g. `python train.py | tee train.log`). */
function teeTarget(pipe: string, neighbours: ProcEntry[], root: string): LogSource | null {
  for (const candidate of neighbours) {
    const files = readOpenFiles(candidate.pid, root, isFileTarget);
    if (!files.ok) continue;
    if (files.value.find((f) => f.fd === 0)?.target !== pipe) continue;
    for (const file of files.value) {
      if (file.fd === 0 || file.writable === false || !isFileTarget(file.target)) continue;
      const readPath = `${root}/${candidate.pid}/fd/${file.fd}`;
      const stat = isRegularFile(readPath);
      if (stat.ok) return { path: file.target, via: `${candidate.comm} (PID ${candidate.pid})`, readPath, mtimeMs: stat.mtimeMs };
    }
  }
  return null;
}
