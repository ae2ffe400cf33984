// ML processes on this host, read from /proc at a low, steady cost.
// A full /proc pass reads three files per process; doing that every second is most of a monitor's CPU
// (measured: ~9 ms per pass over 1,000 processes, against ~0.5 ms for the listing alone).
// So every pass re-reads only /proc/PID/stat of the ML processes and of the PIDs that hold a GPU (for CPU% and
// RSS). Every `listMs` the /proc listing is read to find new processes; a new PID is read once, and again at the
// next listing while it is younger than `youngMs` (a launcher that fork()s and then exec()s python is caught once it
// has exec'd). Every other PID is re-checked every `rescanMs`: a PID reused, or a long-running process that
// exec()s into python, is caught there by a changed start time or command name.
// CPU% = (utime+stime delta in clock ticks / ticks per second) / wall seconds between the two reads x 100
// (share of one core, like top). A process seen once has no interval yet: its CPU% is then the average since
// it started (cpu seconds / seconds since start) and is labelled so.
import { readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ComputeProcess, GpuReading } from '../lib/gpu-query.js';
import { clockTicksPerSecond, commandString, cpuPercent, pageSizeBytes, parseCmdline, parseStat, readText, uptimeSeconds, userName } from '../lib/proc.js';
import type { GpuProcess } from './snapshot.js';

export interface HostProcess {
  pid: number;
  user: string | null;
  cpuPercent: number | null;
  /** 'interval': over the last refresh interval; 'lifetime': average since the process started. */
  cpuBasis: 'interval' | 'lifetime';
  rssBytes: number | null;
  command: string;
  /** GPUs this process has a compute context on (from nvidia-smi), by index. */
  gpuIndices: number[];
}

const ML_PROGRAMS =
  /^(python[0-9.]*|ipython[0-9.]*|jupyter(-.*)?|torchrun|deepspeed|accelerate|horovodrun|vllm|tritonserver|text-generation-launcher|ollama|llama-server|pt_main_thread|pt_data_worker|ray)$/i;
// Launchers appear here as a kind of ML work to list; what a launcher does to its ranks (process-impact) is decided
// by launcherOfCommand there, which this list does not need to match.
const ML_ARGUMENTS = /(^|[\s/])(torchrun|deepspeed|accelerate|torch\.distributed\.(run|launch)|ipykernel_launcher|jupyter-lab|jupyter-notebook|vllm|ray)(\s|$|\.py)/;

/**
 * Whether the command name alone (/proc/PID/stat) makes a process worth reading further: an ML program name, a
 * script run through its shebang (comm is then the script's file name, e.g. train.py), or a name cut at the
 * kernel's 15 characters. Other processes cost one small read and are never listed.
 */
export function mlCandidate(comm: string): boolean {
  return ML_PROGRAMS.test(comm) || comm.endsWith('.py') || comm.length >= 15;
}

/** Whether a process looks like ML work: a Python interpreter, Jupyter, a launcher such as torchrun or deepspeed. */
export function isMlProcess(argv: string[], comm: string): boolean {
  const program = argv[0] ? basename(argv[0]) : '';
  if (ML_PROGRAMS.test(program) || ML_PROGRAMS.test(comm)) return true;
  return ML_ARGUMENTS.test(argv.slice(0, 4).join(' '));
}

interface Entry {
  pid: number;
  startTicks: number;
  comm: string;
  /** argv and owner: read only for ML candidates and GPU holders (details = true). */
  argv: string[];
  uid: number | null;
  details: boolean;
  ml: boolean;
  cpuTicks: number;
  rssPages: number;
  readAt: number;
  /** Old enough when last read that its program is settled (not between fork and exec). */
  settled: boolean;
  previous: { cpuTicks: number; readAt: number } | null;
}

export interface HostScannerOptions {
  root?: string;
  now?: () => number;
  listMs?: number;
  rescanMs?: number;
  youngMs?: number;
  passwdPath?: string;
}

export class HostScanner {
  private readonly root: string;
  private readonly now: () => number;
  private readonly listMs: number;
  private readonly rescanMs: number;
  private readonly youngMs: number;
  private readonly passwdPath: string;
  private readonly entries = new Map<number, Entry>();
  private readonly hz = clockTicksPerSecond();
  private readonly pageSize = pageSizeBytes();
  private lastFullPass = -Infinity;
  private lastListAt = -Infinity;
  private lastScanAt = -Infinity;
  private uptimeNow: number | null | undefined;
  /** PIDs to re-read on every pass even if they do not look like ML (they hold a GPU). */
  private watched = new Set<number>();
  /** False when /proc cannot be listed (not Linux): host processes are then unknown. */
  available = true;

