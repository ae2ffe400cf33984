// Running nvidia-smi and reading its CSV output. Facts: ../shared/research/gpu-monitor.md §3.
// - values like [N/A] are unknown (null), never 0;
// - one invalid field fails the whole query; exit 9 means the driver cannot be reached;
// - every call has a timeout, because nvidia-smi can hang.
import { spawn } from 'node:child_process';

/** Cell values nvidia-smi uses for "no value". */
const UNKNOWN_CELLS = new Set([
  '',
  'N/A',
  '[N/A]',
  '[Not Supported]',
  '[Unknown Error]',
  '[Insufficient Permissions]',
  '[Requested functionality has been deprecated]',
  '[Not Found]',
  '[GPU requires reset]',
  '[GPU is lost]',
]);

/** A cell's text, or null when nvidia-smi says the value is unknown. */
export function parseCell(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const cell = raw.trim();
  return UNKNOWN_CELLS.has(cell) ? null : cell;
}

/** A numeric cell (units such as " MiB", " %", " W" tolerated), or null when unknown or not a number. */
export function parseNumber(raw: string | undefined): number | null {
  const cell = parseCell(raw);
  if (cell === null) return null;
  const match = /^-?\d+(?:\.\d+)?/.exec(cell);
  return match ? Number(match[0]) : null;
}

/** Split one CSV row of nvidia-smi output (separator ", ", no quoting). */
export function splitRow(line: string): string[] {
  return line.split(',').map((cell) => cell.trim());
}

/**
 * Whether a line is a CSV header (nvidia-smi prints one per query unless noheader; -lms prints it once). Only the
 * first cell is looked at: this runs on every row of a stream, which the caller then splits anyway.
 */
export function isHeaderLine(line: string, firstField: string): boolean {
  const comma = line.indexOf(',');
  const first = (comma < 0 ? line : line.slice(0, comma)).trim();
  return first === firstField || first.startsWith(`${firstField} [`);
}

export type SmiFailure = 'not-found' | 'driver' | 'timeout' | 'invalid-field' | 'failed';

export type SmiResult =
  | { ok: true; stdout: string }
  | { ok: false; failure: SmiFailure; message: string; exitCode: number | null };

export interface SmiOptions {
  timeoutMs?: number;
  /** The executable; tests and rocm/other callers may override. */
  command?: string;
}

export const DEFAULT_SMI_TIMEOUT_MS = 5000;

const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * Run nvidia-smi once with a timeout and classify how it failed, if it did.
 * At the timeout the child is sent SIGKILL and the promise resolves at once, without waiting for it to exit: an
 * nvidia-smi stuck in the kernel (uninterruptible sleep) dies only when that call returns, and a grandchild can hold
 * the output pipes open. The child is then let go (pipes closed, unref'd) so it holds neither the caller nor the
 * event loop.
 */
export function runSmi(args: string[], { timeoutMs = DEFAULT_SMI_TIMEOUT_MS, command = 'nvidia-smi' }: SmiOptions = {}): Promise<SmiResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let stdout = '';
    let stderr = '';
    const outputBytes = { stdout: 0, stderr: 0 };
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (result: SmiResult): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve(result);
    };
    const abandon = (): void => {
      child.kill('SIGKILL');
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
    };
    const failed = (exitCode: number | null): void => {
      const text = `${stdout}\n${stderr}`.trim();
      const firstLine = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? `exit code ${exitCode}`;
      finish({ ok: false, failure: classifyFailure(exitCode, text), message: firstLine, exitCode });
    };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: string): void => {
      if (settled) return;
      outputBytes[stream] += Buffer.byteLength(chunk);
      if (stream === 'stdout') stdout += chunk;
      else stderr += chunk;
      if (outputBytes[stream] > MAX_OUTPUT_BYTES) {
        abandon();
        failed(null);
      }
    };

    child.stdout?.setEncoding('utf8').on('data', collect('stdout'));
    child.stderr?.setEncoding('utf8').on('data', collect('stderr'));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') finish({ ok: false, failure: 'not-found', message: `${command} not found on PATH`, exitCode: null });
      else failed(null);
    });
    child.on('close', (code, signal) => {
      if (code === 0 && signal === null) finish({ ok: true, stdout });
      else failed(code);
    });
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        abandon();
        finish({ ok: false, failure: 'timeout', message: `${command} did not answer within ${timeoutMs / 1000} s`, exitCode: null });
      }, timeoutMs);
    }
  });
}

export function classifyFailure(exitCode: number | null, output: string): SmiFailure {
  if (/is not a valid field to query/i.test(output)) return 'invalid-field';
  if (exitCode === 9 || /NVIDIA-SMI has failed|couldn't communicate with the NVIDIA driver|Driver\/library version mismatch/i.test(output)) {
    return 'driver';
  }
  return 'failed';
}

/** One line telling the user what went wrong and what to check. */
export function describeSmiFailure(result: Extract<SmiResult, { ok: false }>): string {
  switch (result.failure) {
    case 'not-found':
      return 'nvidia-smi not found on PATH: install the NVIDIA driver (it ships nvidia-smi) or add it to PATH';
    case 'driver':
      return `nvidia-smi cannot reach the NVIDIA driver (${result.message}): check that the driver is loaded (lsmod | grep nvidia) and matches the installed version`;
    case 'timeout':
      return `${result.message}: the driver may be hung; check dmesg for Xid errors`;
    case 'invalid-field':
      return `nvidia-smi rejected a query field (${result.message}): the driver is older than the fields this tool asks for`;
    default:
      return `nvidia-smi failed (${result.message})`;
  }
}
