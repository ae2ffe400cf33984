// The descendant tree of the process (what [S]/[K] act on) with a role for each, and helpers that serve the
// process without being its descendants (W&B's service is started in its own session with `--pid <trainer>`).
// Facts: impact.md §4.1 (DataLoader worker names and cmdlines by start method), §4.2 (wandb-core), §1.9.
import { basename } from 'node:path';
import { readEnviron, type ProcEntry } from '../lib/proc.js';
import { launcherOfCommand } from './distributed.js';

export interface TreeMember {
  entry: ProcEntry;
  role: string;
  /** Depth below the analysed process (1 = direct child). */
  depth: number;
}

export interface Helper {
  entry: ProcEntry;
  role: string;
  /** Which argument ties it to the tree, e.g. "--pid 1234". */
  link: string;
  /** A descendant by parentage (W&B's service is a child in its own session), yet left out of the tree. */
  descendant: boolean;
}

/** The process table with the target's relatives, worked out once from ppid links. */
export interface ProcessTable<T extends Pick<ProcEntry, 'pid' | 'ppid'> = ProcEntry> {
  /** Every process, the target included. */
  entries: T[];
  /** Descendants of the target, breadth first (a parent before its children); depth 1 = direct child. */
  descendants: { entry: T; depth: number }[];
  /** Ancestors of the target, nearest first (up to PID 1 or an unknown parent). */
  ancestors: T[];
}

/** Descendants and ancestors of `target` in one table (which holds the target too). */
export function relativesOf<T extends Pick<ProcEntry, 'pid' | 'ppid'>>(target: T, entries: readonly T[]): Omit<ProcessTable<T>, 'entries'> {
  const byParent = new Map<number, T[]>();
  const byPid = new Map<number, T>();
  for (const entry of entries) {
    byPid.set(entry.pid, entry);
    if (entry.pid === entry.ppid) continue;
    const siblings = byParent.get(entry.ppid);
    if (siblings) siblings.push(entry);
    else byParent.set(entry.ppid, [entry]);
  }
  const descendants: { entry: T; depth: number }[] = [];
  const seen = new Set<number>([target.pid]);
  let frontier = [target.pid];
  for (let depth = 1; frontier.length > 0; depth += 1) {
    const next: number[] = [];
    for (const parent of frontier) {
      for (const child of byParent.get(parent) ?? []) {
        if (seen.has(child.pid)) continue;
        seen.add(child.pid);
        descendants.push({ entry: child, depth });
        next.push(child.pid);
      }
    }
    frontier = next;
  }
  const ancestors: T[] = [];
  const chain = new Set<number>([target.pid]);
  for (let parent = byPid.get(target.ppid); parent && !chain.has(parent.pid) && ancestors.length < 64; parent = byPid.get(parent.ppid)) {
    ancestors.push(parent);
    chain.add(parent.pid);
    if (parent.pid <= 1) break;
  }
  return { descendants, ancestors };
}

const MONITORS = new Set(['nvidia-smi', 'nvtop', 'nvitop', 'gpustat', 'top', 'htop', 'btop', 'watch', 'dstat', 'glances', 'iostat', 'vmstat']);

export function isPython(entry: Pick<ProcEntry, 'cmdline' | 'comm'>): boolean {
  const first = entry.cmdline[0];
  return first !== undefined && /^python[\d.]*$/.test(basename(first));
}

/** Whether the process is a launcher (torchrun, deepspeed, accelerate launch, srun, mpirun...): see launcherOfCommand. */
export function isLauncher(entry: Pick<ProcEntry, 'cmdline'>): boolean {
  return launcherOfCommand(entry.cmdline) !== null;
}

