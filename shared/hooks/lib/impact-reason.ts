// What stopping a process would lose, from analyze_process_impact's analysis (the same facts its --json
// prints: shared/tools/process-impact/types.ts), as the reason Claude Code shows when it asks. A process
// with nothing to lose (no training progress, no checkpoints, no GPU, not a rank of a distributed job)
// gives no reason: the hook stays silent.
import { formatDuration } from '../../tools/lib/format.js';
import type { ImpactJson } from '../../tools/process-impact/types.js';

/** Whether stopping this process loses work someone would want: the facts that make it a training job. */
export function losesWork(json: ImpactJson): boolean {
  return (
    json.progress !== null ||
    json.checkpoints.latest !== null ||
    json.ifKilledNow.writesInProgress.length > 0 ||
    (json.resources.gpus?.length ?? 0) > 0 ||
    json.distributed !== null
  );
}

/** The facts, one line each, about one process the command would stop. */
export function impactLines(json: ImpactJson, signal: string | null): string[] {
  const lines = [`PID ${json.pid} (${json.command}), running ${formatDuration(json.runtimeSeconds)}:`];
  const { ifKilledNow: lost, checkpoints, progress, distributed } = json;
  if (progress) lines.push(`  progress: ${progress.current}${progress.total !== null ? `/${progress.total}` : ''} ${progress.unit}${progress.percent !== null ? ` (${progress.percent}%)` : ''}, from ${progress.source}`);
  if (lost.lostSeconds !== null) {
    lines.push(
      checkpoints.latest
        ? `  work since the last checkpoint: ${formatDuration(lost.lostSeconds)} (resume from ${checkpoints.latest.path})`
        : `  no checkpoint found: all ${formatDuration(lost.lostSeconds)} of work would be lost`,
    );
  }
  if (lost.gpuHoursLost !== null && json.resources.gpus!.length > 0) lines.push(`  GPU-hours lost: ${lost.gpuHoursLost} (${json.resources.gpus!.length} GPU(s) x the time since the last checkpoint)`);
  for (const path of lost.writesInProgress) lines.push(`  a checkpoint write is in progress: ${path} (stopping now can leave it truncated)`);
  if (checkpoints.nextInSeconds !== null) lines.push(`  next checkpoint due in about ${formatDuration(checkpoints.nextInSeconds)} (estimate)`);
  if (distributed) {
    const others = distributed.peers.count;
    lines.push(`  rank ${distributed.rank ?? '?'} of ${distributed.worldSize ?? '?'}${others ? `: the ${others} other rank(s) will fail` : ''} (${distributed.peers.ifKilled})`);
  }
  if (signal === 'KILL') lines.push('  SIGKILL cannot be caught: the job gets no chance to save');
  return lines;
}
