// One analysis: identity, one pass over /proc for the table, then every fact in turn while the CPU sample and the
// nvidia-smi queries run; the identity is re-checked at the end so a process that exited mid-way is reported as such.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ToolError, UsageError } from '../lib/cli.js';
import { queryComputeApps, type ComputeAppsResult } from '../lib/compute-apps.js';
import type { SmiOptions } from '../lib/nvidia-smi.js';
import { parseStatGroups, readCmdline, readEnviron, readOpenFiles, readProcLink, readStatTable, type OpenFile, type ProcEntry, type ProcRead } from '../lib/proc.js';
import { ancestorsOf, childTree, helperRole, isLauncher, isPython, type Helper, type TreeMember } from './children.js';
import { checkIdentity, commandString, readProcessFacts, type ProcessFacts } from './identity.js';
import { analyzeDistributed, type DistributedFacts } from './distributed.js';
import { findLogSources, type LogSource } from './logs.js';
import { recommend } from './recommendations.js';
import { finishCpuSample, gpusOfTree, startCpuSample, type GpuFacts } from './resources.js';
import { chooseGraceful, signalMasks, type GracefulChoice, type SignalMasks } from './signals.js';
import { checkpointFacts, progressFacts, type CheckpointFacts, type ProgressFacts } from './facts.js';
import type { Identity, ImpactJson } from './types.js';

export interface AnalyzeOptions {
  pid: number;
  /** CPU sampling window; 0 = no sample (cpuPercent null). */
  sampleMs: number;
  /** Skip nvidia-smi. */
  noGpu?: boolean;
  smi?: SmiOptions;
  root?: string;
}

export interface Analysis {
  json: ImpactJson;
  facts: ProcessFacts;
  tree: TreeMember[];
  helpers: Helper[];
  /** The process and its descendants as identified now: what [S]/[K] may signal. */
  identities: Identity[];
  cpu: { samplePercent: number | null; treePercent: number | null; sampleMs: number };
  gpu: GpuFacts;
  progress: ProgressFacts;
  checkpoints: CheckpointFacts;
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
}

