// The built script, run the way users run it, against a fake nvidia-smi/rocm-smi on PATH: --once, failures, help.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GPU_QUERY_FIELDS, queryGpus } from '../../../shared/tools/lib/gpu-query.js';
import { installFakeSmi, type FakeSmiRule } from '../../support/fake-nvidia-smi.js';
import { hasShared, readSmiFixture } from '../../support/shared-fixtures.js';
import { useTempDir } from '../../support/tmp.js';
import { fakePath, ownFixture, projectApps, projectRows, runMonitor } from './helpers.js';

const tempDir = useTempDir('gpu-monitor-e2e-');

const TRAINING = () => projectRows(ownFixture('query-gpu_h100-x8_train.csv'));
const TRAINING_APPS = () => projectApps(ownFixture('compute-apps_h100-x8_train.csv'));
const DRIVER_DOWN =
  "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n";

function fake(rules: FakeSmiRule[], name = 'nvidia-smi'): { env: NodeJS.ProcessEnv; calls: () => string[]; bin: string } {
  const bin = join(tempDir(), 'bin');
  installFakeSmi(bin, rules, name);
  return {
    bin,
    env: { PATH: fakePath(bin), HOME: process.env.HOME },
    calls: () => {
      try {
        return readFileSync(join(bin, `${name}.calls.log`), 'utf8').trim().split('\n');
      } catch {
        return [];
      }
    },
  };
}

const gpuAnd = (stdout: string, apps: string | { exitCode: number; delayMs?: number; stdout?: string } = ''): FakeSmiRule[] => [
  { match: ['--query-gpu'], stdout },
  typeof apps === 'string' ? { match: ['--query-compute-apps'], stdout: apps } : { match: ['--query-compute-apps'], ...apps },
];

describe('--once', () => {
  it('--json prints one object with every GPU and process, from one query of each kind', async () => {
    const smi = fake(gpuAnd(TRAINING(), TRAINING_APPS()));
    const run = await runMonitor(['--once', '--json'], smi.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { source: string; timestamp: string; gpus: Record<string, unknown>[]; processes: Record<string, unknown>[] };
    expect(json.source).toBe('nvidia-smi');
    expect(Number.isNaN(Date.parse(json.timestamp))).toBe(false);
    expect(json.gpus).toHaveLength(8);
    expect(json.gpus[7]).toMatchObject({
      index: 7,
      uuid: 'GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e67',
      name: 'NVIDIA H100 80GB HBM3',
      utilizationGpuPercent: 0,
      utilizationMemoryPercent: 0,
      memoryUsedMiB: 58071,
      memoryTotalMiB: 81559,
      temperatureC: 38,
      powerDrawW: 118.62,
      powerLimitW: 700,
      performanceState: 'P0',
      clocks: { smMHz: 345, memoryMHz: 2619, smMaxMHz: 1980, memoryMaxMHz: 2619 },
      clockEventReasons: { activeMask: 1, active: ['gpu_idle'] },
      ecc: { enabled: true, correctedVolatile: 0, uncorrectedVolatile: 0 },
    });
    expect(json.processes).toHaveLength(9);
    expect(json.processes.find((p) => p.pid === 1758887)).toEqual({ pid: 1758887, gpuIndex: 7, gpuUuid: 'GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e67', usedMemoryMiB: 58060, name: null, command: null });
    const calls = smi.calls();
    expect(calls.filter((c) => c.startsWith('--query-gpu='))).toEqual([`--query-gpu=${GPU_QUERY_FIELDS.join(',')} --format=csv,noheader,nounits`]);
    expect(calls.filter((c) => c.startsWith('--query-compute-apps='))).toHaveLength(1);
  });

  it('prints plain text with bars, processes and warnings, and no escape codes', async () => {
    const run = await runMonitor(['--once'], fake(gpuAnd(TRAINING(), TRAINING_APPS())).env);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stdout).toMatch(/^gpu_monitor · nvidia-smi · 8 GPUs · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m);
    expect(run.stdout).toMatch(/^GPU 7 {2}NVIDIA H100 80GB HBM3 {3}38 °C {3}119 \/ 700 W$/m);
    expect(run.stdout).toContain('[Not Found]: a PID from another PID namespace (container)');
    expect(run.stdout).toContain('ML processes on this host');
    expect(run.stdout).toContain('! GPU 4 memory 97% full (77.2 GiB of 79.6 GiB): the next allocation may fail with out-of-memory');
    expect(run.stdout).toContain('! GPU 5 thermal slowdown active at 84 °C');
  });

  it('reads [N/A]-style cells as null, never 0', async () => {
    const run = await runMonitor(['--once', '--json'], fake(gpuAnd(projectRows(ownFixture('query-gpu_na-fields.csv')))).env);
    const json = JSON.parse(run.stdout) as { gpus: Record<string, unknown>[]; processes: unknown[] };
    expect(json.gpus[0]).toMatchObject({ utilizationGpuPercent: null, memoryUsedMiB: 0, powerDrawW: null, powerLimitW: null });
    expect(json.gpus[1]).toMatchObject({ utilizationGpuPercent: null, utilizationMemoryPercent: null, memoryUsedMiB: null, temperatureC: null });
    expect(json.processes).toEqual([]);
  });

  it('appends the snapshot to --log', async () => {
    const log = join(tempDir(), 'once.csv');
    const run = await runMonitor(['--once', '--log', log], fake(gpuAnd(TRAINING())).env);
    expect(run.code).toBe(0);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[8]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,7,0,0,58071,81559,38,118.62,700$/);
  });

  it('asks for the processes while the GPUs are being read, not after', async () => {
    // The GPU query answers only once the process query has started: asked one after the other, it would time out.
    const smi = fake([
      { match: ['--query-gpu'], stdout: TRAINING(), afterCall: '--query-compute-apps' },
      { match: ['--query-compute-apps'], stdout: TRAINING_APPS() },
    ]);
    const run = await runMonitor(['--once', '--json', '--timeout', '3'], smi.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { processes: unknown[] }).processes).toHaveLength(9);
  });

  it('says the processes are unknown (null) when only the process query fails', async () => {
    const run = await runMonitor(['--once', '--json', '--timeout', '0.5'], fake(gpuAnd(TRAINING(), { exitCode: 0, delayMs: 10_000 })).env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ processes: null });
    expect(run.stderr).toBe('gpu_monitor: processes unknown: nvidia-smi did not answer within 0.5 s: the driver may be hung; check dmesg for Xid errors\n');
  });
});

