// [W] wait, [G] graceful, [S] suspend, [K] kill: what each does to this process and costs, from the facts gathered.
import { durationText, gpuHoursText } from './numbers.js';
import type { GracefulChoice } from './signals.js';
import type { DistributedJson, RecommendationJson } from './types.js';

export interface RecommendationInput {
  pid: number;
  /** State letter from stat. */
  state: string;
  descendants: number[];
  helpers: number;
  latestCheckpoint: string | null;
  nextInSeconds: number | null;
  nextFormula: string;
  lostSeconds: number | null;
  gpuHoursLost: number | null;
  writesInProgress: string[];
  graceful: GracefulChoice;
  distributed: DistributedJson | null;
  /** e.g. "torchrun agent PID 1200" when a launcher process sits above a worker. */
  agent: { pid: number; launcher: string } | null;
  /** The process is itself a launcher (torchrun, deepspeed...) whose descendants are ranks. */
  isLauncher: boolean;
  /** Init or a kernel thread (guard.ts): why no signal may be sent to it; [G]/[S]/[K] then say so, with no signal. */
  refused: string | null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function recommend(input: RecommendationInput): RecommendationJson[] {
  const tree = input.descendants.length > 0 ? `PID ${input.pid} and its ${plural(input.descendants.length, 'descendant')}` : `PID ${input.pid}`;
  const loss =
    input.lostSeconds === null
      ? 'an unknown amount of work'
      : `${durationText(input.lostSeconds)} of work since ${input.latestCheckpoint ? 'the last checkpoint' : 'it started (no checkpoint)'}${input.gpuHoursLost ? ` (${gpuHoursText(input.gpuHoursLost)} GPU-hours)` : ''}`;
  const writing = input.writesInProgress.length > 0 ? `; ${input.writesInProgress.join(', ')} is being written now and would be left truncated` : '';

  let wait: string;
  if (input.writesInProgress.length > 0) wait = `a checkpoint is being written right now (${input.writesInProgress.join(', ')}): wait for it to complete before stopping anything`;
  else if (input.nextInSeconds !== null) wait = `the next checkpoint is due in ~${durationText(input.nextInSeconds)} (estimate: ${input.nextFormula}); stopping right after it loses almost nothing`;
  else if (input.latestCheckpoint === null) wait = `${input.nextFormula}: waiting only helps if the program saves one later`;
  else wait = `when the next checkpoint is due is unknown (${input.nextFormula})`;

  let graceful = `${input.graceful.signal} to PID ${input.pid}: ${input.graceful.reason}`;
  if (input.state === 'T') graceful += '; it is stopped, so SIGCONT follows to let it act on the signal';
  if (input.agent && (input.agent.launcher === 'torchrun' || input.agent.launcher === 'accelerate')) {
    graceful += `; this is one worker of a ${input.agent.launcher} job: the agent (PID ${input.agent.pid}) will stop the other workers when it exits. To stop the whole job gracefully, signal the agent instead: it forwards SIGTERM to every worker and SIGKILLs them after 30 s`;
  }
  if (input.isLauncher) graceful += '; as a launcher it forwards the signal to its worker ranks';

  let suspend = `SIGSTOP to ${tree}; resume later with SIGCONT (kill -CONT ${[input.pid, ...input.descendants].join(' ')}). Memory and GPU memory stay allocated while stopped`;
  if (input.state === 'T') suspend = `already stopped (state T); ${suspend}`;
  if (input.distributed && (input.distributed.peers.count ?? 1) > 0) suspend += `. Warning: ${input.distributed.peers.ifSuspended}`;

  let kill = `SIGKILL to ${tree} (cannot be caught): loses ${loss}${writing}`;
  if (input.helpers > 0) kill += `; ${plural(input.helpers, 'helper')} serving it (left out of the tree) ${input.helpers === 1 ? 'exits' : 'exit'} by itself once it is gone`;
  if (input.state === 'D') kill += '; it is in uninterruptible sleep (D): the kill takes effect only when that I/O completes';
  if (input.distributed && (input.distributed.peers.count ?? 1) > 0) kill += `. Other ranks: ${input.distributed.peers.ifKilled}`;

  if (input.refused) {
    const refusal = (action: string) => `refused: PID ${input.pid} ${input.refused}; --action ${action} signals nothing`;
    return [
      { key: 'W', action: 'wait', signal: null, reason: wait },
      { key: 'G', action: 'graceful', signal: null, reason: refusal('graceful') },
      { key: 'S', action: 'suspend', signal: null, reason: refusal('suspend') },
      { key: 'K', action: 'kill', signal: null, reason: refusal('kill') },
    ];
  }
  return [
    { key: 'W', action: 'wait', signal: null, reason: wait },
    { key: 'G', action: 'graceful', signal: input.graceful.signal, reason: graceful },
    { key: 'S', action: 'suspend', signal: 'SIGSTOP', reason: suspend },
    { key: 'K', action: 'kill', signal: 'SIGKILL', reason: kill },
  ];
}
