// Reading Linux /proc. Facts: ../shared/research/impact.md §1.
// /proc/PID/stat is split after the last ')' because the command name may contain spaces and ')'.
import { readFileSync, readdirSync, statSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
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
    cpuTicks: field(14) + field(15),
    threads: field(20),
    startTicks: field(22),
    rssPages: field(24),
  };
}

export interface ProcEntry extends ProcStat {
  uid: number | null;
  /** argv as the process set it; empty for kernel threads and when unreadable. */
  cmdline: string[];
}

function readText(path: string): string | null {
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

/** The whole process table in one pass over /proc. Processes that exit mid-pass are skipped. */
export function readProcessTable(root = '/proc'): ProcEntry[] {
  const entries: ProcEntry[] = [];
  for (const name of readdirSync(root)) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProcess(Number(name), root);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Boot time in epoch seconds (`btime` in /proc/stat). */
export function bootTimeSeconds(root = '/proc'): number | null {
  const match = /^btime\s+(\d+)/m.exec(readText(`${root}/stat`) ?? '');
  return match ? Number(match[1]) : null;
}

const AT_CLKTCK = 17;

/**
 * sysconf(_SC_CLK_TCK) without a native call: the AT_CLKTCK entry of /proc/self/auxv
 * (pairs of native-endian unsigned longs). Falls back to 100, the value Linux compiles in (USER_HZ).
 */
export function clockTicksPerSecond(): number {
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

/** Page size: VmRSS (kB) in /proc/self/status over the resident pages in /proc/self/statm. */
export function pageSizeBytes(): number {
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readText('/proc/self/status') ?? '')?.[1]);
  const rssPages = Number((readText('/proc/self/statm') ?? '').split(' ')[1]);
  if (rssKb > 0 && rssPages > 0) return Math.round((rssKb * 1024) / rssPages / 4096) * 4096 || 4096;
  return 4096;
}
