// Running the built dp and create-dp-project commands as a user would, in a new process.
import { execa, type Options } from 'execa';
import { fileURLToPath } from 'node:url';

export const dpBin = fileURLToPath(new URL('../../dist/cli/dp.js', import.meta.url));
export const createBin = fileURLToPath(new URL('../../packages/create-dp-project/index.js', import.meta.url));

export function dp(cwd: string, args: string[], options: Options = {}) {
  return execa('node', [dpBin, ...args], { cwd, reject: false, stdin: 'ignore', env: { NO_COLOR: '1' }, ...options });
}

export function createProject(cwd: string, args: string[], options: Options = {}) {
  return execa('node', [createBin, ...args], { cwd, reject: false, stdin: 'ignore', ...options });
}
