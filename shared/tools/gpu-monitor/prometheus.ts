// `--prometheus PORT`: /metrics in the Prometheus text exposition format (version 0.0.4), with the metric
// names and labels of NVIDIA's dcgm-exporter (DCGM_FI_DEV_*; labels gpu, UUID, device, modelName, Hostname,
// pci_bus_id) so existing Grafana dashboards and alerts work unchanged. Facts: research/gpu-monitor.md §2.
// A value nvidia-smi does not know is left out (absent series), never exported as 0. GPU series are only served
// while the latest sample is fresh; gpu_monitor_up says whether it is.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GpuReading } from '../lib/gpu-query.js';
import { DpError } from '../lib/cli.js';
import type { SourceName } from './snapshot.js';

interface MetricSpec {
  name: string;
  /** dcgm-exporter's type for the field (etc/default-counters.csv): counters for error totals, gauges otherwise. */
  type: 'gauge' | 'counter';
  help: string;
  value: (gpu: GpuReading) => number | null;
}

const flag = (value: boolean | null) => (value === null ? null : value ? 1 : 0);

/**
 * DCGM field name -> the nvidia-smi field it is read from, with dcgm-exporter's units (research/megatron-accelerate.md §4).
 * Not here because `nvidia-smi --query-gpu` has no field for them: DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION,
 * DCGM_FI_DEV_XID_ERRORS, DCGM_FI_DEV_PCIE_REPLAY_COUNTER, PCIe/NVLink throughput and the DCGM_FI_PROF_* profiling fields.
 */
