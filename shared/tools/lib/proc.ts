// Reading Linux /proc. Facts: ../shared/research/impact.md §1.
// /proc/PID/stat is split after the last ')' because the command name may contain spaces and ')'.
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Process group (field 5): a shell pipeline such as `train | tee log` shares one. */
  pgrp: number;
  /** Session id (field 6): the PID of the session's leader (a login shell, an sshd child); 0 when outside this namespace. */
  session: number;
  /** Kernel flags (field 9): PF_KTHREAD marks a kernel thread. */
  flags: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  threads: number;
  /** Clock ticks after boot: with the pid, the identity of a process (PIDs are reused). */
  startTicks: number;
  rssPages: number;
}

/** Parse the text of /proc/PID/stat. */
export function parseStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error('malformed /proc stat line');
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // Fields after ')' start at field 3 (state); index i here is field i + 3.
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const field = (n: number) => Number(rest[n - 3]);
  return {
    pid,
    comm,
    state: rest[0] ?? '?',
    ppid: field(4),
    pgrp: field(5),
    session: field(6),
    flags: field(9),
    cpuTicks: field(14) + field(15),
    threads: field(20),
    startTicks: field(22),
    rssPages: field(24),
  };
}

/** PF_KTHREAD in include/linux/sched.h: set on every kernel thread, kthreadd included (an empty cmdline is not proof). */
const PF_KTHREAD = 0x00200000;

export function isKernelThread(stat: Pick<ProcStat, 'flags'>): boolean {
  return (stat.flags & PF_KTHREAD) !== 0;
}

export interface ProcEntry extends ProcStat {
  uid: number | null;
  /** argv as the process set it; empty for kernel threads and when unreadable. */
  cmdline: string[];
}

/** A whole (small) file as text, or null when it cannot be read (a /proc entry of a process that exited, say). */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** argv from /proc/PID/cmdline (NUL-separated). */
export function parseCmdline(text: string | null): string[] {
  if (!text) return [];
  return text.split('\0').filter((part, i, all) => !(part === '' && i === all.length - 1));
}

/** One process, or null when it does not exist (or exited while being read). */
export function readProcess(pid: number, root = '/proc'): ProcEntry | null {
  const statText = readText(`${root}/${pid}/stat`);
  if (statText === null) return null;
  let uid: number | null = null;
  try {
    uid = statSync(`${root}/${pid}`).uid;
  } catch {
    return null;
  }
  return { ...parseStat(statText), uid, cmdline: parseCmdline(readText(`${root}/${pid}/cmdline`)) };
}

/**
 * A command line as one string: argv joined with spaces, or the command name in brackets when argv is empty (kernel
 * threads, zombies, unreadable). `quote`: arguments that are empty or hold spaces, quotes, $, ` or \ are written as
 * JSON strings, so that the text shows where each argument begins and ends.
 */
