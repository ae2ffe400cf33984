import { describe, expect, it } from 'vitest';
import { DpError } from '../../shared/errors.js';
import { parseSettings, serializeSettings } from '../../shared/merge/settings-file.js';
import { emptyOwnership, mergeSettings, type SettingsContribution } from '../../shared/merge/settings-merge.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';

const ds: SettingsContribution = {
  persona: 'data-scientist',
  permissions: { allow: ['Bash(nvidia-smi)', 'Bash(ps *)'], ask: ['Bash(kill *)'], deny: ['Read(./.env)'] },
  env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID' },
};
const pm: SettingsContribution = {
  persona: 'pm',
  permissions: { allow: ['Bash(ps *)', 'Bash(git log *)'], ask: [], deny: ['Read(./.env)'] },
  env: {},
};
const userSettings = {
  $schema: 'https://json.schemastore.org/claude-code-settings.json',
  permissions: { allow: ['Bash(npm test)'], deny: ['Bash(curl *)'], defaultMode: 'default' },
  env: { MY_VAR: 'x' },
  model: 'opus',
  myTeamKey: { keep: true },
};

describe('reading settings.json', () => {
  it.each([
    ['a comment', '{\n  // mine\n  "env": {}\n}', /has a comment on line 2: settings files are strict JSON/],
    ['a trailing comma', '{\n  "env": {"A": "1"},\n}', /has a trailing comma on line 2/],
    ['broken JSON', '{"env": ', /is not valid JSON/],
    ['an array', '[]', /must hold a JSON object/],
    ['a boolean env value', '{"env": {"DEBUG": true}}', /env\.DEBUG: must be a string/],
    ['a lower-case env name', '{"env": {"debug": "1"}}', /env\.debug: not a valid variable name/],
    ['an unknown permissions key', '{"permissions": {"block": ["Bash(rm *)"]}}', /permissions: unknown field "block"/],
    ['an invalid rule', '{"permissions": {"allow": ["LS"]}}', /permissions\.allow\[0\]: "LS" is not a valid permission rule/],
    ['an invalid defaultMode', '{"permissions": {"defaultMode": "fullAuto"}}', /permissions\.defaultMode/],
    ['a block comment', '{\r\n  "env": {},\r\n  /* mine */\r\n  "model": "x"\r\n}', /has a comment on line 3: settings files are strict JSON/],
    ['a trailing comma in a list', '{"permissions": {\n  "allow": ["Bash(ls)",\n  ]}}', /has a trailing comma on line 2/],
    ['a duplicated key', '{\n  "permissions": {\n    "allow": [],\n    "allow": ["Bash(ls)"]\n  }\n}', /^\.claude\/settings\.json line 4: the key "allow" appears twice in "permissions" \(JSON keeps only the last one\)$/],
    ['a duplicated top-level key', '{"model": "a",\n"model": "b"}', /line 2: the key "model" appears twice at the top level/],
    ['a key repeated with an escape', '{"env": {"A": "1", "\\u0041": "2"}}', /line 1: the key "A" appears twice in "env"/],
    ['a duplicated key inside a list', '{"hooks": {"PreToolUse": [{"a": 1,\n "a": 2}]}}', /line 2: the key "a" appears twice in "hooks\.PreToolUse\[0\]"/],
  ])('refuses %s with the reason', (_name, text, message) => {
    expect(() => parseSettings(text, '.claude/settings.json')).toThrow(DpError);
    expect(() => parseSettings(text, '.claude/settings.json')).toThrow(message);
  });

  it('accepts what Claude Code accepts, unknown top-level keys included', () => {
    expect(parseSettings(JSON.stringify(userSettings), 'x')).toEqual(userSettings);
  });
});

