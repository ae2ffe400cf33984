// One analysis: identity, one pass over /proc for the table, then every fact in turn while the CPU sample and the
// nvidia-smi queries run; the identity is re-checked at the end so a process that exited mid-way is reported as such.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { DpError, UsageError } from '../lib/cli.js';
import { queryComputeApps, type ComputeAppsResult } from '../lib/compute-apps.js';
import type { SmiOptions } from '../lib/nvidia-smi.js';
import {
  isFileTarget,
  readCmdline,
  readEnviron,
  readOpenFiles,
  readProcLink,
  readStatTable,
  type OpenFile,
  type ProcEntry,
  type ProcRead,
  type ProcStat,
} from '../lib/proc.js';
import { childTree, isPython, relativesOf, type Helper, type ProcessTable, type TreeMember } from './children.js';
import { checkIdentity, readProcessFacts, type ProcessFacts } from './identity.js';
import { analyzeDistributed, type DistributedFacts } from './distributed.js';
import { ownProcesses, systemProtection, type Protection } from './guard.js';
import { findLogSources, type LogSource } from './logs.js';
import { finishCpuSample, gpusOfTree, startCpuSample, type CpuSample, type GpuFacts } from './resources.js';
import { chooseGraceful, signalMasks, type GracefulChoice, type SignalMasks } from './signals.js';
import { checkpointFacts, logEvidence, progressFacts, type CheckpointFacts, type LogEvidence, type ProgressFacts } from './facts.js';
import { buildReport } from './report.js';
import { queryScontrol, type ScontrolResult } from './slurm.js';
import { watchProcess, type WatchObservation } from './watch.js';
import type { Identity, ImpactJson } from './types.js';

export interface AnalyzeOptions {
  pid: number;
  /** CPU sampling window; 0 = no sample (cpuPercent null). */
  sampleMs: number;
  /** Skip nvidia-smi. */
  noGpu?: boolean;
  smi?: SmiOptions;
  root?: string;
  /**
   * Watch the process this long before reporting (--watch): successive checkpoint mtimes (a file overwritten in place)
   * and time stopped. 0 or absent: no watching, so one analysis stays fast.
   */
  watchSeconds?: number;
  /** Poll interval while watching (default 250 ms). */
  watchPollMs?: number;
  /** Ask `scontrol show job` when the process runs in a Slurm job (default true). */
  scontrol?: boolean;
}

export interface CpuFacts {
  samplePercent: number | null;
  treePercent: number | null;
  sampleMs: number;
}

/** When the next checkpoint is due, and the formula (or why it is unknown). */
export interface NextCheckpoint {
  seconds: number | null;
  formula: string;
}

