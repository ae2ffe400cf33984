// Running the built dp and create-dp-project commands as a user would, in a new process.
import { execa, type Options } from 'execa';
import { fileURLToPath } from 'node:url';

export const dpBin = fileURLToPath(new URL('../../dist/cli/dp.js', import.meta.url));
export const createBin = fileURLToPath(new URL('../../packages/create-dp-project/index.js', import.meta.url));

export interface Ran {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function dp(cwd: string, args: string[], options: Options = {}): Promise<Ran> {
  return execa('node', [dpBin, ...args], { cwd, reject: false, stdin: 'ignore', env: { NO_COLOR: '1' }, ...options }) as unknown as Promise<Ran>;
}

export function createProject(cwd: string, args: string[], options: Options = {}): Promise<Ran> {
  return execa('node', [createBin, ...args], { cwd, reject: false, stdin: 'ignore', ...options }) as unknown as Promise<Ran>;
}

/** Run a command on a pseudo-terminal (util-linux `script`), typing `input` into it. */
export function onTerminal(cwd: string, command: string[], input: string): Promise<Ran> {
  const line = command.map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  return execa('script', ['-qec', line, '/dev/null'], { cwd, reject: false, input }) as unknown as Promise<Ran>;
}
