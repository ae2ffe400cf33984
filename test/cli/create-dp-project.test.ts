import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dpInvocation } from '../../cli/create.js';
import { createBin, createProject, dp, onTerminal } from '../support/cli.js';
import { listFiles, read, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-create-');

describe('npx create-dp-project', () => {
  it('my-model --persona data-scientist: a new git repository with the persona applied', async () => {
    const parent = newDir();
    const result = await createProject(parent, ['my-model', '--persona', 'data-scientist']);
    expect(result.exitCode).toBe(0);
    const dir = join(parent, 'my-model');
    expect(existsSync(join(dir, '.git'))).toBe(true);
    expect(read(dir, 'README.md')).toMatch(/^# my-model\n/);
    expect(read(dir, '.gitignore').split('\n')).toEqual(expect.arrayContaining(['.claude/settings.local.json', 'CLAUDE.local.md']));
    expect(listFiles(dir)).toEqual(expect.arrayContaining(['CLAUDE.md', '.claude/persona.json', 'scripts/gpu_monitor.mjs']));
    expect(result.stdout).toContain('Next steps:\n  cd my-model');
    // Every file written is in the list, the scaffold and dp's record too.
    const listed = result.stdout.split('\n').filter((line) => line.startsWith('  created  ')).map((line) => line.slice('  created  '.length));
    expect(listed.sort()).toEqual(listFiles(dir).filter((path) => !path.startsWith('.git/')).sort());
    // From a checkout, the dp that works is this one's (npx -p generator-dp would fetch the published one).
    const checkout = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
    expect(result.stdout).toContain(`  node ${join(checkout, 'dist/cli/dp.js')} status`);
  });

  it('--version and -v print the version', async () => {
    const { version } = JSON.parse(read(fileURLToPath(new URL('../..', import.meta.url)), 'package.json'));
    for (const flag of ['--version', '-v']) {
      const result = await createProject(newDir(), [flag]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(version);
    }
  });

  it('--yes takes the defaults (my-project, the first persona) and fails on the level, which has none', async () => {
    const parent = newDir();
    const refused = await createProject(parent, ['-y']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe('create-dp-project: no skill level for Software Developer given, and it has no default for --yes to take\n  pass --level beginner|l1|l2|expert');
    expect(listFiles(parent)).toEqual([]);
    const created = await createProject(parent, ['--yes', '--level', 'l1']);
    expect(created.exitCode).toBe(0);
    expect(JSON.parse(read(join(parent, 'my-project'), '.claude/persona.json')).active).toEqual([expect.objectContaining({ id: 'developer', level: 'l1' })]);
    expect(created.stdout).toContain('  created  .yo-rc.json');
  });

  it('--yes asks nothing on a terminal either', async () => {
    const parent = newDir();
    const result = await onTerminal(parent, ['node', createBin, 'app', '-y', '--persona', 'pm'], '');
    expect(result.stdout).not.toContain('?');
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(parent, 'app', '.claude/skills/generate-prd/SKILL.md'))).toBe(true);
  });

  it('applies a persona named several ways once', async () => {
    const parent = newDir();
    const result = await createProject(parent, ['app', '--persona', 'ds,data-scientist,3']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(read(join(parent, 'app'), '.claude/persona.json')).active).toHaveLength(1);
  });

  it('asks for the directory, personas and skill level on a terminal', async () => {
    const parent = newDir();
    const result = await onTerminal(parent, ['node', createBin], 'team-app\n1,4\n2\n');
    expect(result.stdout).toContain('Project directory? (my-project)');
    expect(result.stdout).toContain('Which personas?');
    expect(result.stdout).toContain('Software Developer: skill level?');
    expect(result.exitCode).toBe(0);
    const record = JSON.parse(read(join(parent, 'team-app'), '.claude/persona.json'));
    expect(record.active.map((a: { id: string; level?: string }) => `${a.id}${a.level ? `:${a.level}` : ''}`)).toEqual(['developer:l1', 'pm']);
  });

  it('refuses a directory that is not empty unless --force, and then overwrites nothing', async () => {
    const parent = newDir();
    mkdirSync(join(parent, 'busy'));
    writeFileSync(join(parent, 'busy', 'README.md'), 'mine\n');
    const refused = await createProject(parent, ['busy', '--persona', 'ds']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('create-dp-project: ');
    expect(refused.stderr).toContain('busy is not empty');
    expect(listFiles(join(parent, 'busy'))).toEqual(['README.md']);
    const forced = await createProject(parent, ['busy', '--persona', 'ds', '--force']);
    expect(forced.exitCode).toBe(0);
    expect(read(join(parent, 'busy'), 'README.md')).toBe('mine\n');
  });

  it.each([
    [['app'], 'create-dp-project: no persona given and no terminal to ask'],
    [['--persona', 'ds'], 'create-dp-project: no directory given and no terminal to ask'],
    [['app', '--persona', 'astronaut'], 'create-dp-project: unknown persona "astronaut"'],
    [['app', '--persona', 'developer'], 'create-dp-project: no skill level for Software Developer given and no terminal to ask'],
    [['app', '--persona', 'dev', '--level', 'guru'], 'create-dp-project: unknown level "guru" for Software Developer'],
    [['app', '--persona', 'pm', '--level', 'l1'], 'create-dp-project: --level applies to the developer persona, which is not among pm'],
  ])('without a terminal, %j fails with one line and creates nothing', async (args, message) => {
    const parent = newDir();
    const result = await createProject(parent, args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(listFiles(parent)).toEqual([]);
  });

  it("an unknown option points at create-dp-project's own --help", async () => {
    const result = await createProject(newDir(), ['app', '--bogus']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe("create-dp-project: unknown option '--bogus'\n  run 'create-dp-project --help' for its options");
  });
});

describe('create-dp-project <existing repository> --force only adds personas', () => {
  const activeIds = (dir: string) => JSON.parse(read(dir, '.claude/persona.json')).active.map((a: { id: string; level?: string }) => `${a.id}${a.level ? `:${a.level}` : ''}`);
  /** Every file dp had written, as it was: same bytes, not even rewritten. */
  const unchanged = (dir: string, before: ReturnType<typeof snapshot>) => Object.fromEntries(Object.keys(before).map((path) => [path, snapshot(dir)[path]]));

  it('--persona ds where ds and pm are active: pm keeps its files and section, nothing of dp is rewritten', async () => {
    const dir = newDir();
    expect((await dp(dir, ['persona', 'add', 'ds', 'pm'])).exitCode).toBe(0);
    const before = snapshot(dir);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['.claude/skills/generate-prd/SKILL.md']));
    const result = await createProject(dir, [dir, '--force', '--persona', 'ds']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(unchanged(dir, before)).toEqual(before);
    expect(read(dir, 'CLAUDE.md')).toContain('<!-- dp:begin pm -->');
    expect(activeIds(dir)).toEqual(['data-scientist', 'pm']);
    expect(listFiles(dir).filter((path) => !(path in before))).toEqual(['.gitignore', 'README.md']);
    expect(result.stdout).toContain('active: data-scientist, pm');
    expect((await createProject(dir, ['--help'])).stdout).toContain('--force           use a directory that is not empty: nothing of yours is overwritten, the\n                    personas already applied there stay active at their level, the others are added');
  });

  it('--persona designer where ds and pm are active: three active, ds and pm untouched', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'ds', 'pm']);
    const before = snapshot(dir);
    const result = await createProject(dir, [dir, '--force', '--persona', 'designer']);
    expect(result.exitCode).toBe(0);
    expect(activeIds(dir)).toEqual(['data-scientist', 'pm', 'designer']);
    // dp's own bookkeeping (the record and its bases) changes with every persona added.
    const { 'CLAUDE.md': claudeBefore, '.claude/settings.json': _settings, '.claude/persona.json': _record, '.claude/persona.bases.json': _bases, ...personaFiles } = before;
    expect(unchanged(dir, personaFiles)).toEqual(personaFiles);
    // The designer's section is appended: what was there stays byte for byte.
    expect(read(dir, 'CLAUDE.md').startsWith(claudeBefore!.content)).toBe(true);
    expect(read(dir, 'CLAUDE.md')).toContain('<!-- dp:begin designer -->');
    expect(result.stdout).toContain('active: data-scientist, pm, designer');
  });

  it('an active developer keeps its level: no question asked, and a different --level is refused', async () => {
    const dir = newDir();
    await dp(dir, ['persona', 'add', 'developer', '--level', 'l1']);
    const before = snapshot(dir);
    const kept = await createProject(dir, [dir, '--force', '--persona', 'developer,pm']);
    expect(kept.exitCode).toBe(0);
    expect(activeIds(dir)).toEqual(['developer:l1', 'pm']);
    expect(read(dir, '.claude/skills/dev-precommit/SKILL.md')).toBe(before['.claude/skills/dev-precommit/SKILL.md']!.content);

    const untouched = snapshot(dir);
    const refused = await createProject(dir, [dir, '--force', '--persona', 'designer,developer', '--level', 'expert']);
    expect(refused.stderr.split('\n')[0]).toBe('create-dp-project: developer is already active here at level l1: --force only adds personas, it does not change them');
    expect(refused.exitCode).toBe(2);
    expect(snapshot(dir)).toEqual(untouched);
  });
});

describe('the closing hint names a dp that works', () => {
  const fakeInstall = (resolved: string | undefined) => {
    const project = newDir();
    const root = join(project, 'node_modules', 'generator-dp');
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    mkdirSync(root);
    writeFileSync(join(project, 'node_modules', '.bin', 'dp'), '');
    writeFileSync(join(project, 'node_modules', '.package-lock.json'), JSON.stringify({ packages: { 'node_modules/generator-dp': resolved ? { resolved } : { version: '0.1.0' } } }));
    return { project, root };
  };

  it('installed from the registry: npx -p generator-dp dp', () => {
    expect(dpInvocation(fakeInstall('https://registry.npmjs.org/generator-dp/-/generator-dp-0.1.0.tgz').root)).toBe('npx -p generator-dp dp');
  });

  it('installed from a local tarball: the dp installed beside it', () => {
    const { project, root } = fakeInstall('file:../packs/generator-dp-0.1.0.tgz');
    expect(dpInvocation(root)).toBe(join(project, 'node_modules', '.bin', 'dp'));
  });

  it('a checkout: node <checkout>/dist/cli/dp.js', () => {
    expect(dpInvocation('/src/generator dp')).toBe("node '/src/generator dp/dist/cli/dp.js'");
  });
});
