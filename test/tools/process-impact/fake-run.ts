// Test support for the process-impact tests: a fake training run, the built-tool runner and a fake nvidia-smi for it.
// A fake training run for the analyzer's end-to-end tests: a real Node process in a temp dir that
// - writes "Epoch i/N" lines and tqdm-style bars redrawn with '\r' to train.log (its stdout and stderr),
// - saves checkpoints/model_epoch_<i>.pt at the end of every (short) epoch and holds checkpoints/in_progress.pt
//   open for writing (a save in progress),
// - starts two workers that name themselves pt_data_worker (like PyTorch DataLoader workers) and a "tensorboard"
//   child, all of which exit when their parent dies, and a detached "wandb-core --pid <trainer>" helper in its own
//   session (not a descendant),
// - records SIGTERM in signals.log and exits 0 (its caught-signal mask shows the handler).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installFakeSmi } from '../../support/fake-nvidia-smi.js';

const SCRIPT = String.raw`
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
const [role, ...rest] = process.argv.slice(2);
const dir = process.cwd();
const watchParent = (parent) => setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 50);
if (role === '--worker') {
  writeFileSync('/proc/self/comm', 'pt_data_worker');
  watchParent(Number(rest[0]));
} else if (role === '--tensorboard') {
  watchParent(Number(rest[0]));
} else if (role === 'wandb-core') {
  const target = Number(rest[rest.indexOf('--pid') + 1]);
  setInterval(() => { try { process.kill(target, 0); } catch { process.exit(0); } }, 100);
} else {
  const epochs = Number(process.env.FAKE_EPOCHS ?? 60);
  let epoch = Number(process.env.FAKE_START_EPOCH ?? 45);
  const batches = 10;
  const batchMs = Number(process.env.FAKE_BATCH_MS ?? 20);
  process.on('SIGTERM', () => {
    appendFileSync(dir + '/signals.log', 'SIGTERM\n');
    process.exit(0);
  });
  mkdirSync(dir + '/checkpoints', { recursive: true });
  const partial = openSync(dir + '/checkpoints/in_progress.pt', 'w');
  writeSync(partial, Buffer.alloc(2048));
  const opts = { stdio: 'ignore' };
  const pids = {
    workers: [1, 2].map(() => spawn(process.execPath, [process.argv[1], '--worker', String(process.pid)], opts).pid),
    tensorboard: spawn(process.execPath, [process.argv[1], '--tensorboard', String(process.pid), '--logdir', 'runs'], opts).pid,
    wandb: spawn(process.execPath, [process.argv[1], 'wandb-core', '--port-filename', dir + '/port-' + process.pid + '.txt', '--pid', String(process.pid)], { ...opts, detached: true }).pid,
  };
  writeFileSync(dir + '/pids.json', JSON.stringify(pids));
  let saves = 0;
  let batch = 0;
  // tqdm draws its 0% bar (no rate yet) as soon as it is created: one write with the epoch line.
  const startEpoch = () => process.stdout.write('Epoch ' + epoch + '/' + epochs + '\n\r  0%|          | 0/' + batches + ' [00:00<?, ?it/s]');
  startEpoch();
  setInterval(() => {
    batch += 1;
    const pct = String(Math.round((100 * batch) / batches)).padStart(3);
    process.stderr.write('\r' + pct + '%|#####     | ' + batch + '/' + batches + ' [00:00<00:01,  ' + (1000 / batchMs).toFixed(2) + 'it/s]');
    if (batch < batches) return;
    process.stderr.write('\n');
    writeFileSync(dir + '/checkpoints/model_epoch_' + epoch + '.pt', Buffer.alloc(4096, epoch));
    saves += 1;
    if (saves === 2) writeFileSync(dir + '/ready', '');
    batch = 0;
    epoch = Math.min(epochs, epoch + 1);
    startEpoch();
  }, batchMs);
}
`;