describe('--once: ML processes on this host', () => {
  const sleepers: ChildProcess[] = [];
  afterEach(() => {
    for (const child of sleepers.splice(0)) child.kill('SIGKILL');
  });

  it('shows every GPU a process holds (one PID on GPUs 0 and 1: "0,1")', async () => {
    const dir = tempDir();
    const python = join(dir, 'python3');
    copyFileSync('/bin/sleep', python);
    const sleeper = spawn(python, ['30'], { stdio: 'ignore' });
    sleepers.push(sleeper);
    const apps = [0, 1].map((gpu) => `GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e6${gpu}, ${sleeper.pid}, ${python}, 1234\n`).join('');
    const run = await runMonitor(['--once', '--top', '1000'], fake(gpuAnd(TRAINING(), apps)).env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^ +${sleeper.pid} +\\S+ +[\\d.]+\\*? +[\\d.]+ [KM]iB +0,1 +${python} 30$`, 'm'));
  });
});

describe('--once when nvidia-smi cannot answer', () => {
  it('exit 9 (driver unreachable): one line, exit code 2', async () => {
    const run = await runMonitor(['--once'], fake([{ match: [], stdout: DRIVER_DOWN, stderr: DRIVER_DOWN, exitCode: 9 }]).env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "gpu_monitor: nvidia-smi cannot reach the NVIDIA driver (NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.): check that the driver is loaded (lsmod | grep nvidia) and matches the installed version\n",
    );
  });

  it.runIf(hasShared)('driver/library version mismatch (recorded): exit code 2', async () => {
    const text = readSmiFixture('error__nvml-driver-library-mismatch_470.txt');
    const run = await runMonitor(['--once', '--json'], fake([{ match: [], stdout: text, exitCode: 18 }]).env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^gpu_monitor: nvidia-smi cannot reach the NVIDIA driver \(Failed to initialize NVML: Driver\/library version mismatch/);
  });

  it('a hung nvidia-smi is killed at the timeout: exit code 1', async () => {
    const run = await runMonitor(['--once', '--timeout', '0.5'], fake([{ match: [], stdout: 'late\n', delayMs: 30_000 }]).env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('gpu_monitor: nvidia-smi did not answer within 0.5 s: the driver may be hung; check dmesg for Xid errors\n');
  });

  it('an optional field the driver rejects is dropped and the query asked again', async () => {
    const without = GPU_QUERY_FIELDS.filter((f) => f !== 'temperature.gpu.tlimit');
    const smi = fake([
      { match: ['temperature.gpu.tlimit'], stdout: 'Field "temperature.gpu.tlimit" is not a valid field to query.\n\n', exitCode: 2 },
      { match: [`--query-gpu=${without.join(',')} `], stdout: projectRows(ownFixture('query-gpu_h100-x8_train.csv'), without) },
      { match: ['--query-compute-apps'], stdout: '' },
    ]);
    const run = await runMonitor(['--once', '--json'], smi.env);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { gpus: unknown[] }).gpus).toHaveLength(8);
    expect(smi.calls().filter((c) => c.startsWith('--query-gpu='))).toHaveLength(2);
  });

  it('a required field the driver rejects: one line, exit code 2', async () => {
    const run = await runMonitor(['--once'], fake([{ match: ['--query-gpu'], stdout: 'Field "power.limit" is not a valid field to query.\n', exitCode: 2 }]).env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'gpu_monitor: nvidia-smi rejected a query field (Field "power.limit" is not a valid field to query.): the driver is older than the fields this tool asks for\n',
    );
  });

  it('with neither nvidia-smi nor rocm-smi on PATH: one line, exit code 2', async () => {
    const empty = join(tempDir(), 'empty-bin');
    mkdirSync(empty);
    const run = await runMonitor(['--once', '--json'], { PATH: fakePath(empty) });
    expect(run.code).toBe(2);
    // With --json the failure is also an object on stdout, for the script that reads it.
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { message: 'no GPU tool found: neither nvidia-smi nor rocm-smi is on PATH; install the NVIDIA driver (it ships nvidia-smi) or ROCm, or add its bin directory to PATH', exitCode: 2 },
    });
    expect(run.stderr).toBe(
      'gpu_monitor: no GPU tool found: neither nvidia-smi nor rocm-smi is on PATH; install the NVIDIA driver (it ships nvidia-smi) or ROCm, or add its bin directory to PATH\n',
    );
  });
});

describe('rocm-smi instead of nvidia-smi', () => {
  it('reads AMD GPUs from rocm-smi --json in the same JSON shape', async () => {
    const smi = fake([{ match: ['--json'], stdout: ownFixture('rocm-smi_mi300x-x2.json') }], 'rocm-smi');
    const run = await runMonitor(['--once', '--json'], smi.env);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { source: string; gpus: Record<string, unknown>[]; processes: unknown };
    expect(json.source).toBe('rocm-smi');
    expect(json.gpus[0]).toMatchObject({
      index: 0,
      uuid: '0x9f3c2a1b4d5e6f70',
      name: 'AMD Instinct MI300X',
      utilizationGpuPercent: 93,
      utilizationMemoryPercent: 38,
      memoryUsedMiB: Math.round(146028888064 / 2 ** 20),
      memoryTotalMiB: Math.round(205822885888 / 2 ** 20),
      temperatureC: 61,
      powerDrawW: 512,
      powerLimitW: 750,
    });
    expect(json.processes).toBeNull();
    expect(smi.calls()[0]).toContain('--showuse');
  });

  it.runIf(hasShared)('reads the recorded 4x MI100 answer', async () => {
    const run = await runMonitor(['--once'], fake([{ match: ['--json'], stdout: readSmiFixture('rocm-smi__json_mi100_rocm602.json.txt') }], 'rocm-smi').env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^gpu_monitor · rocm-smi · 4 GPUs/);
    expect(run.stdout).toContain('GPU 3  Arcturus GL-XL [Instinct MI100]');
    expect(run.stdout).toContain('per-process GPU use is not read from rocm-smi');
  });
});

describe.runIf(hasShared)('recorded MIG and Windows captures, end to end', () => {
  it('MIG: utilisation unknown and said so; processes on the parent GPU', async () => {
    const rules = gpuAnd(projectRows(readSmiFixture('query-gpu-all__h100-mig_590.48.01_load.csv.txt')), projectApps(readSmiFixture('compute-apps__h100-mig_590.48.01_load.csv.txt')));
    const json = JSON.parse((await runMonitor(['--once', '--json'], fake(rules).env)).stdout) as { gpus: Record<string, unknown>[]; processes: Record<string, unknown>[] };
    expect(json.gpus[0]).toMatchObject({ utilizationGpuPercent: null, utilizationMemoryPercent: null, memoryUsedMiB: 11125 });
    expect(json.processes.map((p) => [p.gpuIndex, p.usedMemoryMiB])).toEqual([[0, 2296], [0, 1272], [0, 7484]]);
    const text = (await runMonitor(['--once'], fake(rules).env)).stdout;
    expect(text).toContain('MIG mode: nvidia-smi reports no whole-GPU utilisation ([N/A])');
    expect(text).toMatch(/util \?+ +unknown/);
  });

  it('Windows WDDM: per-process memory unknown and said so', async () => {
    const rules = gpuAnd(projectRows(readSmiFixture('query-gpu-all__rtx2080super-windows_591.86_load.csv.txt')), projectApps(readSmiFixture('compute-apps__rtx2080super-windows_591.86_load.csv.txt')));
    const json = JSON.parse((await runMonitor(['--once', '--json'], fake(rules).env)).stdout) as { processes: Record<string, unknown>[] };
    expect(json.processes).toHaveLength(12);
    expect(json.processes.every((p) => p.usedMemoryMiB === null && p.gpuIndex === 0)).toBe(true);
    expect((await runMonitor(['--once'], fake(rules).env)).stdout).toContain('WDDM driver model: per-process GPU memory is not reported ([N/A])');
  });
});

describe('queryGpus field probing (lib)', () => {
  it('asks --help-query-gpu which fields exist when the error does not name one', async () => {
    const without = GPU_QUERY_FIELDS.filter((f) => f !== 'temperature.memory');
    const help = GPU_QUERY_FIELDS.filter((f) => f !== 'temperature.memory').map((f) => `"${f}"\nSomething about it.\n`).join('\n');
    const smi = fake([
      { match: ['--help-query-gpu'], stdout: help },
      { match: [`--query-gpu=${without.join(',')} `], stdout: projectRows(ownFixture('query-gpu_h100-x8_train.csv'), without) },
      { match: ['--query-gpu'], stdout: 'Field is not a valid field to query.\n', exitCode: 2 },
    ]);
    const result = await queryGpus({ command: join(smi.bin, 'nvidia-smi'), timeoutMs: 5000 });
    expect(result.ok && result.fields).toEqual(without);
    expect(result.ok && result.gpus).toHaveLength(8);
  });
});

describe('help and usage', () => {
  it('--help lists every option with an example', async () => {
    const run = await runMonitor(['--help'], { PATH: fakePath(tempDir()) });
    expect(run.code).toBe(0);
    for (const option of ['--once', '--json', '--watch', '--interval', '--count', '--log', '--plot', '--output', '--prometheus', '--host', '--processes-every', '--top', '--timeout', '--gpus', '--compact', '--cluster-config', '--out', '--port', '--nodes']) {
      expect(run.stdout).toContain(option);
    }
    for (const example of ['gpu_monitor --once --json', 'gpu_monitor --log run.csv', 'gpu_monitor --plot run.csv -o run.svg', 'gpu_monitor --prometheus 9400', 'gpu_monitor --gpus 0,3', 'gpu_monitor --cluster-config all --out monitoring']) expect(run.stdout).toContain(example);
  });

  it('bad input: one line and a hint, exit code 2, no stack trace', async () => {
    const run = await runMonitor(['--interval', 'soon'], { PATH: fakePath(tempDir()) });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("gpu_monitor: --interval must be a number between 0.1 and 3600, got 'soon'\n");
    const plot = await runMonitor(['--plot', join(tempDir(), 'nope.csv')], { PATH: fakePath(tempDir()) });
    expect(plot.code).toBe(2);
    expect(plot.stderr).toMatch(/^gpu_monitor: cannot read .*nope\.csv: no such file\n {2}record a log first: gpu_monitor --log run\.csv\n$/);
  });
});