export function commandString(argv: readonly string[], comm: string, { quote = false } = {}): string {
  if (argv.length === 0) return `[${comm}]`;
  return quote ? argv.map((arg) => (arg === '' || /[\s"'$`\\]/.test(arg) ? JSON.stringify(arg) : arg)).join(' ') : argv.join(' ');
}

/** argv of one process from /proc/PID/cmdline; empty for kernel threads, zombies and when unreadable. */
export function readCmdline(pid: number, root = '/proc'): string[] {
  return parseCmdline(readText(`${root}/${pid}/cmdline`));
}

/**
 * The process table from stat alone, in one pass over /proc (no cmdline, no uid): the cheap pass for tools that need
 * the tree for every process but the command line of only a few (read those with readCmdline).
 */
export function readStatTable(root = '/proc'): ProcStat[] {
  const entries: ProcStat[] = [];
  for (const name of readdirSync(root)) {
    if (name.charCodeAt(0) > 57 || !/^\d+$/.test(name)) continue;
    const text = readText(`${root}/${name}/stat`);
    if (text === null) continue;
    try {
      entries.push(parseStat(text));
    } catch {
      // malformed: skip
    }
  }
  return entries;
}

/** Boot time in epoch seconds (`btime` in /proc/stat). */
export function bootTimeSeconds(root = '/proc'): number | null {
  const match = /^btime\s+(\d+)/m.exec(readText(`${root}/stat`) ?? '');
  return match ? Number(match[1]) : null;
}

const AT_CLKTCK = 17;

let clockTicks: number | undefined;

/**
 * sysconf(_SC_CLK_TCK) without a native call: the AT_CLKTCK entry of /proc/self/auxv
 * (pairs of native-endian unsigned longs). Falls back to 100, the value Linux compiles in (USER_HZ).
 * Read once: it cannot change while this process runs.
 */
export function clockTicksPerSecond(): number {
  clockTicks ??= readClockTicks();
  return clockTicks;
}

function readClockTicks(): number {
  try {
    const auxv = readFileSync('/proc/self/auxv');
    for (let offset = 0; offset + 16 <= auxv.length; offset += 16) {
      const key = Number(auxv.readBigUInt64LE(offset));
      if (key === 0) break;
      if (key === AT_CLKTCK) return Number(auxv.readBigUInt64LE(offset + 8));
    }
  } catch {
    // not Linux, or auxv unreadable
  }
  return 100;
}

/**
 * CPU use as top shows it: 100 x CPU seconds / wall seconds, the share of one core (above 100 for several busy
 * threads). `deltaTicks`: utime + stime used over the span, in clock ticks (`hz` per second). Null when the span is
 * not a positive number of seconds.
 */
export function cpuPercent(deltaTicks: number, seconds: number, hz: number = clockTicksPerSecond()): number | null {
  return Number.isFinite(seconds) && seconds > 0 ? (100 * deltaTicks) / hz / seconds : null;
}

/** User names by uid, per passwd file. */
const passwdCache = new Map<string, Map<number, string>>();

/**
 * User name of a uid from a passwd file (Node has no getpwuid). The first entry for a uid wins, as with getent and
 * getpwuid. Each file is read once. Null when the uid has no entry there (e.g. LDAP users) or the file is unreadable.
 */
export function userName(uid: number, passwdPath = '/etc/passwd'): string | null {
  let users = passwdCache.get(passwdPath);
  if (!users) {
    users = new Map();
    for (const line of (readText(passwdPath) ?? '').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id !== undefined && /^\d+$/.test(id) && !users.has(Number(id))) users.set(Number(id), name);
    }
    passwdCache.set(passwdPath, users);
  }
  return users.get(uid) ?? null;
}

/** Page size: VmRSS (kB) in /proc/self/status over the resident pages in /proc/self/statm. */
export function pageSizeBytes(): number {
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readText('/proc/self/status') ?? '')?.[1]);
  const rssPages = Number((readText('/proc/self/statm') ?? '').split(' ')[1]);
  if (rssKb > 0 && rssPages > 0) return Math.round((rssKb * 1024) / rssPages / 4096) * 4096 || 4096;
  return 4096;
}

// ---------------------------------------------------------------------------------------------
// Per-process facts beyond stat/cmdline (impact.md §1.4-1.6). Files that need ptrace-read access
// (environ, fd/, fdinfo/, cwd) report *why* they could not be read instead of returning nothing.

/** A fact that may be unreadable: `permission` (other user's process), `gone` (it exited), `other`. */
export type ProcRead<T> = { ok: true; value: T } | { ok: false; reason: 'permission' | 'gone' | 'other'; message: string };

function failure(error: unknown): { ok: false; reason: 'permission' | 'gone' | 'other'; message: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return { ok: false, reason: 'permission', message: 'permission denied' };
  if (code === 'ENOENT' || code === 'ESRCH') return { ok: false, reason: 'gone', message: 'the process exited' };
  return { ok: false, reason: 'other', message: error instanceof Error ? error.message : String(error) };
}

export interface ProcStatus {
  /** `State:` as the kernel writes it, e.g. "S (sleeping)". */
  state: string | null;
  /** `Uid:` real, effective, saved, filesystem. */
  uids: number[] | null;
  threads: number | null;
  /** VmRSS (resident set, approximate per the kernel) in bytes. */
  rssBytes: number | null;
  /** VmHWM (peak resident set) in bytes. */
  peakRssBytes: number | null;
  /** Signal masks: bit n-1 set = signal n. */
  sigCgt: bigint | null;
  sigIgn: bigint | null;
  sigBlk: bigint | null;
  /** NSpid: the PID in each nested PID namespace, outermost first. */
  nspid: number[] | null;
}

