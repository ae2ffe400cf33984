// CPU over a short sample (top semantics: 100 x cpu seconds / wall seconds, > 100 for several busy threads),
// memory from status (VmRSS, VmHWM), and the GPUs the process tree holds (nvidia-smi compute-apps, else /dev/nvidia*).
// Facts: impact.md §1.4, §1.9, §4.3; gpu-monitor.md §3.
import { clockTicksPerSecond, cpuPercent, parseStat, readText, type OpenFile } from '../lib/proc.js';
import { nvidiaDeviceMinors, type ComputeAppsResult } from '../lib/compute-apps.js';
import { describeSmiFailure } from '../lib/nvidia-smi.js';
import type { GpuJson } from './types.js';

export interface CpuSample {
  startedMs: number;
  ticks: Map<number, number>;
}

function cpuTicks(pid: number, root: string): number | null {
  const text = readText(`${root}/${pid}/stat`);
  if (text === null) return null;
  try {
    return parseStat(text).cpuTicks;
  } catch {
    return null;
  }
}

export function startCpuSample(pids: number[], root = '/proc'): CpuSample {
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    const value = cpuTicks(pid, root);
    if (value !== null) ticks.set(pid, value);
  }
  return { startedMs: performance.now(), ticks };
}

/** Percent of one core per pid over the sample (processes gone at the end are left out). */
export function finishCpuSample(sample: CpuSample, root = '/proc'): Map<number, number> {
  const elapsed = (performance.now() - sample.startedMs) / 1000;
  const hz = clockTicksPerSecond();
  const percent = new Map<number, number>();
  if (elapsed <= 0) return percent;
  for (const [pid, before] of sample.ticks) {
    const after = cpuTicks(pid, root);
    const value = after !== null && after >= before ? cpuPercent(after - before, elapsed, hz) : null;
    if (value !== null) percent.set(pid, Math.round(value * 10) / 10);
  }
  return percent;
}

export interface GpuDetail extends GpuJson {
  utilizationPercent: number | null;
  name: string | null;
  /** PIDs of the tree holding this GPU. */
  pids: number[];
  /** "/dev/nvidia3" when found only through open device files. */
  device: string | null;
}

export interface GpuFacts {
  gpus: GpuDetail[] | null;
  /** Why gpus is null or came from a fallback. */
  note: string | null;
}

/**
 * GPUs held by the tree. nvidia-smi compute-apps rows for tree PIDs are grouped by GPU (memory summed); when
 * nvidia-smi lists none of them but they hold /dev/nvidiaN open (containers: nvidia-smi reports host PIDs), the
 * devices are reported without memory.
 */
export function gpusOfTree(treePids: number[], openFiles: Map<number, OpenFile[] | null>, smi: ComputeAppsResult | null): GpuFacts {
  const tree = new Set(treePids);
  const fdTargets: string[] = [];
  const holders = new Map<number, number[]>();
  let allFdsKnown = true;
  for (const pid of treePids) {
    const files = openFiles.get(pid);
    if (!files) {
      allFdsKnown = false;
      continue;
    }
    for (const minor of nvidiaDeviceMinors(files.map((f) => f.target))) holders.set(minor, [...(holders.get(minor) ?? []), pid]);
    fdTargets.push(...files.map((f) => f.target));
  }
  const devices = (): GpuDetail[] =>
    [...holders.entries()].map(([minor, pids]) => ({ index: null, uuid: null, usedMemoryMiB: null, utilizationPercent: null, name: null, pids, device: `/dev/nvidia${minor}` }));

  if (smi?.ok) {
    const byGpu = new Map<string, GpuDetail>();
    for (const app of smi.apps) {
      if (!tree.has(app.pid)) continue;
      const key = app.gpuUuid ?? '?';
      const summary = smi.gpus.find((g) => g.uuid !== null && g.uuid === app.gpuUuid);
      const detail = byGpu.get(key) ?? {
        index: summary?.index ?? null,
        uuid: app.gpuUuid,
        usedMemoryMiB: null,
        utilizationPercent: summary?.utilizationGpuPercent ?? null,
        name: summary?.name ?? null,
        pids: [],
        device: null,
      };
      if (app.usedMemoryMiB !== null) detail.usedMemoryMiB = (detail.usedMemoryMiB ?? 0) + app.usedMemoryMiB;
      if (!detail.pids.includes(app.pid)) detail.pids.push(app.pid);
      byGpu.set(key, detail);
    }
    if (byGpu.size > 0) return { gpus: [...byGpu.values()].sort((a, b) => (a.index ?? 99) - (b.index ?? 99)), note: null };
    if (holders.size > 0) {
      return {
        gpus: devices(),
        note: 'nvidia-smi lists no compute context for these PIDs, but they hold NVIDIA devices open (inside a container nvidia-smi reports host PIDs; run on the host or with --pid=host for memory figures)',
      };
    }
    return { gpus: [], note: allFdsKnown ? null : 'nvidia-smi lists no compute context for this process tree' };
  }
  const reason = smi ? describeSmiFailure(smi.failure) : 'GPU query skipped (--no-gpu)';
  if (holders.size > 0) return { gpus: devices(), note: `${reason}; the devices come from its open /dev/nvidia* files (no memory figures)` };
  if (allFdsKnown && fdTargets.length > 0) return { gpus: [], note: `${reason}; the process tree holds no /dev/nvidia* device open, so it uses no NVIDIA GPU` };
  return { gpus: null, note: `${reason}; its open files are not readable either, so the GPUs it holds are unknown` };
}
