#!/usr/bin/env node
// dp: the command line of generator-dp. The same engine as the generators; commands load only what they
// use (yeoman-environment only for the interactive menu), so most commands start in a fraction of Yeoman's time.
import { DpError } from '../shared/errors.js';
import { runMain } from '../shared/tools/lib/cli.js';

// The help texts name the personas, read from their folders: loaded only when help is asked for.
async function helpFor(command: string[]): Promise<string> {
  return (await import('./help.js')).helpFor(command);
}

type Command = (argv: string[]) => number | Promise<number>;
// One module per command, so a command loads only its own code (dp doctor's process spawning is not
// loaded by dp persona add); the engine the commands share is one chunk of the bundle.
const COMMANDS: Record<string, () => Promise<Command>> = {
  persona: async () => (await import('./commands/persona.js')).personaCommand,
  assistants: async () => (await import('./commands/assistants.js')).assistantsCommand,
  profile: async () => (await import('./commands/profile.js')).profileCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  upgrade: async () => (await import('./commands/upgrade.js')).upgradeCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  graduate: async () => (await import('./commands/graduate.js')).graduateCommand,
};

async function version(): Promise<string> {
  return (await import('../shared/package-root.js')).generatorVersion();
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help') {
    process.stdout.write(`${await helpFor(rest)}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  if (command === '--help' || command === '-h') {
    process.stdout.write(`${await helpFor([])}\n`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) throw new DpError(`unknown command "${command}"`, "run 'dp --help' for the commands", 2);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${await helpFor([command, ...rest.filter((word) => !word.startsWith('-'))])}\n`);
    return 0;
  }
  return (await load())(rest);
}

// `dp doctor | head`: a closed pipe ends the output, not the process with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// An open prompt holds stdin and would keep the process alive: it closes however main ends.
void runMain('dp', (argv) => main(argv).finally(async () => (await import('./prompt.js')).closePrompts()));
