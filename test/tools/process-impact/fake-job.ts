// A second fake training job for the process-impact tests, configurable where fake-run.ts is fixed: a real Node process
// that counts steps ("step i/N" lines with a rate), overwrites ONE checkpoint file in place every few steps (so the file
// system shows a single mtime), optionally logs a timestamped "saved checkpoint" line per save in a framework's words,
// and on SIGTERM either saves once more and exits, or keeps running. Optionally started under a launcher process.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = String.raw`
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
const env = process.env;
const total = 100000;
const stepMs = Number(env.JOB_STEP_MS ?? 20);
const every = Number(env.JOB_SAVE_EVERY ?? 10);
const pad = (n, w = 2) => String(n).padStart(w, '0');
const stamp = () => {
  const d = new Date();
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + ',' + pad(d.getMilliseconds(), 3);
};
const line = (text) => process.stdout.write((env.JOB_TIMESTAMPS ? '[INFO|trainer.py:3984] ' + stamp() + ' >> ' : '') + text + '\n');
mkdirSync('out', { recursive: true });
let step = 0;
const save = (why) => {
  writeFileSync('out/model.pt', Buffer.alloc(2048, step % 251));
  if (env.JOB_SAVE_LINE === 'hf') line('Saving model checkpoint to out/checkpoint-' + step);
  else if (env.JOB_SAVE_LINE === 'plain') line('saved checkpoint to out/model.pt at step ' + step + (why ? ' (' + why + ')' : ''));
};
process.on('SIGTERM', () => {
  appendFileSync('signals.log', 'SIGTERM\n');
  if (env.JOB_ON_TERM === 'ignore') { line('got SIGTERM: finishing the epoch first'); return; }
  save('on SIGTERM');
  process.exit(0);
});
line('***** Running training *****');
setInterval(() => {
  step += 1;
  line('step ' + step + '/' + total + ' loss 1.0 ' + (1000 / stepMs).toFixed(2) + ' it/s');
  if (step % every === 0 && step <= Number(env.JOB_SAVE_UNTIL ?? Infinity)) save('');
  if (step === Number(env.JOB_READY_STEP ?? every * 2)) writeFileSync('ready', '');
}, stepMs);
`;

const LAUNCHER = String.raw`#!/usr/bin/env node
const { spawn } = require('node:child_process');
const child = spawn(process.argv[2], process.argv.slice(3), { stdio: 'inherit' });
require('node:fs').writeFileSync('worker.pid', String(child.pid));
child.on('exit', (code) => process.exit(code ?? 1));
`;

export interface FakeJob {
  dir: string;
  /** The training process (under a launcher: the launcher's child). */
  pid: number;
  child: ChildProcess;
  logPath: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];

export interface FakeJobOptions {
  env?: Record<string, string>;
  /** Start it under an executable of this name (e.g. "torchrun") that runs it as a child. */
  launcher?: string;
}

/** Start the job in `dir` and wait until it has saved twice. */
export async function startFakeJob(dir: string, options: FakeJobOptions = {}): Promise<FakeJob> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'job.mjs'), SCRIPT);
  const logPath = join(dir, 'train.log');
  const log = openSync(logPath, 'w');
  let args = ['job.mjs', '--output_dir', 'out'];
  if (options.launcher) {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, options.launcher), LAUNCHER);
    chmodSync(join(bin, options.launcher), 0o755);
    args = [join(bin, options.launcher), process.execPath, ...args];
  }
  const child = spawn(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, TZ: process.env.TZ ?? '', ...options.env }, stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  started.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  for (let i = 0; i < 400 && !existsSync(join(dir, 'ready')); i += 1) await new Promise((r) => setTimeout(r, 25));
  if (!existsSync(join(dir, 'ready'))) throw new Error(`fake job did not get ready: ${readFileSync(logPath, 'utf8').slice(-500)}`);
  const pid = options.launcher ? Number(readFileSync(join(dir, 'worker.pid'), 'utf8')) : child.pid!;
  return { dir, pid, child, logPath, exited };
}

/** Kill every job these tests started, with its process group (the launcher's worker too). */
export function killFakeJobs(): void {
  for (const child of started.splice(0)) {
    for (const signal of ['SIGCONT', 'SIGKILL'] as const) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // gone
      }
    }
  }
}
