import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dp } from '../support/cli.js';
import { helpTexts } from '../../cli/help.js';
import { builtinMenu } from '../../shared/persona/registry.js';
import { listFiles, read, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-cli-');

describe('dp persona add / remove / list', () => {
  it('adds a persona by alias, then a re-run writes nothing', async () => {
    const dir = newDir();
    const added = await dp(dir, ['persona', 'add', 'ds']);
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toContain('created  scripts/gpu_monitor.mjs');
    expect(added.stdout).toMatch(/dp: added data-scientist: \d+ created/);
    expect(listFiles(dir)).toEqual(expect.arrayContaining(['.claude/persona.json', '.claude/settings.json', 'CLAUDE.md', 'scripts/parallel_optimizer.sh']));
    const before = snapshot(dir);
    const again = await dp(dir, ['persona', 'add', 'data-scientist']);
    expect(again.stdout).toContain('dp: added data-scientist: nothing to do: everything is up to date');
    expect(snapshot(dir)).toEqual(before);
  });

  it("lists every file it writes, its own record, bases and answers too, and each file's lines match the files on disk", async () => {
    const dir = newDir();
    const lines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim().split(/\s+/).slice(0, 2).join(' '));
    const before = snapshot(dir);
    const added = await dp(dir, ['persona', 'add', 'developer', '--level', 'l1']);
    expect(added.exitCode, added.stderr).toBe(0);
    const written = Object.keys(snapshot(dir)).filter((file) => before[file] === undefined);
    expect(lines(added.stdout).sort()).toEqual(written.map((file) => `created ${file}`).sort());
    expect(lines(added.stdout).slice(-1)).toEqual(['created .claude/persona.json']);
    expect(added.stdout).toMatch(new RegExp(`^dp: added developer: ${written.length} created$`, 'm'));

    const second = snapshot(dir);
    const graduated = await dp(dir, ['persona', 'add', 'developer', '--level', 'l2']);
    expect(graduated.exitCode, graduated.stderr).toBe(0);
    const after = snapshot(dir);
    const changed = Object.keys(after).filter((file) => second[file]?.content !== after[file]!.content);
    expect(lines(graduated.stdout).filter((line) => !line.startsWith('created ')).sort()).toEqual(
      changed.filter((file) => second[file] !== undefined).map((file) => `updated ${file}`).sort(),
    );
    expect(lines(graduated.stdout)).toEqual(expect.arrayContaining(['updated .claude/persona.json', 'updated .yo-rc.json']));

    const removed = await dp(dir, ['persona', 'remove', 'developer']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    const left = snapshot(dir);
    const gone = Object.keys(after).filter((file) => left[file] === undefined);
    expect(gone).toEqual(expect.arrayContaining(['.claude/persona.json', '.claude/persona.bases.json']));
    expect(lines(removed.stdout).filter((line) => line.startsWith('removed ')).sort()).toEqual(gone.map((file) => `removed ${file}`).sort());
  });

  it('writes exactly what the generator writes (the same engine)', async () => {
    const viaCli = newDir();
    await dp(viaCli, ['persona', 'add', 'data-scientist']);
    const { runIn } = await import('../support/generators.js');
    const viaYo = newDir();
    await runIn(viaYo, 'data-scientist');
    for (const file of listFiles(viaYo)) expect(read(viaCli, file), file).toBe(read(viaYo, file));
    expect(listFiles(viaCli)).toEqual(listFiles(viaYo));
  });

  it('--dry-run shows the diffs and writes nothing', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'CLAUDE.md'), '# mine\n');
    const result = await dp(dir, ['persona', 'add', 'ds', '--dry-run']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('--- a/CLAUDE.md\n+++ b/CLAUDE.md\n # mine\n+\n+<!-- dp:begin data-scientist -->');
    expect(result.stdout).toContain('--- /dev/null\n+++ b/scripts/gpu_monitor.sh');
    expect(result.stdout).toContain('(dry run, nothing written)');
    expect(listFiles(dir)).toEqual(['CLAUDE.md']);
  });

  it('removes a persona, keeping a file the user edited', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds']);
    writeFileSync(join(dir, 'scripts/gpu_monitor.sh'), `${read(dir, 'scripts/gpu_monitor.sh')}# mine\n`);
    const result = await dp(dir, ['persona', 'remove', 'ds']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/kept {5}scripts\/gpu_monitor\.sh {2}\(you edited it, so it stays: it is yours now\)/);
    expect(listFiles(dir)).toEqual(['scripts/gpu_monitor.sh']);
  });

  it('lists personas with menu numbers, aliases and what is active', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds']);
    const result = await dp(dir, ['persona', 'list', '--json']);
    const listed = JSON.parse(result.stdout);
    expect(listed.active).toEqual(['data-scientist']);
    expect(listed.builtin.map((p: { number: number; id: string }) => `${p.number} ${p.id}`)).toEqual(['1 developer', '2 software-architect', '3 data-scientist', '4 pm', '5 designer']);
    const text = await dp(dir, ['persona', 'list']);
    expect(text.stdout).toMatch(/3\) data-scientist\s+Data Scientist\s+\* active\s+aliases: ds/);
  });

  it('finds the repository root from a subdirectory, like git', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds']);
    mkdirSync(join(dir, 'src/deep'), { recursive: true });
    const status = await dp(join(dir, 'src/deep'), ['status', '--json']);
    expect(JSON.parse(status.stdout).root).toBe(dir);
  });
});

