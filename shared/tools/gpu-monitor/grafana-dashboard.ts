// The Grafana dashboard `--cluster-config grafana` writes: every node running `gpu_monitor --prometheus`, one
// Prometheus data source (chosen on import), filtered by Hostname and gpu. Queries use only the series prometheus.ts
// serves (dcgm-exporter's names: research/megatron-accelerate.md §4-5), so it also reads dcgm-exporter itself, except
// the gpu_monitor_* health panel. Unlike dashboard 12239 it shows memory as MiB and %, not "/ 1024 / 1024".

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const GPUS = 'Hostname=~"$Hostname", gpu=~"$gpu"';

interface Target {
  expr: string;
  legend: string;
}

interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  targets: Target[];
  min?: number;
  max?: number;
  axisLabel?: string;
  kind?: 'timeseries' | 'stat';
}

const perGpu = (metric: string) => `${metric}{${GPUS}}`;
const legend = '{{Hostname}} GPU {{gpu}}';
/** One bit of the clock event mask as 0/1 (NVML bit values, lib/gpu-query.ts CLOCK_EVENT_REASON_BITS). */
const reasonBit = (bit: number) => `floor(${perGpu('DCGM_FI_DEV_CLOCKS_EVENT_REASONS')} / ${bit}) % 2`;

const STATS: PanelSpec[] = [
  { kind: 'stat', title: 'Mean GPU utilisation', description: 'Mean of DCGM_FI_DEV_GPU_UTIL over the selected GPUs.', unit: 'percent', targets: [{ expr: `avg(${perGpu('DCGM_FI_DEV_GPU_UTIL')})`, legend: 'mean' }] },
  { kind: 'stat', title: 'GPUs reporting', description: 'Selected GPUs with a fresh sample (series are dropped when a node stops sampling).', unit: 'none', targets: [{ expr: `count(${perGpu('DCGM_FI_DEV_FB_TOTAL')})`, legend: 'GPUs' }] },
  { kind: 'stat', title: 'Power draw, total', description: 'Sum of DCGM_FI_DEV_POWER_USAGE (nvidia-smi power.draw) over the selected GPUs.', unit: 'watt', targets: [{ expr: `sum(${perGpu('DCGM_FI_DEV_POWER_USAGE')})`, legend: 'total' }] },
  { kind: 'stat', title: 'Monitors not sampling', description: 'gpu_monitor instances whose latest GPU sample is not fresh (gpu_monitor_up == 0).', unit: 'none', targets: [{ expr: 'count(gpu_monitor_up == 0) or vector(0)', legend: 'down' }] },
];

