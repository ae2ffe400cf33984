// The running monitor: one GPU source, the compute-process query, host ML processes, utilisation history and
// warnings, delivered as one Frame per GPU sample. When samples stop coming (hung or dead nvidia-smi, no driver)
// a frame still comes every interval with the problem and the host processes.
// The compute-process query is a new nvidia-smi each time (it cannot stream), so it is asked at most every
// processIntervalMs, and only when some GPU's memory.used moved by >= 1 % of its total since the last answer (a
// process that starts, ends or grows moves it) or the answer is older than max(30 s, 6 x processIntervalMs).
import { queryComputeProcesses, type ComputeProcess, type GpuReading } from '../lib/gpu-query.js';
import { describeSmiFailure } from '../lib/nvidia-smi.js';
import { DEFAULT_COMMANDS, discover, type Commands } from './discover.js';
import { gpuIndicesByPid, joinGpuProcesses, type HostProcess, type HostScanner } from './host-procs.js';
import type { GpuProcess, SourceName } from './snapshot.js';
import { NvidiaSmiStream, RocmSmiPoller, backoffMs, type GpuSource } from './sources.js';
import { WarningTracker, type Warning } from './warnings.js';

export interface Frame {
  at: Date;
  source: SourceName | null;
  /** The latest GPU sample; null before the first one. May be stale: see sampleAgeMs and stale. */
  gpus: GpuReading[] | null;
  /** True when this frame carries a GPU sample that no earlier frame carried. */
  fresh: boolean;
  /** True when the latest sample is older than the stall limit: do not show it as current. */
  stale: boolean;
  sampleAgeMs: number | null;
  /** Compute processes joined with /proc; null when unknown (query failed, or rocm-smi). */
  processes: GpuProcess[] | null;
  /** Why processes is null. */
  processNote: string | null;
  /** ML processes on this host; null when host processes are not collected or /proc is unreadable. */
  hostProcesses: HostProcess[] | null;
  /** Utilisation history per GPU index (oldest first, at most historyLength values; null = unknown). */
  history: Map<number, (number | null)[]>;
  /** The current problem with the GPU source, if any. */
  problem: string | null;
  warnings: Warning[];
  /** GPU samples received so far. */
  samples: number;
}

export interface MonitorOptions {
  intervalMs: number;
  timeoutMs: number;
  processIntervalMs: number;
  historyLength?: number;
  commands?: Commands;
  /** Collect host ML processes (the live view and --watch --json show them; Prometheus and CSV do not need them). */
  scanner: HostScanner | null;
  collectHost: boolean;
  /**
   * Ask nvidia-smi for the compute processes and join them with /proc (default true). Prometheus serves GPU metrics
   * only: without them no --query-compute-apps call is made.
   */
  collectProcesses?: boolean;
  onFrame(frame: Frame): void;
  onProblem?(message: string): void;
  now?: () => number;
}

export class Monitor {
  private source: GpuSource | null = null;
  private sourceName: SourceName | null = null;
  private gpus: GpuReading[] | null = null;
  private lastSampleAt: number | null = null;
  private lastFrameAt = 0;
  private samples = 0;
  private problem: string | null = null;
  private processRows: ComputeProcess[] | null = null;
  /** processRows joined with the GPUs and /proc, redone when either changes (not on every frame). */
  private joined: { rows: ComputeProcess[]; uuids: string; processes: GpuProcess[] } | null = null;
  private processNote: string | null = null;
  private lastProcessPoll = -Infinity;
  /** memory.used per GPU index when the process list was last asked for. */
  private polledMemory = new Map<number, number | null>();
  private processPollInFlight = false;
  private readonly history = new Map<number, (number | null)[]>();
  private readonly tracker = new WarningTracker();
  private warnings: Warning[] = [];
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private connectFailures = 0;
  private stopped = false;
  private readonly now: () => number;
  private readonly commands: Commands;

  constructor(private readonly options: MonitorOptions) {
    this.now = options.now ?? Date.now;
    this.commands = options.commands ?? DEFAULT_COMMANDS;
  }

  private get collectsProcesses(): boolean {
    return this.options.collectProcesses ?? true;
  }

  /** No sample for this long = the source is hung: at least the nvidia-smi timeout and 3 intervals. */
  get stallMs(): number {
    return Math.max(this.options.timeoutMs, 3 * this.options.intervalMs);
  }

  async start(): Promise<void> {
    this.heartbeat = setInterval(() => this.onHeartbeat(), this.options.intervalMs);
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.source?.stop();
    this.source = null;
  }

