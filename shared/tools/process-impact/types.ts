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
  };
  ifKilledNow: {
    lostSeconds: number | null;
    gpuHoursLost: number | null;
    resumeFrom: string | null;
    writesInProgress: string[];
  };
  children: ChildJson[];
  distributed: DistributedJson | null;
  recommendations: RecommendationJson[];
}

/** A process as identified for signalling: the pid and its start time in clock ticks after boot. */
export interface Identity {
  pid: number;
  startTicks: number;
}
