// Running a built generator in its own process through yeoman-environment, with no terminal, as a
// script or CI job would: the exit code is what the generator set (dp errors set 1 or 2).
import { execa } from 'execa';
import { generatorPath } from './generators.js';
import type { Ran } from './cli.js';

const envUrl = import.meta.resolve('yeoman-environment');

export function yoProcess(cwd: string, name: string, options: Record<string, unknown> = {}, args: string[] = []): Promise<Ran> {
  const script = `
import { createEnv } from ${JSON.stringify(envUrl)};
const env = createEnv({ skipInstall: true });
env.register(${JSON.stringify(generatorPath(name))}, { namespace: 'dp:${name}' });
try { await env.run(['dp:${name}', ...${JSON.stringify(args)}], ${JSON.stringify(options)}); }
catch { process.exitCode = process.exitCode || 1; }
`;
  return execa('node', ['--input-type=module', '-e', script], { cwd, stdin: 'ignore', reject: false }) as unknown as Promise<Ran>;
}
