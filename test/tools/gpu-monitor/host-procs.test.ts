// Host ML processes from a /proc tree written by the test (deterministic clock and CPU ticks).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostScanner, gpuIndicesByPid, isMlProcess, joinGpuProcesses, mlCandidate, sameProgram } from '../../../shared/tools/gpu-monitor/host-procs.js';
import { emptyReading } from '../../../shared/tools/lib/gpu-query.js';
import { clockTicksPerSecond } from '../../../shared/tools/lib/proc.js';
import { useTempDir } from '../../support/tmp.js';

const hz = clockTicksPerSecond();
const tempDir = useTempDir('gpu-monitor-proc-');

interface FakeProcess {
  pid: number;
  comm: string;
  argv: string[];
  cpuTicks: number;
  startTicks: number;
  rssPages?: number;
}

function writeProcess(root: string, p: FakeProcess): void {
  mkdirSync(join(root, String(p.pid)), { recursive: true });
  const utime = Math.floor(p.cpuTicks / 2);
  const stime = p.cpuTicks - utime;
  // fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime prio nice threads itreal starttime vsize rss
  const stat = `${p.pid} (${p.comm}) S 1 ${p.pid} ${p.pid} 0 -1 4194304 100 0 0 0 ${utime} ${stime} 0 0 20 0 4 0 ${p.startTicks} 1000000 ${p.rssPages ?? 256} 0 0 0`;
  writeFileSync(join(root, String(p.pid), 'stat'), stat);
  writeFileSync(join(root, String(p.pid), 'cmdline'), p.argv.length ? `${p.argv.join('\0')}\0` : '');
}

function fakeProc(processes: FakeProcess[], uptimeSeconds = 1000): string {
  const root = join(tempDir(), 'proc');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'uptime'), `${uptimeSeconds.toFixed(2)} 100.00\n`);
  for (const p of processes) writeProcess(root, p);
  return root;
}

describe('isMlProcess', () => {
  it('recognises interpreters, notebooks and launchers', () => {
    expect(isMlProcess(['/usr/bin/python3.11', 'train.py'], 'python3.11')).toBe(true);
    expect(isMlProcess(['python', '-m', 'ipykernel_launcher', '-f', 'k.json'], 'python')).toBe(true);
    expect(isMlProcess(['/opt/conda/bin/torchrun', '--nproc-per-node=8', 'train.py'], 'torchrun')).toBe(true);
    expect(isMlProcess(['/usr/bin/env', 'deepspeed', 'train.py'], 'env')).toBe(true);
    expect(isMlProcess(['/opt/conda/bin/python', 'x.py'], 'pt_main_thread')).toBe(true);
    expect(isMlProcess(['/usr/bin/bash'], 'bash')).toBe(false);
    expect(isMlProcess(['/usr/sbin/sshd', '-D'], 'sshd')).toBe(false);
    expect(isMlProcess([], 'kworker/0:1')).toBe(false);
  });

  it('reads argv only for candidates: ML names, shebang scripts (comm = script name), names cut at 15 characters', () => {
    expect(['python3', 'torchrun', 'train.py', 'text-generation-'].map(mlCandidate)).toEqual([true, true, true, true]);
    expect(['bash', 'sshd', 'node', 'kworker/0:1'].map(mlCandidate)).toEqual([false, false, false, false]);
    expect(isMlProcess(['/usr/bin/python3', './train.py'], 'train.py')).toBe(true);
  });
});

