// Which processes hold which GPU, and how much memory: `nvidia-smi --query-compute-apps`.
// Facts: ../shared/research/gpu-monitor.md §3 and impact.md §4.3.
// - --query-compute-apps and --query-gpu are mutually exclusive: two commands (run them concurrently);
// - fields are asked by canonical name and parsed by position (noheader, nounits);
// - only compute contexts are listed; MIG rows carry the parent GPU's uuid;
// - PIDs are host PIDs: inside a container without --pid=host they do not match /proc (see nvidiaDeviceMinors).
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { parseCell, parseNumber, runSmi, splitRow, type SmiOptions, type SmiResult } from './nvidia-smi.js';

export interface ComputeApp {
  gpuUuid: string | null;
  pid: number;
  /** null when nvidia-smi cannot tell (e.g. [N/A] on Windows WDDM). */
  usedMemoryMiB: number | null;
}

export interface GpuSummary {
  index: number | null;
  uuid: string | null;
  name: string | null;
  utilizationPercent: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
}

export const COMPUTE_APPS_ARGS = ['--query-compute-apps=gpu_uuid,pid,used_gpu_memory', '--format=csv,noheader,nounits'];
export const GPU_SUMMARY_ARGS = ['--query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total', '--format=csv,noheader,nounits'];

/** Rows of `--query-compute-apps=gpu_uuid,pid,used_gpu_memory --format=csv,noheader,nounits` (a header line is tolerated). */
export function parseComputeApps(stdout: string): ComputeApp[] {
  const apps: ComputeApp[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '' || /^gpu_uuid\b/.test(line.trim())) continue;
    const cells = splitRow(line);
    // Parse from both ends: gpu_uuid first, memory last, pid second.
    const pid = parseNumber(cells[1]);
    if (pid === null || !Number.isInteger(pid)) continue;
    apps.push({ gpuUuid: parseCell(cells[0]), pid, usedMemoryMiB: parseNumber(cells[cells.length - 1]) });
  }
  return apps;
}

/** Rows of GPU_SUMMARY_ARGS output. */
export function parseGpuSummary(stdout: string): GpuSummary[] {
  const gpus: GpuSummary[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '' || /^index\b/.test(line.trim())) continue;
    const cells = splitRow(line);
    if (cells.length < 6) continue;
    gpus.push({
      index: parseNumber(cells[0]),
      uuid: parseCell(cells[1]),
      // A name could hold a comma: take the numeric fields from the right.
      name: parseCell(cells.slice(2, cells.length - 3).join(', ')),
      utilizationPercent: parseNumber(cells[cells.length - 3]),
      memoryUsedMiB: parseNumber(cells[cells.length - 2]),
      memoryTotalMiB: parseNumber(cells[cells.length - 1]),
    });
  }
  return gpus;
}

export type ComputeAppsResult =
  | { ok: true; apps: ComputeApp[]; gpus: GpuSummary[] }
  | { ok: false; failure: Extract<SmiResult, { ok: false }> };

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
  const [apps, gpus] = await Promise.all([runSmi(COMPUTE_APPS_ARGS, options), runSmi(GPU_SUMMARY_ARGS, options)]);
  if (!apps.ok) return { ok: false, failure: apps };
  return { ok: true, apps: parseComputeApps(apps.stdout), gpus: gpus.ok ? parseGpuSummary(gpus.stdout) : [] };
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
