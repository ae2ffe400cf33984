// The built script over time: the -lms stream (header once, header mid-stream, dead and hung nvidia-smi),
// the live view, --log then --plot, and /metrics scraped over loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GPU_QUERY_FIELDS } from '../../../shared/tools/lib/gpu-query.js';
import { installFakeSmi, type FakeSmiRule } from '../../support/fake-nvidia-smi.js';
import { hasShared, readSmiFixture } from '../../support/shared-fixtures.js';
import { useTempDir } from '../../support/tmp.js';
import { fakePath, headerFor, jsonLines, ownFixture, projectApps, projectRows, runMonitor, startMonitor } from './helpers.js';
import { checkSvg } from './svg.js';

const tempDir = useTempDir('gpu-monitor-stream-');
const TRAINING = () => projectRows(ownFixture('query-gpu_h100-x8_train.csv'));
const HEADER = headerFor();

function fake(rules: FakeSmiRule[]): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const bin = join(tempDir(), 'bin');
  installFakeSmi(bin, rules);
  return { env: { PATH: fakePath(bin) }, calls: () => readFileSync(join(bin, 'nvidia-smi.calls.log'), 'utf8').trim().split('\n') };
}

/** One-shot query, process query, and the -lms stream as given. */
function streaming(stream: Omit<FakeSmiRule, 'match'>, apps = ''): FakeSmiRule[] {
  return [
    { match: ['--query-gpu', '-lms'], ...stream },
    { match: ['--query-gpu'], stdout: TRAINING() },
    { match: ['--query-compute-apps'], stdout: apps },
  ];
}

type Snapshot = { gpus: { index: number; temperatureC: number | null; utilizationGpuPercent: number | null }[]; processes: unknown[] | null };
type ErrorLine = { timestamp: string; error: { message: string } };
const snapshots = (stdout: string) => (jsonLines(stdout) as (Snapshot | ErrorLine)[]).filter((line): line is Snapshot => !('error' in line));
const errors = (stdout: string) => (jsonLines(stdout) as (Snapshot | ErrorLine)[]).filter((line): line is ErrorLine => 'error' in line).map((line) => line.error.message);