export interface FakeRun {
  dir: string;
  child: ChildProcess;
  pid: number;
  workers: number[];
  tensorboard: number;
  wandb: number;
  logPath: string;
  /** Resolves with the signal that ended the trainer (null when it exited by itself). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const DISTRIBUTED_ENV = {
  RANK: '0',
  LOCAL_RANK: '0',
  WORLD_SIZE: '4',
  MASTER_ADDR: '127.0.0.1',
  MASTER_PORT: '29500',
  TORCHELASTIC_RUN_ID: 'fake-run',
  TORCHELASTIC_RESTART_COUNT: '1',
  TORCHELASTIC_MAX_RESTARTS: '3',
};

const started: number[] = [];

/** Start the fake run in `dir` and wait until it has saved two checkpoints and started its children. */
export async function startFakeRun(dir: string, env: Record<string, string> = DISTRIBUTED_ENV): Promise<FakeRun> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'train.mjs'), SCRIPT);
  const logPath = join(dir, 'train.log');
  const log = openSync(logPath, 'w');
  const child = spawn(process.execPath, ['train.mjs', '--epochs', '60', '--output_dir', 'checkpoints'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  started.push(child.pid!);
  for (let i = 0; i < 400 && !existsSync(join(dir, 'ready')); i += 1) await new Promise((r) => setTimeout(r, 25));
  if (!existsSync(join(dir, 'ready'))) throw new Error(`fake run did not get ready: ${readFileSync(logPath, 'utf8').slice(-500)}`);
  const pids = JSON.parse(readFileSync(join(dir, 'pids.json'), 'utf8')) as { workers: number[]; tensorboard: number; wandb: number };
  started.push(...pids.workers, pids.tensorboard, pids.wandb);
  return { dir, child, pid: child.pid!, ...pids, logPath, exited };
}

/** Kill every process the fake runs started (SIGCONT first, in case a test stopped them). */
export function killFakeRuns(): void {
  for (const pid of started.splice(0)) {
    // Only a process that is still one of ours (its PID may have been reused after it exited).
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes('train.mjs')) continue;
    for (const signal of ['SIGCONT', 'SIGKILL'] as const) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

/** Poll /proc until the process reaches one of `states` (signals take effect when the target is next scheduled). */
export async function settledState(pid: number, states: (string | null)[]): Promise<string | null> {
  for (let i = 0; i < 300 && !states.includes(procState(pid)); i += 1) await new Promise((r) => setTimeout(r, 10));
  return procState(pid);
}

/** State letter of a process from /proc, or null when it is gone. */
export function procState(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2)[0] ?? null;
  } catch {
    return null;
  }
}

export const TOOL = fileURLToPath(new URL('../../../dist/scripts/analyze_process_impact.mjs', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built tool with node; never rejects. */
export function runTool(args: string[], env: NodeJS.ProcessEnv = {}, options: { uid?: number; gid?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TOOL, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 20_000, ...options }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** PATH with a fake nvidia-smi that puts the trainer on GPUs 0 and 1 and a worker on GPU 1; GPU 2 is someone else's. */
export function fakeSmiFor(binDir: string, run: FakeRun): string {
  return installFakeSmi(binDir, [
    {
      match: ['--query-compute-apps'],
      stdout: `GPU-aaaa-0000, ${run.pid}, 20480\nGPU-bbbb-1111, ${run.pid}, 20480\nGPU-bbbb-1111, ${run.workers[0]}, 512\nGPU-cccc-2222, 4000000, 1000\n`,
    },
    {
      match: ['--query-gpu'],
      stdout: '0, GPU-aaaa-0000, NVIDIA H100 80GB HBM3, 95, 21000, 81559\n1, GPU-bbbb-1111, NVIDIA H100 80GB HBM3, 93, 21500, 81559\n2, GPU-cccc-2222, NVIDIA H100 80GB HBM3, 0, 1000, 81559\n',
    },
  ]);
}

