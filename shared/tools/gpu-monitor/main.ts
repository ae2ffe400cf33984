// gpu_monitor: the command line. Modes: live view (default), --once [--json], --watch --json, --plot,
// --prometheus; --log works with every sampling mode. See help.ts and docs/tools/gpu-monitor.md.
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import { DpError, UsageError, isMain, numberOption, parseToolArgs, runMain } from '../lib/cli.js';
import { queryComputeProcesses, type ComputeProcess } from '../lib/gpu-query.js';
import { describeSmiFailure } from '../lib/nvidia-smi.js';
import { colorEnabled, stylist } from '../lib/term.js';
import { CsvLog, readCsvLog } from './csv-log.js';
import { DEFAULT_COMMANDS, discover } from './discover.js';
import { HELP } from './help.js';
import { HostScanner, gpuIndicesByPid, joinGpuProcesses } from './host-procs.js';
import { Monitor, type Frame } from './monitor.js';
import { renderPlotSvg } from './plot.js';
import { formatMetrics, serveMetrics } from './prometheus.js';
import { renderFrame } from './render.js';
import { Screen, onQuit } from './screen.js';
import { snapshotJson } from './snapshot.js';
import { instantWarnings } from './warnings.js';
import { formatDuration } from '../lib/format.js';

const TOOL = 'gpu_monitor';

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
  help: { type: 'boolean', short: 'h' },
} as const;

export interface Settings {
  mode: 'live' | 'once' | 'watch-json' | 'plot' | 'prometheus';
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
}

const hint = `run '${TOOL} --help' for the options`;

/** Parse and check the command line; every mistake is one UsageError with a hint. */
export function parseSettings(argv: string[]): Settings | 'help' {
  const { values, positionals } = parseToolArgs(TOOL, argv, OPTIONS);
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, hint);
  const seconds = (flag: string, raw: string | undefined, min: number, max: number, fallback: number) =>
    Math.round((numberOption(flag, raw, { min, max }) ?? fallback) * 1000);
  const count = numberOption('count', values.count, { min: 1, max: 1_000_000_000, integer: true }) ?? null;
  const port = numberOption('prometheus', values.prometheus, { min: 0, max: 65535, integer: true }) ?? null;
  const conflict = (a: string, b: string) => new UsageError(`--${a} cannot be combined with --${b}`, hint);
  if (values.plot !== undefined) {
    for (const flag of ['once', 'watch', 'json', 'log', 'prometheus', 'count'] as const) if (values[flag] !== undefined) throw conflict('plot', flag);
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
  for (const [flag, value] of [['log', values.log], ['plot', values.plot], ['output', values.output]] as const) {
    if (value !== undefined && value.trim() === '') throw new UsageError(`--${flag} needs a file name`, hint);
  }
  const mode: Settings['mode'] =
    values.plot !== undefined ? 'plot' : values.once ? 'once' : port !== null ? 'prometheus' : values.json ? 'watch-json' : 'live';
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
  };
}

