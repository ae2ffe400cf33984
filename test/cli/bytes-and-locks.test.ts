// Bytes the user wrote, in any encoding, and the lock on a machine shared with other users: a file dp
// cannot read as UTF-8 without loss is refused untouched (dp CLI, generators, create-dp-project alike);
// the lock lives where only the repository's owner can write and cannot be turned against dp.
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdLock, lockPath, releaseLock } from '../../shared/commit/lock.js';
import { execa } from 'execa';
import { createProject, dp, dpBin } from '../support/cli.js';
import { listFiles, runIn } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-bytes-');

const LATIN1 = Buffer.from('# Notes\nCaf\xe9 au lait\n', 'latin1');
const UTF16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# Notes\n', 'utf16le')]);
const BOM = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Notes\r\nCafé\r\n', 'utf8')]);

function repositoryWith(claude: Buffer): string {
  const dir = newDir();
  writeFileSync(join(dir, 'CLAUDE.md'), claude);
  return dir;
}

describe('a CLAUDE.md that is not UTF-8', () => {
  it.each([
    ['Latin-1', LATIN1, 'dp: CLAUDE.md is not UTF-8 text: byte 0xE9 on line 2 is not valid UTF-8'],
    ['UTF-16', UTF16, 'dp: CLAUDE.md is UTF-16 text'],
  ])('%s: dp refuses in one line and leaves every byte', async (_name, bytes, message) => {
    const dir = repositoryWith(bytes);
    const result = await dp(dir, ['persona', 'add', 'pm']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split('\n')[0]).toContain(message);
    expect(readFileSync(join(dir, 'CLAUDE.md'))).toEqual(bytes);
    expect(listFiles(dir)).toEqual(['CLAUDE.md']);
  });

  it('Latin-1: yo dp:pm refuses the same way and writes nothing', async () => {
    const dir = repositoryWith(LATIN1);
    await expect(runIn(dir, 'pm').run()).rejects.toThrow('CLAUDE.md is not UTF-8 text: byte 0xE9 on line 2');
    expect(readFileSync(join(dir, 'CLAUDE.md'))).toEqual(LATIN1);
    expect(listFiles(dir)).toEqual(['CLAUDE.md']);
  });

  it('Latin-1: create-dp-project --force refuses before writing its scaffold', async () => {
    const dir = repositoryWith(LATIN1);
    const result = await createProject(dir, ['.', '--force', '--persona', 'pm', '--no-git']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('create-dp-project: CLAUDE.md is not UTF-8 text');
    expect(listFiles(dir)).toEqual(['CLAUDE.md']);
  });
});

describe('a UTF-8 CLAUDE.md with a byte order mark and CRLF line endings', () => {
  it('dp: add then remove gives back every byte', async () => {
    const dir = repositoryWith(BOM);
    expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0);
    const added = readFileSync(join(dir, 'CLAUDE.md'));
    expect(added.subarray(0, BOM.length)).toEqual(BOM);
    expect(added.toString('utf8')).toContain('<!-- dp:begin pm -->\r\n');
    expect((await dp(dir, ['persona', 'remove', 'pm'])).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'CLAUDE.md'))).toEqual(BOM);
  });

  it('generators: yo dp:pm then yo dp:remove pm gives back every byte', async () => {
    const dir = repositoryWith(BOM);
    await runIn(dir, 'pm').run();
    await runIn(dir, 'remove', { args: ['pm'] }).run();
    expect(readFileSync(join(dir, 'CLAUDE.md'))).toEqual(BOM);
  });
});

describe('the lock on a machine other users share', () => {
  it('lives in the repository\'s .git directory when there is one: readable by its other users (a held lock is held for them too), writable by none', async () => {
    const dir = newDir();
    mkdirSync(join(dir, '.git'));
    expect(lockPath(dir)).toBe(join(dir, '.git', 'dp.lock'));
    holdLock(dir);
    try {
      expect(statSync(lockPath(dir)).mode & 0o777).toBe(0o644);
    } finally {
      releaseLock(dir);
    }
  });

  it('otherwise lives in a private directory of the user\'s own (0700), never directly in the shared temp directory', () => {
    const dir = newDir();
    const path = lockPath(dir);
    expect(path.startsWith(join(tmpdir(), 'generator-dp-')) || path.startsWith(`${process.env.XDG_RUNTIME_DIR}/generator-dp/`)).toBe(true);
    const folder = join(path, '..');
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(folder).uid).toBe(process.getuid!());
  });

  it('a symlink planted where the lock goes is never written through', async () => {
    const dir = newDir();
    mkdirSync(join(dir, '.git'));
    const victim = join(newDir(), 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, '.git', 'dp.lock'));
    const result = await dp(dir, ['persona', 'add', 'pm'], { env: { NO_COLOR: '1', DP_LOCK_WAIT_MS: '500' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(existsSync(join(dir, '.git', 'dp.lock'))).toBe(false);
  });

  it.each([
    ['a pid of 1 from an old-style lock', '1\n'],
    ['pid 1 with a start time pid 1 does not have', `${JSON.stringify({ pid: 1, start: 1, host: hostname(), root: '/' })}\n`],
    ['a live pid (this test) that started at another time', `${JSON.stringify({ pid: process.pid, start: 1, host: hostname(), root: '/' })}\n`],
  ])('a lock naming %s is stale: the run goes ahead', async (_name, content) => {
    const dir = newDir();
    writeFileSync(lockPath(dir), content);
    const result = await dp(dir, ['persona', 'add', 'pm'], { env: { NO_COLOR: '1', DP_LOCK_WAIT_MS: '500' } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(existsSync(lockPath(dir))).toBe(false);
  });

  it('a private lock directory another user owns is refused, not used', async () => {
    if (process.getuid?.() !== 0) return; // only root can give a directory to another user
    const dir = newDir();
    const temp = newDir();
    const planted = join(temp, 'generator-dp-0');
    mkdirSync(planted, { mode: 0o700 });
    chmodSync(planted, 0o700);
    const { chownSync } = await import('node:fs');
    chownSync(planted, 65534, 65534);
    const result = await dp(dir, ['persona', 'add', 'pm'], { env: { NO_COLOR: '1', TMPDIR: temp, XDG_RUNTIME_DIR: '' } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`dp: the lock directory ${planted} belongs to uid 65534, so another user could interfere with dp's runs`);
    expect(listFiles(dir)).toEqual([]);
  });

  it('in a repository a group shares, another user\'s run waits for a held lock: it does not take it over', async (context) => {
    // Only root can run a process as another user, who must be able to read the built dp.
    const nobodyReads = process.getuid?.() === 0 && (await execa('runuser', ['-u', 'nobody', '--', 'test', '-r', dpBin], { cwd: '/', reject: false })).exitCode === 0;
    if (!nobodyReads) {
      console.warn('skipped: needs root, runuser and a checkout the user nobody can read');
      context.skip();
    }
    const dir = newDir();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, '.git'));
    chownSync(join(dir, '.git'), 0, 65534);
    chmodSync(join(dir, '.git'), 0o2775); // core.sharedRepository=group
    holdLock(dir);
    try {
      const result = await execa('runuser', ['-u', 'nobody', '--', process.execPath, dpBin, 'persona', 'add', 'pm'], {
        cwd: dir,
        reject: false,
        env: { NO_COLOR: '1', DP_LOCK_WAIT_MS: '300' },
      });
      expect(result.stderr).toContain(`dp: another dp run (pid ${process.pid}) is changing this repository`);
      expect(result.exitCode).toBe(1);
    } finally {
      releaseLock(dir);
    }
  });
});

