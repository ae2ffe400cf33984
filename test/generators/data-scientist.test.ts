import { existsSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packBase, sha256 } from '../../shared/merge/record.js';
import { sectionBody } from '../../shared/merge/sections.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { listFiles, read, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';
import { yoProcess } from '../support/yo-process.js';

const newDir = useTempDir('dp-ds-');

const DS_FILES = [
  '.claude/agents/training-run-investigator.md',
  '.claude/hooks/kill-guard.mjs',
  '.claude/persona.bases.json',
  '.claude/persona.json',
  '.claude/settings.json',
  '.claude/skills/gpu-optimize/SKILL.md',
  '.claude/skills/parallel-explain/SKILL.md',
  '.claude/skills/process-impact/SKILL.md',
  'CLAUDE.md',
  'scripts/analyze_process_impact.mjs',
  'scripts/analyze_process_impact.sh',
  'scripts/gpu_monitor.mjs',
  'scripts/gpu_monitor.sh',
  'scripts/parallel_optimizer.mjs',
  'scripts/parallel_optimizer.sh',
];

function json(dir: string, path: string) {
  return JSON.parse(read(dir, path));
}

describe('yo dp:data-scientist --status-line', () => {
  it('adds the GPU status line and its script, and a re-run without the option keeps them', async () => {
    const dir = newDir();
    await runIn(dir, 'data-scientist', { options: { 'status-line': true } });
    const statusLine = { type: 'command', command: 'node "$CLAUDE_PROJECT_DIR"/.claude/hooks/gpu-status.mjs', refreshInterval: 5 };
    expect(json(dir, '.claude/settings.json').statusLine).toEqual(statusLine);
    expect(listFiles(dir)).toContain('.claude/hooks/gpu-status.mjs');
    await runIn(dir, 'data-scientist');
    expect(json(dir, '.claude/settings.json').statusLine).toEqual(statusLine);
    expect(listFiles(dir)).toContain('.claude/hooks/gpu-status.mjs');
  });
});

describe('yo dp:data-scientist --no-status-line', () => {
  it("takes back the status line dp set, keeps the rest of the settings, and records the choice", async () => {
    const dir = newDir();
    await runIn(dir, 'data-scientist');
    const without = read(dir, '.claude/settings.json');
    await runIn(dir, 'data-scientist', { options: { 'status-line': true } });
    expect(json(dir, '.claude/settings.json').statusLine).toBeDefined();
    await runIn(dir, 'data-scientist', { options: { 'status-line': false } });
    expect(read(dir, '.claude/settings.json')).toBe(without);
    expect(listFiles(dir)).not.toContain('.claude/hooks/gpu-status.mjs');
    expect(json(dir, '.claude/persona.json').active[0].statusLine).toBeUndefined();
  });

  it('is read from the command line as the option turned off', async () => {
    const dir = newDir();
    expect((await yoProcess(dir, 'data-scientist', {}, ['--status-line'])).exitCode).toBe(0);
    expect(json(dir, '.claude/settings.json').statusLine).toBeDefined();
    const off = await yoProcess(dir, 'data-scientist', {}, ['--no-status-line']);
    expect(off.exitCode, off.stderr).toBe(0);
    expect(json(dir, '.claude/settings.json').statusLine).toBeUndefined();
  }, 60_000);
});

