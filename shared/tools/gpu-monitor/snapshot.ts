// The `--once --json` / `--watch --json` object. Its shape is fixed by the issue; unknown values are null.
import type { GpuReading } from '../lib/gpu-query.js';

export type SourceName = 'nvidia-smi' | 'rocm-smi';

/** A process with a compute context on a GPU, joined with what /proc says about it. */
export interface GpuProcess {
  pid: number;
  gpuIndex: number | null;
  gpuUuid: string | null;
  usedMemoryMiB: number | null;
  /** process_name from nvidia-smi; null for [Not Found]. */
  name: string | null;
  /** The full command line from /proc, or null when this PID is not visible here or is a different process. */
  command: string | null;
  /** Owner from /proc (shown in the live view, not part of the JSON). */
  user: string | null;
}

export interface GpuJson {
  index: number;
  uuid: string | null;
  name: string | null;
  utilizationGpuPercent: number | null;
  utilizationMemoryPercent: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureC: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
}

/** A process as the JSON shows it: everything but the owner. */
export type ProcessJson = Omit<GpuProcess, 'user'>;

export interface SnapshotJson {
  timestamp: string;
  source: SourceName;
  gpus: GpuJson[];
  /** null when the process query failed (unknown), [] when it answered with no processes. */
  processes: ProcessJson[] | null;
}

export function gpuJson(gpu: GpuReading): GpuJson {
  return {
    index: gpu.index,
    uuid: gpu.uuid,
    name: gpu.name,
    utilizationGpuPercent: gpu.utilizationGpuPercent,
    utilizationMemoryPercent: gpu.utilizationMemoryPercent,
    memoryUsedMiB: gpu.memoryUsedMiB,
    memoryTotalMiB: gpu.memoryTotalMiB,
    temperatureC: gpu.temperatureC,
    powerDrawW: gpu.powerDrawW,
    powerLimitW: gpu.powerLimitW,
  };
}

export function processJson(process: GpuProcess): ProcessJson {
  return {
    pid: process.pid,
    gpuIndex: process.gpuIndex,
    gpuUuid: process.gpuUuid,
    usedMemoryMiB: process.usedMemoryMiB,
    name: process.name,
    command: process.command,
  };
}

export function snapshotJson(at: Date, source: SourceName, gpus: GpuReading[], processes: GpuProcess[] | null): SnapshotJson {
  return {
    timestamp: at.toISOString(),
    source,
    gpus: gpus.map(gpuJson),
    processes: processes === null ? null : processes.map(processJson),
  };
}
