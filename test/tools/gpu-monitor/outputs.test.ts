// The CSV log, the SVG plot, the Prometheus exposition and the JSON shape.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, CsvLog, parseCsvLog, type LogRow } from '../../../shared/tools/gpu-monitor/csv-log.js';
import { downsample, renderPlotSvg, segments, textWidth } from '../../../shared/tools/gpu-monitor/plot.js';
import { niceScale, niceStep, timeTicks } from '../../../shared/tools/gpu-monitor/axis.js';
import { DCGM_METRICS, escapeLabel, formatMetrics } from '../../../shared/tools/gpu-monitor/prometheus.js';
import { snapshotJson } from '../../../shared/tools/gpu-monitor/snapshot.js';
import { DpError, UsageError } from '../../../shared/tools/lib/cli.js';
import { emptyReading, parseGpuCsv } from '../../../shared/tools/lib/gpu-query.js';
import { hasShared, readSmiFixture } from '../../support/shared-fixtures.js';
import { useTempDir } from '../../support/tmp.js';
import { ownFixture, projectRows } from './helpers.js';
import { checkSvg } from './svg.js';

const tempDir = useTempDir('gpu-monitor-out-');
const training = () => parseGpuCsv(projectRows(ownFixture('query-gpu_h100-x8_train.csv'))).gpus;
const naFields = () => parseGpuCsv(projectRows(ownFixture('query-gpu_na-fields.csv'))).gpus;

describe('--once --json shape', () => {
  it('has the GPU values, processes and host processes; unknown as null', () => {
    const json = snapshotJson(new Date('2026-01-01T00:00:00Z'), 'nvidia-smi', naFields(), null, null);
    expect(Object.keys(json)).toEqual(['timestamp', 'source', 'gpus', 'processes', 'hostProcesses']);
    expect(Object.keys(json.gpus[0]!)).toEqual([
      'index',
      'uuid',
      'name',
      'pciBusId',
      'utilizationGpuPercent',
      'utilizationMemoryPercent',
      'utilizationEncoderPercent',
      'utilizationDecoderPercent',
      'memoryUsedMiB',
      'memoryTotalMiB',
      'temperatureC',
      'memoryTemperatureC',
      'powerDrawW',
      'powerLimitW',
      'performanceState',
      'clocks',
      'clockEventReasons',
      'ecc',
    ]);
    expect(json.gpus[1]).toMatchObject({ utilizationGpuPercent: null, memoryUsedMiB: null, temperatureC: null, powerDrawW: 28.16, performanceState: 'P0' });
    // [N/A] and [Not Supported] are unknown; a mask that is not hexadecimal is unknown too, never 0.
    expect(json.gpus[0]).toMatchObject({
      performanceState: null,
      clocks: { smMHz: 405, memoryMHz: 715, smMaxMHz: null, memoryMaxMHz: null },
      clockEventReasons: { activeMask: null, active: null },
      ecc: { enabled: null, correctedVolatile: null, uncorrectedVolatile: null, remapFailure: null },
    });
    expect(json.gpus[1]).toMatchObject({ clockEventReasons: { activeMask: null, active: null }, ecc: { enabled: false, correctedVolatile: null } });
    expect(json.processes).toBeNull();
    expect(json.hostProcesses).toBeNull();
  });

  it('names the clock event reasons of the mask and carries ECC counts', () => {
    const gpus = snapshotJson(new Date(0), 'nvidia-smi', training(), [], []).gpus;
    expect(gpus[0]!.clockEventReasons).toEqual({ activeMask: 4, active: ['sw_power_cap'] });
    expect(gpus[5]!.clockEventReasons).toEqual({ activeMask: 0x68, active: ['hw_slowdown', 'sw_thermal_slowdown', 'hw_thermal_slowdown'] });
    expect(gpus[7]!.clockEventReasons.active).toEqual(['gpu_idle']);
    expect(gpus[6]!.ecc).toEqual({
      enabled: true,
      correctedVolatile: 12,
      uncorrectedVolatile: 0,
      correctedAggregate: 57,
      uncorrectedAggregate: 0,
      remappedRowsCorrectable: 1,
      remappedRowsUncorrectable: 0,
      remapFailure: false,
    });
    expect(gpus[7]).toMatchObject({ performanceState: 'P0', clocks: { smMHz: 345, memoryMHz: 2619, smMaxMHz: 1980, memoryMaxMHz: 2619 }, pciBusId: '00000000:88:00.0' });
  });
});

