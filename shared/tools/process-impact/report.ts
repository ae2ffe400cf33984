// The --json object from the facts an analysis gathered: every number derived here once, with its formula, so that
// the text, the recommendations and the JSON show the same value (numbers.ts).
import { commandString, type ProcEntry } from '../lib/proc.js';
import type { CpuFacts, Findings, NextCheckpoint } from './analyze.js';
import { helperRole, isLauncher, type Helper, type TreeMember } from './children.js';
import { lostWork, recovery, savedPosition, startup, totalRuntime } from './estimates.js';
import type { Protection } from './guard.js';
import type { ProcessFacts } from './identity.js';
import { roundGpuHours } from './numbers.js';
import { recommend } from './recommendations.js';
import type { GpuFacts } from './resources.js';
import { slurmFacts, type ScontrolResult } from './slurm.js';
import type { ImpactJson, RecommendationJson } from './types.js';

/** The --json object (and the next-checkpoint estimate behind it) from the facts, as of `now`. */
export function buildReport(
  facts: ProcessFacts,
  tree: TreeMember[],
  helpers: Helper[],
  found: Findings,
  gpu: GpuFacts,
  cpu: CpuFacts,
  now: number,
  system: Protection | null,
  scontrol: ScontrolResult | null,
): { json: ImpactJson; next: NextCheckpoint } {
  const { checkpoints, distributed, progress } = found;
  const lost = checkpoints.lost(now);
  const lostSeconds = lost.seconds;
  const gpuHoursLost = gpu.gpus === null || lostSeconds === null ? null : roundGpuHours((lostSeconds / 3600) * gpu.gpus.length);
  const next = checkpoints.next(now);
  const command = (entry: ProcEntry) => commandString(entry.cmdline, entry.comm, { quote: true });
  const slurm = found.environ.ok ? slurmFacts({ env: found.environ.value, scontrol, lostSeconds, caught: found.masks.caught, resumeFrom: checkpoints.latest?.path ?? null }) : null;
  const job = jobGpuHours(slurm, gpuHoursLost, distributed?.json.worldSize ?? null, gpu.gpus?.length ?? null);
  // Time not computing: seen stopped while watching, plus, when it is stopped now, the time since its last log write.
  const lastWrite = found.logEvidence.lastWriteMs;
  const stoppedNow = facts.entry.state === 'T' && lastWrite !== null && lastWrite < now ? (now - lastWrite) / 1000 : 0;
  const stopped = Math.round(((found.watched?.stoppedSeconds ?? 0) + stoppedNow) * 10) / 10;
  const total = totalRuntime(facts.runtimeSeconds, progress.parsed, stopped);
  const start = startup({
    startMs: checkpoints.startMs,
    firstProgressAtMs: found.logEvidence.firstProgress?.atMs ?? null,
    firstProgressLine: found.logEvidence.firstProgress?.line ?? null,
    progress: progress.parsed,
    logWrittenMs: progress.source?.mtimeMs ?? null,
  });
  const recover = recovery(start, lostSeconds);
  const lastLogSave = checkpoints.lastLogSave;
  const json: ImpactJson = {
    pid: facts.entry.pid,
    command: facts.command,
    user: facts.user,
    state: facts.state,
    startedAt: facts.startedAt,
    runtimeSeconds: facts.runtimeSeconds,
    progress: progress.json,
    resources: {
      cpuPercent: cpu.samplePercent,
      threads: facts.status.threads ?? facts.entry.threads,
      rssBytes: facts.status.rssBytes,
      peakRssBytes: facts.status.peakRssBytes,
      gpus: gpu.gpus === null ? null : gpu.gpus.map((g) => ({ index: g.index, uuid: g.uuid, usedMemoryMiB: g.usedMemoryMiB })),
    },
    checkpoints: {
      latest: checkpoints.latest
        ? {
            path: checkpoints.latest.path,
            modifiedAt: new Date(checkpoints.latest.mtimeMs).toISOString(),
            ageSeconds: Math.max(0, Math.round((now - checkpoints.latest.mtimeMs) / 100) / 10),
            sizeBytes: checkpoints.latest.sizeBytes,
          }
        : null,
      intervalSeconds: checkpoints.intervalSeconds,
      nextInSeconds: next.seconds,
      intervalNote: checkpoints.intervalNote,
      intervalSteps: checkpoints.intervalUnits?.amount ?? null,
      lastLogSave: lastLogSave
        ? { framework: lastLogSave.framework, path: lastLogSave.path, step: lastLogSave.step, epoch: lastLogSave.epoch, at: lastLogSave.atMs === null ? null : new Date(lastLogSave.atMs).toISOString() }
        : null,
      watchedSeconds: found.watched?.seconds ?? null,
    },
    ifKilledNow: {
      lostSeconds,
      gpuHoursLost,
      resumeFrom: checkpoints.latest?.path ?? null,
      writesInProgress: checkpoints.writes.map((w) => w.path),
      lostFormula: lost.formula,
      lostWork: lostWork(progress.parsed, savedPosition(checkpoints.latest, lastLogSave), lostSeconds),
      jobGpuHoursLost: job.hours,
      jobGpuHoursFormula: job.formula,
    },
    children: [
      ...tree.map((m) => ({ pid: m.entry.pid, role: m.role, command: command(m.entry) })),
      ...helpers.map((h) => ({ pid: h.entry.pid, role: helperRole(h), command: command(h.entry) })),
    ],
    distributed: distributed?.json ?? null,
    recommendations: recommendationsFor(facts, tree, helpers, found, next, lostSeconds, gpuHoursLost, system),
    estimates: {
      totalRuntimeSeconds: total.seconds,
      totalRuntimeFormula: total.formula,
      startupSeconds: start.seconds,
      startupFormula: start.formula,
      replaySeconds: recover.replaySeconds,
      recoverySeconds: recover.seconds,
      recoveryFormula: recover.formula,
    },
    slurm,
  };
  return { json, next };
}

