// AMD GPUs through `rocm-smi --json`. Facts: ../shared/research/gpu-monitor.md §6.
// The JSON is {"card0": {...}, ..., "system": {...}} with string values and human key names that changed
// across ROCm versions (4.3 / 5.x / 6.x captures in ../shared/fixtures/nvidia-smi/rocm-smi__json_*), so every
// reading tries the known spellings in turn. "N/A" and friends are unknown (null), as with nvidia-smi.
import { emptyReading, type GpuReading } from './gpu-query.js';
import { parseCell, parseNumber } from './nvidia-smi.js';

/** What the monitor asks rocm-smi for: ids, names, bus, use, memory, temperature, power and its cap. */
export const ROCM_SMI_ARGS = [
  '--showid',
  '--showproductname',
  '--showbus',
  '--showuniqueid',
  '--showuse',
  '--showmemuse',
  '--showmeminfo',
  'vram',
  '--showtemp',
  '--showpower',
  '--showmaxpower',
  '--json',
];

const MIB = 1024 * 1024;

function pick(card: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = card[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

const number = (card: Record<string, unknown>, keys: string[]) => parseNumber(pick(card, keys));

/** One card object as a GpuReading (fields rocm-smi has no equivalent for stay null). */
export function parseRocmCard(index: number, card: Record<string, unknown>): GpuReading {
  const gpu = emptyReading(index);
  const uniqueId = parseCell(pick(card, ['Unique ID', 'Unique ID:']));
  gpu.uuid = uniqueId;
  // Older ROCm puts PCI ids ("0x1002") in "Card series": a hex id is not a name.
  const names = ['Device Name', 'Card Series', 'Card series', 'Card SKU'].map((key) => parseCell(pick(card, [key])));
  gpu.name = names.find((name): name is string => name !== null && !/^0x[0-9a-f]+$/i.test(name)) ?? null;
  gpu.busId = parseCell(pick(card, ['PCI Bus']));
  gpu.utilizationGpuPercent = number(card, ['GPU use (%)']);
  gpu.utilizationMemoryPercent = number(card, ['GPU memory use (%)', 'GPU Memory Read/Write Activity (%)']);
  const totalBytes = number(card, ['VRAM Total Memory (B)']);
  const usedBytes = number(card, ['VRAM Total Used Memory (B)']);
  gpu.memoryTotalMiB = totalBytes === null ? null : Math.round(totalBytes / MIB);
  gpu.memoryUsedMiB = usedBytes === null ? null : Math.round(usedBytes / MIB);
  gpu.memoryFreeMiB = totalBytes === null || usedBytes === null ? null : Math.round((totalBytes - usedBytes) / MIB);
  gpu.temperatureC = number(card, ['Temperature (Sensor edge) (C)', 'Temperature (Sensor junction) (C)']);
  gpu.memoryTemperatureC = number(card, ['Temperature (Sensor memory) (C)']);
  gpu.powerDrawW = number(card, [
    'Average Graphics Package Power (W)',
    'Current Socket Graphics Package Power (W)',
    'Current Graphics Package Power (W)',
  ]);
  gpu.powerLimitW = number(card, ['Max Graphics Package Power (W)']);
  return gpu;
}

/**
 * The GPUs in a `rocm-smi --json` answer, ordered by card number. Warning lines rocm-smi may print around
 * the object are ignored; throws when there is no JSON object at all.
 */
export function parseRocmSmiJson(text: string): GpuReading[] {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('rocm-smi printed no JSON object');
  const data = JSON.parse(text.slice(start, end + 1)) as Record<string, unknown>;
  if (data === null || typeof data !== 'object') return [];
  return Object.entries(data)
    .map(([key, value]) => ({ match: /^card(\d+)$/.exec(key), value }))
    .filter((entry): entry is { match: RegExpExecArray; value: Record<string, unknown> } => entry.match !== null && typeof entry.value === 'object' && entry.value !== null)
    .map(({ match, value }) => parseRocmCard(Number(match[1]), value))
    .sort((a, b) => a.index - b.index);
}
