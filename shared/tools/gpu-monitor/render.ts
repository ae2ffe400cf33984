// The text view: one frame as lines of plain text (colour only through the Stylist, i.e. only on a terminal
// without NO_COLOR). Used by the live view and by `--once`. Unknown values print as "unknown", never 0.
// Two layouts: full (a block per GPU) and compact (one line per GPU, for 8 GPUs on 80x24). Given a height (a terminal
// redrawn in place), the view picks compact when full would not fit, and the host process list gets the rows left,
// scrolled by `scroll`. Text from outside (names, command lines, messages) goes through escapeControl.
import { clockEventReasonNames, type GpuReading } from '../lib/gpu-query.js';
import { UNKNOWN, formatBytes, formatMiB, formatSeconds } from '../lib/format.js';
import { bar, escapeControl as safe, visibleLength, wrap, type Stylist } from '../lib/term.js';
import type { HostProcess } from './host-procs.js';
import type { Frame } from './monitor.js';
import type { GpuProcess } from './snapshot.js';

const SPARKS = '▁▂▃▄▅▆▇█';

/** One character per value in [0, max]: ▁ (0) to █ (max); unknown values are a space. */
export function sparkline(values: (number | null)[], max = 100): string {
  return values
    .map((value) => {
      if (value === null || !Number.isFinite(value)) return ' ';
      const level = Math.round((Math.min(max, Math.max(0, value)) / max) * (SPARKS.length - 1));
      return SPARKS[level];
    })
    .join('');
}

export interface RenderOptions {
  width: number;
  style: Stylist;
  intervalMs: number;
  /** Host ML processes to list. */
  top: number;
  /** A single snapshot (--once): no history, no key hint. */
  once?: boolean;
  /** Show "q or Ctrl-C quits" (a live view on a terminal). */
  keyHint?: boolean;
  /** Cut lines to the width (a terminal redrawn in place); problems and warnings wrap instead. */
  truncate?: boolean;
  /** Rows available (a terminal redrawn in place): the view fits them. */
  height?: number;
  /** One line per GPU even when the full layout would fit. */
  compact?: boolean;
  /** The first host process shown (the list scrolls when it does not fit the height). */
  scroll?: number;
}

/** Cut a line to `width` visible characters (ANSI codes kept intact for what remains). */
export function fit(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  let out = '';
  let visible = 0;
  for (let i = 0; i < line.length && visible < width - 1; ) {
    const escape = /^\x1b\[[0-9;]*m/.exec(line.slice(i));
    if (escape) {
      out += escape[0];
      i += escape[0].length;
      continue;
    }
    out += line[i];
    visible += 1;
    i += 1;
  }
  return line.includes('\x1b[') ? `${out}…\x1b[0m` : `${out}…`;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - visibleLength(text)));
const padStart = (text: string, width: number) => ' '.repeat(Math.max(0, width - visibleLength(text))) + text;
const num = (value: number | null, unit: string, digits = 0) => (value === null ? UNKNOWN : `${value.toFixed(digits)}${unit}`);

function localTime(at: Date, withDate: boolean): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
  return withDate ? `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${time}` : time;
}

const seconds = (ms: number) => formatSeconds(ms / 1000);

function fraction(part: number | null, whole: number | null): number | null {
  return part === null || whole === null || whole <= 0 ? null : part / whole;
}

function describeProcess(process: GpuProcess): string {
  if (process.command !== null) return safe(process.command);
  if (process.name === null) return '[Not Found]: a PID from another PID namespace (container); run with --pid=host to see it';
  return `${safe(process.name)} (PID not visible here: another PID namespace, or it has exited)`;
}