/** GPU-hours the whole job loses: the Slurm allocation when known, else this process's share x world size (estimate). */
function jobGpuHours(slurm: ReturnType<typeof slurmFacts>, gpuHoursLost: number | null, worldSize: number | null, gpus: number | null): { hours: number | null; formula: string | null } {
  if (slurm?.gpuHoursAtStake != null) return { hours: slurm.gpuHoursAtStake, formula: `lost compute x ${slurm.gpus} GPUs of Slurm job ${slurm.jobId} (${slurm.allocationSource})` };
  if (gpuHoursLost !== null && gpus && worldSize && worldSize > 1) {
    return { hours: roundGpuHours(gpuHoursLost * worldSize), formula: `estimate: this process's ${gpuHoursLost} GPU-hours x world size ${worldSize}, if every rank holds as many GPUs and loses as much` };
  }
  return { hours: null, formula: null };
}

function recommendationsFor(
  facts: ProcessFacts,
  tree: TreeMember[],
  helpers: Helper[],
  { checkpoints, distributed, graceful }: Findings,
  next: NextCheckpoint,
  lostSeconds: number | null,
  gpuHoursLost: number | null,
  system: Protection | null,
): RecommendationJson[] {
  return recommend({
    pid: facts.entry.pid,
    state: facts.entry.state,
    descendants: tree.map((m) => m.entry.pid),
    helpers: helpers.length,
    latestCheckpoint: checkpoints.latest?.path ?? null,
    nextInSeconds: next.seconds,
    nextFormula: next.formula,
    lostSeconds,
    gpuHoursLost,
    writesInProgress: checkpoints.writes.map((w) => w.path),
    graceful,
    distributed: distributed?.json ?? null,
    agent: distributed?.agent && distributed.json.launcher ? { pid: distributed.agent.pid, launcher: distributed.json.launcher } : null,
    isLauncher: isLauncher(facts.entry),
    refused: system?.reason ?? null,
  });
}
