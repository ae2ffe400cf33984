// One GPU snapshot shared by every render of the status line: nvidia-smi runs at most once per
// SNAPSHOT_TTL_MS for this user, whatever the number of sessions and renders (Claude Code renders the status
// line on every message change, up to every 300 ms: ../shared/research/claude-code-surfaces.md §4). The
// snapshot lives in the user's private state folder (0700), is replaced by rename, and one render refreshes it
// while the others read the last one (an O_EXCL lock file, taken over when older than a refresh can last).
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryComputeProcesses, queryGpus } from '../../tools/lib/gpu-query.js';
import { analyze } from '../../tools/process-impact/analyze.js';
import type { ProgressJson } from '../../tools/process-impact/types.js';
import { privateStateDir } from './private-log.js';

export const SNAPSHOT_TTL_MS = 5000;
/** A refresh takes at most the nvidia-smi timeouts below and one analysis; a lock older than this was left by a crash. */
const STALE_LOCK_MS = 15_000;
const SMI_TIMEOUT_MS = 3000;
const GPU_FIELDS = ['index', 'utilization.gpu', 'memory.used', 'memory.total'];

export interface GpuLine {
  index: number;
  utilizationPercent: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
}

export interface Snapshot {
  takenAtMs: number;
  /** null: no NVIDIA GPU could be read (`reason` says why). */
  gpus: GpuLine[] | null;
  reason?: string;
  /** The progress of this user's busiest GPU process, where its log shows one. */
  training: { pid: number; progress: ProgressJson } | null;
}

function readSnapshot(path: string): Snapshot | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
    return typeof data.takenAtMs === 'number' ? data : null;
  } catch {
    return null;
  }
}

function takeLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(path).mtimeMs < STALE_LOCK_MS) return false;
        unlinkSync(path);
      } catch {
        // removed meanwhile: try again
      }
    }
  }
  return false;
}

async function measure(): Promise<Snapshot> {
  const takenAtMs = Date.now();
  const [gpus, apps] = await Promise.all([queryGpus({ fields: GPU_FIELDS, timeoutMs: SMI_TIMEOUT_MS }), queryComputeProcesses({ timeoutMs: SMI_TIMEOUT_MS })]);
  if (!gpus.ok) return { takenAtMs, gpus: null, reason: gpus.failure === 'not-found' ? 'no nvidia-smi' : `nvidia-smi: ${gpus.failure}`, training: null };
  const lines = gpus.gpus.map((g) => ({ index: g.index, utilizationPercent: g.utilizationGpuPercent, memoryUsedMiB: g.memoryUsedMiB, memoryTotalMiB: g.memoryTotalMiB }));
  return { takenAtMs, gpus: lines, training: apps.ok ? await trainingOf(apps.processes) : null };
}

/** The progress of the user's GPU process using the most memory whose log shows progress. */
async function trainingOf(processes: Array<{ pid: number; usedMemoryMiB: number | null }>): Promise<Snapshot['training']> {
  const uid = process.getuid?.();
  const mine = processes
    .filter((p) => {
      try {
        return uid === undefined || statSync(`/proc/${p.pid}`).uid === uid;
      } catch {
        return false;
      }
    })
    .sort((a, b) => (b.usedMemoryMiB ?? 0) - (a.usedMemoryMiB ?? 0));
  for (const p of mine.slice(0, 2)) {
    const analysis = await analyze({ pid: p.pid, sampleMs: 0, noGpu: true }).catch(() => null);
    if (analysis?.json.progress) return { pid: p.pid, progress: analysis.json.progress };
  }
  return null;
}

/** The current snapshot: the cached one while fresh, else a new one (or the last one while another render refreshes it). */
export async function gpuSnapshot(dir = privateStateDir()): Promise<Snapshot | null> {
  const path = join(dir, 'gpu-snapshot.json');
  const cached = readSnapshot(path);
  const age = cached ? Date.now() - cached.takenAtMs : Infinity;
  if (cached && age >= 0 && age < SNAPSHOT_TTL_MS) return cached;
  const lock = join(dir, 'gpu-snapshot.lock');
  if (!takeLock(lock)) return cached;
  try {
    const snapshot = await measure();
    const temporary = join(dir, `.gpu-snapshot.${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
    return snapshot;
  } finally {
    releaseLock(lock);
  }
}

/** A render that outlived STALE_LOCK_MS may find its lock taken over (and gone): that is no error. */
function releaseLock(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