/** What a process in the tree is, from its comm name and command line. */
export function roleOf(entry: ProcEntry, parent: ProcEntry | undefined, root = '/proc'): string {
  const cmd = entry.cmdline.join(' ');
  const program = basename(entry.cmdline[0] ?? entry.comm);
  const script = basename(entry.cmdline[1] ?? '');
  if (/^pt_data_worker|^pt_multiprocess/.test(entry.comm)) return 'DataLoader worker';
  if (cmd.includes('multiprocessing.resource_tracker')) return 'multiprocessing resource tracker';
  if (cmd.includes('multiprocessing.forkserver')) return 'multiprocessing forkserver (parent of DataLoader workers)';
  if (cmd.includes('multiprocessing.spawn') || cmd.includes('--multiprocessing-fork')) return 'multiprocessing worker (spawn; e.g. DataLoader)';
  if (/wandb/.test(cmd)) return 'W&B helper';
  if (/tensorboard/i.test(cmd)) return 'TensorBoard';
  if (/mlflow/i.test(cmd)) return 'MLflow helper';
  if (MONITORS.has(program) || MONITORS.has(script) || /gpu_monitor/.test(cmd)) return 'monitor';
  if (parent && isLauncher(parent) && isPython(entry)) {
    const env = readEnviron(entry.pid, root);
    const rank = env.ok ? env.value.RANK : undefined;
    return rank === undefined ? 'training worker (started by the launcher)' : `training worker (rank ${rank})`;
  }
  if (parent && entry.cmdline.length > 0 && entry.cmdline.join('\0') === parent.cmdline.join('\0')) {
    const env = readEnviron(entry.pid, root);
    if (env.ok && env.value.LOCAL_RANK !== undefined && env.value.NODE_RANK !== undefined) return `training worker (local rank ${env.value.LOCAL_RANK})`;
    return isPython(entry) ? 'forked worker (same command as its parent: DataLoader or multiprocessing worker)' : 'forked copy of its parent';
  }
  return 'other';
}

/**
 * The tree below `target` with roles, and the helpers that serve it: processes naming the target (or a member) with
 * `--pid N`. A helper is taken out of the tree with its own descendants even when it is a child: W&B's service is
 * started in a new session and watches --pid to exit by itself after flushing, so [S]/[K] leave it alone.
 */
export function childTree(target: ProcEntry, table: ProcessTable, root = '/proc'): { tree: TreeMember[]; helpers: Helper[] } {
  const byPid = new Map(table.entries.map((e) => [e.pid, e]));
  byPid.set(target.pid, target);
  const all = table.descendants;
  const members = new Set([target.pid, ...all.map((d) => d.entry.pid)]);
  const helpers: Helper[] = [];
  const excluded = new Set<number>();
  for (const entry of table.entries) {
    if (entry.pid === target.pid) continue;
    const ref = pidArgument(entry.cmdline);
    if (!ref || !members.has(ref.pid) || ref.pid === entry.pid) continue;
    const cmd = entry.cmdline.join(' ');
    const role = /wandb/.test(cmd) ? 'W&B service' : /mlflow/i.test(cmd) ? 'MLflow helper' : 'helper';
    helpers.push({ entry, role, link: ref.link, descendant: members.has(entry.pid) });
    if (members.has(entry.pid)) excluded.add(entry.pid);
  }
  // A helper's own descendants go with it: breadth-first order puts every parent before its children.
  for (const { entry } of all) if (excluded.has(entry.ppid)) excluded.add(entry.pid);
  const tree = all
    .filter(({ entry }) => !excluded.has(entry.pid))
    .map(({ entry, depth }) => ({ entry, depth, role: roleOf(entry, byPid.get(entry.ppid), root) }));
  return { tree, helpers };
}

/** The pid an argv names with `--pid N` / `--pid=N`, or in a wandb `port-<pid>.txt` file name. */
export function pidArgument(argv: string[]): { pid: number; link: string } | null {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--pid' && /^\d+$/.test(argv[i + 1] ?? '')) return { pid: Number(argv[i + 1]), link: `--pid ${argv[i + 1]}` };
    const eq = /^--pid=(\d+)$/.exec(arg);
    if (eq) return { pid: Number(eq[1]), link: arg };
  }
  for (const arg of argv) {
    const port = /port-(\d+)\.txt$/.exec(arg);
    if (port) return { pid: Number(port[1]), link: basename(arg) };
  }
  return null;
}

/** Role text as --json prints it for a helper that is not a descendant. */
export function helperRole(helper: Helper): string {
  return helper.descendant
    ? `${helper.role}, a child in its own session (serves this process via ${helper.link}; not signalled: it exits by itself when the process ends)`
    : `${helper.role}, not a descendant (serves this process via ${helper.link}; keeps running)`;
}
