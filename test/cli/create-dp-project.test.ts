import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBin, createProject, onTerminal } from '../support/cli.js';
import { listFiles, read } from '../support/generators.js';
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
});
