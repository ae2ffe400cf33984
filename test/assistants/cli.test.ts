// Choosing the assistants: --assistants on dp persona add and the generators, dp assistants add|remove|list,
// the choice kept by re-runs, removal taking back exactly an assistant's files, bad ids refused in one line.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assistantIds } from '../../shared/assistants/registry.js';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { dp, type Ran } from '../support/cli.js';
import { listFiles, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-assistants-');
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const record = (dir: string) => JSON.parse(read(dir, '.claude/persona.json')) as { assistants?: string[] };

describe('dp persona add --assistants', () => {
  it('writes the section once, in AGENTS.md, imported by CLAUDE.md; re-runs keep the choice and write nothing', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'AGENTS.md'), '# Team\n');
    const added = await dp(dir, ['persona', 'add', 'pm', '--assistants', 'claude,agents']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stdout).toContain('AGENTS.md: pm: its');
    expect(read(dir, 'AGENTS.md')).toMatch(/^# Team\n\n<!-- dp:begin pm -->\n## Product Manager/);
    expect(read(dir, 'CLAUDE.md')).toBe('<!-- dp:begin import-AGENTS.md -->\n@AGENTS.md\n<!-- dp:end import-AGENTS.md -->\n');
    expect(record(dir).assistants).toEqual(['claude', 'agents']);

    const before = snapshot(dir);
    const again = await dp(dir, ['persona', 'add', 'pm']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toContain('cannot be expressed');
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses an assistant it does not know in one line, before reading or writing anything', async () => {
    const dir = newDir();
    const result = await dp(dir, ['persona', 'add', 'pm', '--assistants', 'claude,windsurf']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`dp: unknown assistant "windsurf": this dp writes for ${assistantIds().join(', ')} (or all)`);
    expect(result.stderr).not.toContain('    at ');
    expect(listFiles(dir)).toEqual([]);
  });

  it('GEMINI.md imports nothing where the user\'s context.fileName already has Gemini CLI read AGENTS.md: the section is read once', async () => {
    const dir = newDir();
    mkdirSync(join(dir, '.gemini'));
    const settings = '{"context": {"fileName": ["AGENTS.md", "GEMINI.md"]}}\n';
    writeFileSync(join(dir, '.gemini/settings.json'), settings);
    writeFileSync(join(dir, 'GEMINI.md'), '# Ours\n');
    const added = await dp(dir, ['persona', 'add', 'pm', '--assistants', 'gemini']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(read(dir, 'GEMINI.md')).toBe('# Ours\n');
    expect(read(dir, '.gemini/settings.json')).toMatch(/^\{"context": \{"fileName": \["AGENTS.md", "GEMINI.md"\]\}, "tools"/);
    expect(read(dir, 'AGENTS.md')).toContain('<!-- dp:begin pm -->');
    expect((await dp(dir, ['persona', 'remove', 'pm'])).exitCode).toBe(0);
    expect(read(dir, 'GEMINI.md')).toBe('# Ours\n');
    expect(read(dir, '.gemini/settings.json')).toBe(settings);
  });

  it('refuses an unknown assistant beside all too: all does not hide a typo', async () => {
    const dir = newDir();
    const result = await dp(dir, ['persona', 'add', 'pm', '--assistants', 'all,windsurf']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`dp: unknown assistant "windsurf": this dp writes for ${assistantIds().join(', ')} (or all)`);
    expect(listFiles(dir)).toEqual([]);
  });
});

describe('dp assistants', () => {
  it('add and remove change the targets; removing takes back exactly what was written for it', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'CLAUDE.md'), '# Ours\n');
    const user = snapshot(dir);
    expect((await dp(dir, ['persona', 'add', 'pm', 'designer'])).exitCode).toBe(0);
    const claudeOnly = snapshot(dir);

    const added = await dp(dir, ['assistants', 'add', 'agents']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(read(dir, 'AGENTS.md')).toContain('<!-- dp:begin designer -->');
    expect(read(dir, 'CLAUDE.md')).not.toContain('dp:begin pm');
    expect(read(dir, 'CLAUDE.md')).toContain('@AGENTS.md');

    const listed = await dp(dir, ['assistants']);
    expect(listed.stdout).toContain('Written for here: claude, agents');
    expect(listed.stdout).toMatch(/agents +AGENTS\.md +\* written for/);

    expect((await dp(dir, ['assistants', 'remove', 'agents'])).exitCode).toBe(0);
    const { ['.claude/persona.bases.json']: _bases, ...now } = snapshot(dir);
    const { ['.claude/persona.bases.json']: _old, ...then } = claudeOnly;
    expect(Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v.content]))).toEqual(Object.fromEntries(Object.entries(then).map(([k, v]) => [k, v.content])));

    expect((await dp(dir, ['persona', 'remove', 'pm', 'designer'])).exitCode).toBe(0);
    expect(Object.keys(snapshot(dir))).toEqual(Object.keys(user));
    expect(read(dir, 'CLAUDE.md')).toBe('# Ours\n');
  });

  it('refuses to remove an assistant not written for, or the last one, in one line', async () => {
    const dir = newDir();
    expect((await dp(dir, ['persona', 'add', 'pm'])).exitCode).toBe(0);
    const before = snapshot(dir);
    const notThere = await dp(dir, ['assistants', 'remove', 'agents']);
    expect(notThere.exitCode).toBe(2);
    expect(notThere.stderr.split('\n')[0]).toBe('dp: dp does not write for agents here');
    const last = await dp(dir, ['assistants', 'remove', 'claude']);
    expect(last.exitCode).toBe(2);
    expect(last.stderr.split('\n')[0]).toBe('dp: dp must write for at least one assistant');
    expect(snapshot(dir)).toEqual(before);
  });

  it('AGENTS.md alone: Claude Code files go, the tools stay, dp status and doctor say so', async () => {
    const dir = newDir();
    expect((await dp(dir, ['persona', 'add', 'data-scientist', '--assistants', 'agents'])).exitCode).toBe(0);
    expect(listFiles(dir).filter((f) => !f.startsWith('scripts/'))).toEqual(['.claude/persona.bases.json', '.claude/persona.json', 'AGENTS.md']);
    expect(listFiles(dir).some((f) => f.startsWith('scripts/'))).toBe(true);
    const status = await dp(dir, ['status']);
    expect(status.stdout).toContain('written for: AGENTS.md');
    const doctor = await dp(dir, ['doctor']);
    expect(doctor.stdout).not.toContain('settings.json is missing');
    expect(doctor.stdout).toContain('written for agents');
  });
});

