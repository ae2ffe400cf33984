// gpu_monitor: the command line. Modes: live view (default), --once [--json], --watch --json, --plot,
// --prometheus, --cluster-config; --log works with every sampling mode. See help.ts and docs/tools/gpu-monitor.md.
// With --json a failure is a JSON object too ({"timestamp","error":{...}}) besides the one line on stderr.
import { closeSync, constants, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import { DpError, UsageError, isMain, runMain } from '../lib/cli.js';
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
import { renderFrame, renderView } from './render.js';
import { Screen, onQuit, type ScrollKey } from './screen.js';
import { errorJson, snapshotJson } from './snapshot.js';
import { writeClusterConfig } from './cluster-config.js';
import { openOwnFile } from './own-file.js';
import { missingGpus, selectFrame, selectGpus, selectHostProcesses, selectProcesses } from './gpu-filter.js';
import { TOOL, parseSettings, type Settings } from './settings.js';
import { instantWarnings } from './warnings.js';
import { formatDuration } from '../lib/format.js';

export { parseSettings, type Settings } from './settings.js';

/** Rows the process list moves for a page key when the terminal height is unknown. */
const PAGE_ROWS = 5;

function plotCommand(settings: Settings): number {
  const input = settings.plot!;
  const output = settings.output ?? `${input.replace(/\.csv$/i, '')}.svg`;
  const { rows, skipped } = readCsvLog(input);
  if (rows.length === 0) throw new UsageError(`${input} has no samples to plot`, 'record some first: gpu_monitor --log FILE.csv');
  const plot = renderPlotSvg(rows, { title: `GPU utilisation, memory, power and temperature: ${input}` });
  const fd = openOwnFile(output, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, '-o FILE.svg');
  try {
    writeFileSync(fd, plot.svg);
  } catch (error) {
    throw new DpError(`cannot write ${output} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'check that the disk has room', 2);
  } finally {
    closeSync(fd);
  }
  const skippedNote = skipped > 0 ? `; ${skipped} unreadable line${skipped === 1 ? '' : 's'} skipped` : '';
  process.stdout.write(`wrote ${output}: ${plot.gpus} GPU${plot.gpus === 1 ? '' : 's'}, ${plot.samples} rows over ${formatDuration(plot.durationMs / 1000)}${skippedNote}\n`);
  return 0;
}

function clusterCommand(settings: Settings): number {
  const { kind, outDir, port, nodes } = settings.cluster!;
  const written = writeClusterConfig(kind, outDir, { port, nodes });
  for (const file of written) process.stdout.write(`wrote ${file.path}: ${file.use}\n`);
  return 0;
}

async function onceCommand(settings: Settings): Promise<number> {
  // The process list and the GPU query are two nvidia-smi calls: both start now. The process answer is dropped when
  // the GPUs turn out to be AMD (rocm-smi) or unreadable; runSmi never rejects.
  const processQuery = queryComputeProcesses({ timeoutMs: settings.timeoutMs, command: DEFAULT_COMMANDS.nvidia });
  const found = await discover(settings.timeoutMs);
  if (found.kind === 'none') throw new DpError(found.message, undefined, found.exitCode);
  const missing = missingGpus(settings.gpus, found.gpus);
  if (missing) throw new UsageError(missing, 'name GPUs by the index nvidia-smi shows');
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
  scanner.scan();
  const gpus = selectGpus(found.gpus, settings.gpus);
  const processes = selectProcesses(rows ? joinGpuProcesses(rows, found.gpus, scanner) : null, settings.gpus);
  const hostProcesses = scanner.available ? selectHostProcesses(scanner.mlProcesses(gpuIndicesByPid(processes)), settings.gpus) : null;
  if (settings.log) {
    const log = CsvLog.open(settings.log);
    log.append(at, gpus);
    log.close();
  }
  if (settings.json) {
    const shown = hostProcesses === null ? null : hostProcesses.slice(0, settings.top);
    process.stdout.write(`${JSON.stringify(snapshotJson(at, found.kind, gpus, processes, shown), null, 2)}\n`);
    return 0;
  }
  const frame: Frame = {
    at,
    source: found.kind,
    gpus,
    fresh: true,
    stale: false,
    sampleAgeMs: 0,
    processes,
    processNote,
    hostProcesses,
    history: new Map(),
    problem: null,
    warnings: gpus.flatMap((gpu) => instantWarnings(gpu)),
    samples: 1,
  };
  const style = stylist(colorEnabled(process.stdout));
  const width = process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 120;
  const options = { width, style, intervalMs: settings.intervalMs, top: settings.top, once: true, compact: settings.compact };
  process.stdout.write(`${renderFrame(frame, options)}\n`);
  return 0;
}

/** The new first row of the process list after a scroll key (render clamps it to the list). */
function scrolled(scroll: number, key: ScrollKey, page: number, listed: number): number {
  const moves: Record<ScrollKey, number> = { up: scroll - 1, down: scroll + 1, pageUp: scroll - page, pageDown: scroll + page, home: 0, end: listed };
  return Math.max(0, moves[key]);
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
  let scroll = 0;
  let page = PAGE_ROWS;
  let listed = 0;
  if (settings.mode === 'prometheus') {
    // Like dcgm-exporter: NODE_NAME (set from spec.nodeName in the DaemonSet) names the node; inside a pod, the
    // host name is the pod's, which changes with every restart.
    const host = process.env.NODE_NAME || hostname();
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
  const draw = () => {
    if (!screen || !latest) return;
    const view = renderView(latest, {
      width: screen.width,
      height: screen.height,
      style,
      intervalMs: settings.intervalMs,
      top: settings.top,
      keyHint: ansi,
      truncate: ansi,
      compact: settings.compact,
      scroll,
    });
    scroll = view.scroll;
    page = Math.max(1, (screen.height ?? PAGE_ROWS) - 10);
    listed = Math.min(latest.hostProcesses?.length ?? 0, settings.top);
    screen.draw(view.text);
  };
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
    // A problem (the monitor's, or a --gpus index that is not there) once per change: stderr, and with --json a line.
    const report = (message: string) => {
      if (live || message === lastProblem) return;
      lastProblem = message;
      process.stderr.write(`${TOOL}: ${message}\n`);
      if (settings.mode === 'watch-json') process.stdout.write(`${JSON.stringify(errorJson(new Date(), message))}\n`);
    };
    const monitor = new Monitor({
      intervalMs: settings.intervalMs,
      timeoutMs: settings.timeoutMs,
      processIntervalMs: settings.processIntervalMs,
      scanner: new HostScanner(),
      collectHost: live || settings.mode === 'watch-json',
      // Prometheus serves GPU metrics only: no process list to ask nvidia-smi for.
      collectProcesses: settings.mode !== 'prometheus',
      onProblem: (message) => report(message),
      onFrame: (raw) => {
        if (finished) return;
        try {
          const frame = selectFrame(raw, settings.gpus);
          latest = frame;
          if (frame.problem === null) lastProblem = null;
          else if (raw.problem === null) report(frame.problem);
          if (frame.fresh && frame.gpus && frame.source) {
            log?.append(frame.at, frame.gpus);
            if (settings.mode === 'watch-json') {
              const hosts = frame.hostProcesses === null ? null : frame.hostProcesses.slice(0, settings.top);
              process.stdout.write(`${JSON.stringify(snapshotJson(frame.at, frame.source, frame.gpus, frame.processes, hosts))}\n`);
            }
          }
          draw();
          if (settings.count !== null && frame.fresh && frame.samples >= settings.count) finish(0);
        } catch (error) {
          finish(1, error);
        }
      },
    });
    const onScroll = (key: ScrollKey) => {
      scroll = scrolled(scroll, key, page, listed);
      draw();
    };
    const undoQuit = onQuit(() => finish(0), ansi ? process.stdin : null, onScroll);
    process.stdout.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'EPIPE' ? 0 : 1, error.code === 'EPIPE' ? undefined : error));
    monitor.start().catch((error: unknown) => finish(1, error));
  });
}

export async function main(argv: string[]): Promise<number> {
  try {
    const settings = parseSettings(argv);
    if (settings === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (settings.mode === 'cluster-config') return clusterCommand(settings);
    if (settings.mode === 'plot') return plotCommand(settings);
    if (settings.mode === 'once') return await onceCommand(settings);
    return await runCommand(settings);
  } catch (error) {
    // A script that asked for JSON reads stdout: it gets the error as JSON there (the line on stderr stays).
    if (argv.includes('--json')) {
      const dp = error instanceof DpError ? error : null;
      const message = dp ? dp.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
      process.stdout.write(`${JSON.stringify(errorJson(new Date(), message, dp?.hint ?? null, dp ? dp.exitCode : 1))}\n`);
    }
    throw error;
  }
}

if (isMain(import.meta.url)) void runMain(TOOL, main);
