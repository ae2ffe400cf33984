// Command-line parsing for dp: node:util parseArgs, with mistakes turned into one-line usage errors.
import { parseArgs } from 'node:util';
import { DpError } from '../shared/errors.js';

export const COMMON = {
  help: { type: 'boolean', short: 'h' },
  cwd: { type: 'string', short: 'C' },
} as const;

export const WRITING = {
  'dry-run': { type: 'boolean', short: 'n' },
  yes: { type: 'boolean', short: 'y' },
  'on-conflict': { type: 'string' },
} as const;

type Spec = Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }>;

export function parse<T extends Spec>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages add a sentence about '--' that does not help here.
    const message = (error as Error).message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '');
    throw new DpError(message, `run 'dp ${command} --help' for its options`, 2);
  }
}

export function usage(message: string, command: string): DpError {
  return new DpError(message, `run 'dp ${command} --help' for its usage`, 2);
}

/** --on-conflict for the CLI: keep or markers; undefined lets a terminal user choose. */
export function conflictOption(value: string | undefined, command: string): 'keep' | 'markers' | undefined {
  if (value === undefined) return undefined;
  if (value === 'keep' || value === 'markers') return value;
  throw usage(`--on-conflict must be keep or markers, got "${value}"`, command);
}
