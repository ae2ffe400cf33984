// The Slurm job a process runs in: its allocation (nodes x GPUs, from `scontrol show job` and the SLURM_* variables),
// the GPU-hours a failure costs the whole job, and what requeue and --signal will do. Facts: sbatch(1) (--requeue,
// --no-requeue, --signal, output environment), scontrol's job printer (src/scontrol/info_job.c), impact.md §3.4.
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { signalNumber } from './signals.js';

export interface SlurmJson {
  jobId: string;
  state: string | null;
  nodes: number | null;
  gpusPerNode: number | null;
  gpus: number | null;
  /** Where the allocation was read ("scontrol show job: AllocTRES gres/gpu=16", "SLURM_JOB_NUM_NODES x SLURM_GPUS_ON_NODE"). */
  allocationSource: string;
  /** Lost compute x every GPU of the allocation: what the job loses when this failure ends or restarts it. */
  gpuHoursAtStake: number | null;
  requeue: boolean | null;
  restarts: number | null;
  /** --signal as written in the batch script, e.g. "B:USR1@90"; null when none was found. */
  signal: string | null;
  endsAt: string | null;
  ifRequeued: string;
  atTimeLimit: string;
}

export type ScontrolResult = { ok: true; fields: Map<string, string> } | { ok: false; reason: string };

/** `scontrol show job` output as Key=Value fields (tokens split on whitespace, each at its first '='). */
export function parseScontrol(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const token of text.split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq > 0 && !fields.has(token.slice(0, eq))) fields.set(token.slice(0, eq), token.slice(eq + 1));
  }
  return fields;
}

/** Run `scontrol show job <id>` (5 s limit); never rejects. */
export function queryScontrol(jobId: string, timeoutMs = 5000): Promise<ScontrolResult> {
  if (!/^\d+(_\d+)?$/.test(jobId)) return Promise.resolve({ ok: false, reason: `SLURM_JOB_ID '${jobId}' is not a job id` });
  return new Promise((resolve) => {
    execFile('scontrol', ['show', 'job', jobId], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const said = String(stderr).trim().split('\n')[0] || String(error.message).split('\n')[0];
        const reason = code === 'ENOENT' ? 'scontrol is not on PATH' : error.killed ? `scontrol did not answer within ${timeoutMs / 1000} s` : `scontrol show job ${jobId} failed: ${said}`;
        resolve({ ok: false, reason });
        return;
      }
      resolve({ ok: true, fields: parseScontrol(stdout) });
    });
  });
}

const int = (value: string | undefined): number | null => (value !== undefined && /^\d+/.test(value) ? Number(/^\d+/.exec(value)![0]) : null);

/** GPUs in a TRES string: the total "gres/gpu=16" (or per node "gres/gpu:8"), else the sum of typed "gres/gpu:h100=16". */
export function gpusInTres(tres: string | undefined): number | null {
  if (!tres) return null;
  let untyped: number | null = null;
  let typed: number | null = null;
  for (const part of tres.split(',')) {
    const total = /^gres\/gpu[=:](\d+)$/.exec(part);
    if (total) untyped = Number(total[1]);
    const kind = /^gres\/gpu:[A-Za-z][\w.-]*[=:](\d+)$/.exec(part);
    if (kind) typed = (typed ?? 0) + Number(kind[1]);
  }
  return untyped ?? typed;
}

