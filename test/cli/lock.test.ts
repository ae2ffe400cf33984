// Two dp runs in one repository never interleave: the second waits for the lock, or gives up with a
// clear message when the first holds it too long (DP_LOCK_WAIT_MS).
import { describe, expect, it } from 'vitest';
import { holdLock, lockPath, releaseLock } from '../../shared/commit/lock.js';
import { dp } from '../support/cli.js';
import { listFiles, read } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-lock-');

describe('one dp run at a time per repository', () => {
  it('refuses with a clear message while another run holds the repository, writing nothing', async () => {
    const dir = newDir();
    holdLock(dir);
    try {
      const result = await dp(dir, ['persona', 'add', 'ds'], { env: { DP_LOCK_WAIT_MS: '300' } });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`dp: another dp run (pid ${process.pid}) is changing this repository`);
      expect(result.stderr).toContain(`if no dp is running, delete ${lockPath(dir)}`);
      expect(listFiles(dir)).toEqual([]);
    } finally {
      releaseLock(dir);
    }
  });

  it('waits for the other run to finish, then runs', async () => {
    const dir = newDir();
    holdLock(dir);
    const waiting = dp(dir, ['persona', 'add', 'ds']);
    setTimeout(() => releaseLock(dir), 400);
    const result = await waiting;
    expect(result.exitCode).toBe(0);
    expect(read(dir, 'CLAUDE.md')).toContain('<!-- dp:begin data-scientist -->');
  });

  it('two runs started together both finish, one after the other, with one section', async () => {
    const dir = newDir();
    const [a, b] = await Promise.all([dp(dir, ['persona', 'add', 'ds']), dp(dir, ['persona', 'add', 'ds'])]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect(read(dir, 'CLAUDE.md').match(/dp:begin data-scientist/g)).toHaveLength(1);
    expect([a.stdout, b.stdout].filter((out) => out.includes('nothing to do'))).toHaveLength(1);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = newDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(lockPath(dir), '999999999\n');
    const result = await dp(dir, ['persona', 'add', 'ds'], { env: { DP_LOCK_WAIT_MS: '300' } });
    expect(result.exitCode).toBe(0);
  });
});
