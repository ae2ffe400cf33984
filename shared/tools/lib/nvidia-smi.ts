// Running nvidia-smi and reading its CSV output. Facts: ../shared/research/gpu-monitor.md §3.
// - values like [N/A] are unknown (null), never 0;
// - one invalid field fails the whole query; exit 9 means the driver cannot be reached;
// - every call has a timeout, because nvidia-smi can hang.
import { execFile } from 'node:child_process';

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

/** Whether a line is a CSV header (nvidia-smi prints one per query unless noheader; -lms prints it once). */
export function isHeaderLine(line: string, firstField: string): boolean {
  const first = splitRow(line)[0] ?? '';
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

/** Run nvidia-smi once with a timeout and classify how it failed, if it did. */
export function runSmi(args: string[], { timeoutMs = DEFAULT_SMI_TIMEOUT_MS, command = 'nvidia-smi' }: SmiOptions = {}): Promise<SmiResult> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, stdout });
      const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
      if (err.code === 'ENOENT') {
        return resolve({ ok: false, failure: 'not-found', message: `${command} not found on PATH`, exitCode: null });
      }
      if (err.killed) {
        return resolve({ ok: false, failure: 'timeout', message: `${command} did not answer within ${timeoutMs / 1000} s`, exitCode: null });
      }
      const exitCode = typeof err.code === 'number' ? err.code : null;
      const text = `${stdout}\n${stderr}`.trim();
      const firstLine = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? `exit code ${exitCode}`;
      resolve({ ok: false, failure: classifyFailure(exitCode, text), message: firstLine, exitCode });
    });
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