describe('--watch --json over the -lms stream', () => {
  it('reads one long-lived nvidia-smi: header once, then one object per sample', async () => {
    const smi = fake(streaming({ stdout: HEADER + TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } }));
    const run = await runMonitor(['--watch', '--json', '--interval', '0.2', '--count', '3'], smi.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout) as Snapshot[];
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const streams = smi.calls().filter((c) => c.includes('-lms'));
    expect(streams).toEqual([`--query-gpu=${GPU_QUERY_FIELDS.join(',')} --format=csv,noheader,nounits -lms 200`]);
  });

  it('tolerates a header line in the middle of the stream', async () => {
    const smi = fake(streaming({ stdout: HEADER + TRAINING(), repeat: { text: `${HEADER}${TRAINING()}\n`, everyMs: 100 } }));
    const run = await runMonitor(['--watch', '--json', '--interval', '0.2', '--count', '4'], smi.env);
    expect(run.stderr).toBe('');
    expect((jsonLines(run.stdout) as Snapshot[]).map((s) => s.gpus.length)).toEqual([8, 8, 8, 8]);
  });

  it.runIf(hasShared)('replays the recorded -lms stream row by row', async () => {
    const rows = projectRows(readSmiFixture('stream__lms-query-gpu-csv_24gb-gpu.csv.txt'), GPU_QUERY_FIELDS, { index: '0', uuid: 'GPU-stream' });
    const smi = fake([
      { match: ['--query-gpu', '-lms'], stdout: HEADER + rows, repeat: { text: '', everyMs: 1000 } },
      { match: ['--query-gpu'], stdout: rows.split('\n')[0]! },
      { match: ['--query-compute-apps'], stdout: '' },
    ]);
    const run = await runMonitor(['--watch', '--json', '--count', '5'], smi.env);
    const samples = jsonLines(run.stdout) as Snapshot[];
    expect(samples.map((s) => s.gpus[0]!.temperatureC)).toEqual([25, 24, 23, 26, 25]);
    expect(samples.every((s) => s.gpus[0]!.utilizationGpuPercent === 0)).toBe(true);
  });

  it('reports a dead nvidia-smi with what it printed, restarts it, and keeps sampling', async () => {
    const lost = 'Unable to determine the device handle for GPU 0000:18:00.0: GPU is lost.  Reboot the system to recover this GPU';
    const smi = fake(streaming({ stdout: TRAINING(), stderr: `${lost}\n`, exitCode: 15 }));
    const run = await runMonitor(['--watch', '--json', '--interval', '0.2', '--count', '3'], smi.env);
    expect(run.code).toBe(0);
    expect(snapshots(run.stdout)).toHaveLength(3);
    expect(run.stderr).toContain(`gpu_monitor: nvidia-smi stream ended (exit code 15: ${lost}); retrying in 0.5 s\n`);
    // The same problem as a JSON line among the samples, for a script reading stdout.
    expect(errors(run.stdout)).toContain(`nvidia-smi stream ended (exit code 15: ${lost}); retrying in 0.5 s`);
    expect(smi.calls().filter((c) => c.includes('-lms')).length).toBeGreaterThanOrEqual(3);
  });

  it('reports a GPU whose row is replaced by an error once, and keeps sampling the others', async () => {
    const lost = 'Unable to determine the device handle for GPU 0000:88:00.0: GPU is lost.  Reboot the system to recover this GPU';
    const tick = `${TRAINING().split('\n').slice(0, 7).join('\n')}\n${lost}\n`;
    const smi = fake(streaming({ stdout: tick, repeat: { text: tick, everyMs: 100 } }));
    const run = await runMonitor(['--watch', '--json', '--interval', '0.2', '--count', '3'], smi.env);
    expect(run.code).toBe(0);
    expect(snapshots(run.stdout).map((s) => s.gpus.length)).toEqual([7, 7, 7]);
    expect(run.stderr).toBe(`gpu_monitor: nvidia-smi printed instead of a row: ${lost}\n`);
    expect(errors(run.stdout)).toEqual([`nvidia-smi printed instead of a row: ${lost}`]);
  });

  it('asks for the process list again only when GPU memory moves (or the list is old)', async () => {
    const steady = fake(streaming({ stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } }));
    await runMonitor(['--watch', '--json', '--interval', '0.1', '--processes-every', '0.1', '--count', '8'], steady.env);
    expect(steady.calls().filter((c) => c.startsWith('--query-compute-apps'))).toHaveLength(1);
    const grown = projectRows(ownFixture('query-gpu_h100-x8_train.csv'), GPU_QUERY_FIELDS, { 'memory.used': '1000' });
    const moving = fake(streaming({ stdout: TRAINING(), repeat: { text: `${grown}${TRAINING()}`, everyMs: 200 } }));
    await runMonitor(['--watch', '--json', '--interval', '0.1', '--processes-every', '0.1', '--count', '8'], moving.env);
    expect(moving.calls().filter((c) => c.startsWith('--query-compute-apps')).length).toBeGreaterThan(1);
  });

  it('detects a hung nvidia-smi (no sample within the stall limit), kills and restarts it', async () => {
    const smi = fake(streaming({ stdout: TRAINING(), repeat: { text: '', everyMs: 1000 } }));
    const run = await runMonitor(['--watch', '--json', '--interval', '0.2', '--timeout', '0.5', '--count', '2'], smi.env);
    expect(run.code).toBe(0);
    expect(snapshots(run.stdout)).toHaveLength(2);
    expect(errors(run.stdout)[0]).toMatch(/^nvidia-smi stopped answering: no sample for/);
    expect(run.stderr).toMatch(/^gpu_monitor: nvidia-smi stopped answering: no sample for [\d.]+ s \(the driver may be hung; check dmesg for Xid errors\); restarting it$/m);
    expect(smi.calls().filter((c) => c.includes('-lms')).length).toBeGreaterThanOrEqual(2);
  });

  it('writes --log while watching; --plot draws it as an SVG with a panel per GPU', async () => {
    const dir = tempDir();
    const log = join(dir, 'run.csv');
    const smi = fake(streaming({ stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } }));
    const run = await runMonitor(['--watch', '--json', '--interval', '0.2', '--count', '3', '--log', log], smi.env);
    expect(run.code).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1 + 3 * 8);
    const plot = await runMonitor(['--plot', log, '-o', join(dir, 'run.svg')], smi.env);
    expect(plot.code).toBe(0);
    expect(plot.stdout).toMatch(/^wrote .*run\.svg: 8 GPUs, 24 rows over \d+s\n$/);
    const svg = checkSvg(readFileSync(join(dir, 'run.svg'), 'utf8'));
    for (let gpu = 0; gpu < 8; gpu += 1) {
      for (const series of ['util', 'memory']) {
        expect(svg.polylines.filter((p) => p.gpu === String(gpu) && p.series === series).map((p) => p.points.length)).toEqual([3]);
      }
    }
  });
});