describe('CSV log', () => {
  it('writes the header once, appends rows with empty cells for unknowns, and reads them back', () => {
    const path = join(tempDir(), 'run.csv');
    const first = CsvLog.open(path);
    first.append(new Date('2026-01-01T00:00:00Z'), naFields());
    first.close();
    const second = CsvLog.open(path);
    second.append(new Date('2026-01-01T00:00:01Z'), training().slice(0, 1));
    second.close();
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')[0]).toBe('timestamp,gpu_index,utilization_gpu_percent,utilization_memory_percent,memory_used_mib,memory_total_mib,temperature_c,power_draw_w,power_limit_w');
    expect(text.match(/^timestamp,/gm)).toHaveLength(1);
    expect(text).toContain('2026-01-01T00:00:00.000Z,1,,,,16280,,28.16,250\n');
    expect(text).toContain('2026-01-01T00:00:01.000Z,0,100,31,71234,81559,68,688.41,700\n');
    const { rows, skipped } = parseCsvLog(text);
    expect(skipped).toBe(0);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ gpuIndex: 1, utilizationGpuPercent: null, memoryUsedMiB: null, memoryTotalMiB: 16280 });
  });

  it('refuses to append to a file that is not a gpu_monitor log, and starts a fresh line after a cut-off one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.csv'), 'a,b,c\n1,2,3\n');
    expect(() => CsvLog.open(join(dir, 'notes.csv'))).toThrow(UsageError);
    writeFileSync(join(dir, 'cut.csv'), `${CSV_HEADER}\n2026-01-01T00:00:00.000Z,0,5`);
    const log = CsvLog.open(join(dir, 'cut.csv'));
    log.append(new Date('2026-01-01T00:00:01Z'), training().slice(0, 1));
    log.close();
    expect(parseCsvLog(readFileSync(join(dir, 'cut.csv'), 'utf8'))).toMatchObject({ skipped: 1, rows: [{ gpuIndex: 0, utilizationGpuPercent: 100 }] });
    expect(() => CsvLog.open(join(dir, 'missing', 'x.csv'))).toThrow(DpError);
  });
});

function rowsFor(gpu: number, values: (number | null)[], startMs = 0, stepMs = 1000): LogRow[] {
  return values.map((util, i) => ({
    time: startMs + i * stepMs,
    gpuIndex: gpu,
    utilizationGpuPercent: util,
    utilizationMemoryPercent: null,
    memoryUsedMiB: util === null ? null : 1000 + i,
    memoryTotalMiB: 4000,
    temperatureC: 50,
    powerDrawW: 100,
    powerLimitW: 300,
  }));
}

/** Every <text> with its position, anchor, size and content. */
function texts(svg: string): { x: number; y: number; anchor: string; size: number; text: string }[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attrs, body]) => {
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(attrs!)?.[1];
    const text = body!.replace(/&(amp|lt|gt|quot);/g, 'x');
    return { x: Number(attr('x')), y: Number(attr('y')), anchor: attr('text-anchor') ?? 'start', size: Number(attr('font-size') ?? 12), text };
  });
}