describe('HostScanner', () => {
  it('measures CPU% over the interval between two passes, and RSS', () => {
    let now = 0;
    const root = fakeProc([
      { pid: 100, comm: 'python3', argv: ['python3', 'train.py'], cpuTicks: 100, startTicks: 900 * hz, rssPages: 1000 },
      { pid: 200, comm: 'bash', argv: ['bash'], cpuTicks: 5, startTicks: 10 * hz },
    ]);
    const scanner = new HostScanner({ root, now: () => now, passwdPath: join(root, 'no-passwd') });
    scanner.scan();
    const first = scanner.mlProcesses();
    expect(first.map((p) => p.pid)).toEqual([100]);
    // Seen once: average since start = 1 s of CPU over (1000 - 900) s.
    expect(first[0]).toMatchObject({ cpuBasis: 'lifetime', command: 'python3 train.py' });
    expect(first[0]!.cpuPercent).toBeCloseTo(((100 / hz) / 100) * 100, 5);
    now = 2000;
    writeProcess(root, { pid: 100, comm: 'python3', argv: ['python3', 'train.py'], cpuTicks: 100 + 1.5 * hz, startTicks: 900 * hz, rssPages: 1000 });
    scanner.scan();
    const second = scanner.mlProcesses()[0]!;
    expect(second.cpuBasis).toBe('interval');
    expect(second.cpuPercent).toBeCloseTo(75, 5);
    expect(second.rssBytes).toBeGreaterThanOrEqual(1000 * 4096);
  });

  it('notices a launcher that exec()s into python at once, and an old process that does so at the next full pass', () => {
    let now = 0;
    const root = fakeProc([
      { pid: 300, comm: 'bash', argv: ['bash', 'run.sh'], cpuTicks: 1, startTicks: 999.5 * hz }, // 0.5 s old
      { pid: 301, comm: 'bash', argv: ['bash'], cpuTicks: 1, startTicks: 40 * hz },
    ]);
    const scanner = new HostScanner({ root, now: () => now, listMs: 0, rescanMs: 60_000, youngMs: 2000 });
    scanner.scan();
    expect(scanner.mlProcesses()).toEqual([]);
    now = 1000;
    writeProcess(root, { pid: 300, comm: 'python', argv: ['python', 'train.py'], cpuTicks: 2, startTicks: 999.5 * hz });
    writeProcess(root, { pid: 301, comm: 'python3', argv: ['python3', 'serve.py'], cpuTicks: 2, startTicks: 40 * hz });
    scanner.scan();
    expect(scanner.mlProcesses().map((p) => p.pid)).toEqual([300]); // 301 was settled as bash: not re-read yet
    now = 60_000;
    scanner.scan();
    expect(scanner.mlProcesses().map((p) => p.pid).sort()).toEqual([300, 301]);
  });

  it('between listings re-reads only the ML processes, and drops those that exited', () => {
    let now = 0;
    const root = fakeProc([{ pid: 500, comm: 'python', argv: ['python', 'a.py'], cpuTicks: 0, startTicks: 10 * hz }]);
    const scanner = new HostScanner({ root, now: () => now, listMs: 5000 });
    scanner.scan();
    writeProcess(root, { pid: 501, comm: 'python', argv: ['python', 'b.py'], cpuTicks: 0, startTicks: 20 * hz });
    writeProcess(root, { pid: 500, comm: 'python', argv: ['python', 'a.py'], cpuTicks: hz, startTicks: 10 * hz });
    now = 1000;
    scanner.scan();
    expect(scanner.mlProcesses().map((p) => [p.pid, p.cpuPercent])).toEqual([[500, 100]]);
    rmSync(join(root, '500'), { recursive: true });
    now = 5000;
    scanner.scan();
    expect(scanner.mlProcesses().map((p) => p.pid)).toEqual([501]);
  });

  it('lists processes that hold a GPU even when they are not Python, with their GPU indices', () => {
    const root = fakeProc([{ pid: 400, comm: 'gpu_burn', argv: ['./gpu_burn', '60'], cpuTicks: 10, startTicks: 100 }]);
    const scanner = new HostScanner({ root });
    scanner.watch([400]);
    scanner.scan();
    expect(scanner.mlProcesses(new Map([[400, [0, 1]]]))).toMatchObject([{ pid: 400, gpuIndices: [0, 1], command: './gpu_burn 60' }]);
  });

  it('names the owner from the first passwd entry for the uid (as getent does), else by the uid', () => {
    const root = fakeProc([{ pid: 700, comm: 'python3', argv: ['python3', 'train.py'], cpuTicks: 1, startTicks: 1 }]);
    const uid = process.getuid!();
    const passwd = join(root, 'passwd');
    writeFileSync(passwd, `first:x:${uid}:${uid}::/home/first:/bin/sh\nsecond:x:${uid}:${uid}::/home/second:/bin/sh\n`);
    const scanner = new HostScanner({ root, passwdPath: passwd });
    scanner.scan();
    expect(scanner.mlProcesses().map((p) => p.user)).toEqual(['first']);
    const unnamed = new HostScanner({ root, passwdPath: join(root, 'empty-passwd') });
    unnamed.scan();
    expect(unnamed.mlProcesses().map((p) => p.user)).toEqual([String(uid)]);
  });

  it('lists a script started through its shebang', () => {
    const root = fakeProc([{ pid: 600, comm: 'train.py', argv: ['/usr/bin/python3', './train.py', '--lr', '3e-4'], cpuTicks: 1, startTicks: 1 }]);
    const scanner = new HostScanner({ root });
    scanner.scan();
    expect(scanner.mlProcesses().map((p) => p.command)).toEqual(['/usr/bin/python3 ./train.py --lr 3e-4']);
  });

  it('reports /proc as unavailable instead of an empty list', () => {
    const scanner = new HostScanner({ root: join(tempDir(), 'missing') });
    scanner.scan();
    expect(scanner.available).toBe(false);
  });
});

