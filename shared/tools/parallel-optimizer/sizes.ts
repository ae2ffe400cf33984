// Parsing what users type (7B, 80GiB, 235) and printing quantities with their units.
// Units (../shared/research/parallel.md §0): GiB = 2^30 B, GB = 1e9 B; nccl-tests GB/s = 1e9 B/s.
import { UsageError } from '../lib/cli.js';

/** GPUs in total, and per node: the most any of --gpus, --nodes x --gpus-per-node may describe. */
export const MAX_GPUS = 1_048_576;

interface Range {
  min: number;
  max: number;
  /** How the range reads in the message when the bare numbers would not ("1MiB and 64TiB"). */
  text?: string;
}

/**
 * The range of every numeric option (docs/tools/parallel-optimizer.md, "Ranges"): far beyond any real model or
 * cluster, and small enough that every result is a finite number printed without exponents, in well under a second.
 */
export const LIMITS = {
  params: { min: 1, max: 1e15, text: '1 and 1000T (1e15)' },
  'largest-layer': { min: 1, max: 1e15, text: '1 and 1000T (1e15)' },
  layers: { min: 1, max: 100_000 },
  'hidden-size': { min: 1, max: 1_048_576 },
  heads: { min: 1, max: 65_536 },
  'kv-heads': { min: 1, max: 65_536 },
  'vocab-size': { min: 1, max: 16_777_216 },
  'seq-len': { min: 1, max: 16_777_216 },
  'micro-batch': { min: 1, max: 65_536 },
  'global-batch': { min: 1, max: 1_073_741_824 },
  interleave: { min: 1, max: 1024 },
  headroom: { min: 0, max: 0.9 },
  mfu: { min: 0.01, max: 1 },
  'peak-tflops': { min: 0.001, max: 1_000_000 },
  gpus: { min: 1, max: MAX_GPUS },
  nodes: { min: 1, max: MAX_GPUS },
  'gpus-per-node': { min: 1, max: MAX_GPUS },
  'gpu-memory': { min: 2 ** 20, max: 2 ** 46, text: '1MiB and 64TiB' },
  'bus-bandwidth': { min: 0.001, max: 100_000 },
  'inter-node-bandwidth': { min: 0.001, max: 100_000 },
} as const satisfies Record<string, Range>;

export type NumericFlag = keyof typeof LIMITS;

const between = (flag: NumericFlag) => {
  const range: Range = LIMITS[flag];
  return `between ${range.text ?? `${range.min} and ${range.max}`}`;
};

const COUNT_SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/**
 * A parameter count: "7B", "1.3e9", "350M", "70b", "1.5T", "125k", "6_700_000_000", "6,700,000,000".
 * Rounded to a whole number; what is not a count, or is out of its range, is a usage error naming the flag.
 */
export function parseCount(flag: 'params' | 'largest-layer', raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim().replace(/[_,]/g, '');
  const match = /^(\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)\s*([kmbgt]?)$/i.exec(text);
  const value = match ? Math.round(Number(match[1]) * COUNT_SUFFIX[match[2]!.toLowerCase()]!) : NaN;
  if (!(value >= LIMITS[flag].min && value <= LIMITS[flag].max)) {
    throw new UsageError(`--${flag} must be a count ${between(flag)}, such as 7B, 1.3e9 or 350M, got '${raw}'`, 'suffixes: k = 1e3, M = 1e6, B = 1e9, T = 1e12');
  }
  return value;
}

/** A whole number in its range (GPU and node counts, layers, batch sizes...). */
export function parsePositiveInt(flag: NumericFlag, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isInteger(value) || value < LIMITS[flag].min || value > LIMITS[flag].max) {
    throw new UsageError(`--${flag} must be a whole number ${between(flag)}, got '${raw}'`);
  }
  return value;
}

/** A real number in its range, optionally followed by a unit word the flag documents (e.g. "GB/s", "TFLOP/s"). */
export function parsePositive(flag: NumericFlag, raw: string | undefined, unit = ''): number | undefined {
  if (raw === undefined) return undefined;
  let text = raw.trim();
  if (unit && text.toLowerCase().endsWith(unit.toLowerCase())) text = text.slice(0, -unit.length).trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value < LIMITS[flag].min || value > LIMITS[flag].max) {
    throw new UsageError(`--${flag} must be a number ${between(flag)}${unit ? ` (${unit})` : ''}, got '${raw}'`);
  }
  return value;
}