  constructor({ root = '/proc', now = Date.now, listMs = 2000, rescanMs = 60_000, youngMs = 2000, passwdPath = '/etc/passwd' }: HostScannerOptions = {}) {
    this.root = root;
    this.now = now;
    this.listMs = listMs;
    this.rescanMs = rescanMs;
    this.youngMs = youngMs;
    this.passwdPath = passwdPath;
  }

  watch(pids: Iterable<number>): void {
    this.watched = new Set(pids);
  }

  /** One pass: the known ML and GPU processes every time, the /proc listing every listMs. */
  scan(): void {
    const now = this.now();
    this.uptimeNow = undefined;
    if (now - this.lastListAt < this.listMs && this.available) {
      this.lastScanAt = now;
      for (const entry of [...this.entries.values()]) if (entry.ml || this.watched.has(entry.pid)) this.read(entry.pid, entry, now);
      for (const pid of this.watched) if (!this.entries.has(pid)) this.read(pid, undefined, now);
      return;
    }
    let names: string[];
    try {
      names = readdirSync(this.root);
      this.available = true;
    } catch {
      this.available = false;
      return;
    }
    this.lastScanAt = now;
    this.lastListAt = now;
    const full = now - this.lastFullPass >= this.rescanMs;
    if (full) this.lastFullPass = now;
    const alive = new Set<number>();
    for (const name of names) {
      const first = name.charCodeAt(0);
      if (first < 48 || first > 57) continue;
      const pid = Number(name);
      alive.add(pid);
      const known = this.entries.get(pid);
      if (known && !known.ml && known.settled && !full && !this.watched.has(pid)) continue;
      this.read(pid, known, now);
    }
    for (const pid of this.entries.keys()) if (!alive.has(pid)) this.entries.delete(pid);
  }

  /** Seconds since boot, read at most once per pass. */
  private uptime(): number | null {
    if (this.uptimeNow === undefined) this.uptimeNow = uptimeSeconds(this.root);
    return this.uptimeNow;
  }

  private isSettled(startTicks: number): boolean {
    const uptime = this.uptime();
    return uptime === null || uptime - startTicks / this.hz >= this.youngMs / 1000;
  }

  private read(pid: number, known: Entry | undefined, now: number): Entry | null {
    const statText = readText(`${this.root}/${pid}/stat`);
    if (statText === null) {
      this.entries.delete(pid);
      return null;
    }
    let stat;
    try {
      stat = parseStat(statText);
    } catch {
      return null;
    }
    if (known && known.startTicks === stat.startTicks && known.comm === stat.comm) {
      known.previous = { cpuTicks: known.cpuTicks, readAt: known.readAt };
      known.cpuTicks = stat.cpuTicks;
      known.rssPages = stat.rssPages;
      known.readAt = now;
      if (!known.settled) known.settled = this.isSettled(stat.startTicks);
      if (!known.details && this.watched.has(pid)) this.readDetails(known);
      return known;
    }
    const entry: Entry = {
      pid,
      startTicks: stat.startTicks,
      comm: stat.comm,
      argv: [],
      uid: null,
      details: false,
      ml: false,
      cpuTicks: stat.cpuTicks,
      rssPages: stat.rssPages,
      readAt: now,
      settled: this.isSettled(stat.startTicks),
      previous: null,
    };
    if (mlCandidate(stat.comm) || this.watched.has(pid)) this.readDetails(entry);
    this.entries.set(pid, entry);
    return entry;
  }

  /** argv and owner of an entry, and whether it is ML work. */
  private readDetails(entry: Entry): void {
    entry.argv = parseCmdline(readText(`${this.root}/${entry.pid}/cmdline`));
    try {
      entry.uid = statSync(`${this.root}/${entry.pid}`).uid;
    } catch {
      entry.uid = null;
    }
    entry.details = true;
    entry.ml = isMlProcess(entry.argv, entry.comm);
  }

  /** The owner's name, or the uid as a number when the passwd file has no entry for it. */
  private userName(uid: number | null): string | null {
    return uid === null ? null : (userName(uid, this.passwdPath) ?? String(uid));
  }

