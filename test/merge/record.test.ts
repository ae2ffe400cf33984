// The record (.claude/persona.json) and the bases beside it (.claude/persona.bases.json): small and readable
// with every built-in persona active; bundled tools kept or replaced by hash, never merged; customisable
// text merged three ways from its stored base; records of the previous format read and upgraded with
// nothing lost.
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packBase, sha256 } from '../../shared/merge/record.js';
import { dp } from '../support/cli.js';
import { read, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-record-');
const RECORD = '.claude/persona.json';
const BASES = '.claude/persona.bases.json';
const command = '.claude/skills/gpu-optimize/SKILL.md';
const tool = 'scripts/gpu_monitor.mjs';
const otherTool = 'scripts/parallel_optimizer.mjs';

async function ok(dir: string, args: string[]) {
  const result = await dp(dir, args);
  expect(result.exitCode, `dp ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

const json = (dir: string, path: string) => JSON.parse(read(dir, path));

/**
 * The record as generator-dp wrote it before this format: every entry with its base inlined (the bundled
 * tools too), settings ownership rule by rule, the merged permissions under configuration.
 */
function asFormat1(dir: string, oldContent: (path: string, now: string) => string): void {
  const record = json(dir, RECORD);
  const files: Record<string, unknown> = {};
  for (const [path, entry] of Object.entries(record.managed.files) as Array<[string, { persona: string; executable: boolean }]>) {
    const content = oldContent(path, read(dir, path));
    files[path] = { persona: entry.persona, sha256: sha256(content), base: packBase(content), executable: entry.executable };
  }
  const sections: Record<string, unknown> = {};
  const bases = json(dir, BASES).bases as Record<string, string>;
  for (const [id, entry] of Object.entries(record.managed.sections) as Array<[string, { sha256: string }]>) {
    sections[id] = { ...entry, base: packBase(bases[entry.sha256]!) };
  }
  const rules: Record<string, Record<string, string[]>> = { deny: {}, ask: {}, allow: {} };
  for (const group of record.managed.settings.rules as Array<Record<string, string[]>>) {
    for (const list of ['deny', 'ask', 'allow']) for (const rule of group[list] ?? []) rules[list]![rule] = group.personas!;
  }
  const permissions = { allow: Object.keys(rules.allow!), ask: Object.keys(rules.ask!), deny: Object.keys(rules.deny!) };
  const old = {
    generator: 'generator-dp',
    version: '0.0.9',
    active: record.active,
    configuration: { permissions, ...record.configuration },
    managed: { settings: { ...record.managed.settings, rules }, sections, files },
  };
  writeFileSync(join(dir, RECORD), `${JSON.stringify(old, null, 2)}\n`);
  rmSync(join(dir, BASES));
}

describe('the record', () => {
  it('stays under 16 KB with all five built-in personas applied through dp, one line per managed file', async () => {
    const dir = newDir();
    for (const persona of ['data-scientist', 'software-architect', 'pm', 'designer']) await ok(dir, ['persona', 'add', persona]);
    await ok(dir, ['persona', 'add', 'developer', '--level', 'expert']);
    const text = read(dir, RECORD);
    expect(Buffer.byteLength(text)).toBeLessThan(16 * 1024);
    const record = JSON.parse(text);
    expect(record.active).toHaveLength(5);
    const lines = text.split('\n');
    for (const path of [...Object.keys(record.managed.files)]) {
      expect(lines.filter((l) => l.includes(JSON.stringify(path)) && l.includes('sha256')), path).toHaveLength(1);
    }
    // No copy of a bundled tool or hook script anywhere: they are replaced by hash.
    const files = Object.entries(record.managed.files) as Array<[string, { update?: string }]>;
    const bundled = files.filter(([path]) => /^(scripts|\.claude\/hooks)\//.test(path)).map(([path]) => path);
    expect(bundled.length).toBeGreaterThanOrEqual(8);
    expect(files.filter(([, f]) => f.update === 'replace').map(([path]) => path)).toEqual(bundled);
    const bases = json(dir, BASES).bases as Record<string, string>;
    for (const entry of Object.values(record.managed.files) as Array<{ sha256: string; update?: string }>) {
      expect(entry.sha256 in bases).toBe(entry.update !== 'replace');
    }
    expect(statSync(join(dir, BASES)).size).toBeLessThan(100 * 1024);
  });

  it('an untouched tool is replaced on upgrade; an edited one stays, the new version beside it, reported as a conflict', async () => {
    const dir = newDir();
    await ok(dir, ['persona', 'add', 'data-scientist']);
    const current = { tool: read(dir, tool), other: read(dir, otherTool) };
    // As if an older version had written both tools; the user then edited one of them.
    const record = json(dir, RECORD);
    for (const path of [tool, otherTool]) {
      const old = `${current[path === tool ? 'tool' : 'other']}// older\n`;
      writeFileSync(join(dir, path), old);
      record.managed.files[path].sha256 = sha256(old);
    }
    writeFileSync(join(dir, RECORD), JSON.stringify(record));
    const edited = `${read(dir, tool)}// mine\n`;
    writeFileSync(join(dir, tool), edited);

    const upgraded = await ok(dir, ['upgrade']);
    expect(read(dir, otherTool)).toBe(current.other);
    expect(read(dir, tool)).toBe(edited);
    expect(read(dir, `${tool}.dp-new`)).toBe(current.tool);
    expect(upgraded.stdout).toMatch(/conflict\s+scripts\/gpu_monitor\.mjs/);
    expect(upgraded.stdout).not.toContain('<<<<<<<');

    // Nothing new since: a re-run writes nothing, the edited tool is simply kept.
    const settled = snapshot(dir);
    await ok(dir, ['upgrade']);
    expect(snapshot(dir)).toEqual(settled);
    // Removing the persona takes back the untouched tools and keeps the edited one.
    rmSync(join(dir, `${tool}.dp-new`));
    await ok(dir, ['persona', 'remove', 'data-scientist']);
    expect(read(dir, tool)).toBe(edited);
    expect(existsSync(join(dir, otherTool))).toBe(false);
  });

  it('markers never go into a bundled tool', async () => {
    const dir = newDir();
    await ok(dir, ['persona', 'add', 'data-scientist']);
    const record = json(dir, RECORD);
    record.managed.files[tool].sha256 = sha256('older\n');
    writeFileSync(join(dir, RECORD), JSON.stringify(record));
    writeFileSync(join(dir, tool), 'mine\n');
    await ok(dir, ['upgrade', '--on-conflict', 'markers']);
    expect(read(dir, tool)).toBe('mine\n');
    expect(existsSync(join(dir, `${tool}.dp-new`))).toBe(true);
  });

  it('a command edited by the user is merged three ways from its stored base', async () => {
    const dir = newDir();
    await ok(dir, ['persona', 'add', 'data-scientist']);
    const current = read(dir, command);
    const old = current.replace(/^# (.*)$/m, '# $1 (old wording)');
    const record = json(dir, RECORD);
    record.managed.files[command].sha256 = sha256(old);
    writeFileSync(join(dir, RECORD), JSON.stringify(record));
    const bases = json(dir, BASES);
    bases.bases[sha256(old)] = old;
    writeFileSync(join(dir, BASES), JSON.stringify(bases));
    writeFileSync(join(dir, command), `${old}\nMy own note.\n`);
    const upgraded = await ok(dir, ['upgrade']);
    expect(upgraded.stdout).toMatch(/merged\s+\.claude\/skills\/gpu-optimize\/SKILL\.md/);
    expect(read(dir, command)).toBe(`${current}\nMy own note.\n`);
    // The old base stays one run, for a run cut short; the next change of the record drops it.
    expect(json(dir, BASES).bases[sha256(current)]).toBe(current);
  });

  it('without the bases file nothing is lost: a re-run writes it again, an edited file is a conflict, not overwritten', async () => {
    const dir = newDir();
    await ok(dir, ['persona', 'add', 'data-scientist']);
    const bases = read(dir, BASES);
    rmSync(join(dir, BASES));
    await ok(dir, ['persona', 'add', 'data-scientist']);
    expect(read(dir, BASES)).toBe(bases);

    rmSync(join(dir, BASES));
    const record = json(dir, RECORD);
    record.managed.files[command].sha256 = sha256('older\n');
    writeFileSync(join(dir, RECORD), JSON.stringify(record));
    writeFileSync(join(dir, command), 'mine\n');
    await ok(dir, ['upgrade']);
    expect(read(dir, command)).toBe('mine\n');
    expect(existsSync(join(dir, `${command}.dp-new`))).toBe(true);
  });
});

