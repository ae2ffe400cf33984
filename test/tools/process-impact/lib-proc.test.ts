// The /proc readers this tool added to shared/tools/lib, and how it reads nvidia-smi through the shared gpu-query reader.
import { spawn } from 'node:child_process';
import { openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GPU_SUMMARY_FIELDS, nvidiaDeviceMinors } from '../../../shared/tools/lib/compute-apps.js';
import { COMPUTE_MEMORY_FIELDS, parseComputeProcesses, parseGpuCsv } from '../../../shared/tools/lib/gpu-query.js';
import {
  parseEnviron,
  parseFdinfo,
  parseStat,
  parseStatus,
  readEnviron,
  readOpenFiles,
  readProcLink,
  readStatus,
  signalsInMask,
  uptimeSeconds,
} from '../../../shared/tools/lib/proc.js';
import { hasShared, readSmiFixture } from '../../support/shared-fixtures.js';
import { useTempDir } from '../../support/tmp.js';

const temp = useTempDir('dp-proc-');

const STATUS = `Name:\tpt_main_thread
Umask:\t0022
State:\tS (sleeping)
Tgid:\t4242
NSpid:\t4242\t17
PPid:\t4200
Uid:\t1000\t1000\t1000\t1000
Threads:\t37
VmHWM:\t 9000000 kB
VmRSS:\t 8500000 kB
SigBlk:\t0000000000000000
SigIgn:\t0000000001001000
SigCgt:\t0000000180004002
`;

describe('parseStatus', () => {
  it('reads state, uids, threads, memory and signal masks', () => {
    const status = parseStatus(STATUS);
    expect(status).toMatchObject({ state: 'S (sleeping)', uids: [1000, 1000, 1000, 1000], threads: 37, rssBytes: 8500000 * 1024, peakRssBytes: 9000000 * 1024, nspid: [4242, 17] });
    // bit n-1 = signal n: 0x4002 -> SIGINT (2) and SIGTERM (15); 0x180000000 -> 32 and 33
    expect(signalsInMask(status.sigCgt!)).toEqual([2, 15, 32, 33]);
    expect(signalsInMask(status.sigIgn!)).toEqual([13, 25]);
  });

  it('leaves absent fields null (kernel threads have no VmRSS)', () => {
    expect(parseStatus('Name:\tkthreadd\nState:\tS (sleeping)\n')).toMatchObject({ rssBytes: null, peakRssBytes: null, sigCgt: null, threads: null });
  });

  it('reads this process', () => {
    const own = readStatus(process.pid)!;
    expect(own.rssBytes).toBeGreaterThan(0);
    expect(own.uids![0]).toBe(process.getuid!());
    expect(readStatus(2 ** 22 + 1)).toBeNull();
  });
});

describe('stat groups, environ, fdinfo', () => {
  it('splits stat after the last ")" even when comm holds spaces and parens', () => {
    // The process group now comes with the rest of stat (field 5), from the one read of the process table.
    expect(parseStat('123 (my (odd) name) S 1 123 123 34816 123 4194560')).toMatchObject({ pid: 123, comm: 'my (odd) name', state: 'S', ppid: 1, pgrp: 123 });
  });

  it('parses environ and fdinfo', () => {
    expect(parseEnviron('RANK=0\0MASTER_ADDR=10.0.0.1\0EMPTY=\0A=b=c\0')).toEqual({ RANK: '0', MASTER_ADDR: '10.0.0.1', EMPTY: '', A: 'b=c' });
    expect(parseFdinfo('pos:\t4096\nflags:\t0100001\nmnt_id:\t24\n')).toEqual({ pos: 4096, flags: 0o100001 });
  });

  it('reads open files with write mode and offset, environ and cwd of a real process', async () => {
    const dir = temp();
    const path = join(dir, 'weights.pt');
    const fd = openSync(path, 'w');
    writeFileSync(fd, Buffer.alloc(1000));
    const child = spawn('sleep', ['30'], { cwd: dir, env: { PATH: process.env.PATH, RANK: '3' }, stdio: ['ignore', fd, 'ignore'] });
    closeSync(fd);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      let files = readOpenFiles(child.pid!);
      for (let i = 0; i < 100 && files.ok && !files.value.some((f) => f.target === path); i += 1) {
        await new Promise((r) => setTimeout(r, 10));
        files = readOpenFiles(child.pid!);
      }
      expect(files.ok).toBe(true);
      const stdout = files.ok ? files.value.find((f) => f.fd === 1) : undefined;
      expect(stdout).toMatchObject({ target: path, writable: true, pos: 1000 });
      const env = readEnviron(child.pid!);
      expect(env.ok && env.value.RANK).toBe('3');
      expect(readProcLink(child.pid!, 'cwd')).toEqual({ ok: true, value: dir });
    } finally {
      child.kill('SIGKILL');
    }
    expect(readEnviron(2 ** 22 + 1)).toMatchObject({ ok: false, reason: 'gone' });
  });

  it('reads uptime', () => {
    expect(uptimeSeconds()).toBeGreaterThan(0);
  });
});

describe('compute-apps', () => {
  it('parses noheader,nounits rows by position; [N/A] memory is unknown, never 0', () => {
    expect(parseComputeProcesses('GPU-a, 123, 2048\nGPU-b, 456, [N/A]\n\n', COMPUTE_MEMORY_FIELDS)).toEqual([
      { gpuUuid: 'GPU-a', pid: 123, processName: null, usedMemoryMiB: 2048 },
      { gpuUuid: 'GPU-b', pid: 456, processName: null, usedMemoryMiB: null },
    ]);
    const gpus = parseGpuCsv('0, GPU-a, NVIDIA H100 80GB HBM3, 95, 30000, 81559\n1, GPU-b, Some, GPU, [N/A], 10, 100\n', GPU_SUMMARY_FIELDS).gpus;
    expect(gpus).toMatchObject([
      { index: 0, uuid: 'GPU-a', name: 'NVIDIA H100 80GB HBM3', utilizationGpuPercent: 95, memoryUsedMiB: 30000, memoryTotalMiB: 81559 },
      { index: 1, uuid: 'GPU-b', name: 'Some, GPU', utilizationGpuPercent: null, memoryUsedMiB: 10, memoryTotalMiB: 100 },
    ]);
  });

  it('takes GPU devices from open files, not nvidiactl/nvidia-uvm', () => {
    expect(nvidiaDeviceMinors(['/dev/nvidiactl', '/dev/nvidia-uvm', '/dev/nvidia3', '/dev/nvidia0', '/dev/nvidia3'])).toEqual([0, 3]);
  });

  it.skipIf(!hasShared)('reads real recorded compute-apps output (gpu_uuid,pid,process_name,used_gpu_memory with units)', () => {
    // The recorded query has process_name between pid and memory: memory is read from the right.
    const apps = parseComputeProcesses(readSmiFixture('compute-apps__h200-x8_not-found.csv.txt'), COMPUTE_MEMORY_FIELDS);
    expect(apps).toHaveLength(8);
    expect(apps[0]).toEqual({ gpuUuid: 'GPU-a44622e3-2296-6285-0a86-84d0f6c67900', pid: 1328667, processName: null, usedMemoryMiB: 130004 });
    expect(apps[7]).toEqual({ gpuUuid: 'GPU-28780eb0-24d5-1f13-59b8-ae5c23617a72', pid: 1758887, processName: null, usedMemoryMiB: 58060 });
  });
});
