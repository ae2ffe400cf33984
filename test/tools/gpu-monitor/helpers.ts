// Test helpers for gpu_monitor: fixtures projected onto the fields the tool asks for, and running the built
// script (dist/scripts/gpu_monitor.mjs, the file users get) against a fake nvidia-smi on PATH.
import { runScript, type ScriptRun } from '../../support/run-script.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPUTE_PROCESS_FIELDS, GPU_QUERY_FIELDS, readCsvTable, recordCell } from '../../../shared/tools/lib/gpu-query.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const SCRIPT = join(repoRoot, 'dist', 'scripts', 'gpu_monitor.mjs');
export const fixtureDir = join(repoRoot, 'test', 'fixtures', 'gpu-monitor');

export function ownFixture(name: string): string {
  return readFileSync(join(fixtureDir, name), 'utf8');
}

/**
 * Rows of a CSV with a header (a capture, or one of our fixtures) in the order `fields` asks for, as
 * `--format=csv,noheader` prints them; a field the capture lacks is `[N/A]`. `extra` overrides cells.
 */
export function projectRows(csv: string, fields: readonly string[] = GPU_QUERY_FIELDS, extra: Record<string, string> = {}): string {
  return readCsvTable(csv)
    .map((record) => fields.map((field) => extra[field] ?? recordCell(record, field) ?? '[N/A]').join(', '))
    .map((line) => `${line}\n`)
    .join('');
}

/** A compute-apps capture in the monitor's field order. */
export function projectApps(csv: string): string {
  return projectRows(csv, COMPUTE_PROCESS_FIELDS);
}

/** The header nvidia-smi would print for our query (to test that a header anywhere is skipped). */
export function headerFor(fields: readonly string[] = GPU_QUERY_FIELDS): string {
  return `${fields.join(', ')}\n`;
}

/** A PATH with the fake's bin dir and node only, so no real nvidia-smi/rocm-smi can be found. */
export function fakePath(binDir: string): string {
  return `${binDir}:${dirname(process.execPath)}`;
}

export type Run = ScriptRun;

export function runMonitor(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<Run> {
  return runScript(SCRIPT, args, env, timeoutMs);
}

export interface Started {
  child: ChildProcess;
  /** Resolves with the stdout so far once it matches. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGINT, then the exit code and output. */
  stop(): Promise<Run>;
}

/** Start the built tool and keep it running (--prometheus, the live view). */
export function startMonitor(args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [SCRIPT, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    waitForStdout(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout)) {
            clearTimeout(timer);
            resolve(stdout);
          }
        };
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in stdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.push(check);
        check();
      });
    },
    async stop() {
      child.kill('SIGINT');
      const code = await closed;
      return { code, stdout, stderr };
    },
  };
}

/** Parse JSON lines. */
export function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