function gpuBlock(gpu: GpuReading, frame: Frame, options: RenderOptions): string[] {
  const { style, width } = options;
  const lines: string[] = [];
  const power = gpu.powerDrawW === null && gpu.powerLimitW === null ? `power ${UNKNOWN}` : `${num(gpu.powerDrawW, '')} / ${num(gpu.powerLimitW, ' W')}`;
  lines.push(`${style('bold', `GPU ${gpu.index}`)}  ${safe(gpu.name ?? UNKNOWN)}   ${gpu.temperatureC === null ? `temperature ${UNKNOWN}` : `${gpu.temperatureC} °C`}   ${power}`);
  const barWidth = Math.max(10, Math.min(30, Math.floor((width - 60) / 2)));
  const util = gpu.utilizationGpuPercent;
  const memFraction = fraction(gpu.memoryUsedMiB, gpu.memoryTotalMiB);
  const memText = `${formatMiB(gpu.memoryUsedMiB)} / ${formatMiB(gpu.memoryTotalMiB)}${memFraction === null ? '' : ` (${Math.round(memFraction * 100)}%)`}`;
  lines.push(`  util ${bar(util === null ? null : util / 100, barWidth)} ${padStart(num(util, '%'), 7)}   mem ${bar(memFraction, barWidth)} ${memText}`);
  const series = frame.history.get(gpu.index) ?? [];
  if (!options.once && series.length > 0) {
    const room = Math.max(10, width - 30);
    const shown = series.slice(-room);
    lines.push(`  util history ${style('cyan', sparkline(shown))}  ${style('dim', `last ${seconds(shown.length * options.intervalMs)}`)}`);
  }
  const details = detailLine(gpu);
  if (details !== null) lines.push(style('dim', `  ${details}`));
  if (gpu.migEnabled) {
    lines.push(style('dim', '  MIG mode: nvidia-smi reports no whole-GPU utilisation ([N/A]); per-instance activity needs DCGM'));
  }
  if (gpu.driverModel === 'WDDM') {
    lines.push(style('dim', '  WDDM driver model: per-process GPU memory is not reported ([N/A])'));
  }
  if (frame.processes === null) {
    if (frame.processNote) lines.push(style('dim', `  ${safe(frame.processNote)}`));
    return lines;
  }
  const mine = frame.processes.filter((p) => p.gpuIndex === gpu.index).sort((a, b) => (b.usedMemoryMiB ?? -1) - (a.usedMemoryMiB ?? -1));
  if (mine.length === 0) lines.push(style('dim', '  no compute processes'));
  for (const process of mine.slice(0, 5)) {
    lines.push(`  pid ${padStart(String(process.pid), 7)}  ${pad(safe(process.user ?? '?'), 10)} ${padStart(formatMiB(process.usedMemoryMiB), 9)}  ${describeProcess(process)}`);
  }
  if (mine.length > 5) lines.push(style('dim', `  ... ${mine.length - 5} more`));
  return lines;
}

/** Performance state, clocks, why clocks are held down, ECC: what nvidia-smi reported of them, or null for none. */
function detailLine(gpu: GpuReading): string | null {
  const parts: string[] = [];
  if (gpu.performanceState !== null) parts.push(gpu.performanceState);
  const clock = (now: number | null, max: number | null) => (now === null ? null : max === null ? `${now}` : `${now}/${max}`);
  const sm = clock(gpu.smClockMHz, gpu.smClockMaxMHz);
  const memory = clock(gpu.memoryClockMHz, gpu.memoryClockMaxMHz);
  if (sm !== null || memory !== null) parts.push(`clocks SM ${sm ?? UNKNOWN}, memory ${memory ?? UNKNOWN} MHz`);
  const reasons = clockEventReasonNames(gpu.clockEventReasons);
  if (reasons !== null) parts.push(reasons.length === 0 ? 'clocks not held down' : `clocks held down: ${reasons.join(', ')}`);
  const ecc = gpu.ecc;
  if (ecc.enabled === false) parts.push('ECC off');
  else if (ecc.enabled) parts.push(`ECC errors since driver load: ${ecc.uncorrectedVolatile ?? UNKNOWN} uncorrected, ${ecc.correctedVolatile ?? UNKNOWN} corrected`);
  return parts.length === 0 ? null : parts.join(' · ');
}

/** A GPU name without the vendor prefix every row would repeat, cut to `width`. */
function shortName(name: string | null, width: number): string {
  const short = safe(name ?? UNKNOWN).replace(/^(NVIDIA|AMD)\s+/i, '');
  return short.length <= width ? short : `${short.slice(0, width - 1)}…`;
}