describe('a record from before this format', () => {
  it('is read and upgraded with nothing lost, and rewritten small', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'CLAUDE.md'), '# Ours\n');
    await ok(dir, ['persona', 'add', 'data-scientist']);
    await ok(dir, ['persona', 'add', 'pm']);
    const current = snapshot(dir);
    const now = (path: string) => current[path]!.content;
    const older = (path: string, text: string) => (path === command ? text.replace(/^# (.*)$/m, '# $1 (old wording)') : path.startsWith('scripts/') ? `${text}// older\n` : text);
    asFormat1(dir, older);
    // The old version's files on disk: an untouched tool, an edited tool, an edited command.
    for (const path of [tool, otherTool, command]) writeFileSync(join(dir, path), older(path, now(path)));
    writeFileSync(join(dir, otherTool), `${older(otherTool, now(otherTool))}// mine\n`);
    writeFileSync(join(dir, command), `${older(command, now(command))}\nMy own note.\n`);
    const oldRecord = read(dir, RECORD);
    expect(Buffer.byteLength(oldRecord)).toBeGreaterThan(100 * 1024);

    const status = JSON.parse((await ok(dir, ['status', '--json'])).stdout);
    expect(status.active.map((a: { id: string }) => a.id)).toEqual(['data-scientist', 'pm']);

    await ok(dir, ['upgrade']);
    expect(read(dir, tool)).toBe(now(tool));
    expect(read(dir, otherTool)).toBe(`${older(otherTool, now(otherTool))}// mine\n`);
    expect(read(dir, `${otherTool}.dp-new`)).toBe(now(otherTool));
    expect(read(dir, command)).toBe(`${now(command)}\nMy own note.\n`);
    expect(read(dir, 'CLAUDE.md')).toBe(now('CLAUDE.md'));
    expect(read(dir, '.claude/settings.json')).toBe(now('.claude/settings.json'));
    const record = json(dir, RECORD);
    expect(record.format).toBe(2);
    expect(Buffer.byteLength(read(dir, RECORD))).toBeLessThan(8 * 1024);
    expect(JSON.stringify(record)).not.toContain('"base"');

    // Settled: a re-run writes nothing; removing both personas leaves the user's text and edits only.
    const settled = snapshot(dir);
    await ok(dir, ['upgrade']);
    expect(snapshot(dir)).toEqual(settled);
    rmSync(join(dir, `${otherTool}.dp-new`));
    await ok(dir, ['persona', 'remove', 'data-scientist', 'pm']);
    expect(read(dir, 'CLAUDE.md')).toBe('# Ours\n');
    expect(existsSync(join(dir, RECORD))).toBe(false);
    expect(existsSync(join(dir, BASES))).toBe(false);
    expect(existsSync(join(dir, '.claude/settings.json'))).toBe(false);
    expect(read(dir, otherTool)).toContain('// mine');
    expect(read(dir, command)).toContain('My own note.');
  });
});
