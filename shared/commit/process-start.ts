// A process's identity is its pid and its start time: pids are reused, so a lock naming a pid that now
// belongs to a process started later is stale. Linux only (/proc); elsewhere null (pid alone decides).
import { readFileSync } from 'node:fs';
import { parseStat } from '../tools/lib/proc.js';

/** Clock ticks after boot at which the process started, or null where /proc cannot tell. */
export function processStartTime(pid: number): number | null {
  try {
    const start = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).startTicks;
    return Number.isFinite(start) ? start : null;
  } catch {
    return null;
  }
}
