// dp's entry runs the bundle with the code cache the build made: only for the exact bundle it was made from,
// so a bundle changed after the build (same length, as V8's own check would let through) runs its own code.
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { dpBin } from '../support/cli.js';

const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** dist/ copied whole, so the copy's dp finds its personas, tools and cache as the installed one does. */
function copyOfDist(): string {
  const root = mkdtempSync(join(tmpdir(), 'dp-code-cache-'));
  copies.push(root);
  cpSync(dirname(dirname(dpBin)), join(root, 'dist'), { recursive: true });
  return join(root, 'dist', 'cli');
}

describe("dp's code cache", () => {
  it('the build made one for its bundle', () => {
    expect(statSync(join(dirname(dpBin), 'dp-main.js.cache')).size).toBeGreaterThan(32);
  });

  it('a bundle changed after the build runs its own code, not the cached one', async () => {
    const cli = copyOfDist();
    const main = join(cli, 'dp-main.js');
    const source = readFileSync(main, 'utf8');
    expect(source).toContain('for the commands');
    writeFileSync(main, source.replace('for the commands', 'FOR THE COMMANDS'));
    const changed = await execa('node', [join(cli, 'dp.js'), 'no-such-command'], { reject: false });
    expect(changed.exitCode).toBe(2);
    expect(changed.stderr).toContain('FOR THE COMMANDS');
  });

  it('without its cache file dp runs as usual', async () => {
    const cli = copyOfDist();
    rmSync(join(cli, 'dp-main.js.cache'));
    const ran = await execa('node', [join(cli, 'dp.js'), 'no-such-command'], { reject: false });
    expect(ran.exitCode).toBe(2);
    expect(ran.stderr).toBe(`dp: unknown command "no-such-command"\n  run 'dp --help' for the commands`);
  });
});
