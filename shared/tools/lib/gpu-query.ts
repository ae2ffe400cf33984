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
  /** clocks.max.sm / clocks.max.memory: the highest clocks the GPU can run at (MHz). */
  smClockMaxMHz: number | null;
  memoryClockMaxMHz: number | null;
  /** pstate: performance state, "P0" (maximum) to "P12" (minimum). */
  performanceState: string | null;
  /** clocks_event_reasons.active: NVML's bitmask of why clocks are held down now (CLOCK_EVENT_REASON_BITS). */
  clockEventReasons: number | null;
  utilizationEncoderPercent: number | null;
  utilizationDecoderPercent: number | null;
  /** ECC and row remapping as nvidia-smi reports them ([N/A] on boards without ECC: null). */
  ecc: EccReading;
}

export interface EccReading {
  /** ecc.mode.current: true when ECC is on. */
  enabled: boolean | null;
  /** ecc.errors.{corrected,uncorrected}.volatile.total: since the driver loaded. */
  correctedVolatile: number | null;
  uncorrectedVolatile: number | null;
  /** ecc.errors.{corrected,uncorrected}.aggregate.total: over the GPU's life. */
  correctedAggregate: number | null;
  uncorrectedAggregate: number | null;
  /** remapped_rows.correctable / .uncorrectable: memory rows remapped (Ampere and later). */
  remappedRowsCorrectable: number | null;
  remappedRowsUncorrectable: number | null;
  /** remapped_rows.failure: a remapping failed (the GPU needs service). */
  remapFailure: boolean | null;
}

/** The bits of clocks_event_reasons.active (NVML nvmlClocksEventReason*; research/megatron-accelerate.md §4). */
export const CLOCK_EVENT_REASON_BITS: readonly { bit: number; name: string }[] = [
  { bit: 0x1, name: 'gpu_idle' },
  { bit: 0x2, name: 'applications_clocks_setting' },
  { bit: 0x4, name: 'sw_power_cap' },
  { bit: 0x8, name: 'hw_slowdown' },
  { bit: 0x10, name: 'sync_boost' },
  { bit: 0x20, name: 'sw_thermal_slowdown' },
  { bit: 0x40, name: 'hw_thermal_slowdown' },
  { bit: 0x80, name: 'hw_power_brake_slowdown' },
  { bit: 0x100, name: 'display_clock_setting' },
];

/** The names of the bits set in a clock event mask (bits this table does not name are left out). */
export function clockEventReasonNames(mask: number | null): string[] | null {
  return mask === null ? null : CLOCK_EVENT_REASON_BITS.filter(({ bit }) => (mask & bit) !== 0).map(({ name }) => name);
}

type Setter = (gpu: GpuReading, cell: string) => void;

/** A hexadecimal mask such as 0x0000000000000041; null when unknown or not hexadecimal. */
const hexMask = (cell: string): number | null => {
  const value = parseCell(cell);
  if (value === null || !/^0x[0-9a-f]{1,16}$/i.test(value)) return null;
  const mask = BigInt(value);
  return mask <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(mask) : null;
};

/** "Enabled"/"Disabled", "Yes"/"No" as a boolean; anything else (e.g. [N/A]) unknown. */
const yesNo = (cell: string): boolean | null => {
  const value = parseCell(cell);
  if (value === null) return null;
  if (/^(enabled|yes)$/i.test(value)) return true;
  if (/^(disabled|no)$/i.test(value)) return false;
  return null;
};

const eccCount =
  (key: Exclude<keyof EccReading, 'enabled' | 'remapFailure'>): Setter =>
  (g, c) =>
    void (g.ecc[key] = parseNumber(c));

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
  { field: 'clocks_throttle_reasons.active', header: 'clocks_event_reasons.active', optional: true, set: (g, c) => void (g.clockEventReasons = hexMask(c)) },
  { field: 'clocks.max.sm', optional: true, set: (g, c) => void (g.smClockMaxMHz = parseNumber(c)) },
  { field: 'clocks.max.memory', optional: true, set: (g, c) => void (g.memoryClockMaxMHz = parseNumber(c)) },
  { field: 'pstate', optional: true, set: (g, c) => void (g.performanceState = parseCell(c)) },
  { field: 'utilization.encoder', optional: true, set: (g, c) => void (g.utilizationEncoderPercent = parseNumber(c)) },
  { field: 'utilization.decoder', optional: true, set: (g, c) => void (g.utilizationDecoderPercent = parseNumber(c)) },
  { field: 'ecc.mode.current', optional: true, set: (g, c) => void (g.ecc.enabled = yesNo(c)) },
  { field: 'ecc.errors.corrected.volatile.total', optional: true, set: eccCount('correctedVolatile') },
  { field: 'ecc.errors.uncorrected.volatile.total', optional: true, set: eccCount('uncorrectedVolatile') },
  { field: 'ecc.errors.corrected.aggregate.total', optional: true, set: eccCount('correctedAggregate') },
  { field: 'ecc.errors.uncorrected.aggregate.total', optional: true, set: eccCount('uncorrectedAggregate') },
  { field: 'remapped_rows.correctable', optional: true, set: eccCount('remappedRowsCorrectable') },
  { field: 'remapped_rows.uncorrectable', optional: true, set: eccCount('remappedRowsUncorrectable') },
  { field: 'remapped_rows.failure', optional: true, set: (g, c) => void (g.ecc.remapFailure = yesNo(c)) },
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
    smClockMaxMHz: null,
    memoryClockMaxMHz: null,
    performanceState: null,
    clockEventReasons: null,
    utilizationEncoderPercent: null,
    utilizationDecoderPercent: null,
    ecc: {
      enabled: null,
      correctedVolatile: null,
      uncorrectedVolatile: null,
      correctedAggregate: null,
      uncorrectedAggregate: null,
      remappedRowsCorrectable: null,
      remappedRowsUncorrectable: null,
      remapFailure: null,
    },
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