describe('yo dp:data-scientist in an empty repository', () => {
  it('writes the tools, commands, CLAUDE.md section, settings and record', async () => {
    const dir = newDir();
    await runIn(dir, 'data-scientist');
    expect(listFiles(dir)).toEqual(DS_FILES);

    for (const script of ['gpu_monitor', 'analyze_process_impact', 'parallel_optimizer']) {
      const mjs = read(dir, `scripts/${script}.mjs`);
      expect(mjs.startsWith('#!/usr/bin/env node\n')).toBe(true);
      expect(statSync(join(dir, `scripts/${script}.mjs`)).mode & 0o111).toBe(0o111);
      expect(statSync(join(dir, `scripts/${script}.sh`)).mode & 0o111).toBe(0o111);
      expect(read(dir, `scripts/${script}.sh`)).toContain(`exec node "$(dirname "$0")/${script}.mjs" "$@"`);
    }

    for (const command of ['gpu-optimize', 'parallel-explain', 'process-impact']) {
      const text = read(dir, `.claude/skills/${command}/SKILL.md`);
      expect(text).toMatch(new RegExp(`^---\nname: ${command}\ndescription: .+\nargument-hint: .+\nallowed-tools: .+\n---\n`));
      expect(text).not.toMatch(/\$\d/);
    }
    expect(read(dir, '.claude/skills/process-impact/SKILL.md')).toContain('scripts/analyze_process_impact.sh $ARGUMENTS --json');

    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith('<!-- dp:begin data-scientist -->\n## Data Scientist persona\n')).toBe(true);
    expect(claude.endsWith('<!-- dp:end data-scientist -->\n')).toBe(true);
    expect(claude).toContain('Never suggest `kill`');

    const settings = json(dir, '.claude/settings.json');
    expect(settings.permissions.allow).toEqual(expect.arrayContaining(['Bash(scripts/gpu_monitor.sh --once)', 'Bash(scripts/gpu_monitor.sh --once --json)']));
    expect(settings.permissions.allow.filter((rule: string) => rule.includes('*') && /gpu_monitor|nvidia-smi|rocm-smi/.test(rule))).toEqual([]);
    expect(settings.permissions.ask).toEqual(expect.arrayContaining(['Bash(kill *)', 'Bash(scripts/analyze_process_impact.sh *--action*)', 'Bash(nvidia-smi *-f *)']));
    expect(settings.permissions.deny).toEqual(expect.arrayContaining(['Bash(sudo *)', 'Read(./.env)', 'Read(**/.env)', 'Read(**/.env.*)', 'Read(**/secrets/**)', 'Edit(**/.env)', 'Edit(**/secrets/**)']));
    // The tools run without a prompt, so what runs must stay what dp installed.
    for (const tool of ['gpu_monitor', 'analyze_process_impact', 'parallel_optimizer']) {
      expect(settings.permissions.deny).toEqual(expect.arrayContaining([`Edit(**/scripts/${tool}.mjs)`, `Edit(**/scripts/${tool}.sh)`]));
    }
    expect(settings.permissions.allow).not.toContain('Bash(ps *)');
    expect(settings.env).toEqual({ CUDA_DEVICE_ORDER: 'PCI_BUS_ID', PYTHONUNBUFFERED: '1' });
    expect(JSON.stringify(settings.permissions)).not.toMatch(/bypassPermissions|"Bash\(\*\)"|"Bash"/);
    expect(settings.hooks.PreToolUse).toEqual([{ matcher: 'Bash', hooks: [{ type: 'command', command: 'node "$CLAUDE_PROJECT_DIR"/.claude/hooks/kill-guard.mjs', timeout: 10 }] }]);

    const record = json(dir, '.claude/persona.json');
    expect(record.active).toEqual([{ id: 'data-scientist', displayName: 'Data Scientist' }]);
    expect(record.configuration.commands).toHaveLength(3);
    expect(record.configuration.tools).toEqual(['scripts/gpu_monitor.mjs', 'scripts/analyze_process_impact.mjs', 'scripts/parallel_optimizer.mjs']);
    // A bundled tool is kept or replaced by its hash: no copy of it is stored.
    const tool = record.managed.files['scripts/gpu_monitor.sh'];
    expect(tool).toEqual({ persona: 'data-scientist', sha256: sha256(read(dir, 'scripts/gpu_monitor.sh')), executable: true, update: 'replace' });
    // A command's pristine copy, the base of the next three-way merge, is in the bases file.
    const command = record.managed.files['.claude/skills/gpu-optimize/SKILL.md'];
    expect(command.base).toBeUndefined();
    const bases = json(dir, '.claude/persona.bases.json').bases;
    expect(bases[command.sha256]).toBe(read(dir, '.claude/skills/gpu-optimize/SKILL.md'));
    expect(Object.keys(bases)).not.toContain(tool.sha256);
  });

  it.runIf(hasShared)('writes settings.json valid against the Claude Code settings schema', async () => {
    const dir = newDir();
    await runIn(dir, 'data-scientist');
    expect(settingsSchemaErrors(json(dir, '.claude/settings.json'))).toEqual([]);
  });
});