/** Parse the text of /proc/PID/status. Absent fields (kernel threads, zombies) are null. */
export function parseStatus(text: string): ProcStatus {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const kb = (name: string) => {
    const match = /^(\d+)\s*kB$/.exec(fields.get(name) ?? '');
    return match ? Number(match[1]) * 1024 : null;
  };
  const mask = (name: string) => {
    const value = fields.get(name);
    return value && /^[0-9a-f]+$/i.test(value) ? BigInt(`0x${value}`) : null;
  };
  const numbers = (name: string) => {
    const value = fields.get(name);
    return value ? value.split(/\s+/).map(Number) : null;
  };
  const threads = fields.get('Threads');
  return {
    state: fields.get('State') ?? null,
    uids: numbers('Uid'),
    threads: threads === undefined ? null : Number(threads),
    rssBytes: kb('VmRSS'),
    peakRssBytes: kb('VmHWM'),
    sigCgt: mask('SigCgt'),
    sigIgn: mask('SigIgn'),
    sigBlk: mask('SigBlk'),
    nspid: numbers('NSpid'),
  };
}

/** /proc/PID/status, or null when the process does not exist. */
export function readStatus(pid: number, root = '/proc'): ProcStatus | null {
  const text = readText(`${root}/${pid}/status`);
  return text === null ? null : parseStatus(text);
}

/** Signal numbers whose bit is set in a /proc signal mask (bit n-1 = signal n). */
export function signalsInMask(mask: bigint): number[] {
  const signals: number[] = [];
  for (let n = 1; n <= 64; n += 1) if ((mask >> BigInt(n - 1)) & 1n) signals.push(n);
  return signals;
}

/** NUL-separated NAME=value pairs of /proc/PID/environ. */
export function parseEnviron(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** The environment the process was started with (later changes inside it are not visible). Same user or root only. */
export function readEnviron(pid: number, root = '/proc'): ProcRead<Record<string, string>> {
  try {
    return { ok: true, value: parseEnviron(readFileSync(`${root}/${pid}/environ`, 'utf8')) };
  } catch (error) {
    return failure(error);
  }
}

/** Target of a /proc symlink such as cwd or exe. */
export function readProcLink(pid: number, name: string, root = '/proc'): ProcRead<string> {
  try {
    return { ok: true, value: readlinkSync(`${root}/${pid}/${name}`) };
  } catch (error) {
    return failure(error);
  }
}

export interface Fdinfo {
  pos: number | null;
  /** Open flags (octal in the file). */
  flags: number | null;
}

export function parseFdinfo(text: string): Fdinfo {
  const pos = /^pos:\s*(\d+)/m.exec(text);
  const flags = /^flags:\s*([0-7]+)/m.exec(text);
  return { pos: pos ? Number(pos[1]) : null, flags: flags ? parseInt(flags[1]!, 8) : null };
}

/** Whether an fd target (a readlink of /proc/PID/fd/N) is a file path: not a pipe, socket or device. */
export function isFileTarget(target: string): boolean {
  return target.startsWith('/') && !target.startsWith('/dev/');
}

export interface OpenFile {
  fd: number;
  /** readlink of fd/N: a path (maybe ending in " (deleted)"), `pipe:[ino]`, `socket:[ino]`, `/dev/pts/N`... */
  target: string;
  /** Offset in the file (fdinfo `pos`). */
  pos: number | null;
  flags: number | null;
  /** Opened O_WRONLY or O_RDWR (flags & 3); null when fdinfo was unreadable. */
  writable: boolean | null;
}

/**
 * Every open file descriptor with its fdinfo. Same user or root only. `withInfo` limits the fdinfo reads (one file
 * each) to the targets that need them, e.g. regular files; the others get null pos/flags/writable.
 */
export function readOpenFiles(pid: number, root = '/proc', withInfo: (target: string) => boolean = () => true): ProcRead<OpenFile[]> {
  let names: string[];
  try {
    names = readdirSync(`${root}/${pid}/fd`);
  } catch (error) {
    return failure(error);
  }
  const files: OpenFile[] = [];
  for (const name of names) {
    let target: string;
    try {
      target = readlinkSync(`${root}/${pid}/fd/${name}`);
    } catch {
      continue; // closed between readdir and readlink
    }
    const info = withInfo(target) ? parseFdinfo(readText(`${root}/${pid}/fdinfo/${name}`) ?? '') : { pos: null, flags: null };
    files.push({ fd: Number(name), target, pos: info.pos, flags: info.flags, writable: info.flags === null ? null : (info.flags & 3) !== 0 });
  }
  return { ok: true, value: files.sort((a, b) => a.fd - b.fd) };
}

/** Seconds since boot (`/proc/uptime`, first field). */
export function uptimeSeconds(root = '/proc'): number | null {
  const value = Number((readText(`${root}/uptime`) ?? '').split(' ')[0]);
  return Number.isFinite(value) && value > 0 ? value : null;
}
