// The command-line edge of every program here: dp, create-dp-project and each standalone tool. One error
// type, one way to print it, one argument parser and one way to run main. It lives in shared/tools/lib
// because the tools, bundled into single files, may import only node: builtins and this library; dp's
// code imports the error type through shared/errors.ts.
// Exit codes (docs/errors.md): 0 ok, 1 failure or refusal, 2 bad usage or missing prerequisite.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { escapeControl } from './term.js';

/** A failure the user can act on: one line of message, an optional line of hint, the exit code. */
export class DpError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** 1 = failure or refusal, 2 = bad usage or a missing prerequisite. */
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'DpError';
  }
}

/** Bad usage or a missing prerequisite: exit code 2. */
export class UsageError extends DpError {
  constructor(message: string, hint?: string) {
    super(message, hint, 2);
    this.name = 'UsageError';
  }
}

/** What a user sees for an error: `<program>: <message>` and, indented below, the hint. */
export function formatError(program: string, error: unknown): string {
  if (error instanceof DpError) return `${program}: ${visible(error.message)}${error.hint ? `\n  ${visible(error.hint)}` : ''}`;
  const message = error instanceof Error ? error.message : String(error);
  return `${program}: unexpected error: ${visible(message)}`;
}

/** Messages quote input (paths, values): control characters other than a line break are shown escaped (\x1b). */
function visible(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Glue a negative number to its flag ("--gpus -2" -> "--gpus=-2") so that it reaches the flag's own check ("must be
 * between 1 and ...") instead of node's "argument is ambiguous". Arguments after "--" are left as they are.
 */
function glueNegativeNumbers(argv: string[], options: Options): string[] {
  const glued: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') return [...glued, ...argv.slice(i)];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    const next = argv[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      glued.push(`${arg}=${next}`);
      i += 1;
    } else {
      glued.push(arg);
    }
  }
  return glued;
}

/** node:util parseArgs (strict) with its errors turned into one-line UsageErrors carrying `hint`. */
export function parseCommandLine<T extends Options>(argv: string[], options: T, hint: string, allowPositionals = true) {
  try {
    return parseArgs({ args: glueNegativeNumbers(argv, options), options, allowPositionals, strict: true });
  } catch (error) {
    // node:util adds a sentence about '--' that does not help here, and starts upper-case unlike every
    // other message of dp, create-dp-project and the tools.
    const message = (error instanceof Error ? error.message.split('\n')[0]!.split('. ')[0]! : String(error)).replace(/\.$/, '');
    throw new UsageError(/^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message, hint);
  }
}

/** The tools' parseCommandLine: a mistake points at the tool's --help. */
export function parseToolArgs<T extends Options>(tool: string, argv: string[], options: T, allowPositionals = true) {
  return parseCommandLine(argv, options, `run '${tool} --help' for the options`, allowPositionals);
}

export interface Bounds {
  min: number;
  /** Every numeric option has a documented maximum: an absurd value is refused, never run (no hang, no nulls). */
  max: number;
  integer?: boolean;
}

/** Parse a flag value as a number within bounds, or fail with a usage error naming the flag, the range and the value. */
export function numberOption(flag: string, raw: string | undefined, { min, max, integer = false }: Bounds): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new UsageError(`--${flag} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got '${raw}'`);
  }
  return value;
}

/** True when the module at `moduleUrl` is the script node was started with (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/**
 * Run a program's main and turn its outcome into the exit code, set on the process and returned (for a bin that
 * sets it itself). A DpError prints `<program>: <message>` and the hint, never a stack trace; DP_DEBUG=1 shows the
 * stack of an unexpected error.
 */
export async function runMain(
  program: string,
  main: (argv: string[]) => Promise<number | void>,
  argv: string[] = process.argv.slice(2),
): Promise<number> {
  let code: number;
  try {
    code = (await main(argv)) ?? 0;
  } catch (error) {
    process.stderr.write(`${formatError(program, error)}\n`);
    if (!(error instanceof DpError) && process.env.DP_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    code = error instanceof DpError ? error.exitCode : 1;
  }
  process.exitCode = code;
  return code;
}
