// All five built-in personas at once, then one removed: one section each, every command present with
// a unique basename, settings the union of all (deny kept), valid against the schema.
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { listFiles, read, runIn } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-all-');
const ALL = ['developer', 'software-architect', 'data-scientist', 'pm', 'designer'];

/** The rules dp added, as the record lists them (grouped by the personas that want them). */
const recordRules = (record: { managed: { settings: { rules: Array<Record<string, string[]>> } } }, list: 'deny' | 'allow') =>
  record.managed.settings.rules.flatMap((group) => group[list] ?? []);

describe('all built-in personas together', () => {
  it('applies all five at once through the menu, and removes one cleanly', async () => {
    const dir = newDir();
    await runIn(dir, 'app', { options: { persona: ALL.join(','), level: 'l2' } });
    const record = JSON.parse(read(dir, '.claude/persona.json'));
    expect(record.active.map((a: { id: string }) => a.id)).toEqual(ALL);
    const claude = read(dir, 'CLAUDE.md');
    for (const id of ALL) expect(claude.match(new RegExp(`<!-- dp:begin ${id} -->`, 'g'))).toHaveLength(1);
    const commands = listFiles(dir).filter((p) => p.startsWith('.claude/skills/'));
    expect(new Set(commands.map((p) => basename(dirname(p)))).size).toBe(commands.length);
    expect(commands.length).toBe(record.configuration.commands.length);
    const settings = JSON.parse(read(dir, '.claude/settings.json'));
    for (const rule of recordRules(record, 'deny')) expect(settings.permissions.deny).toContain(rule);
    if (hasShared) expect(settingsSchemaErrors(settings)).toEqual([]);

    await runIn(dir, 'remove', { args: ['pm'] });
    const after = JSON.parse(read(dir, '.claude/settings.json'));
    const remaining = JSON.parse(read(dir, '.claude/persona.json'));
    expect(remaining.active.map((a: { id: string }) => a.id)).toEqual(ALL.filter((id) => id !== 'pm'));
    expect(listFiles(dir).filter((p) => p.startsWith('.claude/skills/generate-prd/'))).toEqual([]);
    for (const rule of recordRules(remaining, 'deny')) expect(after.permissions.deny).toContain(rule);
    for (const rule of recordRules(remaining, 'allow')) {
      if (!after.permissions.deny.includes(rule)) expect(after.permissions.allow).toContain(rule);
    }
    expect(read(dir, 'CLAUDE.md')).not.toContain('dp:begin pm');
  });
});
