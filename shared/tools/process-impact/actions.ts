// Carrying out a recommendation. Before every signal the identity (pid + start time) is read again, so a PID that now
// belongs to another process is never signalled (impact.md §1.8: check-then-act with no pidfd binding in Node).
import { DpError } from '../lib/cli.js';
import { formatBytes, formatSeconds } from '../lib/format.js';
import { isFileTarget, readOpenFiles, type OpenFile } from '../lib/proc.js';
import { isBeingWritten, scanCheckpoints, writesInProgress } from './checkpoints.js';
import { assertMaySignal } from './guard.js';
import { describeExit, markLogs, waitForExit } from './graceful.js';
import { durationText } from './numbers.js';
import { checkIdentity } from './identity.js';
import type { Analysis } from './analyze.js';
import type { ActionName, Identity } from './types.js';

export interface ActionOptions {
  root?: string;
  /** Lines of progress for the user. */
  log: (line: string) => void;
  /** --action wait: give up after this many seconds (0 = no limit). */
  waitTimeoutSeconds?: number;
  pollMs?: number;
  /** --action graceful: wait this many seconds for the process to exit (0 = return at once). */
  gracefulWaitSeconds?: number;
  /** --other-user: signal processes whose real uid is not ours. */
  otherUsers?: boolean;
  /** Injected for tests; process.kill by default. */
  kill?: (pid: number, signal: NodeJS.Signals) => void;
}

export interface ActionResult {
  /** Exit code for the tool. */
  code: number;
  signalled: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refuse(identity: Identity, check: 'gone' | 'changed'): never {
  if (check === 'changed') {
    throw new DpError(
      `PID ${identity.pid} now belongs to a different process (its start time changed since the analysis): nothing was signalled`,
      'the process you analysed has exited and its PID was reused; run the analysis again',
    );
  }
  throw new DpError(`PID ${identity.pid} has exited since the analysis: nothing was signalled`, 'check its log for how it ended');
}

/** Send `signal` to each identity whose start time still matches; the first (the analysed process) must match. */
export function signalIdentities(identities: Identity[], signal: NodeJS.Signals, options: ActionOptions): number[] {
  const kill = options.kill ?? ((pid: number, sig: NodeJS.Signals) => process.kill(pid, sig));
  const [target, ...rest] = identities;
  if (!target) return [];
  const check = checkIdentity(target, options.root);
  if (check !== 'same') refuse(target, check);
  const signalled: number[] = [];
  for (const identity of [target, ...rest]) {
    if (identity !== target) {
      const again = checkIdentity(identity, options.root);
      if (again !== 'same') {
        options.log(`  skipped PID ${identity.pid}: ${again === 'gone' ? 'already exited' : 'its PID now belongs to another process'}`);
        continue;
      }
    }
    try {
      kill(identity.pid, signal);
      signalled.push(identity.pid);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') {
        options.log(`  PID ${identity.pid} exited before ${signal} arrived`);
        continue;
      }
      if (code === 'EPERM') {
        throw new DpError(`not permitted to send ${signal} to PID ${identity.pid}`, 'it belongs to another user: run as that user or as root');
      }
      throw error;
    }
  }
  return signalled;
}