export interface Analysis {
  json: ImpactJson;
  facts: ProcessFacts;
  tree: TreeMember[];
  helpers: Helper[];
  /** The process and its descendants as identified now: what [S]/[K] may signal. */
  identities: Identity[];
  cpu: CpuFacts;
  gpu: GpuFacts;
  progress: ProgressFacts;
  checkpoints: CheckpointFacts;
  /** The next checkpoint as of the analysis: the JSON's nextInSeconds and the text's formula both come from it. */
  next: NextCheckpoint;
  logSources: LogSource[];
  logNotes: string[];
  distributed: DistributedFacts | null;
  masks: SignalMasks;
  graceful: GracefulChoice;
  environ: ProcRead<Record<string, string>>;
  /** Whose facts could not be read (other user's process). */
  unreadable: string[];
  /** The parent process, when it could be read. */
  parent: ProcEntry | null;
  /** Init or a kernel thread: never signalled, and no tree is listed (see analyze). */
  system: Protection | null;
  /** What the logs say about saves and start-up. */
  logEvidence: LogEvidence;
  /** The --watch observation, when watched. */
  watched: WatchObservation | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function assertLinux(root = '/proc'): void {
  if (process.platform !== 'linux') {
    throw new UsageError(`this tool reads Linux /proc; this is ${process.platform}`, 'run it on the Linux machine where the training runs');
  }
  if (!existsSync(`${root}/self/stat`)) throw new UsageError(`${root} is not mounted`, 'mount procfs (mount -t proc proc /proc) or run on the host');
}

/**
 * The process table in one pass over /proc (stat only), with the target's descendants and ancestors, and command
 * lines read just for the processes that can matter: the descendants, the ancestors (launchers), and every process
 * started since the target (a helper naming it with `--pid` must have been started after it). Others keep an empty
 * cmdline.
 */
export function processTable(target: ProcEntry, root = '/proc'): ProcessTable {
  const stats = readStatTable(root).filter((s) => s.pid !== target.pid);
  const relatives = relativesOf<ProcStat>(target, [...stats, target]);
  const need = new Set([...relatives.descendants.map((d) => d.entry.pid), ...relatives.ancestors.map((a) => a.pid)]);
  for (const s of stats) if (s.startTicks >= target.startTicks) need.add(s.pid);
  const byPid = new Map<number, ProcEntry>();
  for (const s of stats) byPid.set(s.pid, { ...s, uid: null, cmdline: need.has(s.pid) ? readCmdline(s.pid, root) : [] });
  byPid.set(target.pid, target);
  return {
    entries: [...byPid.values()],
    descendants: relatives.descendants.map(({ entry, depth }) => ({ entry: byPid.get(entry.pid)!, depth })),
    ancestors: relatives.ancestors.map((a) => byPid.get(a.pid)!),
  };
}

/** What is read from /proc and the files while the CPU sample and nvidia-smi run. */
export interface Findings {
  openFiles: Map<number, OpenFile[] | null>;
  environ: ProcRead<Record<string, string>>;
  unreadable: string[];
  logs: { sources: LogSource[]; notes: string[] };
  checkpoints: CheckpointFacts;
  progress: ProgressFacts;
  distributed: DistributedFacts | null;
  masks: SignalMasks;
  graceful: GracefulChoice;
  logEvidence: LogEvidence;
  watched: WatchObservation | null;
}

export async function analyze(options: AnalyzeOptions): Promise<Analysis> {
  const root = options.root ?? '/proc';
  assertLinux(root);
  let facts = readProcessFacts(options.pid, root);
  // Init's descendants are every process and a kernel thread's are kernel threads: none of them dies with it in a
  // way this report could act on, so no tree is listed (nor signalled) and [G]/[S]/[K] are refused.
  const system = systemProtection(facts.entry, ownProcesses(root));
  const table: ProcessTable = system ? { entries: [facts.entry], descendants: [], ancestors: [] } : processTable(facts.entry, root);
  const { tree, helpers } = childTree(facts.entry, table, root);
  const treePids = [facts.entry.pid, ...tree.map((m) => m.entry.pid)];

  const sample = options.sampleMs > 0 ? startCpuSample(treePids, root) : null;
  const smiPromise: Promise<ComputeAppsResult | null> = options.noGpu ? Promise.resolve(null) : queryComputeApps(options.smi);
  let found = gatherFacts(facts, table, treePids, root, null);
  const jobId = found.environ.ok ? found.environ.value.SLURM_JOB_ID : undefined;
  const scontrolPromise: Promise<ScontrolResult> | null = jobId !== undefined && options.scontrol !== false ? queryScontrol(jobId) : null;
  if (options.watchSeconds && options.watchSeconds > 0) {
    const watched = await watchProcess({
      identity: facts.identity,
      roots: found.checkpoints.scan.roots,
      known: found.checkpoints.scan.checkpoints,
      durationMs: options.watchSeconds * 1000,
      pollMs: options.watchPollMs ?? 250,
      root,
    });
    // Everything again as of the end of the watch, with what the watch saw.
    if (!watched.exited) {
      facts = refreshed(facts, root);
      found = gatherFacts(facts, table, treePids, root, watched);
    }
  }
  const gpu = gpusOfTree(treePids, found.openFiles, await smiPromise);
  const cpu = await sampleCpu(sample, options.sampleMs, facts.entry.pid, root);
  const scontrol = scontrolPromise ? await scontrolPromise : null;

  const check = checkIdentity(facts.identity, root);
  if (check !== 'same') {
    throw new DpError(
      check === 'gone' ? `PID ${options.pid} exited during the analysis` : `PID ${options.pid} was replaced by another process during the analysis`,
      'nothing to stop any more; check its log for how it ended',
    );
  }

  const { json, next } = buildReport(facts, tree, helpers, found, gpu, cpu, Date.now(), system, scontrol);
  return {
    json,
    facts,
    tree,
    helpers,
    identities: [facts.identity, ...tree.map((m) => ({ pid: m.entry.pid, startTicks: m.entry.startTicks }))],
    cpu,
    gpu,
    progress: found.progress,
    checkpoints: found.checkpoints,
    next,
    logSources: found.logs.sources,
    logNotes: found.logs.notes,
    distributed: found.distributed,
    masks: found.masks,
    graceful: found.graceful,
    environ: found.environ,
    unreadable: found.unreadable,
    parent: table.ancestors[0] ?? null,
    system,
    logEvidence: found.logEvidence,
    watched: found.watched,
  };
}

/** The facts read again after a watch (state, memory, masks), unless the PID now names another process. */
function refreshed(facts: ProcessFacts, root: string): ProcessFacts {
  try {
    const again = readProcessFacts(facts.entry.pid, root);
    return again.entry.startTicks === facts.entry.startTicks ? again : facts;
  } catch {
    return facts; // gone: the identity check after the analysis says so
  }
}

/** Open files, environment, logs, checkpoints and progress, distributed facts and the graceful signal. */
function gatherFacts(facts: ProcessFacts, table: ProcessTable, treePids: number[], root: string, watched: WatchObservation | null): Findings {
  const target = facts.entry;
  const unreadable: string[] = [];
  const openFiles = new Map<number, OpenFile[] | null>();
  for (const pid of treePids) {
    // Write mode and offsets matter for files only (logs, checkpoints): no fdinfo read for pipes, sockets, devices.
    const files = readOpenFiles(pid, root, isFileTarget);
    openFiles.set(pid, files.ok ? files.value : null);
    if (!files.ok && pid === target.pid) unreadable.push(`open files (fd/, fdinfo/): ${files.message}`);
  }
  const environ = readEnviron(target.pid, root);
  if (!environ.ok) unreadable.push(`environment (environ): ${environ.message}`);
  const cwd = readProcLink(target.pid, 'cwd', root);
  if (!cwd.ok) unreadable.push(`working directory (cwd): ${cwd.message}`);

  const inTree = new Set(treePids);
  // Who may read its stdout pipe (only looked at when stdout/stderr is a pipe): the nearest ancestors and their
  // children in the target's process group (a shell pipeline `train | tee log` shares one).
  const neighbours = () => {
    const near = table.ancestors.slice(0, 4);
    const siblings = table.entries.filter((e) => !inTree.has(e.pid) && near.some((a) => a.pid === e.ppid) && e.pgrp === target.pgrp);
    return [...siblings, ...near].slice(0, 64);
  };
  const logs = findLogSources(target.pid, openFiles.get(target.pid) ?? [], neighbours, root);
  const startMs = facts.startedAt ? Date.parse(facts.startedAt) : null;
  const evidence = logEvidence(logs.sources, startMs);
  const checkpoints = checkpointFacts(facts, cwd.ok ? cwd.value : null, openFiles, {
    logSaves: evidence.saves,
    logPath: evidence.path,
    watched,
    state: target.state,
    lastLogWriteMs: evidence.lastWriteMs,
  });
  const progress = progressFacts(logs.sources, checkpoints);
  checkpoints.applyProgress(progress);
  const masks = signalMasks(facts.status);
  const program = basename(target.cmdline[0] ?? target.comm);
  const graceful = chooseGraceful(masks, {
    python: isPython(target),
    node: program === 'node' || program === 'nodejs',
    slurm: environ.ok && environ.value.SLURM_JOB_ID !== undefined,
  });
  return { openFiles, environ, unreadable, logs, checkpoints, progress, distributed: analyzeDistributed(target, environ, table.ancestors), masks, graceful, logEvidence: evidence, watched };
}

/** Wait out the rest of the sampling window and read the CPU use of the tree over it. */
async function sampleCpu(sample: CpuSample | null, sampleMs: number, pid: number, root: string): Promise<CpuFacts> {
  if (!sample) return { samplePercent: null, treePercent: null, sampleMs };
  const left = sampleMs - (performance.now() - sample.startedMs);
  if (left > 0) await sleep(left);
  const percent = finishCpuSample(sample, root);
  return {
    samplePercent: percent.get(pid) ?? null,
    treePercent: Math.round([...percent.values()].reduce((a, b) => a + b, 0) * 10) / 10,
    sampleMs,
  };
}