function plotCommand(settings: Settings): number {
  const input = settings.plot!;
  const output = settings.output ?? `${input.replace(/\.csv$/i, '')}.svg`;
  const { rows, skipped } = readCsvLog(input);
  if (rows.length === 0) throw new UsageError(`${input} has no samples to plot`, 'record some first: gpu_monitor --log FILE.csv');
  const plot = renderPlotSvg(rows, { title: `GPU utilisation and memory: ${input}` });
  try {
    writeFileSync(output, plot.svg);
  } catch (error) {
    throw new DpError(`cannot write ${output} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'check that the directory exists and is writable', 2);
  }
  const skippedNote = skipped > 0 ? `; ${skipped} unreadable line${skipped === 1 ? '' : 's'} skipped` : '';
  process.stdout.write(`wrote ${output}: ${plot.gpus} GPU${plot.gpus === 1 ? '' : 's'}, ${plot.samples} rows over ${formatDuration(plot.durationMs / 1000)}${skippedNote}\n`);
  return 0;
}

async function onceCommand(settings: Settings): Promise<number> {
  // The process list and the GPU query are two nvidia-smi calls: both start now. The process answer is dropped when
  // the GPUs turn out to be AMD (rocm-smi) or unreadable; runSmi never rejects.
  const processQuery = queryComputeProcesses({ timeoutMs: settings.timeoutMs, command: DEFAULT_COMMANDS.nvidia });
  const found = await discover(settings.timeoutMs);
  if (found.kind === 'none') throw new DpError(found.message, undefined, found.exitCode);
  const at = new Date();
  let rows: ComputeProcess[] | null = null;
  let processNote: string | null = null;
  if (found.kind === 'nvidia-smi') {
    const result = await processQuery;
    if (result.ok) rows = result.processes;
    else {
      processNote = `processes unknown: ${describeSmiFailure(result)}`;
      process.stderr.write(`${TOOL}: ${processNote}\n`);
    }
  } else {
    processNote = 'per-process GPU use is not read from rocm-smi';
  }
  const scanner = new HostScanner();
  if (!settings.json) scanner.scan();
  const processes = rows ? joinGpuProcesses(rows, found.gpus, scanner) : null;
  if (settings.log) {
    const log = CsvLog.open(settings.log);
    log.append(at, found.gpus);
    log.close();
  }
  if (settings.json) {
    process.stdout.write(`${JSON.stringify(snapshotJson(at, found.kind, found.gpus, processes), null, 2)}\n`);
    return 0;
  }
  const frame: Frame = {
    at,
    source: found.kind,
    gpus: found.gpus,
    fresh: true,
    stale: false,
    sampleAgeMs: 0,
    processes,
    processNote,
    hostProcesses: scanner.available ? scanner.mlProcesses(gpuIndicesByPid(processes)) : null,
    history: new Map(),
    problem: null,
    warnings: found.gpus.flatMap((gpu) => instantWarnings(gpu)),
    samples: 1,
  };
  const style = stylist(colorEnabled(process.stdout));
  const width = process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 120;
  process.stdout.write(`${renderFrame(frame, { width, style, intervalMs: settings.intervalMs, top: settings.top, once: true })}\n`);
  return 0;
}

/** The live view, --watch --json and --prometheus: run until --count samples, q, Ctrl-C or SIGTERM. */
async function runCommand(settings: Settings): Promise<number> {
  const log = settings.log ? CsvLog.open(settings.log) : null;
  const live = settings.mode === 'live';
  const ansi = live && colorEnabled(process.stdout);
  const screen = live ? new Screen(process.stdout, ansi) : null;
  const style = stylist(ansi);
  let latest: Frame | null = null;
  let server: Server | null = null;
  if (settings.mode === 'prometheus') {
    const host = hostname();
    const served = await serveMetrics(settings.port!, settings.host, () =>
      formatMetrics({
        source: latest?.source ?? null,
        gpus: latest?.gpus ?? null,
        fresh: latest !== null && latest.gpus !== null && !latest.stale,
        sampleAgeSeconds: latest?.sampleAgeMs == null ? null : latest.sampleAgeMs / 1000,
        samples: latest?.samples ?? 0,
        hostname: host,
      }),
    ).catch((error: unknown) => {
      log?.close();
      throw error;
    });
    server = served.server;
    process.stdout.write(`${TOOL}: serving Prometheus metrics at ${served.url}\n`);
  }
  return new Promise<number>((resolve, reject) => {
    let finished = false;
    let lastProblem: string | null = null;
    const finish = (code: number, error?: unknown) => {
      if (finished) return;
      finished = true;
      monitor.stop();
      screen?.close();
      log?.close();
      server?.close();
      undoQuit();
      if (error) reject(error);
      else resolve(code);
    };
    const monitor = new Monitor({
      intervalMs: settings.intervalMs,
      timeoutMs: settings.timeoutMs,
      processIntervalMs: settings.processIntervalMs,
      scanner: new HostScanner(),
      collectHost: live,
      // Prometheus serves GPU metrics only: no process list to ask nvidia-smi for.
      collectProcesses: settings.mode !== 'prometheus',
      onProblem: (message) => {
        if (live || message === lastProblem) return;
        lastProblem = message;
        process.stderr.write(`${TOOL}: ${message}\n`);
      },
      onFrame: (frame) => {
        if (finished) return;
        try {
          latest = frame;
          if (frame.problem === null) lastProblem = null;
          if (frame.fresh && frame.gpus && frame.source) {
            log?.append(frame.at, frame.gpus);
            if (settings.mode === 'watch-json') process.stdout.write(`${JSON.stringify(snapshotJson(frame.at, frame.source, frame.gpus, frame.processes))}\n`);
          }
          if (screen) {
            const width = screen.width;
            screen.draw(renderFrame(frame, { width, style, intervalMs: settings.intervalMs, top: settings.top, keyHint: ansi, truncate: ansi }));
          }
          if (settings.count !== null && frame.fresh && frame.samples >= settings.count) finish(0);
        } catch (error) {
          finish(1, error);
        }
      },
    });
    const undoQuit = onQuit(() => finish(0), ansi ? process.stdin : null);
    process.stdout.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'EPIPE' ? 0 : 1, error.code === 'EPIPE' ? undefined : error));
    monitor.start().catch((error: unknown) => finish(1, error));
  });
}

export async function main(argv: string[]): Promise<number> {
  const settings = parseSettings(argv);
  if (settings === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (settings.mode === 'plot') return plotCommand(settings);
  if (settings.mode === 'once') return onceCommand(settings);
  return runCommand(settings);
}

if (isMain(import.meta.url)) void runMain(TOOL, main);
