// The built script against a fake nvidia-smi and real processes: host processes in JSON, control characters in
// command lines, --gpus, JSON errors, and the new fields read from recorded all-field captures.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeSmi, type FakeSmiRule } from '../../support/fake-nvidia-smi.js';
import { hasShared, readSmiFixture } from '../../support/shared-fixtures.js';
import { useTempDir } from '../../support/tmp.js';
import { fakePath, ownFixture, projectApps, projectRows, runMonitor, startMonitor } from './helpers.js';

const tempDir = useTempDir('gpu-monitor-json-');
const TRAINING = () => projectRows(ownFixture('query-gpu_h100-x8_train.csv'));
const TRAINING_APPS = () => projectApps(ownFixture('compute-apps_h100-x8_train.csv'));

function fakeEnv(gpus: string, apps = ''): NodeJS.ProcessEnv {
  const bin = join(tempDir(), 'bin');
  const rules: FakeSmiRule[] = [
    { match: ['--query-gpu'], stdout: gpus },
    { match: ['--query-compute-apps'], stdout: apps },
  ];
  installFakeSmi(bin, rules);
  return { PATH: fakePath(bin), HOME: process.env.HOME };
}

interface HostJson {
  pid: number;
  user: string | null;
  cpuPercent: number | null;
  cpuBasis: string;
  rssBytes: number | null;
  command: string;
  gpuIndices: number[];
}