describe('dp status, upgrade, doctor', () => {
  it('status reports active personas, your changes and upgrades', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds']);
    writeFileSync(join(dir, '.claude/skills/gpu-optimize/SKILL.md'), 'my own version\n');
    const status = JSON.parse((await dp(dir, ['status', '--json'])).stdout);
    expect(status.active).toEqual([{ id: 'data-scientist', displayName: 'Data Scientist', level: null, custom: false }]);
    expect(status.appliedWith).toBe(status.generatorVersion);
    expect(status.changedByYou).toEqual(['.claude/skills/gpu-optimize/SKILL.md']);
    expect(status.upgradesAvailable).toEqual([]);
  });

  it('upgrade --dry-run lists one line per file and writes nothing', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds']);
    const record = JSON.parse(read(dir, '.claude/persona.json'));
    const { packBase, sha256 } = await import('../../shared/merge/record.js');
    // As if an older version had written a different gpu_monitor.sh, still untouched by the user.
    record.managed.files['scripts/gpu_monitor.sh'] = { ...record.managed.files['scripts/gpu_monitor.sh'], sha256: sha256('old\n'), base: packBase('old\n') };
    writeFileSync(join(dir, '.claude/persona.json'), JSON.stringify(record));
    writeFileSync(join(dir, 'scripts/gpu_monitor.sh'), 'old\n');
    const before = snapshot(dir);
    const result = await dp(dir, ['upgrade', '--dry-run']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/updated\s+scripts\/gpu_monitor\.sh/);
    expect(result.stdout).toContain('-old\n+#!/bin/sh');
    expect(snapshot(dir)).toEqual(before);
    const real = await dp(dir, ['upgrade']);
    expect(real.stdout).toMatch(/updated\s+scripts\/gpu_monitor\.sh/);
    expect(read(dir, 'scripts/gpu_monitor.sh')).toContain('exec node');
  });

  it('doctor finds missing files and lost modes, and --fix repairs them', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds']);
    rmSync(join(dir, '.claude/skills/process-impact/SKILL.md'));
    chmodSync(join(dir, 'scripts/gpu_monitor.mjs'), 0o644);
    const sick = await dp(dir, ['doctor']);
    expect(sick.exitCode).toBe(1);
    expect(sick.stdout).toContain('problem  .claude/skills/process-impact/SKILL.md is missing (data-scientist)  (dp doctor --fix)');
    expect(sick.stdout).toContain('problem  scripts/gpu_monitor.mjs is not executable');
    expect(sick.stdout).toMatch(/Node\.js \d+\.\d+/);
    expect(sick.stdout).toMatch(/nvidia-smi/);
    const fixed = await dp(dir, ['doctor', '--fix']);
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toContain('dp doctor: no problems');
    expect(existsSync(join(dir, '.claude/skills/process-impact/SKILL.md'))).toBe(true);
  });
});