describe('SVG plot: power and temperature, round ticks, nothing cut off', () => {
  const rows = [...rowsFor(0, [10, 20, 30, 40, 50], 0, 15_000), ...rowsFor(1, [90, 80, 70, 60, 50], 0, 15_000)].map((row, i) => ({
    ...row,
    powerDrawW: 120 + 17 * i,
    temperatureC: 41 + 4 * (i % 5),
  }));
  const plot = renderPlotSvg(rows, { title: `run ${'/very/long/path'.repeat(20)}.csv` });
  const svg = checkSvg(plot.svg);
  const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(plot.svg)!.map(Number) as [unknown, number, number];

  it('draws power (limit dashed) and temperature panels for every GPU', () => {
    for (const gpu of ['0', '1']) {
      for (const series of ['util', 'memory', 'power', 'powerLimit', 'temperature']) expect(svg.polylines.filter((p) => p.gpu === gpu && p.series === series)).toHaveLength(1);
    }
    expect(plot.svg).toMatch(/data-series="powerLimit" fill="none" stroke="#7f7f7f" stroke-width="1.5" stroke-dasharray="4 3"/);
    for (const title of ['utilisation, memory used (%)', 'power draw, limit dashed (W)', 'temperature (°C)']) expect(plot.svg).toContain(`>${title}</text>`);
    // Higher power and temperature are drawn higher up (smaller y).
    const power = svg.polylines.find((p) => p.gpu === '1' && p.series === 'power')!.points;
    expect(power[4]![1]).toBeLessThan(power[0]![1]);
  });

  it('ticks the axes at round values: percent by 25, watts and degrees on 1/2/2.5/5 x 10^k steps, time on whole seconds or minutes', () => {
    const labels = texts(plot.svg);
    const yLabels = labels.filter((t) => t.anchor === 'end').map((t) => t.text);
    expect(yLabels.slice(0, 5)).toEqual(['0%', '25%', '50%', '75%', '100%']);
    // power: 120 to 273 W and a 300 W limit -> 0 to 300 by 100; temperature 41 to 57 C -> 40 to 60 by 5.
    expect(yLabels.slice(5, 9)).toEqual(['0', '100', '200', '300']);
    expect(yLabels.slice(9, 14)).toEqual(['40', '45', '50', '55', '60']);
    const timeLabels = labels.filter((t) => /^\d+[smhd]( \d+[smhd])?$/.test(t.text)).slice(0, 5).map((t) => t.text);
    expect(timeLabels).toEqual(['0s', '15s', '30s', '45s', '1m 00s']);
  });

  it('keeps every label, line and the wrapped caption inside the picture', () => {
    for (const text of texts(plot.svg)) {
      const w = textWidth(text.text, text.size);
      const from = text.anchor === 'end' ? text.x - w : text.anchor === 'middle' ? text.x - w / 2 : text.x;
      expect(from, text.text).toBeGreaterThanOrEqual(0);
      expect(from + w, text.text).toBeLessThanOrEqual(width);
      expect(text.y - text.size, text.text).toBeGreaterThanOrEqual(0);
      expect(text.y, text.text).toBeLessThanOrEqual(height);
    }
    for (const line of svg.polylines) for (const [x, y] of line.points) expect(x >= 0 && x <= width && y >= 0 && y <= height).toBe(true);
    expect(plot.svg).toContain('time axis = time since the first sample');
    expect(plot.svg).toMatch(/>….*very\/long\/path\.csv<\/text>/);
  });

  it('axis steps', () => {
    expect([niceStep(300, 4), niceStep(7, 5), niceStep(0.9, 4), niceStep(47, 4)]).toEqual([100, 2, 0.25, 20]);
    expect(niceScale(37, 84)).toEqual({ min: 20, max: 100, ticks: [20, 40, 60, 80, 100] });
    expect(niceScale(50, 50, 4, 1)).toEqual({ min: 50, max: 51, ticks: [50, 51] });
    expect(timeTicks(3_600_000)).toEqual([0, 900, 1800, 2700, 3600].map((s) => s * 1000));
    expect(timeTicks(4_000)).toEqual([0, 1000, 2000, 3000, 4000]);
  });
});

describe('SVG plot', () => {
  it('draws one panel per GPU with utilisation and memory lines, broken at unknowns and pauses', () => {
    const rows = [...rowsFor(0, [10, 20, null, 40, 50]), ...rowsFor(1, [90, 80, 70]), ...rowsFor(1, [60, 50], 60_000)];
    const plot = renderPlotSvg(rows, { title: 'run <1> & "2"' });
    const svg = checkSvg(plot.svg);
    expect(svg.root).toBe('svg');
    expect(plot.svg).toContain('<title>run &lt;1&gt; &amp; &quot;2&quot;</title>');
    expect(svg.polylines.filter((p) => p.gpu === '0' && p.series === 'util').map((p) => p.points.length)).toEqual([2, 2]);
    expect(svg.polylines.filter((p) => p.gpu === '0' && p.series === 'memory').map((p) => p.points.length)).toEqual([2, 2]);
    expect(svg.polylines.filter((p) => p.gpu === '1' && p.series === 'util').map((p) => p.points.length)).toEqual([3, 2]);
    // Higher values are drawn higher (smaller y): GPU 1 falls from 90 to 70, GPU 0 rises from 10 to 20.
    const y = (gpu: string, i: number) => svg.polylines.find((p) => p.gpu === gpu && p.series === 'util')!.points[i]![1];
    expect(y('1', 0)).toBeLessThan(y('1', 2));
    expect(y('0', 1)).toBeLessThan(y('0', 0));
    expect(plot).toMatchObject({ gpus: 2, samples: 10 });
  });

  it('reduces long runs to bucket means and says so', () => {
    const long = rowsFor(0, Array.from({ length: 5000 }, (_, i) => i % 100));
    const plot = renderPlotSvg(long, { maxPoints: 500 });
    const svg = checkSvg(plot.svg);
    expect(svg.polylines.filter((p) => p.series === 'util').reduce((n, p) => n + p.points.length, 0)).toBe(500);
    expect(plot.svg).toContain('each point is the mean of up to 10 samples');
    expect(downsample([{ time: 0, value: null }, { time: 1, value: null }, { time: 2, value: 4 }], 2).points).toEqual([
      { time: 0, value: null },
      { time: 2, value: 4 },
    ]);
    expect(segments([{ time: 0, value: 1 }, { time: 1, value: 2 }, { time: 100, value: 3 }], 10).map((s) => s.length)).toEqual([2, 1]);
  });
});

