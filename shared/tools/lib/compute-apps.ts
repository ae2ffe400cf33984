// Which processes hold which GPU, and how much memory, for the process-impact analyzer: the compute-apps and GPU
// queries of ./gpu-query.ts (which parses both), run concurrently, and the /dev/nvidia<N> fallback.
// Facts: ../shared/research/gpu-monitor.md §3 and impact.md §4.3.
// - --query-compute-apps and --query-gpu are mutually exclusive: two commands (run them concurrently);
// - only compute contexts are listed; MIG rows carry the parent GPU's uuid;
// - PIDs are host PIDs: inside a container without --pid=host they do not match /proc (see nvidiaDeviceMinors).
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import {
  COMPUTE_MEMORY_FIELDS,
  gpuQueryArgs,
  parseGpuCsv,
  queryComputeProcesses,
  type ComputeProcess,
  type GpuReading,
  type SmiFailed,
} from './gpu-query.js';
import { runSmi, type SmiOptions } from './nvidia-smi.js';

/** The --query-gpu fields asked for next to the processes: which GPU a uuid is, how busy and how full. */
export const GPU_SUMMARY_FIELDS: readonly string[] = ['index', 'uuid', 'name', 'utilization.gpu', 'memory.used', 'memory.total'];

export type ComputeAppsResult = { ok: true; apps: ComputeProcess[]; gpus: GpuReading[] } | { ok: false; failure: SmiFailed };

/** Full path of an executable found on PATH (or the command itself when it has a '/'), else null. */
export function findOnPath(command: string, path = process.env.PATH ?? ''): string | null {
  const candidates = command.includes('/') ? [command] : path.split(':').filter(Boolean).map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Both queries, concurrently, each with nvidia-smi's timeout. GPU summaries are optional (empty if that query fails).
 * A missing nvidia-smi is found on PATH first: no process is spawned just to fail with ENOENT.
 */
export async function queryComputeApps(options: SmiOptions = {}): Promise<ComputeAppsResult> {
  const command = options.command ?? 'nvidia-smi';
  if (!findOnPath(command)) return { ok: false, failure: { ok: false, failure: 'not-found', message: `${command} not found on PATH`, exitCode: null } };
  const [apps, gpus] = await Promise.all([
    queryComputeProcesses({ ...options, fields: COMPUTE_MEMORY_FIELDS }),
    runSmi(gpuQueryArgs(GPU_SUMMARY_FIELDS), options),
  ]);
  if (!apps.ok) return { ok: false, failure: apps };
  return { ok: true, apps: apps.processes, gpus: gpus.ok ? parseGpuCsv(gpus.stdout, GPU_SUMMARY_FIELDS).gpus : [] };
}

/**
 * GPU device minors a process has open (`/dev/nvidia<N>` in its fd targets; nvidiactl/nvidia-uvm are not GPUs).
 * The fallback when nvidia-smi's host PIDs do not match: says which device is open, not how much memory.
 */
export function nvidiaDeviceMinors(fdTargets: string[]): number[] {
  const minors = new Set<number>();
  for (const target of fdTargets) {
    const match = /^\/dev\/nvidia(\d+)$/.exec(target);
    if (match) minors.add(Number(match[1]));
  }
  return [...minors].sort((a, b) => a - b);
}