  private report(message: string): void {
    this.problem = message;
    this.options.onProblem?.(message);
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = null;
    const found = await discover(this.options.timeoutMs, this.commands);
    if (this.stopped) return;
    if (found.kind === 'none') {
      const delay = backoffMs(Math.max(this.options.intervalMs, 5000), this.connectFailures);
      this.connectFailures += 1;
      this.report(`${found.message} (trying again in ${Math.round(delay / 1000)} s)`);
      this.reconnectTimer = setTimeout(() => void this.connect(), delay);
      this.emit(false);
      return;
    }
    this.connectFailures = 0;
    this.sourceName = found.kind;
    const handlers = {
      onSample: (gpus: GpuReading[], notes?: string[]) => this.accept(gpus, notes),
      onProblem: (message: string) => {
        if (message === this.problem) return;
        this.report(message);
        this.emit(false);
      },
    };
    if (found.kind === 'nvidia-smi') {
      if (this.collectsProcesses) await this.pollProcesses(found.gpus);
      if (this.stopped) return;
      this.source = new NvidiaSmiStream({
        ...handlers,
        command: this.commands.nvidia,
        fields: found.fields,
        intervalMs: this.options.intervalMs,
        stallMs: this.stallMs,
        knownIndices: found.gpus.map((gpu) => gpu.index),
      });
    } else {
      this.processNote = 'per-process GPU use is not read from rocm-smi';
      this.accept(found.gpus);
      this.source = new RocmSmiPoller({ ...handlers, command: this.commands.rocm, intervalMs: this.options.intervalMs, timeoutMs: this.options.timeoutMs });
    }
    this.source.start();
  }

  private memoryMoved(gpus: GpuReading[]): boolean {
    return gpus.some((gpu) => {
      if (!this.polledMemory.has(gpu.index)) return true;
      const before = this.polledMemory.get(gpu.index) ?? null;
      if (before === null || gpu.memoryUsedMiB === null) return before !== gpu.memoryUsedMiB;
      return gpu.memoryTotalMiB === null || Math.abs(gpu.memoryUsedMiB - before) >= 0.01 * gpu.memoryTotalMiB;
    });
  }

  private processPollDue(at: number, gpus: GpuReading[]): boolean {
    const age = at - this.lastProcessPoll;
    if (age < this.options.processIntervalMs) return false;
    return this.processRows === null || age >= Math.max(30_000, 6 * this.options.processIntervalMs) || this.memoryMoved(gpus);
  }

  private async pollProcesses(gpus: GpuReading[]): Promise<void> {
    if (this.sourceName !== 'nvidia-smi' || this.processPollInFlight) return;
    this.processPollInFlight = true;
    this.lastProcessPoll = this.now();
    this.polledMemory = new Map(gpus.map((gpu) => [gpu.index, gpu.memoryUsedMiB]));
    const result = await queryComputeProcesses({ timeoutMs: this.options.timeoutMs, command: this.commands.nvidia });
    this.processPollInFlight = false;
    if (result.ok) {
      this.processRows = result.processes;
      this.processNote = null;
    } else {
      this.processRows = null;
      this.processNote = `processes unknown: ${describeSmiFailure(result)}`;
    }
  }

  private accept(gpus: GpuReading[], notes: string[] = []): void {
    if (this.stopped) return;
    const at = this.now();
    this.gpus = gpus;
    this.lastSampleAt = at;
    this.samples += 1;
    this.problem = null;
    // A GPU that drops out prints an error in place of its row, every sample: keep saying so.
    if (notes.length > 0) this.report(`nvidia-smi printed instead of a row: ${notes[0]}`);
    const length = this.options.historyLength ?? 120;
    for (const gpu of gpus) {
      const series = this.history.get(gpu.index) ?? [];
      series.push(gpu.utilizationGpuPercent);
      if (series.length > length) series.splice(0, series.length - length);
      this.history.set(gpu.index, series);
    }
    if (this.collectsProcesses && this.processPollDue(at, gpus)) void this.pollProcesses(gpus);
    this.emit(true);
  }

  private joinProcesses(gpus: GpuReading[] | null): GpuProcess[] | null {
    const rows = this.processRows;
    if (!rows || !gpus) return null;
    const uuids = gpus.map((gpu) => `${gpu.index}=${gpu.uuid}`).join(',');
    if (this.joined?.rows !== rows || this.joined.uuids !== uuids) {
      this.joined = { rows, uuids, processes: joinGpuProcesses(rows, gpus, this.options.scanner) };
    }
    return this.joined.processes;
  }

  private onHeartbeat(): void {
    if (this.now() - this.lastFrameAt >= this.options.intervalMs * 1.5) this.emit(false);
  }

  private emit(fresh: boolean): void {
    if (this.stopped) return;
    const at = this.now();
    this.lastFrameAt = at;
    const scanner = this.options.scanner;
    const gpus = this.gpus;
    if (scanner && this.processRows) scanner.watch(this.processRows.map((row) => row.pid));
    if (scanner && this.options.collectHost) scanner.scan();
    const processes = this.joinProcesses(gpus);
    if (fresh && gpus) this.warnings = this.tracker.update(at, gpus, processes);
    const sampleAgeMs = this.lastSampleAt === null ? null : at - this.lastSampleAt;
    const stale = sampleAgeMs !== null && sampleAgeMs > this.stallMs;
    this.options.onFrame({
      at: new Date(at),
      source: this.sourceName,
      gpus,
      fresh,
      stale,
      sampleAgeMs,
      processes,
      processNote: this.processNote,
      hostProcesses: scanner && this.options.collectHost && scanner.available ? scanner.mlProcesses(gpuIndicesByPid(processes)) : null,
      history: this.history,
      problem: this.problem,
      warnings: stale ? [] : this.warnings,
      samples: this.samples,
    });
  }
}
