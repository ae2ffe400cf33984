// --gpus 0,3: which GPUs the view, the JSON, the log and /metrics show. The filter is applied to what nvidia-smi
// answered (one query for all GPUs, as without it), so an index that does not exist is reported, never guessed.
import { UsageError } from '../lib/cli.js';
import type { GpuReading } from '../lib/gpu-query.js';
import { escapeControl } from '../lib/term.js';
import type { HostProcess } from './host-procs.js';
import type { Frame } from './monitor.js';
import type { GpuProcess } from './snapshot.js';

/** Indices as nvidia-smi numbers GPUs (0 to 1023 is far beyond any machine); each once, in the order given. */
export function parseGpuList(raw: string): number[] {
  const cells = raw.split(',').map((cell) => cell.trim());
  const bad = cells.find((cell) => !/^\d{1,4}$/.test(cell) || Number(cell) > 1023);
  if (bad !== undefined) {
    throw new UsageError(`--gpus must be GPU indices separated by commas, got '${escapeControl(bad === '' ? raw : bad)}'`, 'e.g. --gpus 0,3 (the indices nvidia-smi shows)');
  }
  const indices = cells.map(Number);
  const repeated = indices.find((index, i) => indices.indexOf(index) !== i);
  if (repeated !== undefined) throw new UsageError(`--gpus names GPU ${repeated} twice`, 'name each GPU once, e.g. --gpus 0,3');
  return indices;
}

/** The GPUs asked for that this machine does not have, as one line; null when all exist. */
export function missingGpus(wanted: number[] | null, gpus: GpuReading[]): string | null {
  if (wanted === null) return null;
  const present = new Set(gpus.map((gpu) => gpu.index));
  const missing = wanted.filter((index) => !present.has(index));
  if (missing.length === 0) return null;
  const have = gpus.length === 0 ? 'none' : gpus.map((gpu) => gpu.index).join(',');
  return `--gpus ${wanted.join(',')}: no GPU ${missing.join(', ')} on this machine (its GPUs: ${have})`;
}

export function selectGpus(gpus: GpuReading[], wanted: number[] | null): GpuReading[] {
  return wanted === null ? gpus : gpus.filter((gpu) => wanted.includes(gpu.index));
}

export function selectProcesses(processes: GpuProcess[] | null, wanted: number[] | null): GpuProcess[] | null {
  return wanted === null || processes === null ? processes : processes.filter((p) => p.gpuIndex !== null && wanted.includes(p.gpuIndex));
}

/** Host ML processes on a selected GPU, or on none (a data loader or a launcher holds no GPU). */
export function selectHostProcesses(hosts: HostProcess[] | null, wanted: number[] | null): HostProcess[] | null {
  return wanted === null || hosts === null ? hosts : hosts.filter((host) => host.gpuIndices.length === 0 || host.gpuIndices.some((i) => wanted.includes(i)));
}

/** A frame as --gpus shows it; a GPU asked for that is missing becomes the frame's problem (unless it has one). */
export function selectFrame(frame: Frame, wanted: number[] | null): Frame {
  if (wanted === null) return frame;
  const missing = frame.gpus === null ? null : missingGpus(wanted, frame.gpus);
  return {
    ...frame,
    gpus: frame.gpus === null ? null : selectGpus(frame.gpus, wanted),
    processes: selectProcesses(frame.processes, wanted),
    hostProcesses: selectHostProcesses(frame.hostProcesses, wanted),
    warnings: frame.warnings.filter((warning) => wanted.includes(warning.gpuIndex)),
    problem: frame.problem ?? missing,
  };
}