describe('host processes and hostile command lines', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  /** A real process named python3 (a copy of sh) whose last argument holds a newline, a tab and an escape sequence. */
  function hostileTrainer(): { pid: number; python: string } {
    const python = join(tempDir(), 'python3');
    copyFileSync('/bin/sh', python);
    const child = spawn(python, ['-c', 'sleep 30; exit 0', 'line\nbreak\t\x1b[2Jcleared'], { stdio: 'ignore' });
    children.push(child);
    return { pid: child.pid!, python };
  }

  it('--once --json lists the host ML processes with pid, user, CPU %, RSS and the exact command line', async () => {
    const { pid, python } = hostileTrainer();
    const apps = `GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e62, ${pid}, ${python}, 2048\n`;
    const run = await runMonitor(['--once', '--json', '--top', '1000'], fakeEnv(TRAINING(), apps));
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { hostProcesses: HostJson[]; processes: { pid: number; command: string | null }[] };
    const mine = json.hostProcesses.find((host) => host.pid === pid);
    expect(mine).toMatchObject({ cpuBasis: 'lifetime', gpuIndices: [2], command: `${python} -c sleep 30; exit 0 line\nbreak\t\x1b[2Jcleared` });
    expect(mine!.user).toEqual(expect.any(String));
    expect(mine!.rssBytes).toBeGreaterThan(0);
    expect(mine!.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(json.processes.find((p) => p.pid === pid)?.command).toBe(`${python} -c sleep 30; exit 0 line\nbreak\t\x1b[2Jcleared`);
  });

  it('the text view prints control characters as escapes: one table row per process, no terminal codes', async () => {
    const { pid, python } = hostileTrainer();
    const apps = `GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e62, ${pid}, ${python}, 2048\n`;
    const run = await runMonitor(['--once', '--top', '1000'], fakeEnv(TRAINING(), apps));
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stdout).not.toContain('\t');
    const escaped = `${python} -c sleep 30; exit 0 line\\nbreak\\t\\x1b[2Jcleared`;
    expect(run.stdout).toMatch(new RegExp(`^ +${pid} +\\S+ +[\\d.]+\\* +[\\d.]+ [KM]iB +2 +${escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^ {2}pid +${pid} .*${escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(run.stdout).not.toMatch(/^break/m);
  });
});

describe('--gpus', () => {
  it('shows, logs and returns only the GPUs named, with their processes', async () => {
    const run = await runMonitor(['--once', '--json', '--gpus', '3,0'], fakeEnv(TRAINING(), TRAINING_APPS()));
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { gpus: { index: number }[]; processes: { gpuIndex: number }[] };
    expect(json.gpus.map((gpu) => gpu.index)).toEqual([0, 3]);
    expect(json.processes.length).toBeGreaterThan(0);
    expect(json.processes.every((p) => p.gpuIndex === 0 || p.gpuIndex === 3)).toBe(true);
    const text = await runMonitor(['--once', '--gpus', '5'], fakeEnv(TRAINING(), TRAINING_APPS()));
    expect(text.stdout).toMatch(/· 1 GPU ·/);
    expect(text.stdout).toContain('GPU 5 thermal slowdown');
    expect(text.stdout).not.toContain('GPU 4 memory');
  });

  it('a GPU that is not there, or a malformed list: one line, exit code 2 (and a JSON error with --json)', async () => {
    const missing = await runMonitor(['--once', '--json', '--gpus', '0,9'], fakeEnv(TRAINING()));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('gpu_monitor: --gpus 0,9: no GPU 9 on this machine (its GPUs: 0,1,2,3,4,5,6,7)\n  name GPUs by the index nvidia-smi shows\n');
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { message: '--gpus 0,9: no GPU 9 on this machine (its GPUs: 0,1,2,3,4,5,6,7)', exitCode: 2 } });
    for (const [list, message] of [
      ['0,,3', "--gpus must be GPU indices separated by commas, got '0,,3'"],
      ['a', "--gpus must be GPU indices separated by commas, got 'a'"],
      ['-1', "--gpus must be GPU indices separated by commas, got '-1'"],
      ['1,1', '--gpus names GPU 1 twice'],
    ] as const) {
      const run = await runMonitor(['--once', '--gpus', list], fakeEnv(TRAINING()));
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(`gpu_monitor: ${message}`);
      expect(run.stdout).toBe('');
    }
  });

  it('--watch --json reports a missing GPU once as a JSON line and keeps sampling the others', async () => {
    const bin = join(tempDir(), 'bin');
    installFakeSmi(bin, [
      { match: ['--query-gpu', '-lms'], stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } },
      { match: ['--query-gpu'], stdout: TRAINING() },
      { match: ['--query-compute-apps'], stdout: '' },
    ]);
    const run = await runMonitor(['--watch', '--json', '--gpus', '1,8', '--interval', '0.2', '--count', '2'], { PATH: fakePath(bin) });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { gpus?: { index: number }[]; error?: { message: string } });
    expect(lines.filter((line) => line.error).map((line) => line.error!.message)).toEqual(['--gpus 1,8: no GPU 8 on this machine (its GPUs: 0,1,2,3,4,5,6,7)']);
    expect(lines.filter((line) => line.gpus).map((line) => line.gpus!.map((gpu) => gpu.index))).toEqual([[1], [1]]);
    expect(run.stderr).toBe('gpu_monitor: --gpus 1,8: no GPU 8 on this machine (its GPUs: 0,1,2,3,4,5,6,7)\n');
  });
});

describe('--gpus with --prometheus', () => {
  it('serves the series of the GPUs named only', async () => {
    const bin = join(tempDir(), 'bin');
    installFakeSmi(bin, [
      { match: ['--query-gpu', '-lms'], stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } },
      { match: ['--query-gpu'], stdout: TRAINING() },
    ]);
    const monitor = startMonitor(['--prometheus', '0', '--gpus', '2,5', '--interval', '0.2'], { PATH: fakePath(bin) });
    try {
      const url = /serving Prometheus metrics at (\S+)/.exec(await monitor.waitForStdout(/serving Prometheus metrics at \S+\n/))![1]!;
      let body = '';
      for (let tries = 0; tries < 50 && !body.includes('DCGM_FI_DEV_GPU_UTIL{'); tries += 1) {
        body = await (await fetch(url)).text();
        if (!body.includes('DCGM_FI_DEV_GPU_UTIL{')) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const gpus = new Set([...body.matchAll(/^DCGM_FI_DEV_GPU_UTIL\{gpu="(\d+)"/gm)].map((m) => m[1]));
      expect([...gpus].sort()).toEqual(['2', '5']);
      expect(body).toMatch(/^DCGM_FI_DEV_CLOCKS_EVENT_REASONS\{gpu="5",.*\} 104$/m);
    } finally {
      expect((await monitor.stop()).code).toBe(0);
    }
  });
});

describe('--json failures are JSON', () => {
  it('a usage error with --json: the object on stdout, the line on stderr, exit code 2', async () => {
    const run = await runMonitor(['--once', '--json', '--interval', 'soon'], { PATH: fakePath(tempDir()) });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("gpu_monitor: --interval must be a number between 0.1 and 3600, got 'soon'\n");
    const json = JSON.parse(run.stdout) as { timestamp: string; error: unknown };
    expect(json.error).toEqual({ message: "--interval must be a number between 0.1 and 3600, got 'soon'", hint: null, exitCode: 2 });
    expect(Number.isNaN(Date.parse(json.timestamp))).toBe(false);
  });
});

describe.runIf(hasShared)('new fields from recorded all-field captures (units in cells, hex masks, [N/A], [Not Supported])', () => {
  const once = async (capture: string) =>
    (JSON.parse((await runMonitor(['--once', '--json'], fakeEnv(projectRows(readSmiFixture(capture))))).stdout) as { gpus: Record<string, unknown>[] }).gpus[0]!;

  it('H100 idle (driver 590): P0, clocks, the idle clock event reason, ECC on with no errors', async () => {
    expect(await once('query-gpu-all__h100_590.48.01_idle.csv.txt')).toMatchObject({
      performanceState: 'P0',
      clocks: { smMHz: 345, memoryMHz: 2619, smMaxMHz: 1980, memoryMaxMHz: 2619 },
      clockEventReasons: { activeMask: 1, active: ['gpu_idle'] },
      ecc: { enabled: true, correctedVolatile: 0, uncorrectedVolatile: 0, correctedAggregate: 0, uncorrectedAggregate: 0, remappedRowsCorrectable: 0, remappedRowsUncorrectable: 0, remapFailure: false },
    });
  });

  it('H100 MIG: remapped rows [N/A] are unknown, the other ECC counts are read', async () => {
    expect(await once('query-gpu-all__h100-mig_590.48.01_load.csv.txt')).toMatchObject({
      ecc: { enabled: true, correctedVolatile: 0, remappedRowsCorrectable: null, remapFailure: null },
      clockEventReasons: { activeMask: 0, active: [] },
    });
  });

  it('consumer cards (driver 595 and 610, [N/A] and [Not Supported]): no ECC, P2, clocks known', async () => {
    for (const capture of ['query-gpu-all__rtx4080super_595.71.05_load.csv.txt', 'query-gpu-all__rtx2080super_610.57.04_load.csv.txt']) {
      const gpu = await once(capture);
      expect(gpu).toMatchObject({ performanceState: 'P2', ecc: { enabled: null, correctedVolatile: null, uncorrectedAggregate: null, remapFailure: null } });
      expect((gpu.clocks as { smMHz: number }).smMHz).toBeGreaterThan(2000);
    }
  });
});
