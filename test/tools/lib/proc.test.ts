// The /proc helpers both tools share: user names, the CPU% formula, clock ticks read once, command strings.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockTicksPerSecond, commandString, cpuPercent, isFileTarget, readText, userName } from '../../../shared/tools/lib/proc.js';
import { useTempDir } from '../../support/tmp.js';

// readFileSync is the real one, counted per path.
const reads = vi.hoisted(() => new Map<string, number>());
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((...args: Parameters<typeof real.readFileSync>) => {
    reads.set(String(args[0]), (reads.get(String(args[0])) ?? 0) + 1);
    return real.readFileSync(...args);
  }) as typeof real.readFileSync;
  return { ...real, readFileSync, default: { ...real, readFileSync } };
});

const temp = useTempDir('dp-lib-proc-');
afterEach(() => reads.clear());

describe('userName', () => {
  it('takes the first entry for a uid, as getent does, and the uid of no entry is null', () => {
    const passwd = join(temp(), 'passwd');
    writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nalias:x:1000:1000::/home/alias:/bin/sh\nbroken::\n');
    expect(userName(1000, passwd)).toBe('alice');
    expect(userName(0, passwd)).toBe('root');
    expect(userName(4242, passwd)).toBeNull();
  });

  it('reads each passwd file once, and a second file is not answered from the first one', () => {
    const dir = temp();
    const first = join(dir, 'passwd-a');
    const second = join(dir, 'passwd-b');
    writeFileSync(first, 'alice:x:1000:1000::/home/alice:/bin/sh\n');
    writeFileSync(second, 'bob:x:1000:1000::/home/bob:/bin/sh\n');
    expect(userName(1000, first)).toBe('alice');
    expect(userName(1000, second)).toBe('bob');
    expect(userName(1000, first)).toBe('alice');
    expect([reads.get(first), reads.get(second)]).toEqual([1, 1]);
    expect(userName(1000, join(dir, 'missing'))).toBeNull();
  });
});

describe('clockTicksPerSecond', () => {
  it('reads /proc/self/auxv at most once', () => {
    const hz = clockTicksPerSecond();
    expect(hz).toBeGreaterThan(0);
    for (let i = 0; i < 5; i += 1) expect(clockTicksPerSecond()).toBe(hz);
    expect(reads.get('/proc/self/auxv') ?? 0).toBeLessThanOrEqual(1);
  });
});

describe('cpuPercent', () => {
  it('is the share of one core over the span, like top', () => {
    expect(cpuPercent(150, 2, 100)).toBe(75);
    expect(cpuPercent(400, 1, 100)).toBe(400);
    expect(cpuPercent(0, 5, 100)).toBe(0);
  });

  it('is unknown over no time', () => {
    expect(cpuPercent(10, 0, 100)).toBeNull();
    expect(cpuPercent(10, -1, 100)).toBeNull();
    expect(cpuPercent(10, Number.NaN, 100)).toBeNull();
  });
});

describe('command strings and file targets', () => {
  it('joins argv, quoting only when asked; brackets the name when there is no argv', () => {
    expect(commandString(['python', 'train.py', '--name', 'my run'], 'python')).toBe('python train.py --name my run');
    expect(commandString(['python', 'train.py', '--name', 'my run', ''], 'python', { quote: true })).toBe('python train.py --name "my run" ""');
    expect(commandString([], 'kworker/0:1')).toBe('[kworker/0:1]');
  });

  it('tells file paths from pipes, sockets and devices', () => {
    expect(['/data/run.log', '/tmp/x (deleted)', 'pipe:[123]', 'socket:[9]', '/dev/null', '/dev/pts/1', 'anon_inode:[eventfd]'].map(isFileTarget)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads a file, or null when it cannot', () => {
    const path = join(temp(), 'f');
    writeFileSync(path, 'text');
    expect(readText(path)).toBe('text');
    expect(readText(join(temp(), 'missing'))).toBeNull();
  });
});
