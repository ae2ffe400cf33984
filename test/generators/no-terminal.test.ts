// A script or CI job runs the generators through yeoman-environment with no terminal: a question
// without an answer must fail the run with a clear message and write nothing.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { generatorPath, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-noterm-');

const runner = (namespace: string, path: string, options: Record<string, unknown>) => `
import { createEnv } from ${JSON.stringify(import.meta.resolve('yeoman-environment'))};
const env = createEnv({ skipInstall: true });
env.register(${JSON.stringify(path)}, { namespace: ${JSON.stringify(namespace)} });
try { await env.run([${JSON.stringify(namespace)}], ${JSON.stringify(options)}); }
catch (error) { process.exitCode = process.exitCode || 1; }
`;

describe('generators without a terminal', () => {
  it('yo dp with no --persona fails with a clear message and writes nothing', async () => {
    const dir = newDir();
    const result = await execa('node', ['--input-type=module', '-e', runner('dp:app', generatorPath('app'), {})], { cwd: dir, stdin: 'ignore', reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('dp: no answer for "persona" and no terminal to ask it on');
    expect(result.stderr).toContain('pass --persona <id>');
    expect(snapshot(dir)).toEqual({});
  });
});
