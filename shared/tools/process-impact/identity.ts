// Who the process is: pid + start time (the identity that survives PID reuse), command, user, state, runtime.
// Facts: impact.md §1.3 (start = btime + starttime/CLK_TCK, runtime = uptime - starttime/CLK_TCK), §1.7, §1.8.
import { bootTimeSeconds, clockTicksPerSecond, commandString, readProcess, readStatus, uptimeSeconds, userName, type ProcEntry, type ProcStatus } from '../lib/proc.js';
import { DpError } from '../lib/cli.js';
import type { Identity } from './types.js';

export interface ProcessFacts {
  identity: Identity;
  entry: ProcEntry;
  status: ProcStatus;
  command: string;
  user: string | null;
  uid: number | null;
  /** Kernel state text, e.g. "S (sleeping)". */
  state: string;
  startedAt: string | null;
  runtimeSeconds: number | null;
}

const STATE_NAMES: Record<string, string> = {
  R: 'running',
  S: 'sleeping',
  D: 'disk sleep',
  T: 'stopped',
  t: 'tracing stop',
  Z: 'zombie',
  X: 'dead',
  I: 'idle',
};

/** Parse a PID argument strictly: digits only, > 0. */
export function parsePid(raw: string | undefined): number {
  if (raw === undefined) throw new DpError('no PID given', 'usage: analyze_process_impact <pid> [--json] (find one with: pgrep -af train)', 2);
  if (!/^\d+$/.test(raw.trim()) || Number(raw) <= 0 || !Number.isSafeInteger(Number(raw))) {
    throw new DpError(`'${raw}' is not a PID (a positive whole number)`, 'find the PID with: pgrep -af <script name>', 2);
  }
  return Number(raw);
}

/** Read everything that identifies the process, or fail with one line when there is nothing to analyse. */
export function readProcessFacts(pid: number, root = '/proc'): ProcessFacts {
  const entry = readProcess(pid, root);
  const status = readStatus(pid, root);
  if (!entry || !status) {
    throw new DpError(`no process with PID ${pid}`, 'it may have exited already; list candidates with: pgrep -af python');
  }
  if (entry.state === 'Z') {
    throw new DpError(
      `PID ${pid} is a zombie: it has already exited and waits for its parent (PID ${entry.ppid}) to reap it; there is nothing to stop or save`,
      `if it still holds GPU memory, the parent must reap it: check PID ${entry.ppid} (ps -o pid,cmd -p ${entry.ppid})`,
    );
  }
  const ticks = clockTicksPerSecond();
  const btime = bootTimeSeconds(root);
  const uptime = uptimeSeconds(root);
  const startSinceBoot = entry.startTicks / ticks;
  const uid = status.uids?.[0] ?? entry.uid;
  return {
    identity: { pid, startTicks: entry.startTicks },
    entry,
    status,
    command: commandString(entry.cmdline, entry.comm, { quote: true }),
    user: uid === null ? null : (userName(uid) ?? `uid ${uid}`),
    uid,
    state: status.state ?? `${entry.state} (${STATE_NAMES[entry.state] ?? 'unknown'})`,
    startedAt: btime === null ? null : new Date(Math.round((btime + startSinceBoot) * 1000)).toISOString(),
    runtimeSeconds: uptime === null ? null : Math.max(0, Math.round((uptime - startSinceBoot) * 100) / 100),
  };
}

export type IdentityCheck = 'same' | 'gone' | 'changed';

/** Re-read the start time: 'changed' means the PID now belongs to another process and must not be signalled. */
export function checkIdentity(identity: Identity, root = '/proc'): IdentityCheck {
  const now = readProcess(identity.pid, root);
  if (!now || now.state === 'Z' || now.state === 'X') return 'gone';
  return now.startTicks === identity.startTicks ? 'same' : 'changed';
}