describe("yo dp:data-scientist in a repository with the user's own files", () => {
  const userClaude = '# Team notes\r\n\nWe use uv.   \n';
  const userBelow = '\n## After dp\nmore of mine\n';
  const userSettings = { permissions: { allow: ['Bash(npm test)'], deny: ['Bash(curl *)'] }, teamKey: { a: [1, 2] } };

  function seed(dir: string) {
    writeFileSync(join(dir, 'CLAUDE.md'), userClaude);
    mkdirSync(join(dir, '.claude'));
    writeFileSync(join(dir, '.claude/settings.json'), JSON.stringify(userSettings, null, '\t'));
  }

  it('keeps the user text, the user rules, deny rules and unknown keys', async () => {
    const dir = newDir();
    seed(dir);
    await runIn(dir, 'data-scientist');
    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith(`${userClaude}\n<!-- dp:begin data-scientist -->\n## Data Scientist persona`)).toBe(true);
    expect(claude.endsWith('<!-- dp:end data-scientist -->\n')).toBe(true);
    const settings = json(dir, '.claude/settings.json');
    expect(settings.teamKey).toEqual({ a: [1, 2] });
    expect(settings.permissions.allow[0]).toBe('Bash(npm test)');
    expect(settings.permissions.allow).toContain('Bash(nvidia-smi)');
    expect(settings.permissions.deny).toEqual(expect.arrayContaining(['Bash(curl *)', 'Read(./.env)']));
    if (hasShared) expect(settingsSchemaErrors(settings)).toEqual([]);
  });

  it('updates its section between text the user wrote above and below it, byte for byte', async () => {
    const dir = newDir();
    seed(dir);
    await runIn(dir, 'data-scientist');
    const section = sectionBody(read(dir, 'CLAUDE.md'), 'data-scientist', 'CLAUDE.md')!;
    // An older version wrote a different section; the user has since added text below it.
    const record = json(dir, '.claude/persona.json');
    record.managed.sections['data-scientist'].base = packBase('older section\n');
    writeFileSync(join(dir, '.claude/persona.json'), JSON.stringify(record));
    writeFileSync(join(dir, 'CLAUDE.md'), `${userClaude}<!-- dp:begin data-scientist -->\nolder section\n<!-- dp:end data-scientist -->\n${userBelow}`);
    await runIn(dir, 'data-scientist');
    expect(read(dir, 'CLAUDE.md')).toBe(`${userClaude}<!-- dp:begin data-scientist -->\n${section}<!-- dp:end data-scientist -->\n${userBelow}`);
  });

  it('re-run with nothing new writes nothing and keeps exactly one section', async () => {
    const dir = newDir();
    seed(dir);
    await runIn(dir, 'data-scientist');
    const past = new Date(Date.now() - 60_000);
    for (const file of listFiles(dir)) utimesSync(join(dir, file), past, past);
    const before = snapshot(dir);
    const result = await runIn(dir, 'data-scientist');
    expect(snapshot(dir)).toEqual(before);
    expect(read(dir, 'CLAUDE.md').match(/dp:begin data-scientist/g)).toHaveLength(1);
    expect(result.env.cwd).toBe(dir);
  });
});

