// Where GPU samples come from while the monitor runs.
// - nvidia-smi: ONE long-lived `nvidia-smi --query-gpu=... --format=csv,noheader,nounits -lms <ms>` child
//   (a new nvidia-smi per tick costs 0.02-0.64 s of NVML start-up each time: research/gpu-monitor.md §1).
//   Rows are grouped into one sample per tick: a sample is complete when every known GPU has a row, or when a
//   GPU's index comes round again. Header lines anywhere and blank lines are skipped.
//   A child that prints no sample for `stallMs` is reported as hung and killed; a child that exits is reported
//   with the reason it printed. Either way it is restarted after a back-off (interval, doubling, at most 30 s).
// - rocm-smi has no streaming mode: one `rocm-smi --json` call per interval, each with a timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { gpuQueryArgs, parseGpuRow, type GpuReading } from '../lib/gpu-query.js';
import { formatSeconds } from '../lib/format.js';
import { classifyFailure, describeSmiFailure, isHeaderLine } from '../lib/nvidia-smi.js';
import { describeRocmFailure, readRocm } from './discover.js';

export interface SourceHandlers {
  /** notes: lines the tool printed among this sample's rows instead of a row (e.g. a GPU that is lost). */
  onSample(gpus: GpuReading[], notes?: string[]): void;
  onProblem(message: string): void;
}

export interface GpuSource {
  start(): void;
  stop(): void;
}

export interface StreamOptions extends SourceHandlers {
  command: string;
  fields: string[];
  intervalMs: number;
  /** No sample for this long = hung. */
  stallMs: number;
  /** GPU indices seen at discovery: a sample is complete when all of them have a row. */
  knownIndices: number[];
  now?: () => number;
}

const MAX_BACKOFF_MS = 30_000;

export function backoffMs(intervalMs: number, failures: number): number {
  return Math.min(MAX_BACKOFF_MS, Math.max(intervalMs, 500) * 2 ** failures);
}

const seconds = (ms: number) => formatSeconds(ms / 1000);

export class NvidiaSmiStream implements GpuSource {
  private child: ChildProcess | null = null;
  private stopped = true;
  private buffer = '';
  private group = new Map<number, GpuReading>();
  private notes: string[] = [];
  private readonly expected: Set<number>;
  private lastSampleAt = 0;
  private failures = 0;
  private output: string[] = [];
  private killedAsHung = false;
  private spawnError: NodeJS.ErrnoException | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: StreamOptions) {
    this.expected = new Set(options.knownIndices);
    this.now = options.now ?? Date.now;
  }

  /** The arguments of the long-lived child. */
  get args(): string[] {
    return gpuQueryArgs(this.options.fields, this.options.intervalMs);
  }

  start(): void {
    this.stopped = false;
    this.spawnChild();
    const every = Math.max(50, Math.min(1000, this.options.stallMs / 4));
    this.watchdog = setInterval(() => this.checkStall(), every);
  }

  stop(): void {
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.watchdog = this.restartTimer = null;
    const child = this.child;
    this.child = null;
    if (child) {
      // A driver-hung nvidia-smi may not die at once: do not let it keep this process alive.
      child.kill('SIGTERM');
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
    }
  }

  private spawnChild(): void {
    this.restartTimer = null;
    this.buffer = '';
    this.group = new Map();
    this.notes = [];
    this.output = [];
    this.killedAsHung = false;
    this.spawnError = null;
    this.lastSampleAt = this.now();
    const child = spawn(this.options.command, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => this.onData(chunk));
    child.stderr!.on('data', (chunk: string) => this.keepOutput(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      this.spawnError = error;
    });
    child.on('close', (code, signal) => this.onClose(child, code, signal));
  }

  private keepOutput(text: string): void {
    for (const line of text.split('\n')) if (line.trim() !== '') this.output.push(line.trim());
    if (this.output.length > 20) this.output.splice(0, this.output.length - 20);
  }

  private onData(chunk: string): void {
    const lines = (this.buffer + chunk).split('\n');
    this.buffer = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
    if (this.expected.size > 0 && this.group.size >= this.expected.size && [...this.expected].every((i) => this.group.has(i))) this.flush();
  }

  private onLine(raw: string): void {
    const line = raw.trim();
    if (line === '' || isHeaderLine(line, this.options.fields[0] ?? 'index')) return;
    const gpu = parseGpuRow(line, this.options.fields);
    if (!gpu) {
      // nvidia-smi prints errors in place of rows (e.g. "Unable to determine the device handle for GPU ...").
      this.keepOutput(line);
      this.notes.push(line);
      return;
    }
    if (this.group.has(gpu.index)) this.flush();
    this.group.set(gpu.index, gpu);
    this.expected.add(gpu.index);
  }

  private flush(): void {
    if (this.group.size === 0) return;
    const gpus = [...this.group.values()].sort((a, b) => a.index - b.index);
    const notes = this.notes;
    this.group = new Map();
    this.notes = [];
    this.lastSampleAt = this.now();
    this.failures = 0;
    this.options.onSample(gpus, notes);
  }

  private checkStall(): void {
    if (this.stopped || !this.child || this.killedAsHung) return;
    const silent = this.now() - this.lastSampleAt;
    if (silent <= this.options.stallMs) return;
    this.killedAsHung = true;
    this.options.onProblem(
      `nvidia-smi stopped answering: no sample for ${seconds(silent)} (the driver may be hung; check dmesg for Xid errors); restarting it`,
    );
    this.child.kill('SIGKILL');
  }

  private onClose(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = null;
    if (this.stopped) return;
    if (this.buffer.trim() !== '') this.onLine(this.buffer);
    this.buffer = '';
    this.flush();
    const delay = backoffMs(this.options.intervalMs, this.failures);
    this.failures += 1;
    if (!this.killedAsHung) this.options.onProblem(`${this.describeExit(code, signal)}; retrying in ${seconds(delay)}`);
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) this.spawnChild();
    }, delay);
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): string {
    if (this.spawnError?.code === 'ENOENT') {
      return describeSmiFailure({ ok: false, failure: 'not-found', message: `${this.options.command} not found`, exitCode: null });
    }
    if (this.spawnError) return `nvidia-smi could not be started (${this.spawnError.message})`;
    const text = this.output.join('\n');
    const how = signal ? `killed by ${signal}` : `exit code ${code}`;
    const failure = classifyFailure(code, text);
    if (failure !== 'failed') return `nvidia-smi stream ended: ${describeSmiFailure({ ok: false, failure, message: this.output[0] ?? how, exitCode: code })}`;
    return `nvidia-smi stream ended (${how}${this.output[0] ? `: ${this.output[this.output.length - 1]}` : ''})`;
  }
}

export interface PollOptions extends SourceHandlers {
  command: string;
  intervalMs: number;
  timeoutMs: number;
  now?: () => number;
}

/** rocm-smi, polled: one `rocm-smi --json` per interval; never two calls at once. */
export class RocmSmiPoller implements GpuSource {
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: PollOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.timer = setTimeout(() => void this.poll(), this.options.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    const started = this.now();
    const result = await readRocm(this.options.command, this.options.timeoutMs);
    if (this.stopped) return;
    if (result.ok) this.options.onSample(result.gpus);
    else this.options.onProblem(describeRocmFailure(result));
    const wait = Math.max(0, this.options.intervalMs - (this.now() - started));
    this.timer = setTimeout(() => void this.poll(), wait);
  }
}
