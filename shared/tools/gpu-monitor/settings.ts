// gpu_monitor's command line: the options, their checks and the mode they select. Every mistake is one UsageError
// with a hint (exit code 2).
import { UsageError, numberOption, parseToolArgs } from '../lib/cli.js';
import { escapeControl } from '../lib/term.js';
import { CLUSTER_KINDS, type ClusterKind } from './cluster-files.js';
import { parseGpuList } from './gpu-filter.js';

export const TOOL = 'gpu_monitor';

const OPTIONS = {
  once: { type: 'boolean' },
  json: { type: 'boolean' },
  watch: { type: 'boolean' },
  interval: { type: 'string' },
  count: { type: 'string' },
  log: { type: 'string' },
  plot: { type: 'string' },
  output: { type: 'string', short: 'o' },
  prometheus: { type: 'string' },
  host: { type: 'string' },
  'processes-every': { type: 'string' },
  top: { type: 'string' },
  timeout: { type: 'string' },
  gpus: { type: 'string' },
  compact: { type: 'boolean' },
  'cluster-config': { type: 'string' },
  out: { type: 'string' },
  port: { type: 'string' },
  nodes: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface Settings {
  mode: 'live' | 'once' | 'watch-json' | 'plot' | 'prometheus' | 'cluster-config';
  json: boolean;
  intervalMs: number;
  count: number | null;
  log: string | null;
  plot: string | null;
  output: string | null;
  port: number | null;
  host: string;
  processIntervalMs: number;
  top: number;
  timeoutMs: number;
  /** --gpus: the GPU indices to show, log and export; null = all. */
  gpus: number[] | null;
  compact: boolean;
  cluster: { kind: ClusterKind; outDir: string; port: number; nodes: string[] | null } | null;
}

const hint = `run '${TOOL} --help' for the options`;

/** A host name or address Prometheus can scrape (letters, digits, dots, dashes; IPv6 in brackets is not taken). */
const NODE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

function parseNodes(raw: string): string[] {
  const nodes = raw.split(',').map((node) => node.trim());
  const bad = nodes.find((node) => !NODE_NAME.test(node));
  if (bad !== undefined) throw new UsageError(`--nodes must be host names separated by commas, got '${escapeControl(bad)}'`, 'e.g. --nodes gpu-node-1,gpu-node-2');
  return nodes;
}

/** Parse and check the command line. */
export function parseSettings(argv: string[]): Settings | 'help' {
  const { values, positionals } = parseToolArgs(TOOL, argv, OPTIONS);
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, hint);
  const seconds = (flag: string, raw: string | undefined, min: number, max: number, fallback: number) =>
    Math.round((numberOption(flag, raw, { min, max }) ?? fallback) * 1000);
  const count = numberOption('count', values.count, { min: 1, max: 1_000_000_000, integer: true }) ?? null;
  const port = numberOption('prometheus', values.prometheus, { min: 0, max: 65535, integer: true }) ?? null;
  const scrapePort = numberOption('port', values.port, { min: 1, max: 65535, integer: true }) ?? 9400;
  const conflict = (a: string, b: string) => new UsageError(`--${a} cannot be combined with --${b}`, hint);
  let cluster: Settings['cluster'] = null;
  if (values['cluster-config'] !== undefined) {
    const kind = values['cluster-config'];
    if (!(CLUSTER_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`--cluster-config must be one of ${CLUSTER_KINDS.join(', ')}, got '${escapeControl(kind)}'`, `e.g. ${TOOL} --cluster-config prometheus --out monitoring`);
    }
    for (const flag of ['once', 'watch', 'json', 'log', 'plot', 'prometheus', 'count', 'gpus', 'compact'] as const) {
      if (values[flag] !== undefined) throw conflict('cluster-config', flag);
    }
    if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out needs a directory name', hint);
    cluster = { kind: kind as ClusterKind, outDir: values.out ?? '.', port: scrapePort, nodes: values.nodes === undefined ? null : parseNodes(values.nodes) };
  } else {
    for (const flag of ['out', 'port', 'nodes'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} belongs to --cluster-config`, `e.g. ${TOOL} --cluster-config prometheus --${flag} ...`);
    }
  }
  if (values.plot !== undefined) {
    for (const flag of ['once', 'watch', 'json', 'log', 'prometheus', 'count', 'gpus', 'compact'] as const) if (values[flag] !== undefined) throw conflict('plot', flag);
  } else if (values.output !== undefined) {
    throw new UsageError('-o/--output names the SVG that --plot writes; it needs --plot FILE.csv', hint);
  }
  if (values.once) {
    for (const flag of ['watch', 'prometheus', 'count'] as const) if (values[flag] !== undefined) throw conflict('once', flag);
  }
  if (port !== null && (values.json || values.watch)) throw conflict('prometheus', values.json ? 'json' : 'watch');
  if (values.host !== undefined && port === null) throw new UsageError('--host sets the address for --prometheus; it needs --prometheus PORT', hint);
  if (values.json && !values.once && !values.watch) {
    throw new UsageError('--json needs --once (one object) or --watch (one object per line)', `e.g. ${TOOL} --once --json`);
  }
  if (values.compact && (values.json || port !== null)) throw conflict('compact', values.json ? 'json' : 'prometheus');
  for (const [flag, value] of [['log', values.log], ['plot', values.plot], ['output', values.output]] as const) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`--${flag} needs a file name`, hint);
  }
  const mode: Settings['mode'] = cluster
    ? 'cluster-config'
    : values.plot !== undefined
      ? 'plot'
      : values.once
        ? 'once'
        : port !== null
          ? 'prometheus'
          : values.json
            ? 'watch-json'
            : 'live';
  return {
    mode,
    json: values.json === true,
    intervalMs: seconds('interval', values.interval, 0.1, 3600, 1),
    count,
    log: values.log ?? null,
    plot: values.plot ?? null,
    output: values.output ?? null,
    port,
    host: values.host ?? '127.0.0.1',
    processIntervalMs: seconds('processes-every', values['processes-every'], 0.1, 3600, 5),
    top: numberOption('top', values.top, { min: 1, max: 1000, integer: true }) ?? 8,
    timeoutMs: seconds('timeout', values.timeout, 0.1, 600, 5),
    gpus: values.gpus === undefined ? null : parseGpuList(values.gpus),
    compact: values.compact === true,
    cluster,
  };
}
