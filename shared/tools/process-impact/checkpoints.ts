// Checkpoints the process has written: files (*.pt, *.pth, *.ckpt, *.safetensors, *.keras; *.bin/*.h5 named like
// weights) and checkpoint dirs (Hugging Face/Accelerate checkpoint-N/, DeepSpeed global_stepN/, torchtitan DCP step-N/), under the process cwd and the directories its
// arguments name (--output_dir, --checkpoint-dir, --save_dir, ...). Bounded in depth and entries.
// Facts: impact.md §2.2 (Lightning names, last.ckpt links), §2.3 (checkpoint-<step>/, trainer_state.json), §2.4, §6.2.
import { lstatSync, readFileSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { isFileTarget, type OpenFile } from '../lib/proc.js';
import { parseLightningName, parseTrainerState, type TrainerState } from './progress.js';

export interface Checkpoint {
  path: string;
  mtimeMs: number;
  sizeBytes: number;
  kind: 'file' | 'dir';
  trainerState: TrainerState | null;
  lightning: { epoch: number; step: number } | null;
}

export interface CheckpointScan {
  roots: string[];
  /** Oldest first. */
  checkpoints: Checkpoint[];
  /** Entries looked at; the scan stops at the limit. */
  visited: number;
  truncated: boolean;
}

export const SCAN_LIMITS = { maxDepth: 4, maxEntries: 20_000 };

const ALWAYS = /\.(pt|pth|ckpt|safetensors|keras)$/i;
const NAMED = /\.(bin|h5)$/i;
const WEIGHTS_NAME = /model|ckpt|checkpoint|weights|optim|adapter|epoch|step/i;
const PARTIAL = /\.(tmp|part|partial|incomplete|temp)$|~$/i;
export const CHECKPOINT_DIR = /^(checkpoint[-_]\d+|global_step\d+|step-\d+)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', 'site-packages', 'dist-packages', '.cache', '.tox', '.mypy_cache', '.ipynb_checkpoints', 'wandb', 'mlruns']);
const SKIP_PREFIXES = ['/proc', '/sys', '/dev', '/run'];

/** Whether a file name is a complete checkpoint (not a partial write). */
export function isCheckpointFile(name: string): boolean {
  if (PARTIAL.test(name)) return false;
  return ALWAYS.test(name) || (NAMED.test(name) && WEIGHTS_NAME.test(name));
}

/** A checkpoint-like name, including partial writes such as "model.pt.tmp". */
export function looksLikeCheckpoint(path: string): boolean {
  const name = basename(path).replace(PARTIAL, '');
  if (isCheckpointFile(name)) return true;
  return path.split(sep).some((part) => CHECKPOINT_DIR.test(part));
}

const DIR_FLAG = /^(?:[\w.]*[._-])?(?:output|save|checkpoint|ckpt|model|out|log|logging|run|root|default_root|weights|resume_from_checkpoint|dirpath)(?:[_-]?(?:dir|path|directory|folder|root))?$/i;

/** Directories to scan: the cwd, then every directory (or a file's directory) named by a dir-like flag. */
export function checkpointRoots(argv: string[], cwd: string | null): string[] {
  const roots: string[] = [];
  const add = (value: string) => {
    if (value === '' || /^[a-z]+:\/\//i.test(value)) return; // s3://, gs:// ...
    const path = isAbsolute(value) ? value : cwd ? resolve(cwd, value) : null;
    if (!path) return;
    let stat: Stats;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    const dir = stat.isDirectory() ? path : dirname(path);
    if (!roots.includes(dir)) roots.push(dir);
  };
  if (cwd) add(cwd);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(0, eq) : arg).replace(/^-+/, '');
    if (!DIR_FLAG.test(name)) continue;
    if (eq > 0) add(arg.slice(eq + 1));
    else if (arg.startsWith('-') && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) add(argv[i + 1]!);
  }
  return roots.slice(0, 8);
}

/** Size and newest mtime of a checkpoint directory's files (two levels: DeepSpeed puts global_stepN/ inside). */
function dirUnit(path: string, budget: { left: number }): { sizeBytes: number; mtimeMs: number; trainerState: TrainerState | null } {
  let sizeBytes = 0;
  let mtimeMs = 0;
  let trainerState: TrainerState | null = null;
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (budget.left-- <= 0) return;
      const full = join(dir, name);
      let stat: Stats;
      try {
        stat = lstatSync(full);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (depth < 2) walk(full, depth + 1);
      } else if (stat.isFile()) {
        sizeBytes += stat.size;
        mtimeMs = Math.max(mtimeMs, stat.mtimeMs);
        if (name === 'trainer_state.json' && depth === 1) {
          try {
            trainerState = parseTrainerState(readFileSync(full, 'utf8'));
          } catch {
            // unreadable: no state
          }
        }
      }
    }
  };
  walk(path, 1);
  if (mtimeMs === 0) {
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      // vanished
    }
  }
  return { sizeBytes, mtimeMs, trainerState };
}