const gib = (mib: number | null) => (mib === null ? '?' : (mib / 1024).toFixed(1));

/** One line per GPU: what the full block shows in its first two lines, and how many compute processes it has. */
function compactTable(gpus: GpuReading[], frame: Frame, options: RenderOptions): string[] {
  const nameWidth = Math.max(8, Math.min(28, options.width - 63));
  const lines = [options.style('dim', `GPU ${pad('NAME', nameWidth)} ${pad('UTIL', 11)}  ${pad('MEMORY GiB', 15)}  TEMP   ${pad('POWER W', 9)}  P    PROCS`)];
  for (const gpu of gpus) {
    const util = gpu.utilizationGpuPercent;
    const memFraction = fraction(gpu.memoryUsedMiB, gpu.memoryTotalMiB);
    const memory = `${gib(gpu.memoryUsedMiB)}/${gib(gpu.memoryTotalMiB)} ${memFraction === null ? '' : `${Math.round(memFraction * 100)}%`}`;
    const temp = gpu.temperatureC === null ? '?' : `${gpu.temperatureC}°C`;
    const power = `${gpu.powerDrawW === null ? '?' : Math.round(gpu.powerDrawW)}/${gpu.powerLimitW === null ? '?' : Math.round(gpu.powerLimitW)}`;
    const procs = frame.processes === null ? '?' : String(frame.processes.filter((p) => p.gpuIndex === gpu.index).length);
    lines.push(
      `${padStart(String(gpu.index), 3)} ${pad(shortName(gpu.name, nameWidth), nameWidth)} ${bar(util === null ? null : util / 100, 6)} ${padStart(util === null ? '?' : `${util}%`, 4)}  ${pad(memory, 15)}  ${pad(temp, 5)}  ${pad(power, 9)}  ${pad(gpu.performanceState ?? '?', 3)}  ${procs}`,
    );
  }
  if (gpus.some((gpu) => gpu.migEnabled)) lines.push(options.style('dim', 'MIG mode: no whole-GPU utilisation ([N/A]); per-instance activity needs DCGM'));
  if (frame.processes === null && frame.processNote) lines.push(options.style('dim', safe(frame.processNote)));
  return lines;
}

/** The ML processes on this host: a title, a column header and `rows` processes from `scroll` on (all when rows is null). */
function hostBlock(hosts: HostProcess[] | null, options: RenderOptions, rows: number | null, scroll: number): string[] {
  const { style } = options;
  if (hosts === null) return [style('bold', 'ML processes on this host'), style('dim', '  not available: /proc cannot be read on this system')];
  const listed = hosts.slice(0, options.top);
  const shown = rows === null ? listed : listed.slice(scroll, scroll + rows);
  const lifetime = shown.some((host) => host.cpuBasis === 'lifetime');
  const window = rows !== null && listed.length > rows ? `${scroll + 1}-${scroll + shown.length} of ${listed.length}, ↑/↓ scroll` : `top ${options.top} by CPU%`;
  const note = rows !== null && lifetime ? '; * since start' : '';
  const lines = [`${style('bold', 'ML processes on this host')} ${style('dim', `(${window}; CPU% = share of one core${note})`)}`];
  if (listed.length === 0) {
    lines.push(style('dim', '  none (python, jupyter, torchrun, deepspeed, accelerate, vllm, ... or a process holding a GPU)'));
    return lines;
  }
  lines.push(style('dim', `  ${padStart('PID', 7)}  ${pad('USER', 10)} ${padStart('CPU%', 7)} ${padStart('RSS', 10)}  ${pad('GPU', 4)} COMMAND`));
  for (const host of shown) {
    const cpu = host.cpuPercent === null ? UNKNOWN : `${host.cpuPercent.toFixed(1)}${host.cpuBasis === 'lifetime' ? '*' : ''}`;
    const gpus = host.gpuIndices.length > 0 ? host.gpuIndices.join(',') : '-';
    lines.push(`  ${padStart(String(host.pid), 7)}  ${pad(safe(host.user ?? '?'), 10)} ${padStart(cpu, 7)} ${padStart(formatBytes(host.rssBytes), 10)}  ${pad(gpus, 4)} ${safe(host.command)}`);
  }
  if (rows === null && lifetime) lines.push(style('dim', '  * average since the process started (no interval measured yet)'));
  return lines;
}