export const DCGM_METRICS: readonly MetricSpec[] = [
  { name: 'DCGM_FI_DEV_GPU_UTIL', type: 'gauge', help: 'GPU utilization (in %). From nvidia-smi utilization.gpu.', value: (g) => g.utilizationGpuPercent },
  { name: 'DCGM_FI_DEV_MEM_COPY_UTIL', type: 'gauge', help: 'Memory utilization (in %). From nvidia-smi utilization.memory.', value: (g) => g.utilizationMemoryPercent },
  { name: 'DCGM_FI_DEV_ENC_UTIL', type: 'gauge', help: 'Encoder utilization (in %). From nvidia-smi utilization.encoder.', value: (g) => g.utilizationEncoderPercent },
  { name: 'DCGM_FI_DEV_DEC_UTIL', type: 'gauge', help: 'Decoder utilization (in %). From nvidia-smi utilization.decoder.', value: (g) => g.utilizationDecoderPercent },
  { name: 'DCGM_FI_DEV_FB_USED', type: 'gauge', help: 'Framebuffer memory used (in MiB). From nvidia-smi memory.used.', value: (g) => g.memoryUsedMiB },
  { name: 'DCGM_FI_DEV_FB_FREE', type: 'gauge', help: 'Framebuffer memory free (in MiB). From nvidia-smi memory.free.', value: (g) => g.memoryFreeMiB },
  { name: 'DCGM_FI_DEV_FB_TOTAL', type: 'gauge', help: 'Framebuffer memory total (in MiB). From nvidia-smi memory.total.', value: (g) => g.memoryTotalMiB },
  { name: 'DCGM_FI_DEV_GPU_TEMP', type: 'gauge', help: 'GPU temperature (in C). From nvidia-smi temperature.gpu.', value: (g) => g.temperatureC },
  { name: 'DCGM_FI_DEV_MEMORY_TEMP', type: 'gauge', help: 'Memory temperature (in C). From nvidia-smi temperature.memory.', value: (g) => g.memoryTemperatureC },
  { name: 'DCGM_FI_DEV_POWER_USAGE', type: 'gauge', help: 'Power draw (in W). From nvidia-smi power.draw.', value: (g) => g.powerDrawW },
  { name: 'DCGM_FI_DEV_POWER_MGMT_LIMIT', type: 'gauge', help: 'Power management limit (in W). From nvidia-smi power.limit.', value: (g) => g.powerLimitW },
  { name: 'DCGM_FI_DEV_SM_CLOCK', type: 'gauge', help: 'SM clock frequency (in MHz). From nvidia-smi clocks.current.sm.', value: (g) => g.smClockMHz },
  { name: 'DCGM_FI_DEV_MEM_CLOCK', type: 'gauge', help: 'Memory clock frequency (in MHz). From nvidia-smi clocks.current.memory.', value: (g) => g.memoryClockMHz },
  {
    name: 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS',
    type: 'gauge',
    help: 'Clock event reasons, NVML bitmask (DCGM before 3.3: DCGM_FI_DEV_CLOCK_THROTTLE_REASONS). From nvidia-smi clocks_event_reasons.active.',
    value: (g) => g.clockEventReasons,
  },
  { name: 'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', type: 'counter', help: 'Corrected (single-bit) ECC errors since the driver loaded. From nvidia-smi ecc.errors.corrected.volatile.total.', value: (g) => g.ecc.correctedVolatile },
  { name: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', type: 'counter', help: 'Uncorrected (double-bit) ECC errors since the driver loaded. From nvidia-smi ecc.errors.uncorrected.volatile.total.', value: (g) => g.ecc.uncorrectedVolatile },
  { name: 'DCGM_FI_DEV_ECC_SBE_AGG_TOTAL', type: 'counter', help: 'Corrected (single-bit) ECC errors over the GPU life. From nvidia-smi ecc.errors.corrected.aggregate.total.', value: (g) => g.ecc.correctedAggregate },
  { name: 'DCGM_FI_DEV_ECC_DBE_AGG_TOTAL', type: 'counter', help: 'Uncorrected (double-bit) ECC errors over the GPU life. From nvidia-smi ecc.errors.uncorrected.aggregate.total.', value: (g) => g.ecc.uncorrectedAggregate },
  { name: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', type: 'counter', help: 'Memory rows remapped for correctable errors. From nvidia-smi remapped_rows.correctable.', value: (g) => g.ecc.remappedRowsCorrectable },
  { name: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', type: 'counter', help: 'Memory rows remapped for uncorrectable errors. From nvidia-smi remapped_rows.uncorrectable.', value: (g) => g.ecc.remappedRowsUncorrectable },
  { name: 'DCGM_FI_DEV_ROW_REMAP_FAILURE', type: 'gauge', help: 'Whether a memory row remapping failed (1) or not (0). From nvidia-smi remapped_rows.failure.', value: (g) => flag(g.ecc.remapFailure) },
];

/** The tool's own series (always served). */
export const MONITOR_METRICS = ['gpu_monitor_up', 'gpu_monitor_samples_total', 'gpu_monitor_last_sample_age_seconds'] as const;

/** Label values escape backslash, double quote and newline; HELP text escapes backslash and newline. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export interface MetricsState {
  source: SourceName | null;
  gpus: GpuReading[] | null;
  /** Whether the latest sample is recent enough to serve. */
  fresh: boolean;
  sampleAgeSeconds: number | null;
  samples: number;
  hostname: string;
}

function labels(gpu: GpuReading, state: MetricsState): string {
  const pairs: [string, string][] = [
    ['gpu', String(gpu.index)],
    ['UUID', gpu.uuid ?? ''],
    ['device', `${state.source === 'rocm-smi' ? 'card' : 'nvidia'}${gpu.index}`],
    ['modelName', gpu.name ?? ''],
    ['Hostname', state.hostname],
    ['pci_bus_id', gpu.busId ?? ''],
  ];
  return pairs.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',');
}

/** The /metrics body. Always ends with a newline. */
export function formatMetrics(state: MetricsState): string {
  const lines: string[] = [];
  const gpus = state.fresh ? (state.gpus ?? []) : [];
  for (const metric of DCGM_METRICS) {
    const samples = gpus
      .map((gpu) => ({ gpu, value: metric.value(gpu) }))
      .filter((sample): sample is { gpu: GpuReading; value: number } => sample.value !== null && Number.isFinite(sample.value));
    if (samples.length === 0) continue;
    lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.type}`);
    for (const { gpu, value } of samples) lines.push(`${metric.name}{${labels(gpu, state)}} ${value}`);
  }
  const source = escapeLabel(state.source ?? 'none');
  lines.push(
    '# HELP gpu_monitor_up 1 when the latest GPU sample is fresh, 0 when the GPU tool is missing, failing or hung.',
    '# TYPE gpu_monitor_up gauge',
    `gpu_monitor_up{source="${source}"} ${state.fresh ? 1 : 0}`,
    '# HELP gpu_monitor_samples_total GPU samples received since the monitor started.',
    '# TYPE gpu_monitor_samples_total counter',
    `gpu_monitor_samples_total{source="${source}"} ${state.samples}`,
  );
  if (state.sampleAgeSeconds !== null) {
    lines.push(
      '# HELP gpu_monitor_last_sample_age_seconds Seconds since the latest GPU sample.',
      '# TYPE gpu_monitor_last_sample_age_seconds gauge',
      `gpu_monitor_last_sample_age_seconds{source="${source}"} ${Number(state.sampleAgeSeconds.toFixed(3))}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Serve /metrics; resolves with the bound address once listening (port 0 picks a free port). */
export function serveMetrics(port: number, host: string, body: () => string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      const text = body();
      response.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
      response.end(request.method === 'HEAD' ? undefined : text);
      return;
    }
    if (path === '/') {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('gpu_monitor: metrics at /metrics\n');
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: metrics are at /metrics\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      // A name that does not resolve, or an address no interface here holds: the host is wrong, not the port.
      if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
        reject(new DpError(`cannot serve metrics on ${host}:${port}: ${host} is not an address of this machine`, "--host 127.0.0.1 (the default), 0.0.0.0 for every interface, or one of this machine's addresses", 2));
        return;
      }
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : error.code === 'EACCES' ? 'needs more privileges' : `failed (${error.code ?? error.message})`;
      reject(new DpError(`cannot serve metrics on ${host}:${port}: the port ${why}`, 'choose another port: --prometheus PORT (0 picks a free one)', 2));
    });
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ server, url: `http://${shownHost}:${address.port}/metrics` });
    });
  });
}
