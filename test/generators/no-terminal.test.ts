// A script or CI job runs the generators through yeoman-environment with no terminal: a question
// without an answer must fail the run with a clear message and write nothing.
import { describe, expect, it } from 'vitest';
import { snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';
import { yoProcess } from '../support/yo-process.js';

const newDir = useTempDir('dp-noterm-');

describe('generators without a terminal', () => {
  it('yo dp with no --persona fails with a clear message and writes nothing', async () => {
    const dir = newDir();
    const result = await yoProcess(dir, 'app');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('dp: no answer for "persona" and no terminal to ask it on');
    expect(result.stderr).toContain('pass --persona <id>');
    expect(snapshot(dir)).toEqual({});
  });
});