describe('merging persona entries', () => {
  it("keeps the user's rules, keys and order, and appends the persona's", () => {
    const { settings, ownership } = mergeSettings(structuredClone(userSettings), [ds], emptyOwnership());
    expect(settings).toEqual({
      $schema: userSettings.$schema,
      permissions: {
        allow: ['Bash(npm test)', 'Bash(nvidia-smi)', 'Bash(ps *)'],
        deny: ['Bash(curl *)', 'Read(./.env)'],
        defaultMode: 'default',
        ask: ['Bash(kill *)'],
      },
      env: { MY_VAR: 'x', CUDA_DEVICE_ORDER: 'PCI_BUS_ID' },
      model: 'opus',
      myTeamKey: { keep: true },
    });
    expect(Object.keys(ownership.rules.allow)).toEqual(['Bash(nvidia-smi)', 'Bash(ps *)']);
  });

  it('is idempotent: merging again changes nothing', () => {
    const first = mergeSettings(structuredClone(userSettings), [ds], emptyOwnership());
    const second = mergeSettings(first.settings, [ds], first.ownership);
    expect(serializeSettings(second.settings)).toBe(serializeSettings(first.settings));
    expect(second.ownership).toEqual(first.ownership);
  });

  it('does not claim a rule the user already had, so removing the persona keeps it', () => {
    const mine = { permissions: { allow: ['Bash(ps *)'] } };
    const added = mergeSettings(mine, [ds], emptyOwnership());
    expect(added.ownership.rules.allow).not.toHaveProperty('Bash(ps *)');
    const removed = mergeSettings(added.settings, [], added.ownership);
    expect(removed.settings).toEqual({ permissions: { allow: ['Bash(ps *)'] } });
  });

  it('takes back exactly what a removed persona added, keeping rules another persona still wants', () => {
    const both = mergeSettings(structuredClone(userSettings), [ds, pm], emptyOwnership());
    const onlyPm = mergeSettings(both.settings, [pm], both.ownership);
    expect(onlyPm.settings.permissions).toEqual({
      allow: ['Bash(npm test)', 'Bash(ps *)', 'Bash(git log *)'],
      deny: ['Bash(curl *)', 'Read(./.env)'],
      defaultMode: 'default',
    });
    expect(onlyPm.settings.env).toEqual({ MY_VAR: 'x' });
    const none = mergeSettings(onlyPm.settings, [], onlyPm.ownership);
    expect(none.settings).toEqual(userSettings);
  });

  it('never adds an allow that the same deny rule forbids (deny wins)', () => {
    const denying = { permissions: { deny: ['Bash(ps *)'] } };
    const { settings, notes } = mergeSettings(denying, [ds], emptyOwnership());
    expect((settings.permissions as { allow: string[] }).allow).not.toContain('Bash(ps *)');
    expect((settings.permissions as { deny: string[] }).deny).toContain('Bash(ps *)');
    expect(notes).toContain('allow Bash(ps *): not added, the same rule is denied (deny wins)');
  });

  it('does not add back an entry the user deleted, nor overwrite an env value the user changed', () => {
    const first = mergeSettings({}, [ds], emptyOwnership());
    const edited = structuredClone(first.settings) as { permissions: { allow: string[] }; env: Record<string, string> };
    edited.permissions.allow = edited.permissions.allow.filter((r) => r !== 'Bash(nvidia-smi)');
    edited.env.CUDA_DEVICE_ORDER = 'FASTEST_FIRST';
    const again = mergeSettings(edited, [ds], first.ownership);
    expect((again.settings.permissions as { allow: string[] }).allow).not.toContain('Bash(nvidia-smi)');
    expect((again.settings.env as Record<string, string>).CUDA_DEVICE_ORDER).toBe('FASTEST_FIRST');
    expect(again.ownership.declined.rules.allow).toEqual(['Bash(nvidia-smi)']);
    // Removing the persona leaves the user's value alone.
    const removed = mergeSettings(again.settings, [], again.ownership);
    expect(removed.settings.env).toEqual({ CUDA_DEVICE_ORDER: 'FASTEST_FIRST' });
  });

  it('creates a file with 2-space JSON and a final newline', () => {
    const { settings } = mergeSettings(null, [ds], emptyOwnership());
    expect(serializeSettings(settings)).toMatch(/^\{\n {2}"permissions": \{\n {4}"allow": \[/);
    expect(serializeSettings(settings).endsWith('}\n')).toBe(true);
  });

  it.runIf(hasShared)('produces settings valid against the Claude Code settings schema', () => {
    const { settings } = mergeSettings(structuredClone(userSettings), [ds, pm], emptyOwnership());
    expect(settingsSchemaErrors(settings)).toEqual([]);
  });
});
