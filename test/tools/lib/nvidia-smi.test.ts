// runSmi's timeout: the promise resolves when the timeout fires (after SIGKILL), not when the child has exited;
// header lines told from rows by their first cell.
import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isHeaderLine, runSmi } from '../../../shared/tools/lib/nvidia-smi.js';
import { installFakeSmi } from '../../support/fake-nvidia-smi.js';
import { useTempDir } from '../../support/tmp.js';

// spawn is the real one unless a test sets `fake.spawn` (a child no process stands behind).
const fake = vi.hoisted(() => ({ spawn: null as null | (() => unknown) }));
vi.mock('node:child_process', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:child_process')>();
  return { ...real, spawn: ((...args: Parameters<typeof real.spawn>) => (fake.spawn ? fake.spawn() : real.spawn(...args))) as typeof real.spawn };
});

/** An nvidia-smi stuck in the kernel: SIGKILL is recorded but it never exits and its pipes never close. */
class UnkillableChild extends EventEmitter {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: string[] = [];
  kill(signal: string): boolean {
    this.signals.push(signal);
    return true;
  }
  unref(): void {}
}

const tempDir = useTempDir('dp-run-smi-');
const leftovers: string[] = [];

afterEach(() => {
  fake.spawn = null;
  // The grandchild a fake below leaves behind (it outlives the SIGKILL): end it by its recorded pid.
  for (const file of leftovers.splice(0)) {
    if (!existsSync(file)) continue;
    try {
      process.kill(Number(readFileSync(file, 'utf8').trim()), 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe('runSmi timeout', () => {
  it('reports a timeout for an nvidia-smi that answers later than the timeout', async () => {
    const bin = tempDir();
    installFakeSmi(bin, [{ match: [], stdout: 'late\n', delayMs: 60_000 }]);
    const result = await runSmi(['-L'], { command: join(bin, 'nvidia-smi'), timeoutMs: 300 });
    expect(result).toEqual({ ok: false, failure: 'timeout', message: `${join(bin, 'nvidia-smi')} did not answer within 0.3 s`, exitCode: null });
  });

  it('resolves at the timeout, after SIGKILL, even when the killed child never exits (uninterruptible sleep)', async () => {
    const child = new UnkillableChild();
    fake.spawn = () => child;
    const result = await runSmi(['-L'], { timeoutMs: 100 });
    expect(result).toEqual({ ok: false, failure: 'timeout', message: 'nvidia-smi did not answer within 0.1 s', exitCode: null });
    expect(child.signals).toEqual(['SIGKILL']);
  });

  it('lets go of output pipes a grandchild holds open past the SIGKILL', async () => {
    // SIGKILL ends the shell, but its background sleep keeps stdout/stderr open for 60 s.
    const bin = tempDir();
    const smi = join(bin, 'nvidia-smi');
    const pidFile = join(bin, 'sleep.pid');
    leftovers.push(pidFile);
    writeFileSync(smi, `#!/bin/sh\nsleep 60 &\necho $! > '${pidFile}'\nwait\n`);
    chmodSync(smi, 0o755);
    const result = await runSmi(['-L'], { command: smi, timeoutMs: 500 });
    expect(result).toMatchObject({ ok: false, failure: 'timeout', exitCode: null });
  });
});

describe('isHeaderLine', () => {
  it('knows a header by its first cell, with or without a unit tag', () => {
    expect(isHeaderLine('index, uuid, name', 'index')).toBe(true);
    expect(isHeaderLine('index [unit], uuid', 'index')).toBe(true);
    expect(isHeaderLine('  index  ', 'index')).toBe(true);
    expect(isHeaderLine('0, index, name', 'index')).toBe(false);
    expect(isHeaderLine('indexes, uuid', 'index')).toBe(false);
    expect(isHeaderLine('gpu_uuid, pid, used_gpu_memory [MiB]', 'gpu_uuid')).toBe(true);
  });
});