describe('Prometheus exposition', () => {
  const state = { source: 'nvidia-smi' as const, gpus: training(), fresh: true, sampleAgeSeconds: 0.25, samples: 12, hostname: 'node-1' };

  it('uses dcgm-exporter names and labels, HELP and TYPE once per metric, newline at the end', () => {
    const text = formatMetrics(state);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('# TYPE DCGM_FI_DEV_GPU_UTIL gauge');
    expect(text).toContain(
      'DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e60",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="node-1",pci_bus_id="00000000:18:00.0"} 100',
    );
    expect(text).toMatch(/^DCGM_FI_DEV_FB_USED\{gpu="7",.*\} 58071$/m);
    expect(text).toMatch(/^DCGM_FI_DEV_POWER_USAGE\{gpu="0",.*\} 688\.41$/m);
    expect(text.match(/^# TYPE DCGM_FI_DEV_FB_USED gauge$/gm)).toHaveLength(1);
    expect(text).toContain('gpu_monitor_up{source="nvidia-smi"} 1');
    expect(text).toContain('gpu_monitor_samples_total{source="nvidia-smi"} 12');
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? -?[0-9.e+]+$/);
  });

  it('exports clocks, clock event reasons (the DCGM 3.3 name), ECC and row remapping with dcgm-exporter types', () => {
    const text = formatMetrics(state);
    expect(text).toMatch(/^DCGM_FI_DEV_MEM_CLOCK\{gpu="0",.*\} 2619$/m);
    expect(text).toMatch(/^DCGM_FI_DEV_CLOCKS_EVENT_REASONS\{gpu="5",.*\} 104$/m);
    expect(text).toContain('# HELP DCGM_FI_DEV_CLOCKS_EVENT_REASONS Clock event reasons, NVML bitmask (DCGM before 3.3: DCGM_FI_DEV_CLOCK_THROTTLE_REASONS).');
    expect(text).not.toMatch(/^DCGM_FI_DEV_CLOCK_THROTTLE_REASONS/m);
    expect(text).toContain('# TYPE DCGM_FI_DEV_ECC_SBE_VOL_TOTAL counter');
    expect(text).toMatch(/^DCGM_FI_DEV_ECC_SBE_VOL_TOTAL\{gpu="6",.*\} 12$/m);
    expect(text).toMatch(/^DCGM_FI_DEV_ECC_SBE_AGG_TOTAL\{gpu="6",.*\} 57$/m);
    expect(text).toMatch(/^DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS\{gpu="6",.*\} 1$/m);
    expect(text).toMatch(/^DCGM_FI_DEV_ROW_REMAP_FAILURE\{gpu="6",.*\} 0$/m);
    // Not in nvidia-smi --query-gpu: never invented.
    for (const absent of ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'DCGM_FI_DEV_XID_ERRORS', 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER']) expect(text).not.toContain(absent);
    // A board without ECC ([N/A]) has no ECC series at all.
    expect(formatMetrics({ ...state, gpus: naFields() })).not.toContain('DCGM_FI_DEV_ECC_');
  });

  it('leaves unknown values out instead of exporting 0, and serves no GPU series while the sample is stale', () => {
    const text = formatMetrics({ ...state, gpus: naFields() });
    expect(text).not.toMatch(/^DCGM_FI_DEV_GPU_UTIL\{/m);
    expect(text).toMatch(/^DCGM_FI_DEV_POWER_USAGE\{gpu="1",.*\} 28\.16$/m);
    expect(text).not.toMatch(/^DCGM_FI_DEV_POWER_USAGE\{gpu="0"/m);
    const stale = formatMetrics({ ...state, fresh: false });
    expect(stale).not.toContain('DCGM_FI_');
    expect(stale).toContain('gpu_monitor_up{source="nvidia-smi"} 0');
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(formatMetrics({ ...state, gpus: [{ ...emptyReading(0), name: 'x"y', utilizationGpuPercent: 1 }] })).toContain('modelName="x\\"y"');
  });

  it.runIf(hasShared)('uses the names and label keys dcgm-exporter publishes', () => {
    const dcgm = readSmiFixture('prom__dcgm-exporter_readme-excerpt.txt');
    for (const name of ['DCGM_FI_DEV_SM_CLOCK', 'DCGM_FI_DEV_MEM_CLOCK', 'DCGM_FI_DEV_MEMORY_TEMP']) {
      expect(DCGM_METRICS.map((m) => m.name)).toContain(name);
      expect(dcgm).toContain(`${name}{gpu="0", UUID="GPU-`);
    }
  });
});
