// `--plot FILE.csv -o FILE.svg`: a self-contained SVG (no scripts, fonts or links) with one panel per GPU:
// utilisation (utilization.gpu, %) and memory used (memory.used / memory.total x 100, %) over the run.
// Unknown values and pauses in logging (a gap longer than 5 x the median sampling step) break the lines
// rather than being drawn as 0 or bridged. Long runs are reduced to at most `maxPoints` points per line: each
// point is then the mean of the samples in its time bucket, and the caption says so.
import { formatDuration } from '../lib/format.js';
import type { LogRow } from './csv-log.js';

export interface PlotOptions {
  title?: string;
  width?: number;
  maxPoints?: number;
}

interface Point {
  time: number;
  value: number | null;
}

const COLORS = { util: '#1f77b4', memory: '#e8710a' } as const;
const LABELS = { util: 'utilisation %', memory: 'memory used %' } as const;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Mean per time bucket when there are more than maxPoints points; a bucket with only unknowns is unknown. */
export function downsample(points: Point[], maxPoints: number): { points: Point[]; perPoint: number } {
  if (points.length <= maxPoints) return { points, perPoint: 1 };
  const perPoint = Math.ceil(points.length / maxPoints);
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += perPoint) {
    const bucket = points.slice(i, i + perPoint);
    const known = bucket.filter((p) => p.value !== null).map((p) => p.value!);
    out.push({ time: bucket[0]!.time, value: known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length });
  }
  return { points: out, perPoint };
}

/** Runs of consecutive known values, split at unknowns and at gaps longer than maxGapMs. */
export function segments(points: Point[], maxGapMs: number): Point[][] {
  const runs: Point[][] = [];
  let current: Point[] = [];
  let previous: Point | null = null;
  for (const point of points) {
    const gap = previous !== null && point.time - previous.time > maxGapMs;
    if (point.value === null || gap) {
      if (current.length > 0) runs.push(current);
      current = [];
    }
    if (point.value !== null) current.push(point);
    previous = point;
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

export interface Plot {
  svg: string;
  gpus: number;
  samples: number;
  durationMs: number;
}

export function renderPlotSvg(rows: LogRow[], options: PlotOptions = {}): Plot {
  const width = options.width ?? 960;
  const maxPoints = options.maxPoints ?? 1200;
  const byGpu = new Map<number, LogRow[]>();
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const row of rows) {
    const list = byGpu.get(row.gpuIndex);
    if (list) list.push(row);
    else byGpu.set(row.gpuIndex, [row]);
    t0 = Math.min(t0, row.time);
    t1 = Math.max(t1, row.time);
  }
  const indices = [...byGpu.keys()].sort((a, b) => a - b);
  const span = Math.max(1, t1 - t0);
  const left = 56;
  const right = 24;
  const plotWidth = width - left - right;
  const header = 64;
  const panelHeight = 190;
  const plotHeight = 140;
  const height = header + indices.length * panelHeight + 40;
  const x = (time: number) => left + ((time - t0) / span) * plotWidth;
  const out: string[] = [];
  let reduced = 1;
  const title = options.title ?? 'GPU utilisation and memory';
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${left}" y="44" fill="#555555">${escapeXml(`${new Date(t0).toISOString()} to ${new Date(t1).toISOString()} (${formatDuration(span / 1000)}), ${indices.length} GPU${indices.length === 1 ? '' : 's'}, ${rows.length} rows`)}</text>`,
    `<g font-size="12"><rect x="${width - right - 250}" y="14" width="12" height="3" fill="${COLORS.util}"/><text x="${width - right - 234}" y="19">${LABELS.util}</text>`,
    `<rect x="${width - right - 130}" y="14" width="12" height="3" fill="${COLORS.memory}"/><text x="${width - right - 114}" y="19">${LABELS.memory}</text></g>`,
  );
  indices.forEach((index, panel) => {
    const gpuRows = byGpu.get(index)!.sort((a, b) => a.time - b.time);
    const top = header + panel * panelHeight + 20;
    const y = (percent: number) => top + plotHeight - (Math.min(100, Math.max(0, percent)) / 100) * plotHeight;
    const steps = gpuRows.slice(1).map((row, i) => row.time - gpuRows[i]!.time);
    const maxGap = Math.max(5 * median(steps), 1);
    out.push(`<g class="gpu" data-gpu="${index}">`);
    out.push(`<text x="${left}" y="${top - 6}" font-weight="bold">GPU ${index}</text>`);
    out.push(`<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#cccccc"/>`);
    for (const percent of [0, 25, 50, 75, 100]) {
      out.push(`<line x1="${left}" y1="${y(percent).toFixed(1)}" x2="${left + plotWidth}" y2="${y(percent).toFixed(1)}" stroke="#eeeeee"/>`);
      out.push(`<text x="${left - 6}" y="${(y(percent) + 4).toFixed(1)}" text-anchor="end" fill="#555555">${percent}%</text>`);
    }
    for (let tick = 0; tick <= 4; tick += 1) {
      const time = t0 + (span * tick) / 4;
      out.push(`<text x="${x(time).toFixed(1)}" y="${top + plotHeight + 16}" text-anchor="middle" fill="#555555">${escapeXml(formatDuration((time - t0) / 1000))}</text>`);
    }
    const series = {
      util: gpuRows.map((row) => ({ time: row.time, value: row.utilizationGpuPercent })),
      memory: gpuRows.map((row) => ({
        time: row.time,
        value: row.memoryUsedMiB !== null && row.memoryTotalMiB !== null && row.memoryTotalMiB > 0 ? (row.memoryUsedMiB / row.memoryTotalMiB) * 100 : null,
      })),
    };
    for (const name of ['memory', 'util'] as const) {
      const { points, perPoint } = downsample(series[name], maxPoints);
      reduced = Math.max(reduced, perPoint);
      for (const run of segments(points, maxGap * perPoint)) {
        const coords = run.map((p) => `${x(p.time).toFixed(1)},${y(p.value!).toFixed(1)}`).join(' ');
        out.push(`<polyline class="${name}" data-gpu="${index}" data-series="${name}" fill="none" stroke="${COLORS[name]}" stroke-width="1.5" points="${coords}"/>`);
      }
    }
    out.push('</g>');
  });
  const notes = ['utilisation = nvidia-smi utilization.gpu; memory used % = memory.used / memory.total x 100; gaps = unknown values or pauses in logging'];
  if (reduced > 1) notes.push(`each point is the mean of up to ${reduced} samples`);
  out.push(`<text x="${left}" y="${height - 14}" fill="#555555">${escapeXml(notes.join('; '))}</text>`, '</svg>', '');
  return { svg: out.join('\n'), gpus: indices.length, samples: rows.length, durationMs: t1 - t0 };
}
