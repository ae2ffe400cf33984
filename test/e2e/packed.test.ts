// End to end from the packed tarballs, as users install them: npm pack of both packages, installed
// into a temporary prefix, then the installed bins run in fresh repositories.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, read } from '../support/generators.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** yo refuses to run as root (it switches to uid 1000 and fails): run it as a regular user. */
function regularUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const [name, , uid, gid] = execFileSync('getent', ['passwd', '1000'], { encoding: 'utf8' }).trim().split(':');
    return { name: name!, uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}
const yoUser = regularUser();
const canRunYo = process.getuid?.() !== 0 || yoUser !== null;
let work: string;
let bin: string;

async function sh(cwd: string, command: string, args: string[]) {
  return execa(command, args, { cwd, reject: false, stdin: 'ignore', env: { NO_COLOR: '1' } });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dp-packed-'));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  await execa('npm', ['pack', '--silent', '--pack-destination', packs], { cwd: root });
  await execa('npm', ['pack', '--silent', '-w', 'create-dp-project', '--pack-destination', packs], { cwd: root });
  const prefix = join(work, 'prefix');
  await execa(
    'npm',
    ['install', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(packs, 'generator-dp-0.1.0.tgz'), join(packs, 'create-dp-project-0.1.0.tgz'), 'yo@7.0.1'],
    { cwd: work },
  );
  bin = join(prefix, 'node_modules', '.bin');
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('installed from the packed tarballs', () => {
  it('dp persona add / status / upgrade --dry-run / doctor / remove', async () => {
    const repo = join(work, 'repo');
    mkdirSync(repo);
    const add = await sh(repo, join(bin, 'dp'), ['persona', 'add', 'data-scientist']);
    expect(add.exitCode).toBe(0);
    expect(add.stdout).toMatch(/dp: added data-scientist: \d+ created/);
    // The installed tool runs in a repository with no node_modules.
    const tool = await sh(repo, join(repo, 'scripts/parallel_optimizer.sh'), ['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--json']);
    expect(tool.exitCode).toBe(0);
    expect(JSON.parse(tool.stdout).model.parameters).toBe(7e9);

    const status = await sh(repo, join(bin, 'dp'), ['status', '--json']);
    expect(JSON.parse(status.stdout).active.map((a: { id: string }) => a.id)).toEqual(['data-scientist']);
    const upgrade = await sh(repo, join(bin, 'dp'), ['upgrade', '--dry-run']);
    expect(upgrade.exitCode).toBe(0);
    expect(upgrade.stdout).toContain('nothing to do: everything is up to date');
    const doctor = await sh(repo, join(bin, 'dp'), ['doctor']);
    expect(doctor.stdout).toContain('ok       data-scientist applied');
    const remove = await sh(repo, join(bin, 'dp'), ['persona', 'remove', 'data-scientist']);
    expect(remove.exitCode).toBe(0);
    expect(listFiles(repo)).toEqual([]);
  });

  it('create-dp-project non-interactive', async () => {
    const result = await sh(work, join(bin, 'create-dp-project'), ['my-model', '--persona', 'ds']);
    expect(result.exitCode).toBe(0);
    expect(read(join(work, 'my-model'), 'CLAUDE.md')).toContain('<!-- dp:begin data-scientist -->');
    // Installed from a tarball, npx -p generator-dp would fetch from the registry: the hint names the installed dp.
    expect(result.stdout).toContain(`  ${join(bin, 'dp')} status`);
  });

  it.runIf(canRunYo)('yo dp:data-scientist as a regular (non-root) user', async () => {
    const repo = join(work, 'yo-repo');
    const home = join(work, 'yo-home');
    mkdirSync(repo);
    mkdirSync(home);
    execFileSync('chmod', ['-R', 'a+rX', work]);
    const env = { HOME: home, NO_UPDATE_NOTIFIER: '1', PATH: `${bin}:${process.env.PATH}` };
    let command = 'yo';
    let args = ['dp:data-scientist', '--no-insight'];
    if (yoUser) {
      chownSync(repo, yoUser.uid, yoUser.gid);
      chownSync(home, yoUser.uid, yoUser.gid);
      args = ['-u', yoUser.name, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'yo', ...args];
      command = 'runuser';
    }
    const result = await execa(command, args, { cwd: repo, reject: false, stdin: 'ignore', env });
    expect(result.exitCode, result.stderr).toBe(0);
    // Yeoman logs to stderr.
    expect(`${result.stdout}${result.stderr}`).toMatch(/dp: data-scientist: \d+ created/);
    expect(listFiles(repo)).toEqual(expect.arrayContaining(['CLAUDE.md', '.claude/persona.json', 'scripts/gpu_monitor.mjs']));
    chmodSync(repo, 0o755);
  }, 60_000);

  it('package exports resolve generator-dp/generators/* for composing generators', async () => {
    const resolved = await sh(join(work, 'prefix'), 'node', ['--input-type=module', '-e', "console.log(import.meta.resolve('generator-dp/generators/data-scientist'))"]);
    expect(resolved.stdout.trim()).toMatch(/node_modules\/generator-dp\/dist\/generators\/data-scientist\/index\.js$/);
  });
});