describe('--log and --plot never write through a symbolic link or into a non-file', () => {
  it('--plot -o a symbolic link: refused, its target untouched', async () => {
    const dir = tempDir();
    const log = join(dir, 'run.csv');
    const smi = fake(streaming({ stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } }));
    expect((await runMonitor(['--watch', '--json', '--interval', '0.2', '--count', '1', '--log', log], smi.env)).code).toBe(0);
    writeFileSync(join(dir, 'notes.txt'), 'keep me\n');
    symlinkSync(join(dir, 'notes.txt'), join(dir, 'run.svg'));
    const plot = await runMonitor(['--plot', log], smi.env);
    expect(plot.code).toBe(2);
    expect(plot.stderr).toBe(`gpu_monitor: ${join(dir, 'run.svg')} is a symbolic link; it is not followed\n  name another file: -o FILE.svg\n`);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n');
  });

  it('--log a symbolic link, even one to nothing yet: refused, nothing created', async () => {
    const dir = tempDir();
    symlinkSync(join(dir, 'elsewhere.csv'), join(dir, 'run.csv'));
    const smi = fake(streaming({ stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } }));
    const run = await runMonitor(['--watch', '--json', '--count', '1', '--log', join(dir, 'run.csv')], smi.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`gpu_monitor: ${join(dir, 'run.csv')} is a symbolic link; it is not followed\n  name another file: --log FILE.csv\n`);
    expect(existsSync(join(dir, 'elsewhere.csv'))).toBe(false);
  });
});