describe('dp persona add --level, dp graduate and dp doctor', () => {
  it('--level goes to the persona that has levels among those named; naming none of them is refused', async () => {
    const dir = newDir();
    const added = await dp(dir, ['persona', 'add', 'sa', 'designer', 'developer', '--level', 'expert']);
    expect(added.stderr).toBe('');
    expect(added.exitCode).toBe(0);
    const active = JSON.parse(read(dir, '.claude/persona.json')).active.map((a: { id: string; level?: string }) => `${a.id}${a.level ? `:${a.level}` : ''}`);
    expect(active).toEqual(['software-architect', 'designer', 'developer:expert']);
    const refused = await dp(dir, ['persona', 'add', 'pm', '--level', 'l1']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.split('\n')[0]).toBe('dp: --level applies to the developer persona, which is not among pm');
  });

  it('graduate without a terminal and without --yes is a refusal (exit 1) with the hint', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'developer', '--level', 'l1']);
    const before = snapshot(dir);
    const result = await dp(dir, ['graduate']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('dp: graduating from l1 to l2 needs a confirmation\n  pass --yes to confirm');
    expect(snapshot(dir)).toEqual(before);
  });

  it('doctor says nvidia-smi is not installed when it is not on PATH (or not executable there)', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds']);
    const bin = newDir();
    writeFileSync(join(bin, 'nvidia-smi'), '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const result = await dp(dir, ['doctor'], { env: { PATH: `${bin}:${dirname(process.execPath)}` } });
    expect(result.stdout).toContain('warn     nvidia-smi is not installed (not on PATH); the GPU tools need it and exit with code 2 without it: it comes with the NVIDIA driver\n');
    expect(result.exitCode).toBe(0);
  });

  it('doctor --json: the findings, the problem count, and what --fix did', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds']);
    rmSync(join(dir, '.claude/skills/process-impact/SKILL.md'));
    const sick = await dp(dir, ['doctor', '--json']);
    expect(sick.exitCode).toBe(1);
    const report = JSON.parse(sick.stdout);
    expect(report).toMatchObject({ ok: false, problems: 1 });
    expect(report.findings).toContainEqual({ level: 'problem', text: '.claude/skills/process-impact/SKILL.md is missing (data-scientist)', path: '.claude/skills/process-impact/SKILL.md', fixable: true });
    const fixed = await dp(dir, ['doctor', '--fix', '--json']);
    expect(fixed.exitCode).toBe(0);
    expect(JSON.parse(fixed.stdout)).toMatchObject({ ok: true, problems: 0, fixed: [{ path: '.claude/skills/process-impact/SKILL.md', status: 'restored' }] });
  });
});

