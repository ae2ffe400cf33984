// nvidia-smi --query-gpu / --query-compute-apps: the field lists, positional parsing and one-shot queries.
// Facts: ../shared/research/gpu-monitor.md §3 (fields, aliases, [N/A] values, exit codes).
// - rows are parsed by position against the field list that was asked for, never by header names;
// - a header line anywhere in the output is skipped; blank lines are skipped;
// - one invalid field fails the whole query, so optional fields are dropped one by one and the query retried.
import { isHeaderLine, parseCell, parseNumber, runSmi, splitRow, type SmiOptions, type SmiResult } from './nvidia-smi.js';

/** One GPU as one --query-gpu row reports it. Unknown values are null, never 0. */
export interface GpuReading {
  index: number;
  uuid: string | null;
  name: string | null;
  busId: string | null;
  utilizationGpuPercent: number | null;
  utilizationMemoryPercent: number | null;
  memoryUsedMiB: number | null;
  memoryFreeMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureC: number | null;
  memoryTemperatureC: number | null;
  /** temperature.gpu.tlimit: degrees C left before the GPU's slowdown temperature (newer drivers). */
  thermalMarginC: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  smClockMHz: number | null;
  memoryClockMHz: number | null;
  /** mig.mode.current: true when MIG is on (whole-GPU utilisation is then [N/A]). */
  migEnabled: boolean | null;
  /** driver_model.current: "WDDM" or "TCC" on Windows, null elsewhere. */
  driverModel: string | null;
  /** clocks_throttle_reasons.*: whether each slowdown is active now. */
  slowdown: { swPowerCap: boolean | null; hwSlowdown: boolean | null; swThermal: boolean | null; hwThermal: boolean | null };
}

type Setter = (gpu: GpuReading, cell: string) => void;

const activeFlag = (cell: string): boolean | null => {
  const value = parseCell(cell);
  if (value === null) return null;
  if (/^active$/i.test(value)) return true;
  if (/^not active$/i.test(value)) return false;
  return null;
};

/**
 * The fields the monitor asks for, in order. Required fields exist on every driver the tool supports;
 * optional ones are dropped when a driver rejects them. `header` is the canonical name nvidia-smi echoes
 * in a CSV header when we ask for an alias (clocks_throttle_reasons.* is printed as clocks_event_reasons.*).
 */
export const GPU_FIELD_SPECS: readonly { field: string; optional: boolean; header?: string; set: Setter }[] = [
  { field: 'index', optional: false, set: (g, c) => void (g.index = Number(c)) },
  { field: 'uuid', optional: false, set: (g, c) => void (g.uuid = parseCell(c)) },
  { field: 'name', optional: false, set: (g, c) => void (g.name = parseCell(c)) },
  { field: 'pci.bus_id', optional: false, set: (g, c) => void (g.busId = parseCell(c)) },
  { field: 'utilization.gpu', optional: false, set: (g, c) => void (g.utilizationGpuPercent = parseNumber(c)) },
  { field: 'utilization.memory', optional: false, set: (g, c) => void (g.utilizationMemoryPercent = parseNumber(c)) },
  { field: 'memory.used', optional: false, set: (g, c) => void (g.memoryUsedMiB = parseNumber(c)) },
  { field: 'memory.free', optional: false, set: (g, c) => void (g.memoryFreeMiB = parseNumber(c)) },
  { field: 'memory.total', optional: false, set: (g, c) => void (g.memoryTotalMiB = parseNumber(c)) },
  { field: 'temperature.gpu', optional: false, set: (g, c) => void (g.temperatureC = parseNumber(c)) },
  { field: 'power.draw', optional: false, set: (g, c) => void (g.powerDrawW = parseNumber(c)) },
  { field: 'power.limit', optional: false, set: (g, c) => void (g.powerLimitW = parseNumber(c)) },
  { field: 'temperature.memory', optional: true, set: (g, c) => void (g.memoryTemperatureC = parseNumber(c)) },
  { field: 'temperature.gpu.tlimit', optional: true, set: (g, c) => void (g.thermalMarginC = parseNumber(c)) },
  { field: 'clocks.current.sm', optional: true, set: (g, c) => void (g.smClockMHz = parseNumber(c)) },
  { field: 'clocks.current.memory', optional: true, set: (g, c) => void (g.memoryClockMHz = parseNumber(c)) },
  {
    field: 'mig.mode.current',
    optional: true,
    set: (g, c) => {
      const value = parseCell(c);
      g.migEnabled = value === null ? null : /^enabled$/i.test(value);
    },
  },
  { field: 'driver_model.current', optional: true, set: (g, c) => void (g.driverModel = parseCell(c)) },
  ...(['sw_power_cap', 'hw_slowdown', 'sw_thermal_slowdown', 'hw_thermal_slowdown'] as const).map((reason) => ({
    field: `clocks_throttle_reasons.${reason}`,
    header: `clocks_event_reasons.${reason}`,
    optional: true,
    set: ((g, c) => {
      const key = ({ sw_power_cap: 'swPowerCap', hw_slowdown: 'hwSlowdown', sw_thermal_slowdown: 'swThermal', hw_thermal_slowdown: 'hwThermal' } as const)[reason];
      g.slowdown[key] = activeFlag(c);
    }) as Setter,
  })),
];

