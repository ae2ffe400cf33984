// After a graceful signal: wait (bounded by --wait) for the process to exit, and say whether it did, which checkpoint
// it wrote while stopping (a checkpoint whose mtime moved after the signal, or a "saved checkpoint" line appended to its
// log after it), and what to do when it did not exit.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { formatBytes } from '../lib/format.js';
import { readProcess } from '../lib/proc.js';
import type { Analysis } from './analyze.js';
import { durationText } from './numbers.js';
import { groupSaves, parseSaveLines, type SaveEvent } from './saves.js';
import { savedDuringWatch, watchProcess } from './watch.js';

/** Where each log ended when the signal was sent: what it writes afterwards is read from there. */
export interface LogMark {
  path: string;
  size: number;
}

/** The size of every log (by its path: after the exit /proc/PID/fd is gone) at the moment of the signal. */
export function markLogs(analysis: Analysis): LogMark[] {
  const marks: LogMark[] = [];
  for (const source of analysis.logSources) {
    if (source.path.endsWith(' (deleted)') || marks.some((m) => m.path === source.path)) continue;
    try {
      marks.push({ path: source.path, size: statSync(source.path).size });
    } catch {
      // unreadable: its save lines are not seen
    }
  }
  return marks;
}

/** Save lines written after the marks (at most the first MiB of what was added). */
export function savesAfter(marks: LogMark[]): SaveEvent[] {
  const saves: SaveEvent[] = [];
  for (const mark of marks) {
    let fd: number | null = null;
    try {
      fd = openSync(mark.path, 'r');
      const size = fstatSync(fd).size;
      if (size <= mark.size) continue;
      const buffer = Buffer.alloc(Math.min(size - mark.size, 1024 * 1024));
      const read = readSync(fd, buffer, 0, buffer.length, mark.size);
      saves.push(...groupSaves(parseSaveLines(buffer.subarray(0, read).toString('utf8'))));
    } catch {
      // rotated or removed
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }
  return saves;
}

export interface ExitWait {
  exited: boolean;
  seconds: number;
  /** Checkpoint files whose mtime moved after the signal. */
  saved: { path: string; mtimeMs: number; sizeBytes: number | null }[];
  /** "saved checkpoint" lines its logs gained after the signal. */
  logSaves: SaveEvent[];
}

const sizeOf = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
};

/** Wait up to `waitSeconds` for the analysed process to exit after the signal sent at `sentAtMs`. */
export async function waitForExit(analysis: Analysis, sentAtMs: number, marks: LogMark[], options: { waitSeconds: number; pollMs: number; root?: string }): Promise<ExitWait> {
  const watched = await watchProcess({
    identity: analysis.identities[0]!,
    roots: analysis.checkpoints.scan.roots,
    known: analysis.checkpoints.scan.checkpoints,
    durationMs: options.waitSeconds * 1000,
    pollMs: options.pollMs,
    root: options.root,
    rescanEvery: 4,
  });
  // mtimes have a coarser clock than Date.now() on some file systems: a save right after the signal may read earlier by a few ms.
  const saved = savedDuringWatch(watched, sentAtMs - 50).map((s) => ({ ...s, sizeBytes: sizeOf(s.path) }));
  return { exited: watched.exited, seconds: watched.seconds, saved, logSaves: savesAfter(marks) };
}

/** The lines that report the wait: exit or not, what it saved while stopping, what to do next. */
export function describeExit(analysis: Analysis, wait: ExitWait, waitSeconds: number, root = '/proc'): string[] {
  const { json } = analysis;
  const pid = json.pid;
  const lines: string[] = [];
  const newest = wait.saved[wait.saved.length - 1];
  const logged = wait.logSaves[wait.logSaves.length - 1];
  const savedLine = newest
    ? `Checkpoint written while stopping: ${newest.path} (${formatBytes(newest.sizeBytes)}, saved ${new Date(newest.mtimeMs).toISOString()})${wait.saved.length > 1 ? ` and ${wait.saved.length - 1} more file(s)` : ''}.`
    : logged
      ? `Its log reports a save while stopping (${logged.framework}${logged.path ? `: ${logged.path}` : ''}${logged.step !== null ? `, step ${logged.step}` : ''}), but no checkpoint file under ${analysis.checkpoints.scan.roots.join(', ') || 'the searched directories'} changed.`
      : null;
  const lost = json.ifKilledNow.lostSeconds === null ? 'the work since it' : `about ${durationText(json.ifKilledNow.lostSeconds)} of work as of the analysis`;
  if (wait.exited) {
    lines.push(`PID ${pid} exited within ${durationText(wait.seconds)} of the signal.`);
    if (savedLine) lines.push(savedLine, `Resume from ${newest?.path ?? logged?.path ?? 'that checkpoint'}.`);
    else if (json.ifKilledNow.resumeFrom) lines.push(`No checkpoint was written while stopping: resume from ${json.ifKilledNow.resumeFrom} (${lost} is lost).`);
    else lines.push('No checkpoint was written while stopping, and none was found before: a restart begins from scratch.');
    return lines;
  }
  const state = readProcess(pid, root)?.state ?? '?';
  lines.push(`PID ${pid} has not exited ${durationText(waitSeconds)} after the signal (state ${state}).`);
  if (savedLine) lines.push(savedLine);
  const writes = analysis.checkpoints.writes.map((w) => w.path);
  lines.push('What to do:');
  lines.push(
    writes.length > 0 || newest
      ? `  - it is probably still saving${writes.length > 0 ? ` (${writes.join(', ')} was open for writing)` : ''}: give it more time, then run the analysis again to see whether it is still there`
      : `  - its handler may be finishing the current step or waiting in a collective for the other ranks: give it more time (watch its log${analysis.logSources[0] ? `: tail -f ${analysis.logSources[0].path}` : ''})`,
  );
  if (state === 'T') lines.push(`  - it is stopped (state T): it acts on the signal only after kill -CONT ${pid}`);
  if (state === 'D') lines.push('  - it is in uninterruptible I/O (state D): signals take effect when that I/O returns');
  lines.push(`  - to stop it now: analyze_process_impact ${pid} --action kill --yes (SIGKILL to it and its descendants; loses ${lost}${writes.length > 0 ? ' and leaves the file being written corrupt' : ''})`);
  return lines;
}
