// The live view on a real 80x24 terminal (a pseudo-terminal from util-linux `script`): 8 GPUs switch to the compact
// layout by themselves, every frame fits the screen, and the arrow keys scroll the host process list.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeSmi } from '../../support/fake-nvidia-smi.js';
import { useTempDir } from '../../support/tmp.js';
import { SCRIPT, fakePath, ownFixture, projectRows } from './helpers.js';

const tempDir = useTempDir('gpu-monitor-tty-');
const hasScript = spawnSync('script', ['--version']).status === 0;

/** The frames drawn in place: each starts at the cursor home; escape sequences and carriage returns removed. */
function frames(output: string): string[][] {
  return output
    .split('\x1b[H')
    .slice(1)
    // eslint-disable-next-line no-control-regex
    .map((frame) => frame.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '').split('\n'));
}

describe.runIf(hasScript)('the live view on an 80x24 terminal', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('shows 8 GPUs one per line, fits every frame, scrolls the process list with the arrow keys and quits on q', async () => {
    const dir = tempDir();
    const python = join(dir, 'python3');
    copyFileSync('/bin/sleep', python);
    for (let i = 0; i < 14; i += 1) children.push(spawn(python, [String(60 + i)], { stdio: 'ignore' }));
    const bin = join(dir, 'bin');
    const training = projectRows(ownFixture('query-gpu_h100-x8_train.csv'));
    installFakeSmi(bin, [
      { match: ['--query-gpu', '-lms'], stdout: training, repeat: { text: training, everyMs: 200 } },
      { match: ['--query-gpu'], stdout: training },
      { match: ['--query-compute-apps'], stdout: '' },
    ]);
    const command = `stty rows 24 cols 80; exec '${process.execPath}' '${SCRIPT}' --interval 0.2 --top 100`;
    const monitor = spawn('script', ['-qfec', command, '/dev/null'], { env: { PATH: fakePath(bin) + ':/usr/bin:/bin', TERM: 'xterm', HOME: process.env.HOME }, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(monitor);
    let output = '';
    monitor.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const closed = new Promise<number | null>((resolve) => monitor.on('close', (code) => resolve(code)));
    const waitFor = async (pattern: RegExp) => {
      for (let waited = 0; waited < 15_000; waited += 50) {
        const last = frames(output).at(-1)?.join('\n') ?? '';
        if (pattern.test(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no ${pattern} in the last frame:\n${frames(output).at(-1)?.join('\n')}`);
    };
    const first = await waitFor(/^ +7 H100 80GB HBM3 .*\n[^]*ML processes on this host \(1-\d+ of \d+, ↑\/↓ scroll/m);
    expect(first).toMatch(/^ +0 H100 80GB HBM3 +█+ 100% +69\.6\/79\.6 87% +68°C +688\/700 +P0 +0$/m);
    monitor.stdin!.write('\x1b[B\x1b[B');
    await waitFor(/ML processes on this host \(3-\d+ of \d+/);
    monitor.stdin!.write('q');
    expect(await closed).toBe(0);
    for (const frame of frames(output)) {
      expect(frame.length).toBeLessThanOrEqual(24);
      for (const line of frame) expect([...line].length, line).toBeLessThanOrEqual(80);
    }
    // The terminal is given back: cursor shown, main screen restored.
    expect(output.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
  });
});
