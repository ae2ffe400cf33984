// `--plot FILE.csv -o FILE.svg`: a self-contained SVG (no scripts, fonts or links) with one row of three panels per
// GPU: utilisation (utilization.gpu, %) with memory used (memory.used / memory.total x 100, %); power (power.draw,
// with power.limit dashed, W); temperature (temperature.gpu, °C). Power and temperature share one scale across GPUs
// so rows compare at a glance; axes tick at round values (axis.ts). Text is kept inside the picture: labels are
// placed within the margins and the caption is wrapped to the width (estimated at 0.6 em per character).
// Unknown values and pauses in logging (a gap longer than 5 x the median sampling step) break the lines
// rather than being drawn as 0 or bridged. Long runs are reduced to at most `maxPoints` points per line: each
// point is then the mean of the samples in its time bucket, and the caption says so.
import { formatDuration } from '../lib/format.js';
import { niceScale, timeTicks } from './axis.js';
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

const COLORS = { util: '#1f77b4', memory: '#e8710a', power: '#2ca02c', powerLimit: '#7f7f7f', temperature: '#d62728' } as const;
const LABELS = { util: 'utilisation', memory: 'memory used', power: 'power draw', powerLimit: 'power limit', temperature: 'temperature' } as const;
type SeriesName = keyof typeof COLORS;

/** Width of a text in px, estimated for a sans-serif font (average glyph ~0.6 em): enough to keep text inside. */
export const textWidth = (text: string, fontSize = 12) => Math.ceil(text.length * fontSize * 0.6);

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

interface Panel {
  title: string;
  series: SeriesName[];
  scale: { min: number; max: number; ticks: number[] };
  unit: string;
  value: (row: LogRow, series: SeriesName) => number | null;
}

const memoryPercent = (row: LogRow) =>
  row.memoryUsedMiB !== null && row.memoryTotalMiB !== null && row.memoryTotalMiB > 0 ? (row.memoryUsedMiB / row.memoryTotalMiB) * 100 : null;

function known(rows: LogRow[], read: (row: LogRow) => number | null): number[] {
  return rows.map(read).filter((value): value is number => value !== null && Number.isFinite(value));
}

function panels(rows: LogRow[]): Panel[] {
  const watts = known(rows, (r) => r.powerDrawW).concat(known(rows, (r) => r.powerLimitW));
  const degrees = known(rows, (r) => r.temperatureC);
  return [
    {
      title: 'utilisation, memory used (%)',
      series: ['memory', 'util'],
      scale: { min: 0, max: 100, ticks: [0, 25, 50, 75, 100] },
      unit: '%',
      value: (row, series) => (series === 'util' ? row.utilizationGpuPercent : memoryPercent(row)),
    },
    {
      title: 'power draw, limit dashed (W)',
      series: ['powerLimit', 'power'],
      scale: niceScale(0, watts.length > 0 ? Math.max(...watts) : 1, 4, 1),
      unit: '',
      value: (row, series) => (series === 'power' ? row.powerDrawW : row.powerLimitW),
    },
    {
      title: 'temperature (°C)',
      series: ['temperature'],
      scale: degrees.length > 0 ? niceScale(Math.min(...degrees), Math.max(...degrees), 4, 1) : niceScale(0, 100),
      unit: '',
      value: (row) => row.temperatureC,
    },
  ];
}

/** A one-line text that fits `chars` characters: a long one (a deep log path) keeps its end, after an ellipsis. */
function keepEnd(text: string, chars: number): string {
  return text.length <= chars ? text : `…${text.slice(text.length - chars + 1)}`;
}