describe('yo dp:<persona> --assistants', () => {
  it('writes for the assistants named and records them', async () => {
    const dir = newDir();
    await runIn(dir, 'pm', { options: { assistants: 'all' } }).run();
    expect(read(dir, 'AGENTS.md')).toContain('<!-- dp:begin pm -->');
    expect(record(dir).assistants).toEqual(assistantIds());
  });

  it('refuses an unknown id before writing anything', async () => {
    const dir = newDir();
    await expect(runIn(dir, 'pm', { options: { assistants: 'nope' } }).run()).rejects.toThrow('unknown assistant "nope"');
    expect(listFiles(dir)).toEqual([]);
  });
});

describe('the menu (yo dp)', () => {
  it('offers the assistants and writes for those picked', async () => {
    const dir = newDir();
    await runIn(dir, 'app', { answers: { persona: 'pm', assistants: ['claude', 'agents'] } }).run();
    expect(read(dir, 'AGENTS.md')).toContain('<!-- dp:begin pm -->');
    expect(record(dir).assistants).toEqual(['claude', 'agents']);
  });

  it('pre-selects the assistants whose files are in the repository', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'AGENTS.md'), '# Team\n');
    await runIn(dir, 'app', { answers: { persona: 'pm' } }).run();
    expect(record(dir).assistants).toEqual(['claude', 'agents']);
    expect(read(dir, 'CLAUDE.md')).toContain('@AGENTS.md');
  });
});

// This worktree's build, run as the package's bin runs it (the bin imports generator-dp/create, which
// resolves to the installed package).
const createJs = fileURLToPath(new URL('../../dist/cli/create.js', import.meta.url));
function createProject(cwd: string, args: string[]): Promise<Ran> {
  const script = `const { runCreate } = await import(${JSON.stringify(createJs)}); process.exitCode = await runCreate(process.argv.slice(1));`;
  return execa('node', ['--input-type=module', '-e', script, ...args], { cwd, reject: false, stdin: 'ignore' }) as unknown as Promise<Ran>;
}

describe('create-dp-project --assistants', () => {
  it('creates the project for the assistants named', async () => {
    const parent = newDir();
    const result = await createProject(parent, ['app', '--persona', 'pm', '--assistants', 'agents', '--no-git']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(read(join(parent, 'app'), 'AGENTS.md')).toContain('<!-- dp:begin pm -->');
    expect(listFiles(join(parent, 'app'))).not.toContain('CLAUDE.md');
  });

  it('refuses an unknown id before creating anything', async () => {
    const parent = newDir();
    const result = await createProject(parent, ['app', '--persona', 'pm', '--assistants', 'emacs', '--no-git']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^create-dp-project: unknown assistant "emacs"/);
    expect(listFiles(parent)).toEqual([]);
  });
});

describe('dp status and dp doctor cover every assistant written for', () => {
  it('a Gemini command that no longer parses as TOML and a .cursor/cli.json broken by hand are problems, named', async () => {
    const dir = newDir();
    expect((await dp(dir, ['persona', 'add', 'pm', '--assistants', 'gemini,cursor'])).exitCode).toBe(0);
    expect((await dp(dir, ['doctor'])).stdout).not.toMatch(/^problem .*(toml|cli\.json)/m);
    writeFileSync(join(dir, '.gemini/commands/generate-prd.toml'), "prompt = '''unterminated\n");
    writeFileSync(join(dir, '.cursor/cli.json'), '{ "permissions": \n');
    const doctor = await dp(dir, ['doctor']);
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toMatch(/^problem +\.gemini\/commands\/generate-prd\.toml: not TOML: .* \(Gemini CLI may not load it\)$/m);
    expect(doctor.stdout).toMatch(/^problem +\.cursor\/cli\.json line 2: not strict JSON/m);
    const status = await dp(dir, ['status', '--json']);
    const report = JSON.parse(status.stdout) as { assistants: string[]; unreadable: string[] };
    expect(report.assistants).toEqual(['agents', 'gemini', 'cursor']);
    expect(report.unreadable).toHaveLength(2);
  });
});