  private toHost(entry: Entry, gpuIndices: number[], uptime: () => number | null): HostProcess {
    let percent: number | null = null;
    let cpuBasis: HostProcess['cpuBasis'] = 'interval';
    if (entry.previous && entry.readAt > entry.previous.readAt) {
      percent = cpuPercent(entry.cpuTicks - entry.previous.cpuTicks, (entry.readAt - entry.previous.readAt) / 1000, this.hz);
    } else {
      cpuBasis = 'lifetime';
      const up = uptime();
      percent = up === null ? null : cpuPercent(entry.cpuTicks, up - entry.startTicks / this.hz, this.hz);
    }
    return {
      pid: entry.pid,
      user: this.userName(entry.uid),
      cpuPercent: percent === null ? null : Math.max(0, percent),
      cpuBasis,
      rssBytes: entry.rssPages * this.pageSize,
      command: commandString(entry.argv, entry.comm),
      gpuIndices,
    };
  }

  /** ML processes and processes that hold a GPU, busiest first. */
  mlProcesses(gpuIndicesByPid: Map<number, number[]> = new Map()): HostProcess[] {
    const uptime = () => this.uptime();
    return [...this.entries.values()]
      .filter((entry) => entry.ml || gpuIndicesByPid.has(entry.pid))
      .map((entry) => this.toHost(entry, gpuIndicesByPid.get(entry.pid) ?? [], uptime))
      .sort((a, b) => (b.cpuPercent ?? -1) - (a.cpuPercent ?? -1) || a.pid - b.pid);
  }

  /** What /proc says about one PID (read now unless the latest pass read it), or null when it is not visible here. */
  lookup(pid: number): { argv: string[]; comm: string; user: string | null } | null {
    const known = this.entries.get(pid);
    const entry = known && known.readAt === this.lastScanAt ? known : this.read(pid, known, this.now());
    if (entry && !entry.details) this.readDetails(entry);
    return entry ? { argv: entry.argv, comm: entry.comm, user: this.userName(entry.uid) } : null;
  }
}

/** The GPU indices each PID has a compute context on (a process may hold several GPUs), each index once. */
export function gpuIndicesByPid(processes: readonly GpuProcess[] | null): Map<number, number[]> {
  const byPid = new Map<number, number[]>();
  for (const process of processes ?? []) {
    if (process.gpuIndex === null) continue;
    const indices = byPid.get(process.pid);
    if (!indices) byPid.set(process.pid, [process.gpuIndex]);
    else if (!indices.includes(process.gpuIndex)) indices.push(process.gpuIndex);
  }
  return byPid;
}

/** Whether nvidia-smi's process_name and this host's view of the PID describe the same program. */
export function sameProgram(processName: string, argv: string[], comm: string): boolean {
  const smi = basename(processName.replace(/\\/g, '/').split(' ')[0] ?? '');
  if (smi === '') return false;
  const candidates = [argv[0] ? basename(argv[0]) : '', comm].filter((name) => name !== '');
  return candidates.some((name) => name.startsWith(smi) || smi.startsWith(name) || smi.slice(0, 15) === name.slice(0, 15));
}

/**
 * nvidia-smi's compute processes joined with the GPUs (by uuid; under MIG the parent GPU) and with /proc.
 * A PID nvidia-smi could not name ([Not Found]: another PID namespace) or whose program here differs from the
 * one nvidia-smi saw gets no command: the same number here is not the same process.
 */
export function joinGpuProcesses(rows: ComputeProcess[], gpus: GpuReading[], scanner: HostScanner | null): GpuProcess[] {
  const indexByUuid = new Map(gpus.filter((gpu) => gpu.uuid !== null).map((gpu) => [gpu.uuid!, gpu.index]));
  return rows.map((row) => {
    const seen = row.processName !== null && scanner ? scanner.lookup(row.pid) : null;
    const same = seen !== null && row.processName !== null && sameProgram(row.processName, seen.argv, seen.comm);
    return {
      pid: row.pid,
      gpuIndex: row.gpuUuid === null ? null : (indexByUuid.get(row.gpuUuid) ?? null),
      gpuUuid: row.gpuUuid,
      usedMemoryMiB: row.usedMemoryMiB,
      name: row.processName,
      command: same && seen ? commandString(seen.argv, seen.comm) : null,
      user: same && seen ? seen.user : null,
    };
  });
}
