import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { listFiles, read, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-custom-');

function write(dir: string, path: string, content: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

const seed = {
  persona: 'my-role',
  display_name: 'Release Captain',
  permissions: { allow: ['Bash(make test)', 'Bash(git tag *)'], block: ['Bash(git push --force *)'] },
  environment: { RELEASE_TRAIN: 'weekly' },
};

describe('custom personas: the walk-through', () => {
  it('profiles/personas/my-role.json + .claude/commands/sets/my-role/*.md + yo dp:persona my-role', async () => {
    const dir = newDir();
    write(dir, 'profiles/personas/my-role.json', JSON.stringify(seed, null, 2));
    write(dir, '.claude/commands/sets/my-role/cut-release.md', '---\ndescription: Cut a release\n---\nCut it.\n');
    const userFiles = snapshot(dir);

    await runIn(dir, 'persona', { args: ['my-role'] });

    const settings = JSON.parse(read(dir, '.claude/settings.json'));
    expect(settings.permissions).toEqual({ allow: ['Bash(make test)', 'Bash(git tag *)'], deny: ['Bash(git push --force *)'] });
    expect(settings.env).toEqual({ RELEASE_TRAIN: 'weekly' });
    if (hasShared) expect(settingsSchemaErrors(settings)).toEqual([]);
    const claude = read(dir, 'CLAUDE.md');
    expect(claude).toContain('<!-- dp:begin my-role -->\n## Release Captain persona (custom)');
    // Claude Code joins a command's folders with ':' (checked against Claude Code 2.1.197: `/cut-release` is unknown).
    expect(claude).toContain('Commands of this persona: `/sets:my-role:cut-release` (`.claude/commands/sets/my-role/cut-release.md`).');
    expect(claude).toContain('`Bash(git push --force *)`');
    const record = JSON.parse(read(dir, '.claude/persona.json'));
    expect(record.active).toEqual([{ id: 'my-role', displayName: 'Release Captain', custom: true }]);
    expect(record.configuration.commands).toEqual(['.claude/commands/sets/my-role/cut-release.md']);
    // The user's own files are untouched, and never recorded as dp's.
    for (const [path, before] of Object.entries(userFiles)) expect(read(dir, path)).toBe(before.content);
    expect(Object.keys(record.managed.files)).toEqual([]);

    const again = snapshot(dir);
    await runIn(dir, 'persona', { args: ['my-role'] });
    expect(snapshot(dir)).toEqual(again);
  });

  it('lists skill folders too: <name>/SKILL.md in the set folder, and listed names kept as .claude/skills/<name>/SKILL.md', async () => {
    const dir = newDir();
    write(dir, 'profiles/personas/my-role.json', JSON.stringify({ ...seed, commands: ['ship-it', 'cut-release'] }, null, 2));
    write(dir, '.claude/commands/sets/my-role/cut-release.md', '---\ndescription: Cut a release\n---\nCut it.\n');
    write(dir, '.claude/commands/sets/my-role/triage/SKILL.md', '---\ndescription: Triage\n---\nTriage.\n');
    write(dir, '.claude/commands/sets/my-role/notes.txt', 'not a command\n');
    write(dir, '.claude/skills/ship-it/SKILL.md', '---\nname: ship-it\ndescription: Ship\n---\nShip.\n');
    const userFiles = snapshot(dir);

    await runIn(dir, 'persona', { args: ['my-role'] });

    expect(read(dir, 'CLAUDE.md')).toContain(
      'Commands of this persona: `/sets:my-role:cut-release` (`.claude/commands/sets/my-role/cut-release.md`), `/ship-it` (`.claude/skills/ship-it/SKILL.md`), `/sets:my-role:triage` (`.claude/commands/sets/my-role/triage/SKILL.md`).',
    );
    const record = JSON.parse(read(dir, '.claude/persona.json'));
    expect(record.configuration.commands).toEqual(['.claude/commands/sets/my-role/cut-release.md', '.claude/skills/ship-it/SKILL.md', '.claude/commands/sets/my-role/triage/SKILL.md']);
    for (const [path, before] of Object.entries(userFiles)) expect(read(dir, path)).toBe(before.content);
    expect(Object.keys(record.managed.files)).toEqual([]);
  });

  it('applies broad allows with a warning that names them', async () => {
    const dir = newDir();
    write(dir, 'profiles/personas/scripter.json', JSON.stringify({ persona: 'scripter', display_name: 'Scripter', permissions: { allow: ['Bash(python *)', 'WebFetch'] } }));
    const logs: string[] = [];
    await runIn(dir, 'persona', { args: ['scripter'] }).onGenerator((generator) => {
      const log = generator.log;
      (generator as unknown as { log: unknown }).log = Object.assign((message: string) => logs.push(message), log);
    });
    expect(logs.join('\n')).toContain('dp: warning: scripter allows broad rules: Bash(python *), WebFetch');
    expect(JSON.parse(read(dir, '.claude/settings.json')).permissions.allow).toEqual(['Bash(python *)', 'WebFetch']);
  });
});

describe('custom personas: refusals name the file and the field, and nothing is written', () => {
  it.each([
    ['a command name that leaves its folder', { commands: ['../../escape'] }, /profiles\/personas\/my-role\.json: commands\[0\]: command names are lower-case letters, digits and dashes: no slashes/],
    ['an invalid env name', { environment: { 'my-var': '1' } }, /my-role\.json: environment\.my-var: environment variable names must match/],
    ['a non-string env value', { environment: { DEBUG: true } }, /my-role\.json: environment\.DEBUG: environment values must be strings/],
    ['bypassPermissions', { permissions: { defaultMode: 'bypassPermissions' } }, /my-role\.json: permissions\.defaultMode: personas do not set permissions\.defaultMode \(bypassPermissions/],
    ['bypassPermissions as a rule', { permissions: { allow: ['bypassPermissions'] } }, /permissions\.allow\[0\]: bypassPermissions turns every permission check off/],
    ['a blanket Bash(*) allow', { permissions: { allow: ['Bash(*)'] } }, /permissions\.allow\[0\]: "Bash\(\*\)" allows every command/],
    ['a bare Bash allow', { permissions: { allow: ['Bash'] } }, /permissions\.allow\[0\]: "Bash" allows every command/],
    ['an invalid rule', { permissions: { block: ['rm -rf'] } }, /permissions\.block\[0\]: "rm -rf" is not a Claude Code permission rule/],
    ['an unknown field', { colour: 'blue' }, /my-role\.json: .*colour/],
    ['a missing display name', { display_name: undefined }, /my-role\.json: display_name/],
  ])('%s', async (_name, change, message) => {
    const dir = newDir();
    write(dir, 'profiles/personas/my-role.json', JSON.stringify({ ...seed, ...change }));
    const before = snapshot(dir);
    await expect(runIn(dir, 'persona', { args: ['my-role'] })).rejects.toThrow(message);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses an unknown id with the list of known personas', async () => {
    const dir = newDir();
    write(dir, 'profiles/personas/my-role.json', JSON.stringify(seed));
    await expect(runIn(dir, 'persona', { args: ['nobody'] })).rejects.toThrow(/unknown persona "nobody"/);
    await expect(runIn(dir, 'persona', { args: ['nobody'] })).rejects.toSatisfy((error: { hint?: string }) => /data-scientist.*my-role/.test(error.hint ?? ''));
    expect(listFiles(dir)).toEqual(['profiles/personas/my-role.json']);
  });

  it('refuses invalid JSON naming the file', async () => {
    const dir = newDir();
    write(dir, 'profiles/personas/my-role.json', '{"persona": "my-role",');
    await expect(runIn(dir, 'persona', { args: ['my-role'] })).rejects.toThrow(/profiles\/personas\/my-role\.json is not valid JSON/);
  });
});
