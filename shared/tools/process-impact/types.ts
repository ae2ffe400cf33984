import type { SlurmJson } from './slurm.js';

// The report's shape. `ImpactJson` is the --json output fixed by issue 4; field names must not change.
// Unknown facts are null; the text output gives the reason for each from the facts behind it (see analyze.ts).

export interface ProgressJson {
  current: number;
  total: number | null;
  unit: string;
  percent: number | null;
  source: string;
  etaSeconds: number | null;
}

export interface GpuJson {
  index: number | null;
  uuid: string | null;
  usedMemoryMiB: number | null;
}

export interface CheckpointJson {
  path: string;
  modifiedAt: string;
  ageSeconds: number;
  sizeBytes: number;
}

export interface ChildJson {
  pid: number;
  role: string;
  command: string;
}

export interface PeersJson {
  /** Other ranks in the job (world size - 1), when the world size is known. */
  count: number | null;
  /** What the other ranks do if this process dies, from the launcher's documented behaviour. */
  ifKilled: string;
  /** What they do if it is stopped (SIGSTOP). */
  ifSuspended: string;
}

export interface DistributedJson {
  launcher: string | null;
  rank: number | null;
  localRank: number | null;
  worldSize: number | null;
  masterAddr: string | null;
  masterPort: number | null;
  peers: PeersJson;
  /** The process that shows the launcher (an ancestor, or its own command line); null when none is named. */
  launcherEvidence: string | null;
}

export type ActionKey = 'W' | 'G' | 'S' | 'K';
export type ActionName = 'wait' | 'graceful' | 'suspend' | 'kill';

export interface RecommendationJson {
  key: ActionKey;
  action: ActionName;
  signal: string | null;
  reason: string;
}

export interface ImpactJson {
  pid: number;
  command: string;
  user: string | null;
  state: string;
  startedAt: string | null;
  runtimeSeconds: number | null;
  progress: ProgressJson | null;
  resources: {
    cpuPercent: number | null;
    threads: number | null;
    rssBytes: number | null;
    peakRssBytes: number | null;
    gpus: GpuJson[] | null;
  };
  checkpoints: {
    latest: CheckpointJson | null;
    intervalSeconds: number | null;
    nextInSeconds: number | null;
    /** How the interval was found, or why it is unknown. */
    intervalNote: string;
    /** The save cadence in steps, from the step numbers of the "saved checkpoint" lines. */
    intervalSteps: number | null;
    /** The newest "saved checkpoint" line of this run in its logs. */
    lastLogSave: LogSaveJson | null;
    /** Seconds watched (--watch); null when not watched. */
    watchedSeconds: number | null;
  };
  ifKilledNow: {
    lostSeconds: number | null;
    gpuHoursLost: number | null;
    resumeFrom: string | null;
    writesInProgress: string[];
    /** How lostSeconds was computed (time in state T is not compute). */
    lostFormula: string;
    /** The same loss in the job's own units (steps or epochs since the last save); an estimate. */
    lostWork: { amount: number; unit: string; formula: string } | null;
    /** GPU-hours the whole job loses: the Slurm allocation's GPUs, else this process's GPUs x world size (estimate). */
    jobGpuHoursLost: number | null;
    jobGpuHoursFormula: string | null;
  };
  children: ChildJson[];
  distributed: DistributedJson | null;
  recommendations: RecommendationJson[];
  /** Estimates, each with the formula that produced it. */
  estimates: EstimatesJson;
  /** The Slurm job the process runs in; null outside Slurm (no SLURM_JOB_ID). */
  slurm: SlurmJson | null;
}

export interface LogSaveJson {
  framework: string;
  path: string | null;
  step: number | null;
  epoch: number | null;
  /** From the line's own timestamp; null when it has none. */
  at: string | null;
}

export interface EstimatesJson {
  totalRuntimeSeconds: number | null;
  totalRuntimeFormula: string;
  startupSeconds: number | null;
  startupFormula: string;
  replaySeconds: number | null;
  recoverySeconds: number | null;
  recoveryFormula: string;
}

/** A process as identified for signalling: the pid and its start time in clock ticks after boot. */
export interface Identity {
  pid: number;
  startTicks: number;
}
