// Watching a process for a while: the successive modification times of its checkpoints (a job that overwrites one
// file or directory in place leaves only its latest mtime on disk), and how long it spends stopped (state T), which is
// not compute. Used by --watch and by --action graceful --wait (until the process exits).
import { statSync } from 'node:fs';
import { readProcess } from '../lib/proc.js';
import { scanCheckpoints, type Checkpoint } from './checkpoints.js';
import type { Identity } from './types.js';

export interface WatchObservation {
  /** How long it was watched. */
  seconds: number;
  /** Per checkpoint path: its mtime before the watch (when it existed), then every new mtime seen. */
  history: Map<string, number[]>;
  /** Seconds sampled in state T (stopped): not counted as compute. */
  stoppedSeconds: number;
  /** When it was seen stopped (epoch ms spans, at the poll resolution): only a stop after the last save shrinks the loss. */
  stoppedSpans: { fromMs: number; toMs: number }[];
  /** The process exited (or its PID was reused) during the watch. */
  exited: boolean;
  /** Polls made. */
  polls: number;
}

export interface WatchOptions {
  identity: Identity;
  roots: string[];
  /** Checkpoints known before the watch (their mtimes start the history). */
  known: Checkpoint[];
  durationMs: number;
  pollMs: number;
  /** The watch ends early when the process is gone (what graceful --wait waits for). */
  root?: string;
  /** Rescan the roots for new checkpoint files every this many polls (stat of the known paths on the others). */
  rescanEvery?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function mtimeOf(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** Watch until `durationMs` passes or the process is gone, polling every `pollMs`. */
export async function watchProcess(options: WatchOptions): Promise<WatchObservation> {
  const root = options.root ?? '/proc';
  const history = new Map<string, number[]>();
  // The newest 200 are enough: a job that overwrites in place keeps few files; one that writes new ones is found by the rescan.
  for (const c of options.known.slice(-200)) history.set(c.path, [c.mtimeMs]);
  const note = (path: string, mtimeMs: number) => {
    const times = history.get(path);
    if (!times) history.set(path, [mtimeMs]);
    else if (times[times.length - 1] !== mtimeMs) times.push(mtimeMs);
  };
  const started = performance.now();
  let stoppedMs = 0;
  let polls = 0;
  let exited = false;
  let last = started;
  let lastWall = Date.now();
  const stoppedSpans: { fromMs: number; toMs: number }[] = [];
  const rescanEvery = options.rescanEvery ?? 10;
  for (;;) {
    const entry = readProcess(options.identity.pid, root);
    const now = performance.now();
    const gone = !entry || entry.startTicks !== options.identity.startTicks || entry.state === 'Z' || entry.state === 'X';
    // A poll in state T counts the time since the previous poll as stopped (the sampling resolution is pollMs).
    const wall = Date.now();
    if (!gone && entry.state === 'T') {
      stoppedMs += now - last;
      const span = stoppedSpans[stoppedSpans.length - 1];
      if (span && span.toMs === lastWall) span.toMs = wall;
      else stoppedSpans.push({ fromMs: lastWall, toMs: wall });
    }
    last = now;
    lastWall = wall;
    polls += 1;
    if (polls % rescanEvery === 0 || gone) {
      for (const c of scanCheckpoints(options.roots).checkpoints) note(c.path, c.mtimeMs);
    } else {
      for (const path of history.keys()) {
        const mtime = mtimeOf(path);
        if (mtime !== null) note(path, mtime);
      }
    }
    if (gone) {
      exited = true;
      break;
    }
    if (now - started >= options.durationMs) break;
    await sleep(Math.min(options.pollMs, Math.max(1, options.durationMs - (now - started))));
  }
  return { seconds: Math.round((performance.now() - started) / 100) / 10, history, stoppedSeconds: Math.round(stoppedMs / 100) / 10, stoppedSpans, exited, polls };
}

/** Paths whose mtime changed (or that appeared) during the watch, with their newest mtime, oldest first. */
export function savedDuringWatch(observation: WatchObservation, sinceMs: number): { path: string; mtimeMs: number }[] {
  const saved: { path: string; mtimeMs: number }[] = [];
  for (const [path, times] of observation.history) {
    const newest = times[times.length - 1]!;
    if (newest > sinceMs && (times.length > 1 || times[0]! > sinceMs)) saved.push({ path, mtimeMs: newest });
  }
  return saved.sort((a, b) => a.mtimeMs - b.mtimeMs);
}