/** Words of `text` in lines of at most `chars` characters. */
function wrapText(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

export function renderPlotSvg(rows: LogRow[], options: PlotOptions = {}): Plot {
  const width = options.width ?? 1200;
  const maxPoints = options.maxPoints ?? 600;
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
  const outer = 16;
  const slot = (width - 2 * outer) / 3;
  const axisLeft = 44;
  const axisRight = 20;
  const plotWidth = slot - axisLeft - axisRight;
  const header = 84;
  const rowHeight = 200;
  const plotTop = 28;
  const plotHeight = 130;
  const title = options.title ?? 'GPU utilisation, memory, power and temperature';
  const notes = [
    'utilisation = nvidia-smi utilization.gpu; memory used = memory.used / memory.total x 100; power = power.draw (power.limit dashed); temperature = temperature.gpu;',
    'time axis = time since the first sample; gaps = unknown values or pauses in logging',
  ];
  const specs = panels(rows);
  const out: string[] = [];
  let reduced = 1;
  const body: string[] = [];
  indices.forEach((index, rowNumber) => {
    const gpuRows = byGpu.get(index)!.sort((a, b) => a.time - b.time);
    const top = header + rowNumber * rowHeight;
    const steps = gpuRows.slice(1).map((row, i) => row.time - gpuRows[i]!.time);
    const maxGap = Math.max(5 * median(steps), 1);
    body.push(`<g class="gpu" data-gpu="${index}">`, `<text x="${outer}" y="${top + 14}" font-weight="bold">GPU ${index}</text>`);
    specs.forEach((panel, column) => {
      const left = outer + column * slot + axisLeft;
      const plotY = top + plotTop;
      const x = (time: number) => left + ((time - t0) / span) * plotWidth;
      const y = (value: number) => plotY + plotHeight - ((Math.min(panel.scale.max, Math.max(panel.scale.min, value)) - panel.scale.min) / (panel.scale.max - panel.scale.min)) * plotHeight;
      body.push(
        `<text x="${left}" y="${plotY - 6}" fill="#333333">${escapeXml(panel.title)}</text>`,
        `<rect x="${left}" y="${plotY}" width="${plotWidth.toFixed(1)}" height="${plotHeight}" fill="none" stroke="#cccccc"/>`,
      );
      for (const tick of panel.scale.ticks) {
        body.push(`<line x1="${left}" y1="${y(tick).toFixed(1)}" x2="${(left + plotWidth).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#eeeeee"/>`);
        body.push(`<text x="${left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" fill="#555555">${tick}${panel.unit}</text>`);
      }
      for (const tick of timeTicks(span)) {
        const label = formatDuration(tick / 1000);
        // The first label starts at the axis, the others are centred on their tick: none reaches past the panel.
        const anchor = tick === 0 ? 'start' : 'middle';
        body.push(`<text x="${x(t0 + tick).toFixed(1)}" y="${plotY + plotHeight + 16}" text-anchor="${anchor}" fill="#555555">${escapeXml(label)}</text>`);
      }
      for (const name of panel.series) {
        const { points, perPoint } = downsample(gpuRows.map((row) => ({ time: row.time, value: panel.value(row, name) })), maxPoints);
        reduced = Math.max(reduced, perPoint);
        for (const run of segments(points, maxGap * perPoint)) {
          const coords = run.map((p) => `${x(p.time).toFixed(1)},${y(p.value!).toFixed(1)}`).join(' ');
          const dash = name === 'powerLimit' ? ' stroke-dasharray="4 3"' : '';
          body.push(`<polyline class="${name}" data-gpu="${index}" data-series="${name}" fill="none" stroke="${COLORS[name]}" stroke-width="1.5"${dash} points="${coords}"/>`);
        }
      }
    });
    body.push('</g>');
  });
  if (reduced > 1) notes.push(`each point is the mean of up to ${reduced} samples`);
  const caption = wrapText(notes.join(' '), Math.floor((width - 2 * outer) / (12 * 0.6)));
  const height = header + indices.length * rowHeight + 12 + caption.length * 16;
  const subtitle = `${new Date(t0).toISOString()} to ${new Date(t1).toISOString()} (${formatDuration(span / 1000)}), ${indices.length} GPU${indices.length === 1 ? '' : 's'}, ${rows.length} rows`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${outer}" y="24" font-size="16" font-weight="bold">${escapeXml(keepEnd(title, Math.floor((width - 2 * outer) / (16 * 0.6))))}</text>`,
    `<text x="${outer}" y="44" fill="#555555">${escapeXml(keepEnd(subtitle, Math.floor((width - 2 * outer) / (12 * 0.6))))}</text>`,
  );
  let legendX = outer;
  for (const name of ['util', 'memory', 'power', 'powerLimit', 'temperature'] as const) {
    out.push(`<rect x="${legendX}" y="58" width="12" height="3" fill="${COLORS[name]}"/><text x="${legendX + 16}" y="63">${LABELS[name]}</text>`);
    legendX += 16 + textWidth(LABELS[name]) + 18;
  }
  out.push(...body);
  caption.forEach((line, i) => out.push(`<text x="${outer}" y="${header + indices.length * rowHeight + 12 + i * 16}" fill="#555555">${escapeXml(line)}</text>`));
  out.push('</svg>', '');
  return { svg: out.join('\n'), gpus: indices.length, samples: rows.length, durationMs: t1 - t0 };
}