function readStatText(pid: number, root: string): string | null {
  try {
    return readFileSync(`${root}/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}

const isPathTarget = (target: string) => target.startsWith('/') && !target.startsWith('/dev/');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function assertLinux(root = '/proc'): void {
  if (process.platform !== 'linux') {
    throw new UsageError(`this tool reads Linux /proc; this is ${process.platform}`, 'run it on the Linux machine where the training runs');
  }
  if (!existsSync(`${root}/self/stat`)) throw new UsageError(`${root} is not mounted`, 'mount procfs (mount -t proc proc /proc) or run on the host');
}

/**
 * The process table in one pass over /proc (stat only), with command lines read just for the processes that can
 * matter: the descendants, the ancestors (launchers), and every process started
 * since the target (a helper naming it with `--pid` must have been started after it). Others keep an empty cmdline.
 */
export function processTable(target: ProcEntry, root = '/proc'): ProcEntry[] {
  const stats = readStatTable(root).filter((s) => s.pid !== target.pid);
  const childrenOf = new Map<number, number[]>();
  for (const s of [...stats, target]) {
    const siblings = childrenOf.get(s.ppid);
    if (siblings) siblings.push(s.pid);
    else childrenOf.set(s.ppid, [s.pid]);
  }
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const need = new Set<number>();
  for (let frontier = [target.pid]; frontier.length > 0; ) {
    frontier = frontier.flatMap((pid) => childrenOf.get(pid) ?? []).filter((pid) => !need.has(pid));
    for (const pid of frontier) need.add(pid);
  }
  for (let parent = byPid.get(target.ppid), depth = 0; parent && depth < 64; parent = byPid.get(parent.ppid), depth += 1) {
    need.add(parent.pid);
    if (parent.pid <= 1) break;
  }
  for (const s of stats) if (s.startTicks >= target.startTicks) need.add(s.pid);
  const table: ProcEntry[] = stats.map((s) => ({ ...s, uid: null, cmdline: need.has(s.pid) ? readCmdline(s.pid, root) : [] }));
  table.push(target);
  return table;
}

export async function analyze(options: AnalyzeOptions): Promise<Analysis> {
  const root = options.root ?? '/proc';
  assertLinux(root);
  const facts = readProcessFacts(options.pid, root);
  const table = processTable(facts.entry, root);
  const { tree, helpers } = childTree(facts.entry, table, root);
  const treePids = [facts.entry.pid, ...tree.map((m) => m.entry.pid)];

  const sample = options.sampleMs > 0 ? startCpuSample(treePids, root) : null;
  const sampleStarted = performance.now();
  const smiPromise: Promise<ComputeAppsResult | null> = options.noGpu ? Promise.resolve(null) : queryComputeApps(options.smi);

  const unreadable: string[] = [];
  const openFiles = new Map<number, OpenFile[] | null>();
  for (const pid of treePids) {
    // Write mode and offsets matter for files only (logs, checkpoints): no fdinfo read for pipes, sockets, devices.
    const files = readOpenFiles(pid, root, isPathTarget);
    openFiles.set(pid, files.ok ? files.value : null);
    if (!files.ok && pid === facts.entry.pid) unreadable.push(`open files (fd/, fdinfo/): ${files.message}`);
  }
  const environ = readEnviron(facts.entry.pid, root);
  if (!environ.ok) unreadable.push(`environment (environ): ${environ.message}`);
  const cwd = readProcLink(facts.entry.pid, 'cwd', root);
  if (!cwd.ok) unreadable.push(`working directory (cwd): ${cwd.message}`);

  const ancestors = ancestorsOf(facts.entry, table);
  const inTree = new Set(treePids);
  // Who may read its stdout pipe (only looked at when stdout/stderr is a pipe): the nearest ancestors and their
  // children in the target's process group (a shell pipeline `train | tee log` shares one).
  const neighbours = () => {
    const group = (pid: number) => {
      const text = readStatText(pid, root);
      return text === null ? null : parseStatGroups(text).pgrp;
    };
    const own = group(facts.entry.pid);
    const near = ancestors.slice(0, 4);
    const siblings = table.filter((e) => !inTree.has(e.pid) && near.some((a) => a.pid === e.ppid) && group(e.pid) === own);
    return [...siblings, ...near].slice(0, 64);
  };
  const targetFiles = openFiles.get(facts.entry.pid) ?? [];
  const logs = findLogSources(facts.entry.pid, targetFiles, neighbours, root);
  const checkpoints = checkpointFacts(facts, cwd.ok ? cwd.value : null, openFiles);
  const progress = progressFacts(logs.sources, checkpoints);
  checkpoints.applyProgress(progress);
  const distributed = analyzeDistributed(facts.entry, environ, ancestors);
  const masks = signalMasks(facts.status);
  const program = basename(facts.entry.cmdline[0] ?? facts.entry.comm);
  const graceful = chooseGraceful(masks, {
    python: isPython(facts.entry),
    node: program === 'node' || program === 'nodejs',
    slurm: environ.ok && environ.value.SLURM_JOB_ID !== undefined,
  });

  const smi = await smiPromise;
  const gpu = gpusOfTree(treePids, openFiles, smi);
  let samplePercent: number | null = null;
  let treePercent: number | null = null;
  if (sample) {
    const left = options.sampleMs - (performance.now() - sampleStarted);
    if (left > 0) await sleep(left);
    const percent = finishCpuSample(sample, root);
    samplePercent = percent.get(facts.entry.pid) ?? null;
    treePercent = Math.round([...percent.values()].reduce((a, b) => a + b, 0) * 10) / 10;
  }

  const check = checkIdentity(facts.identity, root);
  if (check !== 'same') {
    throw new ToolError(
      check === 'gone' ? `PID ${options.pid} exited during the analysis` : `PID ${options.pid} was replaced by another process during the analysis`,
      'nothing to stop any more; check its log for how it ended',
    );
  }

  const now = Date.now();
  const lostSeconds = checkpoints.lostSeconds(now);
  const gpuHoursLost = gpu.gpus === null || lostSeconds === null ? null : Math.round((lostSeconds / 3600) * gpu.gpus.length * 1000) / 1000;
  const agentLauncher = distributed?.agent && distributed.json.launcher ? { pid: distributed.agent.pid, launcher: distributed.json.launcher } : null;
  const next = checkpoints.next(now);
  const recommendations = recommend({
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
    agent: agentLauncher,
    isLauncher: isLauncher(facts.entry),
  });

  const json: ImpactJson = {
    pid: facts.entry.pid,
    command: facts.command,
    user: facts.user,
    state: facts.state,
    startedAt: facts.startedAt,
    runtimeSeconds: facts.runtimeSeconds,
    progress: progress.json,
    resources: {
      cpuPercent: samplePercent,
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
    },
    ifKilledNow: {
      lostSeconds,
      gpuHoursLost,
      resumeFrom: checkpoints.latest?.path ?? null,
      writesInProgress: checkpoints.writes.map((w) => w.path),
    },
    children: [
      ...tree.map((m) => ({ pid: m.entry.pid, role: m.role, command: commandString(m.entry) })),
      ...helpers.map((h) => ({ pid: h.entry.pid, role: helperRole(h), command: commandString(h.entry) })),
    ],
    distributed: distributed?.json ?? null,
    recommendations,
  };
  return {
    json,
    facts,
    tree,
    helpers,
    identities: [facts.identity, ...tree.map((m) => ({ pid: m.entry.pid, startTicks: m.entry.startTicks }))],
    cpu: { samplePercent, treePercent: sample ? treePercent : null, sampleMs: options.sampleMs },
    gpu,
    progress,
    checkpoints,
    logSources: logs.sources,
    logNotes: logs.notes,
    distributed,
    masks,
    graceful,
    environ,
    unreadable,
    parent: ancestors[0] ?? null,
  };
}