/** Every field the monitor asks for, in the order rows are parsed. */
export const GPU_QUERY_FIELDS: readonly string[] = GPU_FIELD_SPECS.map((spec) => spec.field);
/** The fields no supported driver lacks: a rejection of one of these is reported, not worked around. */
export const REQUIRED_GPU_FIELDS: readonly string[] = GPU_FIELD_SPECS.filter((spec) => !spec.optional).map((spec) => spec.field);

const specByField = new Map(GPU_FIELD_SPECS.map((spec) => [spec.field, spec]));

export function emptyReading(index: number): GpuReading {
  return {
    index,
    uuid: null,
    name: null,
    busId: null,
    utilizationGpuPercent: null,
    utilizationMemoryPercent: null,
    memoryUsedMiB: null,
    memoryFreeMiB: null,
    memoryTotalMiB: null,
    temperatureC: null,
    memoryTemperatureC: null,
    thermalMarginC: null,
    powerDrawW: null,
    powerLimitW: null,
    smClockMHz: null,
    memoryClockMHz: null,
    migEnabled: null,
    driverModel: null,
    slowdown: { swPowerCap: null, hwSlowdown: null, swThermal: null, hwThermal: null },
  };
}

/** The arguments of a --query-gpu call for `fields`; with loopMs, the long-lived `-lms` stream. */
export function gpuQueryArgs(fields: readonly string[] = GPU_QUERY_FIELDS, loopMs?: number): string[] {
  const args = [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'];
  return loopMs === undefined ? args : [...args, '-lms', String(Math.round(loopMs))];
}

/**
 * One row, by position against `fields` (which must start with `index`); null when the line is not a row.
 * Only a `name` cell can hold a comma: extra cells are joined back into it.
 */
export function parseGpuRow(line: string, fields: readonly string[] = GPU_QUERY_FIELDS): GpuReading | null {
  let cells = splitRow(line);
  const nameAt = fields.indexOf('name');
  if (cells.length > fields.length && nameAt >= 0) {
    // A GPU name may itself contain ", " (no quoting in nvidia-smi CSV): the surplus cells are the name's.
    const span = cells.length - fields.length + 1;
    cells = [...cells.slice(0, nameAt), cells.slice(nameAt, nameAt + span).join(', '), ...cells.slice(nameAt + span)];
  }
  if (cells.length !== fields.length) return null;
  const index = Number(cells[0]);
  if (cells[0] === '' || !Number.isInteger(index) || index < 0) return null;
  const gpu = emptyReading(index);
  fields.forEach((field, i) => specByField.get(field)?.set(gpu, cells[i] ?? ''));
  return gpu;
}

export interface ParsedGpuCsv {
  gpus: GpuReading[];
  /** Non-empty lines that were neither a header nor a row (error text nvidia-smi printed instead of a row). */
  unexpected: string[];
}

/** A whole --query-gpu answer: header lines (anywhere) and blank lines skipped. */
export function parseGpuCsv(text: string, fields: readonly string[] = GPU_QUERY_FIELDS): ParsedGpuCsv {
  const gpus: GpuReading[] = [];
  const unexpected: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || isHeaderLine(line, fields[0] ?? 'index')) continue;
    const gpu = parseGpuRow(line, fields);
    if (gpu) gpus.push(gpu);
    else unexpected.push(line);
  }
  return { gpus, unexpected };
}

/** The field nvidia-smi named in `Field "x" is not a valid field to query.`, if it named one. */
export function rejectedField(message: string): string | null {
  return /Field "([^"]+)" is not a valid field to query/i.exec(message)?.[1] ?? null;
}

/** Field names listed by `nvidia-smi --help-query-gpu` (each entry reads `"name"` or `"name" or "alias"`). */
export function parseQueryHelpFields(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('"')) continue;
    for (const match of line.matchAll(/"([A-Za-z0-9_.]+)"/g)) names.add(match[1]!);
  }
  return names;
}

export type SmiFailed = Extract<SmiResult, { ok: false }>;
export type GpuQueryResult = { ok: true; gpus: GpuReading[]; fields: string[]; unexpected: string[] } | SmiFailed;

/**
 * One --query-gpu call with a timeout. When the driver rejects an optional field, that field is dropped and
 * the query retried (nvidia-smi names the field; if it does not, `--help-query-gpu` says which fields exist).
 * The answer carries the field list that worked, for a later `-lms` stream.
 */