describe('yo dp:data-scientist after an upgrade (the templates changed since the last run)', () => {
  /** Pretend an older generator wrote `old` at `path`: record it as the base, and put `onDisk` on disk. */
  function pretendOlderVersion(dir: string, path: string, old: string, onDisk: string) {
    const record = json(dir, '.claude/persona.json');
    record.managed.files[path] = { ...record.managed.files[path], sha256: sha256(old), base: packBase(old) };
    writeFileSync(join(dir, '.claude/persona.json'), `${JSON.stringify(record, null, 2)}\n`);
    writeFileSync(join(dir, path), onDisk);
  }

  it('upgrades an untouched file, merges an edited one and reports a conflicting one', async () => {
    const dir = newDir();
    await runIn(dir, 'data-scientist');
    const gpu = '.claude/skills/gpu-optimize/SKILL.md';
    const parallel = '.claude/skills/parallel-explain/SKILL.md';
    const impact = '.claude/skills/process-impact/SKILL.md';
    const current = { gpu: read(dir, gpu), parallel: read(dir, parallel), impact: read(dir, impact) };
    // The older version differed in the line after the frontmatter's title.
    const older = (text: string) => text.replace(/^# (.*)$/m, '# $1 (old wording)');

    pretendOlderVersion(dir, gpu, older(current.gpu), older(current.gpu));
    const parallelEdited = `${older(current.parallel)}\nMy own note at the end.\n`;
    pretendOlderVersion(dir, parallel, older(current.parallel), parallelEdited);
    const impactConflict = current.impact.replace(/^# (.*)$/m, '# $1 (my wording)');
    pretendOlderVersion(dir, impact, older(current.impact), impactConflict);

    const result = await runIn(dir, 'data-scientist');

    expect(read(dir, gpu)).toBe(current.gpu);
    expect(read(dir, parallel)).toBe(`${current.parallel}\nMy own note at the end.\n`);
    expect(read(dir, impact)).toBe(impactConflict);
    expect(read(dir, `${impact}.dp-new`)).toBe(current.impact);
    const log = (result as unknown as { generator: { outcomes: Array<{ path: string; status: string }> } }).generator.outcomes;
    expect(log).toEqual(
      expect.arrayContaining([
        { path: gpu, status: 'updated' },
        expect.objectContaining({ path: parallel, status: 'merged' }),
        expect.objectContaining({ path: impact, status: 'conflict', detail: expect.stringContaining(`${impact}.dp-new`) }),
      ]),
    );
    // The next run finds nothing new: the conflict was reported, the user's file stays.
    const before = snapshot(dir);
    await runIn(dir, 'data-scientist');
    expect(snapshot(dir)).toEqual(before);
  });

  it('writes conflict markers when asked to', async () => {
    const dir = newDir();
    await runIn(dir, 'data-scientist');
    const impact = '.claude/skills/process-impact/SKILL.md';
    const current = read(dir, impact);
    pretendOlderVersion(dir, impact, current.replace(/^# (.*)$/m, '# old'), current.replace(/^# (.*)$/m, '# mine'));
    await runIn(dir, 'data-scientist', { options: { onConflict: 'markers' } });
    expect(read(dir, impact)).toMatch(/<<<<<<< yours\n# mine\n=======\n# Process impact: PID \$ARGUMENTS\n>>>>>>> generator-dp \d+\.\d+\.\d+\n/);
    expect(existsSync(join(dir, `${impact}.dp-new`))).toBe(true);
  });
});

describe('yo dp:data-scientist refuses bad input and writes nothing', () => {
  it.each([
    ['settings.json with a comment', '.claude/settings.json', '{\n  // mine\n}\n', /\.claude\/settings\.json has a comment on line 2/],
    ['settings.json that is not JSON', '.claude/settings.json', '{"permissions": ', /\.claude\/settings\.json is not valid JSON/],
    ['CLAUDE.md with a begin marker and no end', 'CLAUDE.md', '# mine\n<!-- dp:begin data-scientist -->\n', /CLAUDE\.md line 2: .* has no end marker/],
    ['a corrupt .claude/persona.json', '.claude/persona.json', '{"generator": "generator-dp"', /\.claude\/persona\.json is corrupt/],
  ])('%s', async (_name, path, content, message) => {
    const dir = newDir();
    mkdirSync(join(dir, '.claude'), { recursive: true });
    writeFileSync(join(dir, path), content);
    const before = snapshot(dir);
    await expect(runIn(dir, 'data-scientist')).rejects.toThrow(message);
    expect(snapshot(dir)).toEqual(before);
  });
});
