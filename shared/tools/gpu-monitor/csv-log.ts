// `--log FILE`: one CSV row per GPU per sample, appended while the monitor runs; read back by `--plot`.
// Columns: timestamp (ISO 8601, UTC), gpu_index, then the numeric fields as nvidia-smi/rocm-smi reported
// them. An unknown value is an empty cell, never 0.
import { closeSync, constants, fstatSync, readFileSync, readSync, writeSync } from 'node:fs';
import type { GpuReading } from '../lib/gpu-query.js';
import { DpError, UsageError } from '../lib/cli.js';
import type { GpuJson } from './snapshot.js';
import { openOwnFile } from './own-file.js';

export const CSV_COLUMNS = [
  'timestamp',
  'gpu_index',
  'utilization_gpu_percent',
  'utilization_memory_percent',
  'memory_used_mib',
  'memory_total_mib',
  'temperature_c',
  'power_draw_w',
  'power_limit_w',
] as const;

export const CSV_HEADER = CSV_COLUMNS.join(',');

/** One CSV row: a GPU's numeric fields (as in the JSON) at a time. */
export type LogRow = {
  /** Epoch milliseconds. */
  time: number;
  gpuIndex: number;
} & Pick<
  GpuJson,
  'utilizationGpuPercent' | 'utilizationMemoryPercent' | 'memoryUsedMiB' | 'memoryTotalMiB' | 'temperatureC' | 'powerDrawW' | 'powerLimitW'
>;

const cell = (value: number | null) => (value === null ? '' : String(value));

/** The CSV lines (each ending in \n) for one sample. */
export function csvRows(at: Date, gpus: GpuReading[]): string {
  const timestamp = at.toISOString();
  return gpus
    .map((gpu) =>
      [
        timestamp,
        gpu.index,
        cell(gpu.utilizationGpuPercent),
        cell(gpu.utilizationMemoryPercent),
        cell(gpu.memoryUsedMiB),
        cell(gpu.memoryTotalMiB),
        cell(gpu.temperatureC),
        cell(gpu.powerDrawW),
        cell(gpu.powerLimitW),
      ].join(','),
    )
    .map((line) => `${line}\n`)
    .join('');
}

function cannotWrite(path: string, error: unknown): DpError {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new DpError(`cannot write the log ${path} (${code})`, 'check that the directory exists and is writable', 2);
}

/** An open CSV log. The header is written to a new or empty file; an existing log must have the same header. */
export class CsvLog {
  private constructor(
    private readonly fd: number,
    readonly path: string,
  ) {}

  static open(path: string): CsvLog {
    const fd = openOwnFile(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, '--log FILE.csv');
    const size = fstatSync(fd).size;
    if (size === 0) {
      writeSync(fd, `${CSV_HEADER}\n`);
      return new CsvLog(fd, path);
    }
    const head = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, head, 0, head.length, 0);
    const firstLine = head.toString('utf8').split(/\r?\n/)[0];
    if (firstLine !== CSV_HEADER) {
      closeSync(fd);
      throw new UsageError(`${path} exists and is not a gpu_monitor log (its first line is not the expected header)`, 'choose a new file for --log');
    }
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    // A run killed mid-line leaves no final newline: start on a fresh line.
    if (last.toString() !== '\n') writeSync(fd, '\n');
    return new CsvLog(fd, path);
  }

  append(at: Date, gpus: GpuReading[]): void {
    if (gpus.length === 0) return;
    try {
      writeSync(this.fd, csvRows(at, gpus));
    } catch (error) {
      throw cannotWrite(this.path, error);
    }
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

const numberCell = (text: string | undefined): number | null => {
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
};

/** Rows of a log written by --log. Rows that cannot be read (a line cut off by a crash) are counted, not fatal. */
export function parseCsvLog(text: string, path = 'the log'): { rows: LogRow[]; skipped: number } {
  const lines = text.split(/\r?\n/);
  if ((lines[0] ?? '').trim() !== CSV_HEADER) {
    throw new UsageError(`${path} is not a gpu_monitor CSV log (expected the header ${CSV_HEADER})`, 'record one with --log FILE.csv');
  }
  const rows: LogRow[] = [];
  let skipped = 0;
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    if (line === CSV_HEADER) continue;
    const cells = line.split(',');
    const time = Date.parse(cells[0] ?? '');
    const gpuIndex = Number(cells[1]);
    if (cells.length !== CSV_COLUMNS.length || !Number.isFinite(time) || cells[1] === '' || !Number.isInteger(gpuIndex)) {
      skipped += 1;
      continue;
    }
    rows.push({
      time,
      gpuIndex,
      utilizationGpuPercent: numberCell(cells[2]),
      utilizationMemoryPercent: numberCell(cells[3]),
      memoryUsedMiB: numberCell(cells[4]),
      memoryTotalMiB: numberCell(cells[5]),
      temperatureC: numberCell(cells[6]),
      powerDrawW: numberCell(cells[7]),
      powerLimitW: numberCell(cells[8]),
    });
  }
  return { rows, skipped };
}

/** Read a log file, or fail with one line saying why. */
export function readCsvLog(path: string): { rows: LogRow[]; skipped: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}${code === 'ENOENT' ? ': no such file' : ` (${code})`}`, 'record a log first: gpu_monitor --log run.csv');
  }
  return parseCsvLog(text, path);
}