describe('dp refuses bad usage with one line and a hint', () => {
  it.each([
    [['bogus'], 2, 'dp: unknown command "bogus"'],
    [['persona', 'add'], 2, 'dp: name the persona to add'],
    [['persona', 'add', 'astronaut'], 2, 'dp: unknown persona "astronaut"'],
    [['persona', 'add', 'ds', '--frobnicate'], 2, "dp: unknown option '--frobnicate'"],
    [['persona', 'add', 'ds', '--on-conflict', 'maybe'], 2, 'dp: --on-conflict must be keep or markers, got "maybe"'],
    [['persona', 'remove', 'designer'], 2, 'dp: designer is not active here'],
    [['upgrade'], 1, 'dp: no persona is active here, so there is nothing to upgrade'],
    [['graduate'], 1, 'dp: the developer persona is not active here'],
  ])('dp %j', async (args, code, message) => {
    const dir = newDir();
    const result = await dp(dir, args);
    expect(result.exitCode).toBe(code);
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(listFiles(dir)).toEqual([]);
  });

  it('--help for each command and --version', async () => {
    const dir = newDir();
    for (const words of [['persona', 'add'], ['persona', 'remove'], ['persona', 'switch'], ['persona', 'list'], ['status'], ['upgrade'], ['doctor'], ['graduate'], ['profile']]) {
      const result = await dp(dir, [...words, '--help']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`Usage: dp ${words.join(' ')}`);
    }
    const version = await dp(dir, ['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('every --help fits in 100 columns, the width the wrapped parts use (cli/wrap.ts)', async () => {
    const dir = newDir();
    const commands = Object.keys(helpTexts(builtinMenu()));
    expect(commands).toContain('persona add');
    for (const command of commands) {
      const result = await dp(dir, [...command.split(' ').filter(Boolean), '--help']);
      expect(result.exitCode, command).toBe(0);
      const wide = result.stdout.split('\n').filter((line) => line.length > 100);
      expect(wide, `dp ${command} --help`).toEqual([]);
    }
  });
});

describe('line endings and files without a final newline', () => {
  it('a CRLF CLAUDE.md gets a CRLF section, is not "changed by you", and removal gives it back exactly', async () => {
    const dir = newDir();
    const mine = '# Windows team\r\n\r\nOur notes.\r\n';
    writeFileSync(join(dir, 'CLAUDE.md'), mine);
    await dp(dir, ['persona', 'add', 'pm']);
    const claude = read(dir, 'CLAUDE.md');
    // A blank line (in the file's line ending) separates the section from the user's text.
    expect(claude.startsWith(`${mine}\r\n<!-- dp:begin pm -->\r\n`)).toBe(true);
    expect(claude.replace(/\r\n/g, '')).not.toContain('\n');
    const status = JSON.parse((await dp(dir, ['status', '--json'])).stdout);
    expect(status.changedByYou).toEqual([]);
    await dp(dir, ['persona', 'remove', 'pm']);
    expect(read(dir, 'CLAUDE.md')).toBe(mine);
  });

  it('a command file checked out with CRLF is upgraded, not reported as a conflict', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'pm']);
    const path = '.claude/skills/user-stories/SKILL.md';
    writeFileSync(join(dir, path), read(dir, path).replace(/\n/g, '\r\n'));
    const before = snapshot(dir);
    const again = await dp(dir, ['persona', 'add', 'pm']);
    expect(again.stdout).toContain('nothing to do');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a CLAUDE.md without a final newline is given back exactly after add and remove', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'CLAUDE.md'), '# My notes\nkeep this');
    await dp(dir, ['persona', 'add', 'pm']);
    expect(read(dir, 'CLAUDE.md').startsWith('# My notes\nkeep this\n\n<!-- dp:begin pm -->\n')).toBe(true);
    await dp(dir, ['persona', 'remove', 'pm']);
    expect(read(dir, 'CLAUDE.md')).toBe('# My notes\nkeep this');
  });

  it('empty containers the user had in settings.json stay after add and remove', async () => {
    const dir = newDir();
    mkdirSync(join(dir, '.claude'));
    const mine = { permissions: { allow: [] }, env: {} };
    writeFileSync(join(dir, '.claude/settings.json'), JSON.stringify(mine, null, 2));
    await dp(dir, ['persona', 'add', 'pm']);
    await dp(dir, ['persona', 'remove', 'pm']);
    // Byte for byte: not even a final newline is added.
    expect(read(dir, '.claude/settings.json')).toBe(JSON.stringify(mine, null, 2));
  });
});

describe('dp with your own personas', () => {
  it('warns about broad allows, naming them, and still applies the persona', async () => {
    const dir = newDir();
    mkdirSync(join(dir, 'profiles/personas'), { recursive: true });
    writeFileSync(join(dir, 'profiles/personas/scripter.json'), JSON.stringify({ persona: 'scripter', display_name: 'Q&A <Lead>', permissions: { allow: ['Bash(python *)'] } }));
    const result = await dp(dir, ['persona', 'add', 'scripter']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('dp: warning: scripter allows broad rules: Bash(python *)');
    expect(read(dir, 'CLAUDE.md')).toContain('## Q&A <Lead> persona (custom)');
  });
});