describe('the live view', () => {
  const sleepers: ChildProcess[] = [];
  afterEach(() => {
    for (const child of sleepers.splice(0)) child.kill('SIGKILL');
  });

  it('shows GPUs, their processes with commands from /proc, and the ML processes on the host, as plain text when piped', async () => {
    const dir = tempDir();
    const python = join(dir, 'python3');
    copyFileSync('/bin/sleep', python);
    const sleeper = spawn(python, ['30'], { stdio: 'ignore' });
    sleepers.push(sleeper);
    const apps = `GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e60, ${sleeper.pid}, ${python}, 1234\n${projectApps(ownFixture('compute-apps_h100-x8_train.csv'))}`;
    const smi = fake(streaming({ stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } }, apps));
    const run = await runMonitor(['--interval', '0.2', '--count', '2'], smi.env);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b');
    // Frames with GPU data: one per sample (a slow start may add frames that show only host processes).
    const frames = run.stdout.split(/^(?=gpu_monitor · )/m).filter((frame) => frame.startsWith('gpu_monitor · nvidia-smi · 8 GPUs'));
    expect(frames).toHaveLength(2);
    const last = frames[1]!;
    expect(last).toMatch(/^gpu_monitor · nvidia-smi · 8 GPUs · every 0\.2 s · \d\d:\d\d:\d\d$/m);
    expect(last).toMatch(/util history [▁-█]{2} {2}last 0\.4 s/);
    expect(last).toMatch(new RegExp(`pid +${sleeper.pid} +\\S+ +1\\.2 GiB +${python} 30`));
    expect(last).toMatch(new RegExp(`^ +${sleeper.pid} +\\S+ +\\d+\\.\\d +[\\d.]+ [KM]iB +0 +${python} 30$`, 'm'));
  });

  it('keeps showing host processes when nvidia-smi is missing, and quits cleanly on Ctrl-C', async () => {
    const empty = tempDir();
    const monitor = startMonitor(['--interval', '0.2'], { PATH: fakePath(empty) });
    const out = await monitor.waitForStdout(/ML processes on this host/);
    expect(out).toContain('gpu_monitor · no GPU data · every 0.2 s');
    expect(out).toContain('! no GPU tool found: neither nvidia-smi nor rocm-smi is on PATH');
    const end = await monitor.stop();
    expect(end.code).toBe(0);
    expect(end.stderr).toBe('');
  });

  it('shows the driver failure (exit 9) as a banner and keeps running', async () => {
    const smi = fake([{ match: [], stdout: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", exitCode: 9 }]);
    const monitor = startMonitor(['--interval', '0.2'], smi.env);
    // A frame drawn before the first nvidia-smi call has failed (a loaded machine) shows no banner yet: wait for it.
    const out = await monitor.waitForStdout(/^! nvidia-smi cannot reach[^]*ML processes on this host/m);
    expect(out).toMatch(/^! nvidia-smi cannot reach the NVIDIA driver .*: check that the driver is loaded \(lsmod \| grep nvidia\) and matches the installed version \(trying again in 5 s\)$/m);
    expect((await monitor.stop()).code).toBe(0);
  });
});

async function scrape(url: string): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

describe('--prometheus', () => {
  it('serves dcgm-exporter style /metrics on loopback and prints the bound address', async () => {
    const dir = tempDir();
    const smi = fake(streaming({ stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } }));
    const monitor = startMonitor(['--prometheus', '0', '--interval', '0.2', '--log', join(dir, 'm.csv')], smi.env);
    const out = await monitor.waitForStdout(/serving Prometheus metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)\n/);
    const url = /serving Prometheus metrics at (\S+)/.exec(out)![1]!;
    let metrics = await scrape(url);
    for (let attempt = 0; attempt < 100 && !metrics.body.includes('DCGM_FI_DEV_GPU_UTIL'); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      metrics = await scrape(url);
    }
    expect(metrics.status).toBe(200);
    expect(metrics.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metrics.body.match(/^DCGM_FI_DEV_GPU_UTIL\{/gm)).toHaveLength(8);
    expect(metrics.body).toMatch(/^DCGM_FI_DEV_FB_USED\{gpu="7",UUID="GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e67",device="nvidia7",modelName="NVIDIA H100 80GB HBM3",Hostname="[^"]+",pci_bus_id="00000000:88:00.0"\} 58071$/m);
    expect(metrics.body).toContain('gpu_monitor_up{source="nvidia-smi"} 1');
    expect((await scrape(url.replace('/metrics', '/other'))).status).toBe(404);
    const end = await monitor.stop();
    expect(end.code).toBe(0);
    expect(readFileSync(join(dir, 'm.csv'), 'utf8').split('\n').length).toBeGreaterThan(8);
  });

  it('labels the series with NODE_NAME as Hostname when it is set, as dcgm-exporter does (a pod\'s own host name is the pod\'s)', async () => {
    const smi = fake(streaming({ stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } }));
    const monitor = startMonitor(['--prometheus', '0', '--interval', '0.2'], { ...smi.env, NODE_NAME: 'gpu-node-7' });
    const out = await monitor.waitForStdout(/serving Prometheus metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)\n/);
    const url = /serving Prometheus metrics at (\S+)/.exec(out)![1]!;
    let metrics = await scrape(url);
    for (let attempt = 0; attempt < 100 && !metrics.body.includes('DCGM_FI_DEV_GPU_UTIL'); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      metrics = await scrape(url);
    }
    const hostnames = new Set([...metrics.body.matchAll(/Hostname="([^"]*)"/g)].map((m) => m[1]));
    expect([...hostnames]).toEqual(['gpu-node-7']);
    expect((await monitor.stop()).code).toBe(0);
  });

  it('never asks nvidia-smi for the process list, which the metrics do not include', async () => {
    const smi = fake(streaming({ stdout: TRAINING(), repeat: { text: TRAINING(), everyMs: 100 } }));
    const run = await runMonitor(['--prometheus', '0', '--interval', '0.2', '--processes-every', '0.1', '--count', '4'], smi.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/serving Prometheus metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(smi.calls().filter((c) => c.includes('-lms'))).toHaveLength(1);
    expect(smi.calls().filter((c) => c.includes('--query-compute-apps'))).toEqual([]);
  });

  it('a --host that is not an address of this machine: the line names the address, not the port', async () => {
    for (const host of ['no-such-host.invalid', '192.0.2.1']) {
      const run = await runMonitor(['--prometheus', '0', '--host', host], fake(streaming({ stdout: TRAINING() })).env);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`gpu_monitor: cannot serve metrics on ${host}:0: ${host} is not an address of this machine\n  --host 127.0.0.1 (the default), 0.0.0.0 for every interface, or one of this machine's addresses\n`);
    }
  });

  it('a port already in use: one line, exit code 2', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = await runMonitor(['--prometheus', String(port)], fake(streaming({ stdout: TRAINING() })).env);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`gpu_monitor: cannot serve metrics on 127.0.0.1:${port}: the port is already in use\n  choose another port: --prometheus PORT (0 picks a free one)\n`);
    } finally {
      busy.close();
    }
  });
});