const SERIES: PanelSpec[] = [
  { title: 'GPU utilisation', description: 'nvidia-smi utilization.gpu: share of time a kernel was running.', unit: 'percent', min: 0, max: 100, targets: [{ expr: perGpu('DCGM_FI_DEV_GPU_UTIL'), legend }] },
  {
    title: 'Memory used',
    description: 'memory.used / memory.total x 100 (DCGM_FI_DEV_FB_USED / DCGM_FI_DEV_FB_TOTAL).',
    unit: 'percent',
    min: 0,
    max: 100,
    targets: [{ expr: `100 * ${perGpu('DCGM_FI_DEV_FB_USED')} / ${perGpu('DCGM_FI_DEV_FB_TOTAL')}`, legend }],
  },
  { title: 'Memory used (MiB)', description: 'DCGM_FI_DEV_FB_USED, in MiB as nvidia-smi reports it.', unit: 'mbytes', min: 0, targets: [{ expr: perGpu('DCGM_FI_DEV_FB_USED'), legend }] },
  {
    title: 'Power draw and limit',
    description: 'DCGM_FI_DEV_POWER_USAGE (power.draw) and DCGM_FI_DEV_POWER_MGMT_LIMIT (power.limit).',
    unit: 'watt',
    min: 0,
    targets: [
      { expr: perGpu('DCGM_FI_DEV_POWER_USAGE'), legend },
      { expr: perGpu('DCGM_FI_DEV_POWER_MGMT_LIMIT'), legend: `${legend} limit` },
    ],
  },
  {
    title: 'Temperature',
    description: 'DCGM_FI_DEV_GPU_TEMP (temperature.gpu) and DCGM_FI_DEV_MEMORY_TEMP (temperature.memory, where reported).',
    unit: 'celsius',
    targets: [
      { expr: perGpu('DCGM_FI_DEV_GPU_TEMP'), legend },
      { expr: perGpu('DCGM_FI_DEV_MEMORY_TEMP'), legend: `${legend} memory` },
    ],
  },
  {
    title: 'Clocks (MHz)',
    description: 'DCGM_FI_DEV_SM_CLOCK (clocks.current.sm) and DCGM_FI_DEV_MEM_CLOCK (clocks.current.memory).',
    unit: 'none',
    axisLabel: 'MHz',
    targets: [
      { expr: perGpu('DCGM_FI_DEV_SM_CLOCK'), legend: `${legend} SM` },
      { expr: perGpu('DCGM_FI_DEV_MEM_CLOCK'), legend: `${legend} memory` },
    ],
  },
  {
    title: 'Clocks held down by',
    description: 'Bits of DCGM_FI_DEV_CLOCKS_EVENT_REASONS (clocks_event_reasons.active): 1 while active.',
    unit: 'none',
    min: 0,
    max: 1,
    targets: [
      { expr: reasonBit(0x4), legend: `${legend} power cap` },
      { expr: reasonBit(0x8), legend: `${legend} HW slowdown` },
      { expr: reasonBit(0x20), legend: `${legend} SW thermal` },
      { expr: reasonBit(0x40), legend: `${legend} HW thermal` },
      { expr: reasonBit(0x80), legend: `${legend} power brake` },
    ],
  },
  {
    title: 'ECC errors and row remapping',
    description: 'Uncorrected and corrected ECC errors since the driver loaded; rows remapped; a remapping failure (1) needs service.',
    unit: 'none',
    min: 0,
    targets: [
      { expr: perGpu('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL'), legend: `${legend} uncorrected` },
      { expr: perGpu('DCGM_FI_DEV_ECC_SBE_VOL_TOTAL'), legend: `${legend} corrected` },
      { expr: perGpu('DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS'), legend: `${legend} rows remapped (uncorrectable)` },
      { expr: perGpu('DCGM_FI_DEV_ROW_REMAP_FAILURE'), legend: `${legend} remap failure` },
    ],
  },
  {
    title: 'Monitor health',
    description: 'gpu_monitor_up (1 = fresh samples) and seconds since the latest sample, per gpu_monitor instance.',
    unit: 'none',
    min: 0,
    targets: [
      { expr: 'gpu_monitor_up', legend: '{{instance}} up' },
      { expr: 'gpu_monitor_last_sample_age_seconds', legend: '{{instance}} sample age (s)' },
    ],
  },
];

function panel(spec: PanelSpec, id: number, gridPos: { x: number; y: number; w: number; h: number }): Record<string, unknown> {
  const kind = spec.kind ?? 'timeseries';
  const defaults: Record<string, unknown> = { unit: spec.unit, ...(spec.min === undefined ? {} : { min: spec.min }), ...(spec.max === undefined ? {} : { max: spec.max }) };
  if (kind === 'timeseries') defaults.custom = { axisLabel: spec.axisLabel ?? '', lineWidth: 1, fillOpacity: 0, showPoints: 'never', spanNulls: false };
  return {
    id,
    type: kind,
    title: spec.title,
    description: spec.description,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults, overrides: [] },
    options:
      kind === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'auto' }
        : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: spec.targets.map((target, i) => ({ refId: String.fromCharCode(65 + i), datasource: DATASOURCE, expr: target.expr, legendFormat: target.legend, range: true })),
  };
}

function variable(name: string, label: string, query: string): Record<string, unknown> {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    definition: query,
    query: { query, refId: `${name}-values` },
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 3,
  };
}

/** The dashboard as an object (JSON.stringify it to import). */
export function grafanaDashboard(): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  STATS.forEach((spec, i) => panels.push(panel(spec, panels.length + 1, { x: i * 6, y: 0, w: 6, h: 4 })));
  SERIES.forEach((spec, i) => panels.push(panel(spec, panels.length + 1, { x: (i % 2) * 12, y: 4 + Math.floor(i / 2) * 8, w: 12, h: 8 })));
  return {
    title: 'GPU cluster (gpu_monitor)',
    uid: 'gpu-monitor-cluster',
    description: 'Every node running gpu_monitor --prometheus (dcgm-exporter metric names).',
    tags: ['gpu', 'nvidia', 'dcgm', 'gpu_monitor'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    annotations: { list: [] },
    templating: {
      list: [
        { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
        // FB_TOTAL, not GPU_UTIL: a GPU in MIG mode reports no utilization.gpu but always its memory.
        variable('Hostname', 'Node', 'label_values(DCGM_FI_DEV_FB_TOTAL, Hostname)'),
        variable('gpu', 'GPU', 'label_values(DCGM_FI_DEV_FB_TOTAL{Hostname=~"$Hostname"}, gpu)'),
      ],
    },
    panels,
  };
}