/** Most warning lines a height-limited view gives up for warnings (the rest are counted). */
const MAX_FITTED_WARNINGS = 3;

export interface View {
  text: string;
  /** The scroll offset actually used (clamped to the list). */
  scroll: number;
  compact: boolean;
}

/** The whole view for one frame, with the layout and scroll offset it used. */
export function renderView(frame: Frame, options: RenderOptions): View {
  const { style, width } = options;
  const gpus = frame.gpus ?? [];
  const head = [
    style('bold', 'gpu_monitor'),
    frame.source ?? (frame.problem ? 'no GPU data' : 'starting: asking nvidia-smi'),
    frame.gpus ? `${gpus.length} GPU${gpus.length === 1 ? '' : 's'}` : null,
    options.once ? null : `every ${seconds(options.intervalMs)}`,
    localTime(frame.at, options.once === true),
  ].filter((part) => part !== null);
  let header = head.join(' · ');
  if (options.keyHint) header = pad(header, width - 17) + style('dim', 'q or Ctrl-C quits');
  const top: string[] = [header];
  const wrapped = (text: string, color: 'red' | 'yellow') => (options.truncate ? wrap(text, width - 1, '    ', { breakWords: true }) : [text]).map((line) => style(color, line));
  if (frame.problem) top.push(...wrapped(`! ${safe(frame.problem)}`, 'red'));
  top.push('');
  const gpuSection = (compact: boolean): string[] => {
    if (frame.gpus && frame.stale) return [style('yellow', `GPU data unavailable: last sample ${seconds(Math.round((frame.sampleAgeMs ?? 0) / 100) * 100)} ago`), ''];
    if (!frame.gpus) return [];
    return compact ? [...compactTable(gpus, frame, options), ''] : gpus.flatMap((gpu) => [...gpuBlock(gpu, frame, options), '']);
  };
  const height = options.height;
  const warningLines = (limit: number | null): string[] => {
    if (frame.warnings.length === 0) return [];
    const messages = frame.warnings.map((warning) => `! ${safe(warning.message)}`);
    if (limit === null) return ['', style('bold', 'Warnings'), ...messages.flatMap((m) => wrapped(`  ${m}`, 'yellow'))];
    const shown = messages.length > limit ? [...messages.slice(0, limit - 1), `! ... ${messages.length - limit + 1} more warnings`] : messages;
    return ['', ...shown.map((m) => style('yellow', m))];
  };
  if (height === undefined) {
    const gpuLines = gpuSection(options.compact === true);
    const lines = [...top, ...gpuLines, ...hostBlock(frame.hostProcesses, options, null, 0), ...warningLines(null)];
    return { text: (options.truncate ? lines.map((line) => fit(line, width)) : lines).join('\n'), scroll: 0, compact: options.compact === true };
  }
  // Fit the height: the host list keeps at least a title, a column header and 3 rows; full only if that fits too.
  const warnings = warningLines(MAX_FITTED_WARNINGS);
  const fixed = (lines: string[]) => top.length + lines.length + warnings.length + 2;
  const full = options.compact ? null : gpuSection(false);
  const compact = full === null || fixed(full) + 3 > height;
  const gpuLines = compact ? gpuSection(true) : full!;
  const rows = Math.max(1, height - fixed(gpuLines));
  const listed = Math.min(frame.hostProcesses?.length ?? 0, options.top);
  const scroll = Math.max(0, Math.min(options.scroll ?? 0, listed - rows));
  const lines = [...top, ...gpuLines, ...hostBlock(frame.hostProcesses, options, rows, scroll), ...warnings].slice(0, height);
  return { text: lines.map((line) => fit(line, width)).join('\n'), scroll, compact };
}

/** The whole view for one frame, as text lines without trailing newline. */
export function renderFrame(frame: Frame, options: RenderOptions): string {
  return renderView(frame, options).text;
}
