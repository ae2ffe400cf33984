// What every standalone tool shares at its edges: argument parsing, errors, exit codes, the isMain guard.
// Exit codes (DESIGN.md): 0 ok, 1 failure, 2 bad usage or missing prerequisite.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A failure the user can act on: one line of message, an optional line of hint. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Bad usage or a missing prerequisite: exit code 2. */
export class UsageError extends ToolError {
  constructor(message: string, hint?: string) {
    super(message, hint, 2);
    this.name = 'UsageError';
  }
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

/** node:util parseArgs with its errors turned into one-line UsageErrors. */
export function parseToolArgs<T extends Options>(tool: string, argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: glueNegativeNumbers(argv, options), options, allowPositionals, strict: true });
  } catch (error) {
    // node:util adds a sentence about '--' that does not help here.
    const message = error instanceof Error ? error.message.split('\n')[0]!.split('. ')[0]! : String(error);
    throw new UsageError(message.replace(/\.$/, ''), `run '${tool} --help' for the options`);
  }
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
 * Run a tool's main and turn its outcome into an exit code. User mistakes print
 * `<tool>: <message>` and the hint, never a stack trace; DP_DEBUG=1 shows stacks of unexpected errors.
 */
export async function runTool(tool: string, main: (argv: string[]) => Promise<number | void>): Promise<void> {
  try {
    const code = await main(process.argv.slice(2));
    process.exitCode = code ?? 0;
  } catch (error) {
    if (error instanceof ToolError) {
      process.stderr.write(`${tool}: ${error.message}\n`);
      if (error.hint) process.stderr.write(`  ${error.hint}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${tool}: unexpected error: ${message}\n`);
    if (process.env.DP_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