/** Breadth-first scan of the roots for checkpoints, within the limits. */
export function scanCheckpoints(roots: string[], limits = SCAN_LIMITS): CheckpointScan {
  const found = new Map<string, Checkpoint>();
  const budget = { left: limits.maxEntries };
  let truncated = false;
  const seenDirs = new Set<string>();
  let frontier = roots.filter((r) => !SKIP_PREFIXES.some((p) => r === p || r.startsWith(`${p}/`))).map((dir) => ({ dir, depth: 0 }));
  while (frontier.length > 0 && !truncated) {
    const next: { dir: string; depth: number }[] = [];
    for (const { dir, depth } of frontier) {
      if (seenDirs.has(dir)) continue;
      seenDirs.add(dir);
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const dirent of entries) {
        if (budget.left-- <= 0) {
          truncated = true;
          break;
        }
        // The entry type comes with readdir: only checkpoint candidates cost a stat. Symlinks (Lightning's
        // last.ckpt link) are not followed, so nothing is counted twice.
        const name = dirent.name;
        const full = join(dir, name);
        if (dirent.isDirectory()) {
          if (CHECKPOINT_DIR.test(name)) {
            const unit = dirUnit(full, budget);
            found.set(full, { path: full, kind: 'dir', lightning: null, ...unit });
          } else if (depth + 1 < limits.maxDepth && !SKIP_DIRS.has(name) && !SKIP_PREFIXES.includes(full)) {
            next.push({ dir: full, depth: depth + 1 });
          }
        } else if (dirent.isFile() && isCheckpointFile(name)) {
          let stat: Stats;
          try {
            stat = lstatSync(full);
          } catch {
            continue;
          }
          found.set(full, { path: full, kind: 'file', mtimeMs: stat.mtimeMs, sizeBytes: stat.size, trainerState: null, lightning: parseLightningName(name) });
        }
      }
      if (truncated) break;
    }
    frontier = next;
  }
  const checkpoints = [...found.values()].sort((a, b) => a.mtimeMs - b.mtimeMs);
  return { roots, checkpoints, visited: limits.maxEntries - Math.max(0, budget.left), truncated };
}

/**
 * Save events: checkpoint mtimes grouped when files were written together (model + optimizer), i.e. closer than
 * min(5 s, largest gap / 10). Returns one time (the last mtime) per save, oldest first.
 */
export function saveEvents(mtimesMs: number[]): number[] {
  const sorted = [...mtimesMs].sort((a, b) => a - b);
  if (sorted.length < 2) return sorted;
  let largest = 0;
  for (let i = 1; i < sorted.length; i += 1) largest = Math.max(largest, sorted[i]! - sorted[i - 1]!);
  const threshold = Math.min(5000, largest / 10);
  const events: number[] = [];
  for (const time of sorted) {
    if (events.length > 0 && time - events[events.length - 1]! <= threshold) events[events.length - 1] = time;
    else events.push(time);
  }
  return events;
}

/** Median gap between the last (up to 6) save events; null with fewer than two. */
export function medianInterval(events: number[]): number | null {
  const recent = events.slice(-6);
  if (recent.length < 2) return null;
  const gaps = recent.slice(1).map((t, i) => t - recent[i]!).sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  const median = gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return median / 1000;
}

export interface WriteInProgress {
  path: string;
  pid: number;
  fd: number;
  /** Bytes written so far (the fd offset). */
  pos: number | null;
}

/** Checkpoint-like files the given processes hold open for writing right now. */
export function writesInProgress(openFiles: Map<number, OpenFile[]>): WriteInProgress[] {
  const writes: WriteInProgress[] = [];
  for (const [pid, files] of openFiles) {
    for (const file of files) {
      if (file.writable !== true || !isFileTarget(file.target)) continue;
      const path = file.target.replace(/ \(deleted\)$/, '');
      if (looksLikeCheckpoint(path) && !writes.some((w) => w.path === path)) writes.push({ path, pid, fd: file.fd, pos: file.pos });
    }
  }
  return writes;
}

/** Whether a checkpoint is being written: its file, or a file inside its directory, is open for writing. */
export function isBeingWritten(checkpoint: Checkpoint, writes: WriteInProgress[]): boolean {
  return writes.some((w) => w.path === checkpoint.path || w.path.startsWith(`${checkpoint.path}${sep}`));
}