describe('GPU indices by PID', () => {
  const holder = (pid: number, gpuIndex: number | null) => ({ pid, gpuIndex, gpuUuid: null, usedMemoryMiB: null, name: null, command: null, user: null });
  it('keeps every GPU of a process, each once, and skips rows without a GPU index', () => {
    const byPid = gpuIndicesByPid([holder(10, 0), holder(11, 0), holder(10, 1), holder(10, 1), holder(12, null)]);
    expect([...byPid.entries()]).toEqual([
      [10, [0, 1]],
      [11, [0]],
    ]);
    expect(gpuIndicesByPid(null).size).toBe(0);
  });
});

describe('joining nvidia-smi processes with /proc', () => {
  it('names a visible process, and refuses a PID that here is another program or that nvidia-smi could not name', () => {
    const root = fakeProc([
      { pid: 4242, comm: 'python3', argv: ['/usr/bin/python3', 'train.py', '--epochs', '3'], cpuTicks: 1, startTicks: 1 },
      { pid: 777, comm: 'bash', argv: ['bash'], cpuTicks: 1, startTicks: 1 },
    ]);
    const scanner = new HostScanner({ root });
    const gpu = { ...emptyReading(3), uuid: 'GPU-a' };
    const joined = joinGpuProcesses(
      [
        { gpuUuid: 'GPU-a', pid: 4242, processName: '/usr/bin/python3.11', usedMemoryMiB: 1024 },
        { gpuUuid: 'GPU-a', pid: 777, processName: '/usr/bin/python3', usedMemoryMiB: 10 },
        { gpuUuid: 'GPU-a', pid: 4242, processName: null, usedMemoryMiB: 5 },
        { gpuUuid: 'GPU-unknown', pid: 99999, processName: 'python', usedMemoryMiB: null },
      ],
      [gpu],
      scanner,
    );
    expect(joined[0]).toMatchObject({ pid: 4242, gpuIndex: 3, command: '/usr/bin/python3 train.py --epochs 3', name: '/usr/bin/python3.11' });
    expect(joined[1]).toMatchObject({ pid: 777, command: null, user: null });
    expect(joined[2]).toMatchObject({ command: null, name: null });
    expect(joined[3]).toMatchObject({ gpuIndex: null, command: null });
  });

  it('compares program names across paths, truncated comm and Windows paths', () => {
    expect(sameProgram('./gpu_burn', ['./gpu_burn'], 'gpu_burn')).toBe(true);
    expect(sameProgram('/usr/local/bin/python3.10', ['python3'], 'python3')).toBe(true);
    expect(sameProgram('text-generation-launcher', ['x'], 'text-generation-')).toBe(true);
    expect(sameProgram('C:\\Windows\\explorer.exe', ['bash'], 'bash')).toBe(false);
  });
});
