// The processes a stop command would reach, found the way the command itself finds them: PIDs that
// exist, process groups from /proc, name patterns matched as pkill (the 15-character name, or the whole
// command line with -f) and killall (the name or argv[0]'s basename) match them, a container's main
// process from `docker inspect`, a Slurm job's local processes by SLURM_JOB_ID in their environment,
// tmux's pane processes from `tmux list-panes`. Only this user's processes (a stop of others' fails),
// never the hook itself or the processes it runs under.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { readEnviron, readStatTable, readCmdline, type ProcStat } from '../../tools/lib/proc.js';
import type { StopTarget } from './stop-commands.js';

/** How long an outside program (docker, tmux) may take to answer. */
const QUERY_TIMEOUT_MS = 800;

interface Table {
  entries: ProcStat[];
  uidOf(pid: number): number | null;
}

function table(root: string): Table {
  const entries = readStatTable(root);
  return {
    entries,
    uidOf(pid) {
      try {
        return statSync(`${root}/${pid}`).uid;
      } catch {
        return null;
      }
    },
  };
}

function query(command: string, args: string[]): string | null {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: QUERY_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null; // not installed, not running, unknown target
  }
}

function matcher(target: Extract<StopTarget, { kind: 'match' }>): (entry: ProcStat, cmdline: () => string[]) => boolean {
  const flags = target.ignoreCase ? 'i' : '';
  const source = target.regex ? target.pattern : target.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let re: RegExp;
  try {
    re = new RegExp(target.exact ? `^(?:${source})$` : source, flags);
  } catch {
    return () => false; // pkill refuses an invalid pattern: nothing would be stopped
  }
  return (entry, cmdline) => {
    if (target.full) return re.test(cmdline().join(' '));
    const argv0 = cmdline()[0]?.replace(/^.*\//, '');
    return re.test(entry.comm) || (!target.regex && argv0 !== undefined && re.test(argv0));
  };
}

/** The PIDs of the hook's own process and everything it runs under (never targets). */
function ownChain(entries: ProcStat[]): Set<number> {
  const byPid = new Map(entries.map((e) => [e.pid, e]));
  const chain = new Set<number>();
  for (let pid: number | undefined = process.pid; pid !== undefined && pid > 0 && !chain.has(pid); pid = byPid.get(pid)?.ppid) chain.add(pid);
  return chain;
}

/** The PIDs the targets name, this user's only, in the order found. */
export function resolveTargets(targets: StopTarget[], root = '/proc'): number[] {
  if (targets.length === 0) return [];
  const t = table(root);
  const own = ownChain(t.entries);
  const uid = process.getuid?.() ?? null;
  const mine = (pid: number) => !own.has(pid) && (uid === 0 || uid === null || t.uidOf(pid) === uid);
  const alive = new Set(t.entries.map((e) => e.pid));
  const found: number[] = [];
  const add = (pid: number) => {
    if (alive.has(pid) && mine(pid) && !found.includes(pid)) found.push(pid);
  };
  for (const target of targets) {
    switch (target.kind) {
      case 'pid':
        add(target.pid);
        break;
      case 'group':
        for (const e of t.entries) if (e.pgrp === target.pgid) add(e.pid);
        break;
      case 'match': {
        const matches = matcher(target);
        for (const e of t.entries) if (matches(e, () => readCmdline(e.pid, root))) add(e.pid);
        break;
      }
      case 'docker': {
        const pid = Number(query('docker', ['inspect', '--format', '{{.State.Pid}}', target.container])?.trim());
        if (pid > 0) add(pid);
        break;
      }
      case 'slurm':
        for (const e of t.entries) {
          if (!mine(e.pid)) continue;
          const env = readEnviron(e.pid, root);
          if (env.ok && env.value.SLURM_JOB_ID === target.job) add(e.pid);
        }
        break;
      case 'tmux': {
        const args = target.scope === 'pane' ? ['display-message', '-p', '-F', '#{pane_pid}'] : ['list-panes', '-F', '#{pane_pid}', ...(target.scope === 'server' ? ['-a'] : target.scope === 'session' ? ['-s'] : [])];
        const out = query('tmux', [...args, ...(target.target !== null && target.scope !== 'server' ? ['-t', target.target] : [])]);
        for (const line of (out ?? '').split('\n')) {
          if (!/^\d+$/.test(line.trim())) continue;
          // A pane's process is its shell: what runs in it (the training job) are the shell's children.
          const pane = Number(line.trim());
          const children = t.entries.filter((e) => e.ppid === pane);
          for (const pid of children.length > 0 ? children.map((e) => e.pid) : [pane]) add(pid);
        }
        break;
      }
    }
  }
  return found;
}