/** A fraction in its range, given as 0.4 or 40%. */
export function parseFraction(flag: 'headroom' | 'mfu', raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const percent = text.endsWith('%');
  const value = Number(percent ? text.slice(0, -1) : text) / (percent ? 100 : 1);
  if (text === '' || !Number.isFinite(value) || value < LIMITS[flag].min || value > LIMITS[flag].max) {
    throw new UsageError(`--${flag} must be a fraction ${between(flag)} (e.g. 0.4 or 40%), got '${raw}'`);
  }
  return value;
}

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** A memory size: "80GiB", "81920MiB", "80GB" (decimal), or a bare number meaning GiB. */
export function parseBytes(flag: 'gpu-memory', raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = match ? (match[2] === '' ? 'gib' : match[2]!.toLowerCase()) : '';
  const factor = BYTE_UNITS[unit];
  const value = match && factor ? Number(match[1]) * factor : NaN;
  if (!(value >= LIMITS[flag].min && value <= LIMITS[flag].max)) {
    throw new UsageError(
      `--${flag} must be a memory size ${between(flag)}, such as 80GiB, 81920MiB or 40GB, got '${raw}'`,
      'GiB/MiB are binary (2^30, 2^20), GB/MB decimal (1e9, 1e6); a bare number means GiB',
    );
  }
  return Math.round(value);
}

export const GiB = 2 ** 30;

/** n.toFixed(digits), also from 1e21 up, where toFixed switches to an exponent (huge, but allowed, inputs). */
export function fixed(n: number, digits: number): string {
  return Math.abs(n) < 1e21 ? n.toFixed(digits) : `${BigInt(Math.round(n))}${digits > 0 ? `.${'0'.repeat(digits)}` : ''}`;
}

/** Bytes in GiB with two decimals: "72.00 GiB". */
export function gib(bytes: number, digits = 2): string {
  return `${fixed(bytes / GiB, digits)} GiB`;
}

/** Bytes in decimal GB (the ZeRO paper's and nccl-tests' unit): "14.00 GB". */
export function gb(bytes: number, digits = 2): string {
  return `${fixed(bytes / 1e9, digits)} GB`;
}

/** A parameter count for people: "6.74 B" / "350.0 M" / "125.4 k". */
export function formatCount(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(2)} T`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

/** A whole number with thousands separators: 6,738,415,616. */
export function withCommas(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Seconds with a unit that keeps 3 significant figures: "104 ms", "2.35 s", "1.20 h". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'unknown';
  if (seconds === 0) return '0 s';
  const sig = (x: number) => (x >= 100 ? fixed(x, 0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  if (seconds < 1e-3) return `${sig(seconds * 1e6)} µs`;
  if (seconds < 1) return `${sig(seconds * 1e3)} ms`;
  if (seconds < 3600) return `${sig(seconds)} s`;
  if (seconds < 86400 * 2) return `${sig(seconds / 3600)} h`;
  return `${sig(seconds / 86400)} days`;
}

/** A bandwidth in bytes/s as nccl-tests prints it: "235 GB/s". */
export function formatBandwidth(bytesPerSecond: number | null): string {
  if (bytesPerSecond === null) return 'n/a';
  const gbps = bytesPerSecond / 1e9;
  return `${gbps >= 100 ? gbps.toFixed(0) : gbps >= 10 ? gbps.toFixed(1) : gbps.toFixed(2)} GB/s`;
}

/** A fraction as a percentage: 0.375 -> "37.5%". */
export function percent(fraction: number | null, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return 'n/a';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** A bandwidth flag in GB/s (1e9 bytes/s, as nccl-tests prints busbw), "235" or "235GB/s"; returns bytes/s. */
export function parseBandwidthGBps(flag: 'bus-bandwidth' | 'inter-node-bandwidth', raw: string | undefined): number | undefined {
  const value = parsePositive(flag, raw, 'GB/s');
  return value === undefined ? undefined : value * 1e9;
}

/** Memory units of --units: decimal GB (the ZeRO paper's), binary GiB (the default), MiB (DeepSpeed's docs for small models). */
export const MEMORY_UNITS = { GB: 1e9, GiB: 2 ** 30, MiB: 2 ** 20 } as const;
export type MemoryUnit = keyof typeof MEMORY_UNITS;

/** Bytes as a number in the unit, two decimals, without the unit: "72.00". */
export function inUnit(bytes: number, unit: MemoryUnit, digits = 2): string {
  return fixed(bytes / MEMORY_UNITS[unit], digits);
}

/** Bytes in the unit with its name: "72.00 GiB", "77.31 GB", "73728.00 MiB". */
export function memory(bytes: number, unit: MemoryUnit, digits = 2): string {
  return `${inUnit(bytes, unit, digits)} ${unit}`;
}
