// Command-line parsing for dp: the shared parser, its mistakes pointing at the command's --help.
import { UsageError, parseCommandLine } from '../shared/tools/lib/cli.js';

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
  return parseCommandLine(argv, options, `run 'dp ${command} --help' for its options`);
}


export function usage(message: string, command: string): UsageError {
  return new UsageError(message, `run 'dp ${command} --help' for its usage`);
}

/** --on-conflict for the CLI: keep or markers; undefined lets a terminal user choose. */
export function conflictOption(value: string | undefined, command: string): 'keep' | 'markers' | undefined {
  if (value === undefined) return undefined;
  if (value === 'keep' || value === 'markers') return value;
  throw usage(`--on-conflict must be keep or markers, got "${value}"`, command);
}