/** --signal from `#SBATCH --signal=...` lines of the batch script (scontrol does not print it). */
export function signalInScript(script: string): string | null {
  let found: string | null = null;
  for (const line of script.split(/\r?\n/)) {
    if (!line.startsWith('#SBATCH')) {
      if (/^\s*[^#\s]/.test(line)) break; // sbatch reads #SBATCH lines only before the first command
      continue;
    }
    const m = /--signal[= ]\s*(\S+)/.exec(line);
    if (m) found = m[1]!;
  }
  return found;
}

function readScript(path: string | undefined): { text: string | null; why: string } {
  if (!path || !path.startsWith('/')) return { text: null, why: 'scontrol names no batch script (an interactive srun/salloc job)' };
  try {
    if (statSync(path).size > 1 << 20) return { text: null, why: `${path} is over 1 MiB` };
    return { text: readFileSync(path, 'utf8'), why: '' };
  } catch {
    return { text: null, why: `the batch script ${path} is not readable here` };
  }
}

export interface SlurmInput {
  env: Record<string, string>;
  scontrol: ScontrolResult | null;
  /** Lost compute in seconds (this process), for the job-wide GPU-hours. */
  lostSeconds: number | null;
  /** Signals the process catches (SigCgt). */
  caught: Set<number>;
  resumeFrom: string | null;
}

export function slurmFacts(input: SlurmInput): SlurmJson | null {
  const { env } = input;
  const jobId = env.SLURM_JOB_ID;
  if (jobId === undefined) return null;
  const f = input.scontrol?.ok ? input.scontrol.fields : new Map<string, string>();
  const via = input.scontrol?.ok ? 'scontrol show job' : `SLURM_* variables (${input.scontrol ? input.scontrol.reason : 'scontrol not asked'})`;

  const nodes = int(f.get('NumNodes')) ?? int(env.SLURM_JOB_NUM_NODES) ?? int(env.SLURM_NNODES);
  let gpus: number | null = null;
  let gpusPerNode: number | null = null;
  let source: string;
  const alloc = gpusInTres(f.get('AllocTRES'));
  const perNodeTres = gpusInTres(f.get('TresPerNode'));
  const envPerNode = int(env.SLURM_GPUS_ON_NODE) ?? int(env.SLURM_GPUS_PER_NODE) ?? (env.SLURM_JOB_GPUS ? env.SLURM_JOB_GPUS.split(',').filter(Boolean).length : null);
  if (alloc !== null) {
    gpus = alloc;
    gpusPerNode = nodes ? Math.round((alloc / nodes) * 100) / 100 : null;
    source = `scontrol show job: NumNodes=${f.get('NumNodes') ?? '?'}, AllocTRES gres/gpu=${alloc}`;
  } else if (perNodeTres !== null && nodes !== null) {
    gpusPerNode = perNodeTres;
    gpus = perNodeTres * nodes;
    source = `scontrol show job: NumNodes=${nodes} x TresPerNode ${f.get('TresPerNode')}`;
  } else if (envPerNode !== null && nodes !== null) {
    gpusPerNode = envPerNode;
    gpus = envPerNode * nodes;
    source = `${nodes} node(s) (${f.has('NumNodes') ? 'NumNodes' : 'SLURM_JOB_NUM_NODES'}) x ${envPerNode} GPUs on this node (SLURM_GPUS_ON_NODE/SLURM_GPUS_PER_NODE/SLURM_JOB_GPUS; assumes every node has as many)`;
  } else {
    source = `no GPU count in ${via}`;
  }
  const gpuHoursAtStake = gpus !== null && input.lostSeconds !== null ? Math.round((input.lostSeconds / 3600) * gpus * 1000) / 1000 : null;

  const requeueField = f.get('Requeue');
  const requeue = requeueField === undefined ? null : requeueField === '1';
  const restarts = int(f.get('Restarts')) ?? int(env.SLURM_RESTART_COUNT);
  const resume = input.resumeFrom ? `from ${input.resumeFrom}` : 'from scratch (no checkpoint found)';
  let ifRequeued: string;
  if (requeue === true) {
    ifRequeued = `Requeue=1: after a node failure, a preemption or scontrol requeue the batch script starts again from its beginning with the same job ID (Restarts=${restarts ?? '?'} so far); training continues ${resume} only if the script resumes from its latest checkpoint. A kill of this process does not requeue the job: the step fails`;
  } else if (requeue === false) {
    ifRequeued = `Requeue=0: never requeued; a node failure or preemption ends the job, and continuing ${resume} needs a new sbatch`;
  } else {
    ifRequeued = `unknown (${via} gives no Requeue field; the cluster's JobRequeue setting decides)`;
  }

  // Without an answer from scontrol the batch script is unknown, which says nothing about the job being interactive.
  const script = input.scontrol?.ok ? readScript(f.get('Command')) : null;
  const signal = script?.text ? signalInScript(script.text) : null;
  const endsAt = endTime(f.get('EndTime'), env.SLURM_JOB_END_TIME);
  const limit = endsAt ? `the time limit (${endsAt})` : 'the time limit';
  let atTimeLimit: string;
  if (signal) {
    const m = /^(?:([RB]+):)?([A-Za-z0-9]+)(?:@(\d+))?$/.exec(signal);
    const flags = m?.[1] ?? '';
    const name = m ? (/^\d+$/.test(m[2]!) ? m[2]! : `SIG${m[2]!.toUpperCase().replace(/^SIG/, '')}`) : signal;
    const secs = m?.[3] ?? '60';
    let handled = '';
    try {
      const number = /^\d+$/.test(name) ? Number(name) : signalNumber(name);
      handled = input.caught.has(number) ? `; this process catches ${name} (SigCgt)` : `; this process has no handler for ${name}: its default action ends it like a kill`;
    } catch {
      handled = '';
    }
    atTimeLimit = flags.includes('B')
      ? `--signal=${signal}: Slurm sends ${name} to the batch shell only, ${secs} s (up to 60 s more) before ${limit}; this process gets it only if the script forwards it (trap ... kill)`
      : `--signal=${signal}: Slurm sends ${name} to every job step, so to this process, ${secs} s (up to 60 s more) before ${limit}${handled}`;
  } else {
    const none = !script
      ? `--signal unknown (${input.scontrol && !input.scontrol.ok ? input.scontrol.reason : 'scontrol not asked'}, so the batch script that would hold it is unknown)`
      : script.text
        ? 'no --signal in the batch script'
        : `--signal unknown (scontrol does not print it; ${script.why})`;
    atTimeLimit = `${none}: at ${limit} Slurm sends SIGTERM, then SIGKILL after KillWait (30 s by default)`;
  }
  return {
    jobId,
    state: f.get('JobState') ?? null,
    nodes,
    gpusPerNode,
    gpus,
    allocationSource: source,
    gpuHoursAtStake,
    requeue,
    restarts,
    signal,
    endsAt,
    ifRequeued,
    atTimeLimit,
  };
}

function endTime(field: string | undefined, envEnd: string | undefined): string | null {
  if (field && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(field)) return `${field.replace('T', ' ')} (local)`;
  if (envEnd && /^\d+$/.test(envEnd)) return new Date(Number(envEnd) * 1000).toISOString();
  return null;
}
