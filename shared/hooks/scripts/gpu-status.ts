// The data scientist's status line (opt-in: dp persona add data-scientist --status-line): GPU utilisation and
// memory from one cached snapshot (lib/gpu-snapshot.ts: never an nvidia-smi per render), and the training
// job's progress where its log shows one. Claude Code shows the first line printed; an internal error prints
// nothing (and goes to the private log), so the session's status line is never an error message.
import { formatDuration } from '../../tools/lib/format.js';
import { privateLog } from '../lib/private-log.js';
import { gpuSnapshot, type GpuLine, type Snapshot } from '../lib/gpu-snapshot.js';

/** Beyond this many GPUs, one summary instead of one figure per GPU. */
const MAX_LISTED = 4;

const gib = (mib: number | null) => (mib === null ? '?' : (mib / 1024).toFixed(mib >= 10 * 1024 ? 0 : 1));
const pct = (value: number | null) => (value === null ? '?%' : `${Math.round(value)}%`);

function gpuText(gpus: GpuLine[]): string {
  if (gpus.length === 0) return 'GPU: none';
  if (gpus.length <= MAX_LISTED) return gpus.map((g) => `GPU${g.index} ${pct(g.utilizationPercent)} ${gib(g.memoryUsedMiB)}/${gib(g.memoryTotalMiB)}G`).join(' · ');
  const known = gpus.filter((g) => g.utilizationPercent !== null);
  const mean = known.length === 0 ? null : known.reduce((sum, g) => sum + g.utilizationPercent!, 0) / known.length;
  const sum = (pick: (g: GpuLine) => number | null) => (gpus.some((g) => pick(g) === null) ? null : gpus.reduce((s, g) => s + pick(g)!, 0));
  return `${gpus.length} GPUs mean ${pct(mean)} · ${gib(sum((g) => g.memoryUsedMiB))}/${gib(sum((g) => g.memoryTotalMiB))}G`;
}

export function renderStatus(snapshot: Snapshot | null): string {
  if (!snapshot) return 'GPU: reading…';
  const parts = [snapshot.gpus === null ? `GPU: ${snapshot.reason ?? 'unavailable'}` : gpuText(snapshot.gpus)];
  const progress = snapshot.training?.progress;
  if (progress) {
    const of = progress.total !== null ? `/${progress.total}` : '';
    const eta = progress.etaSeconds !== null ? `, ${formatDuration(progress.etaSeconds)} left` : '';
    parts.push(`train ${progress.current}${of} ${progress.unit}${progress.percent !== null ? ` (${Math.round(progress.percent)}%)` : ''}${eta}`);
  }
  return parts.join(' │ ');
}

async function main(): Promise<void> {
  try {
    // Claude Code writes the session's JSON on stdin; nothing in it changes what is shown, but it is read to the end.
    for await (const _chunk of process.stdin) void _chunk;
    process.stdout.write(`${renderStatus(await gpuSnapshot())}\n`);
  } catch (error) {
    privateLog('gpu-status', error);
  }
  process.exitCode = 0;
}

await main();