export async function queryGpus(options: SmiOptions & { fields?: readonly string[] } = {}): Promise<GpuQueryResult> {
  let fields = [...(options.fields ?? GPU_QUERY_FIELDS)];
  let probed = false;
  for (let attempt = 0; attempt <= GPU_FIELD_SPECS.length; attempt += 1) {
    const result = await runSmi(gpuQueryArgs(fields), options);
    if (result.ok) {
      const parsed = parseGpuCsv(result.stdout, fields);
      if (parsed.gpus.length === 0 && parsed.unexpected.length > 0) {
        return { ok: false, failure: 'failed', message: parsed.unexpected[0]!, exitCode: 0 };
      }
      return { ok: true, fields, ...parsed };
    }
    if (result.failure !== 'invalid-field') return result;
    const named = rejectedField(result.message);
    if (named !== null) {
      if (!specByField.get(named)?.optional || !fields.includes(named)) return result;
      fields = fields.filter((field) => field !== named);
      continue;
    }
    if (probed) return result;
    probed = true;
    const help = await runSmi(['--help-query-gpu'], options);
    if (!help.ok) return result;
    const known = parseQueryHelpFields(help.stdout);
    const kept = fields.filter((field) => !specByField.get(field)?.optional || known.has(field));
    if (kept.length === fields.length) return result;
    fields = kept;
  }
  return { ok: false, failure: 'invalid-field', message: 'nvidia-smi kept rejecting query fields', exitCode: null };
}

// Per-process rows: --query-compute-apps. The one reader of it, for the monitor (with process_name, which it shows
// and which tells a PID from another namespace: [Not Found]) and for lib/compute-apps.ts (without the name).

/** One process with a compute context on a GPU (--query-compute-apps). */
export interface ComputeProcess {
  /** The GPU's uuid; under MIG, the parent GPU's uuid. */
  gpuUuid: string | null;
  pid: number;
  /** process_name as nvidia-smi saw it; null for [Not Found] (a PID from another PID namespace), or when not asked. */
  processName: string | null;
  /** used_gpu_memory in MiB; null where the driver does not report it (Windows WDDM). */
  usedMemoryMiB: number | null;
}

/** The fields asked for, in row order: uuid and pid first, memory last, the process name between. */
export const COMPUTE_PROCESS_FIELDS = ['gpu_uuid', 'pid', 'process_name', 'used_gpu_memory'] as const;
/** The same without process_name, for callers that need only who holds which GPU and how much memory. */
export const COMPUTE_MEMORY_FIELDS = ['gpu_uuid', 'pid', 'used_gpu_memory'] as const;
export type ComputeProcessFields = typeof COMPUTE_PROCESS_FIELDS | typeof COMPUTE_MEMORY_FIELDS;

export function computeProcessArgs(fields: ComputeProcessFields = COMPUTE_PROCESS_FIELDS): string[] {
  return [`--query-compute-apps=${fields.join(',')}`, '--format=csv,noheader,nounits'];
}

/**
 * --query-compute-apps rows in `fields` order. A process name may itself contain ", " (no quoting in nvidia-smi
 * CSV), so uuid and pid are read from the left, memory from the right, the name is what is between.
 */
export function parseComputeProcesses(text: string, fields: ComputeProcessFields = COMPUTE_PROCESS_FIELDS): ComputeProcess[] {
  const withName = (fields as readonly string[]).includes('process_name');
  const apps: ComputeProcess[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || isHeaderLine(line, 'gpu_uuid')) continue;
    const cells = line.split(',');
    if (cells.length < fields.length) continue;
    const pid = Number(cells[1]!.trim());
    if (!Number.isInteger(pid) || pid <= 0) continue;
    apps.push({
      gpuUuid: parseCell(cells[0]),
      pid,
      processName: withName ? parseCell(cells.slice(2, -1).join(',')) : null,
      usedMemoryMiB: parseNumber(cells[cells.length - 1]),
    });
  }
  return apps;
}

export type ComputeProcessResult = { ok: true; processes: ComputeProcess[] } | SmiFailed;

/** One --query-compute-apps call with a timeout (`fields`: with or without process_name; with it by default). */
export async function queryComputeProcesses(options: SmiOptions & { fields?: ComputeProcessFields } = {}): Promise<ComputeProcessResult> {
  const fields = options.fields ?? COMPUTE_PROCESS_FIELDS;
  const result = await runSmi(computeProcessArgs(fields), options);
  return result.ok ? { ok: true, processes: parseComputeProcesses(result.stdout, fields) } : result;
}

/**
 * A CSV with a header line (what nvidia-smi prints without `noheader`) as records keyed by field name, unit
 * tags such as " [MiB]" removed. For reading published captures and logs whose field order is not ours.
 */
export function readCsvTable(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  const header = splitRow(lines[0]!).map((name) => name.replace(/\s*\[[^\]]*\]$/, ''));
  return lines.slice(1).map((line) => {
    const cells = splitRow(line);
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
  });
}

/** The cell a record holds for one of our fields, under its own or its canonical header name. */
export function recordCell(record: Record<string, string>, field: string): string | undefined {
  const spec = specByField.get(field);
  return record[field] ?? (spec?.header ? record[spec.header] : undefined);
}