export async function performAction(action: ActionName, analysis: Analysis, options: ActionOptions): Promise<ActionResult> {
  const { json, identities } = analysis;
  // Init, kernel threads, this tool, its parents and session, other users' processes: checked for every process
  // the action would signal, before the first signal.
  assertMaySignal(action, identities, { root: options.root, otherUsers: options.otherUsers });
  const tree = identities.length > 1 ? ` and ${identities.length - 1} descendant(s)` : '';
  switch (action) {
    case 'graceful': {
      const signal = analysis.graceful.signal;
      const marks = markLogs(analysis);
      const sentAt = Date.now();
      const signalled = signalIdentities(identities.slice(0, 1), signal, options);
      if (analysis.facts.entry.state === 'T') signalIdentities(identities.slice(0, 1), 'SIGCONT', options);
      const waitSeconds = options.gracefulWaitSeconds ?? 0;
      const then = waitSeconds > 0 ? `Waiting up to ${formatSeconds(waitSeconds)} for it to exit.` : 'Not waiting for it to exit (--wait 0).';
      options.log(`Sent ${signal} to PID ${json.pid}${analysis.facts.entry.state === 'T' ? ' (then SIGCONT: it was stopped)' : ''}. ${analysis.graceful.handled ? 'It has a handler for it.' : 'It has no handler for it: it ends at once.'} ${then}`);
      if (waitSeconds <= 0) return { code: 0, signalled };
      const wait = await waitForExit(analysis, sentAt, marks, { waitSeconds, pollMs: Math.min(options.pollMs ?? 250, 250), root: options.root });
      for (const line of describeExit(analysis, wait, waitSeconds, options.root)) options.log(line);
      return { code: wait.exited ? 0 : 1, signalled };
    }
    case 'suspend': {
      const signalled = signalIdentities(identities, 'SIGSTOP', options);
      options.log(`Sent SIGSTOP to PID ${json.pid}${tree}. Resume with: kill -CONT ${signalled.join(' ')}`);
      return { code: 0, signalled };
    }
    case 'kill': {
      const signalled = signalIdentities(identities, 'SIGKILL', options);
      options.log(`Sent SIGKILL to PID ${json.pid}${tree}.${json.ifKilledNow.resumeFrom ? ` Resume from ${json.ifKilledNow.resumeFrom}.` : ''}`);
      for (const helper of analysis.helpers) {
        options.log(`Left running: ${helper.role} (PID ${helper.entry.pid}): it exits by itself once PID ${json.pid} is gone.`);
      }
      return { code: 0, signalled };
    }
    case 'wait':
      return waitForCheckpoint(analysis, options);
  }
}

/** Poll until a checkpoint newer than the analysed latest is complete (no longer open for writing), or give up. */
export async function waitForCheckpoint(analysis: Analysis, options: ActionOptions): Promise<ActionResult> {
  const root = options.root ?? '/proc';
  const pollMs = options.pollMs ?? 2000;
  const deadline = options.waitTimeoutSeconds ? Date.now() + options.waitTimeoutSeconds * 1000 : Infinity;
  const since = analysis.checkpoints.latest?.mtimeMs ?? 0;
  const roots = analysis.checkpoints.scan.roots;
  const target = analysis.identities[0]!;
  const next = analysis.json.checkpoints.nextInSeconds;
  options.log(`Waiting for a checkpoint newer than ${analysis.checkpoints.latest?.path ?? 'none'}${next !== null ? ` (due in ~${durationText(next)}, estimate)` : ''} under ${roots.join(', ') || 'no directory'}...`);
  for (;;) {
    const check = checkIdentity(target, root);
    if (check === 'changed') refuse(target, check);
    if (check === 'gone') throw new DpError(`PID ${target.pid} exited before a new checkpoint appeared`, 'check its log for how it ended');
    const files = new Map<number, OpenFile[]>();
    for (const identity of analysis.identities) {
      const read = readOpenFiles(identity.pid, root, isFileTarget);
      if (read.ok) files.set(identity.pid, read.value);
    }
    const writes = writesInProgress(files);
    const fresh = scanCheckpoints(roots).checkpoints.filter((c) => c.mtimeMs > since && !isBeingWritten(c, writes));
    const newest = fresh[fresh.length - 1];
    if (newest) {
      options.log(`New checkpoint: ${newest.path} (${formatBytes(newest.sizeBytes)}, saved ${new Date(newest.mtimeMs).toISOString()}). Stopping now loses only the work since then.`);
      return { code: 0, signalled: [] };
    }
    if (Date.now() + pollMs > deadline) {
      throw new DpError(`no new checkpoint within ${options.waitTimeoutSeconds} s`, 'run again with a longer --wait-timeout, or pick another action');
    }
    await sleep(pollMs);
  }
}
