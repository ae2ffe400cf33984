// The `--once --json` / `--watch --json` object: the GPUs with every value nvidia-smi reported (unknown = null),
// their compute processes, and the host ML processes the text view lists. A failure is an object too (errorJson).
import { clockEventReasonNames, type EccReading, type GpuReading } from '../lib/gpu-query.js';
import type { HostProcess } from './host-procs.js';

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
  pciBusId: string | null;
  utilizationGpuPercent: number | null;
  utilizationMemoryPercent: number | null;
  utilizationEncoderPercent: number | null;
  utilizationDecoderPercent: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureC: number | null;
  memoryTemperatureC: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  /** pstate: P0 (maximum performance) to P12. */
  performanceState: string | null;
  clocks: { smMHz: number | null; memoryMHz: number | null; smMaxMHz: number | null; memoryMaxMHz: number | null };
  /** clocks_event_reasons.active (formerly clocks_throttle_reasons): the mask and the names of its bits. */
  clockEventReasons: { activeMask: number | null; active: string[] | null };
  ecc: EccReading;
}

/** A process as the JSON shows it: everything but the owner. */
export type ProcessJson = Omit<GpuProcess, 'user'>;

export interface SnapshotJson {
  timestamp: string;
  source: SourceName;
  gpus: GpuJson[];
  /** null when the process query failed (unknown), [] when it answered with no processes. */
  processes: ProcessJson[] | null;
  /** The ML processes on this host (as listed on screen, at most --top); null when /proc cannot be read. */
  hostProcesses: HostProcess[] | null;
}

export function gpuJson(gpu: GpuReading): GpuJson {
  return {
    index: gpu.index,
    uuid: gpu.uuid,
    name: gpu.name,
    pciBusId: gpu.busId,
    utilizationGpuPercent: gpu.utilizationGpuPercent,
    utilizationMemoryPercent: gpu.utilizationMemoryPercent,
    utilizationEncoderPercent: gpu.utilizationEncoderPercent,
    utilizationDecoderPercent: gpu.utilizationDecoderPercent,
    memoryUsedMiB: gpu.memoryUsedMiB,
    memoryTotalMiB: gpu.memoryTotalMiB,
    temperatureC: gpu.temperatureC,
    memoryTemperatureC: gpu.memoryTemperatureC,
    powerDrawW: gpu.powerDrawW,
    powerLimitW: gpu.powerLimitW,
    performanceState: gpu.performanceState,
    clocks: { smMHz: gpu.smClockMHz, memoryMHz: gpu.memoryClockMHz, smMaxMHz: gpu.smClockMaxMHz, memoryMaxMHz: gpu.memoryClockMaxMHz },
    clockEventReasons: { activeMask: gpu.clockEventReasons, active: clockEventReasonNames(gpu.clockEventReasons) },
    ecc: { ...gpu.ecc },
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

export function snapshotJson(
  at: Date,
  source: SourceName,
  gpus: GpuReading[],
  processes: GpuProcess[] | null,
  hostProcesses: HostProcess[] | null,
): SnapshotJson {
  return {
    timestamp: at.toISOString(),
    source,
    gpus: gpus.map(gpuJson),
    processes: processes === null ? null : processes.map(processJson),
    hostProcesses: hostProcesses === null ? null : hostProcesses.map((host) => ({
            ...host,
            // The text view's rounding (one decimal), so JSON and screen agree.
            cpuPercent: host.cpuPercent === null ? null : Math.round(host.cpuPercent * 10) / 10,
            gpuIndices: [...host.gpuIndices],
          })),
  };
}

/** What --json prints instead of a snapshot when the tool cannot give one. */
export interface ErrorJson {
  timestamp: string;
  error: { message: string; hint: string | null; exitCode: number | null };
}

export function errorJson(at: Date, message: string, hint: string | null = null, exitCode: number | null = null): ErrorJson {
  return { timestamp: at.toISOString(), error: { message, hint, exitCode } };
}
