// settings.json edited in place: dp's entries change, every other byte stays. Random user files (any
// indent, line ending, layout, awkward numbers and escapes, the user's own rules and env) come back byte
// for byte after a persona is added and removed again, and a concurrent writer's changes survive dp's.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DpError } from '../../shared/errors.js';
import { editSettingsText, mergeSettingsThreeWay } from '../../shared/merge/settings-edit.js';
import { parseSettings, serializeSettings, type Settings } from '../../shared/merge/settings-file.js';
import { emptyOwnership, mergeSettings, type SettingsContribution } from '../../shared/merge/settings-merge.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';

const RUNS = Number(process.env.DP_PROPERTY_RUNS ?? 150);
const FILE = '.claude/settings.json';
const persona = JSON.parse(readFileSync(new URL('../../personas/data-scientist/persona.json', import.meta.url), 'utf8'));
const ds: SettingsContribution = {
  persona: 'data-scientist',
  permissions: { allow: persona.permissions.allow ?? [], ask: persona.permissions.ask ?? [], deny: persona.permissions.deny ?? [] },
  env: persona.env ?? {},
};
const parse = (text: string) => parseSettings(text, FILE);
/** The parsed value with its key order, as JSON.parse sees it. */
const shape = (value: unknown) => JSON.stringify(value);

function addThenRemove(original: string): { added: string; removed: string; addedSettings: Settings } {
  const add = mergeSettings(parse(original), [ds], emptyOwnership());
  const added = editSettingsText(original, add.settings);
  const remove = mergeSettings(parse(added), [], add.ownership);
  return { added, removed: editSettingsText(added, remove.settings), addedSettings: add.settings };
}

describe('editSettingsText', () => {
  it('writes a new file as 2-space JSON with a final newline', () => {
    const target = { permissions: { allow: ['Bash(make)'] }, env: { A: '1' } };
    expect(editSettingsText(null, target)).toBe(serializeSettings(target));
  });

  it.each([
    ['a big integer', '{\n  "model": "opus",\n  "n": 12345678901234567890\n}\n'],
    ['1e400 and 1.50', '{"limit": 1e400, "ratio": 1.50}'],
    ['escapes', '{\n  "name": "caf\\u00e9 \\/",\n  "env": {"GREETING": "h\\u00e9llo"}\n}\n'],
    ['4 spaces and CRLF', '{\r\n    "model": "opus",\r\n    "n": 12345678901234567890\r\n}\r\n'],
    ['tabs', '{\n\t"permissions": {\n\t\t"allow": [\n\t\t\t"Bash(make)"\n\t\t]\n\t}\n}'],
    ['an inline permissions object of the user', '{\r\n    "permissions": {"allow": ["Bash(make)"]},\r\n    "model": "opus"\r\n}\r\n'],
    ['empty containers', '{\n  "permissions": {"allow": []},\n  "env": {}\n}\n'],
    ['an empty object', '{}'],
  ])('%s: add then remove gives back the bytes; add keeps them outside its entries', (_name, original) => {
    const { added, removed, addedSettings } = addThenRemove(original);
    expect(removed).toBe(original);
    expect(shape(parse(added))).toBe(shape(addedSettings));
    if (hasShared) expect(settingsSchemaErrors(JSON.parse(added))).toEqual([]);
  });

  it('writes new entries in the style of the container they go into', () => {
    const crlf = editSettingsText('{\r\n    "model": "opus"\r\n}\r\n', { model: 'opus', env: { A: '1' } });
    expect(crlf).toBe('{\r\n    "model": "opus",\r\n    "env": {\r\n        "A": "1"\r\n    }\r\n}\r\n');
    const inline = editSettingsText('{"permissions": {"allow": ["Bash(make)"]}}', { permissions: { allow: ['Bash(make)', 'Bash(ls)'] } });
    expect(inline).toBe('{"permissions": {"allow": ["Bash(make)", "Bash(ls)"]}}');
    const tabs = editSettingsText('{\n\t"a": 1\n}', { a: 1, env: { B: '2' } });
    expect(tabs).toBe('{\n\t"a": 1,\n\t"env": {\n\t\t"B": "2"\n\t}\n}');
  });

  it('removes a rule from the middle of a list and changes an env value, touching nothing else', () => {
    const text = '{\n    "permissions": {\n        "allow": [\n            "Bash(a)",\n            "Bash(b)",\n            "Bash(c)"\n        ]\n    },\n    "env": {"X": "1", "Y": "2"},\n    "n": 1.50\n}\n';
    const target = { permissions: { allow: ['Bash(a)', 'Bash(c)'] }, env: { X: 'one', Y: '2' }, n: 1.5 };
    expect(editSettingsText(text, target)).toBe(text.replace('            "Bash(b)",\n', '').replace('"X": "1"', '"X": "one"'));
  });

  it('changes nothing for keys it does not manage, even where JSON.parse rounds them', () => {
    const text = '{"n": 12345678901234567890, "x": 1e400}';
    expect(editSettingsText(text, { n: 1, x: null, extra: true })).toBe(text);
  });
});

// Random user files: a tree of raw JSON source, laid out in a random but consistent style.
type Raw = { literal: string } | { items: Raw[] } | { entries: Array<[string, Raw]> };
interface Layout {
  unit: string;
  eol: string;
  colon: string;
  comma: string;
  multiline: boolean[];
  finalNewline: boolean;
}

function render(raw: Raw, layout: Layout, indent = '', counter = { i: 0 }): string {
  if ('literal' in raw) return raw.literal;
  const members = 'items' in raw ? raw.items.map((item) => ['', item] as const) : raw.entries.map(([key, value]) => [`${key}:${layout.colon}`, value] as const);
  const [open, close] = 'items' in raw ? ['[', ']'] : ['{', '}'];
  if (members.length === 0) return `${open}${close}`;
  const multiline = layout.multiline[counter.i++ % layout.multiline.length]!;
  const inner = multiline ? indent + layout.unit : indent;
  const parts = members.map(([key, value]) => key + render(value, layout, inner, counter));
  if (!multiline) return `${open}${parts.join(`,${layout.comma}`)}${close}`;
  return `${open}${parts.map((part) => `${layout.eol}${inner}${part}`).join(',')}${layout.eol}${indent}${close}`;
}

const str = (source: string): Raw => ({ literal: `"${source}"` });
const awkward = fc.constantFrom('12345678901234567890', '1e400', '1.50', '-0', '0.1e-7', '1E+2', '-12.000', 'true', 'null', '"caf\\u00e9"', '"\\ud83d\\ude00"', '"a\\/b"', '"tab\\there"', '"plain"');
const leaf: fc.Arbitrary<Raw> = awkward.map((literal) => ({ literal }));
const userKey = fc.constantFrom('"model"', '"10"', '"$schema"', '"caf\\u00e9"', '"a\\/b"', '"x"', '"env_"');
const decoded = (key: string) => JSON.parse(key) as string;
const value: fc.Arbitrary<Raw> = fc.letrec<{ value: Raw }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }).map((items) => ({ items })),
    fc.uniqueArray(fc.tuple(fc.constantFrom('"a"', '"env"', '"permissions"', '"0"'), tie('value')), { maxLength: 3, selector: ([key]) => key }).map((entries) => ({ entries })),
  ),
})).value;
const rulePool = ['Bash(make)', 'Bash(npm test)', 'Read(./docs/**)', 'Bash(nvidia-smi)', 'Bash(ps *)', 'Read(./.env)', 'Bash(kill *)', 'Bash(caf\\u00e9 *)'];
const rules = fc.uniqueArray(fc.constantFrom(...rulePool), { maxLength: 4 }).map((list): Raw => ({ items: list.map(str) }));
const permissions: fc.Arbitrary<Raw> = fc
  .record({ allow: fc.option(rules), ask: fc.option(rules), deny: fc.option(rules), mode: fc.boolean() }, { requiredKeys: [] })
  .chain((p) => {
    const entries: Array<[string, Raw]> = [];
    for (const list of ['allow', 'ask', 'deny'] as const) if (p[list]) entries.push([`"${list}"`, p[list]!]);
    if (p.mode) entries.push(['"defaultMode"', str('default')]);
    return fc.shuffledSubarray(entries, { minLength: entries.length }).map((shuffled) => ({ entries: shuffled }));
  });
const env: fc.Arbitrary<Raw> = fc
  .uniqueArray(fc.tuple(fc.constantFrom('MY_VAR', 'CUDA_DEVICE_ORDER', 'PYTHONUNBUFFERED', 'HF_HOME'), fc.constantFrom('x', 'h\\u00e9', '1')), { maxLength: 3, selector: ([key]) => key })
  .map((pairs) => ({ entries: pairs.map(([key, v]): [string, Raw] => [`"${key}"`, str(v)]) }));
const userFile: fc.Arbitrary<string> = fc
  .record({
    extra: fc.uniqueArray(fc.tuple(userKey, value), { maxLength: 4, selector: ([key]) => decoded(key) }),
    permissions: fc.option(permissions),
    env: fc.option(env),
    layout: fc.record({
      unit: fc.constantFrom('  ', '    ', '\t'),
      eol: fc.constantFrom('\n', '\r\n'),
      colon: fc.constantFrom(' ', ''),
      comma: fc.constantFrom(' ', ''),
      multiline: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
      finalNewline: fc.boolean(),
    }),
  })
  .chain(({ extra, permissions: p, env: e, layout }) => {
    const entries: Array<[string, Raw]> = [...extra];
    if (p) entries.push(['"permissions"', p]);
    if (e) entries.push(['"env"', e]);
    return fc.shuffledSubarray(entries, { minLength: entries.length }).map((shuffled) => `${render({ entries: shuffled }, layout)}${layout.finalNewline ? layout.eol : ''}`);
  });

describe('random user settings files', () => {
  it('are left as they are when nothing changes, and come back byte for byte after add then remove', () => {
    fc.assert(
      fc.property(userFile, (original) => {
        expect(editSettingsText(original, parse(original))).toBe(original);
        const { added, removed, addedSettings } = addThenRemove(original);
        expect(shape(parse(added))).toBe(shape(addedSettings));
        expect(editSettingsText(added, parse(added))).toBe(added);
        expect(removed).toBe(original);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Claude Code approving commands: it adds rules and rewrites the whole file its own way. */
function approve(text: string, approved: string[], model?: string): string {
  const settings = JSON.parse(text) as { permissions?: { allow?: string[] }; model?: string };
  settings.permissions = { ...settings.permissions, allow: [...(settings.permissions?.allow ?? []), ...approved] };
  if (model) settings.model = model;
  return `${JSON.stringify(settings, null, 2)}\n`;
}

const ruleSet = (settings: Settings, list: 'allow' | 'ask' | 'deny') => ((settings.permissions as Record<string, string[]> | undefined)?.[list] ?? []) as string[];

describe('mergeSettingsThreeWay: dp\'s change applied onto a file changed meanwhile', () => {
  it('keeps every rule the other writer added and everything dp added or took back', () => {
    const approvals = fc.uniqueArray(fc.constantFrom('Bash(git status)', 'Bash(ls -la)', 'Bash(make test)', 'WebFetch(domain:example.com)'), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(userFile, approvals, fc.boolean(), (original, approved, rewrite) => {
        const { added, removed } = addThenRemove(original);
        // Adding: the other writer approved commands after dp read the file.
        const theirs = rewrite ? approve(original, approved, 'sonnet') : approve(original, approved);
        const merged = parse(mergeSettingsThreeWay(original, added, theirs));
        for (const list of ['allow', 'ask', 'deny'] as const) {
          for (const rule of ruleSet(parse(theirs), list)) expect(ruleSet(merged, list)).toContain(rule);
          for (const rule of ruleSet(parse(added), list)) expect(ruleSet(merged, list)).toContain(rule);
        }
        expect(merged.env).toEqual(expect.objectContaining(parse(added).env ?? {}));
        if (rewrite) expect(merged.model).toBe('sonnet');
        // Removing: dp's rules go, the approvals made meanwhile stay.
        const theirsAfterAdd = approve(added, approved);
        const back = parse(mergeSettingsThreeWay(added, removed, theirsAfterAdd));
        for (const list of ['allow', 'ask', 'deny'] as const) {
          const expected = [...ruleSet(parse(original), list), ...(list === 'allow' ? approved.filter((rule) => !ruleSet(parse(original), 'allow').includes(rule)) : [])];
          expect(ruleSet(back, list)).toEqual(expected);
        }
        expect(back.env).toEqual(parse(original).env);
        // With no change of dp's, theirs is left byte for byte.
        expect(mergeSettingsThreeWay(original, original, theirs)).toBe(theirs);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it('takes out what dp created, leaving only what was added meanwhile', () => {
    const created = serializeSettings(mergeSettings(null, [ds], emptyOwnership()).settings);
    const theirs = approve(created, ['Bash(git status)']);
    expect(JSON.parse(mergeSettingsThreeWay(created, '{}\n', theirs))).toEqual({ permissions: { allow: ['Bash(git status)'] } });
  });

  it('keeps the other writer\'s value where both changed the same env key', () => {
    const base = '{\n  "env": {\n    "A": "1"\n  }\n}\n';
    const merged = mergeSettingsThreeWay(base, '{\n  "env": {\n    "A": "2",\n    "B": "x"\n  }\n}\n', '{\n  "env": {\n    "A": "mine"\n  }\n}\n');
    expect(merged).toBe('{\n  "env": {\n    "A": "mine",\n    "B": "x"\n  }\n}\n');
  });

  it('refuses a file that is no longer valid, overwriting nothing', () => {
    const call = () => mergeSettingsThreeWay('{}', '{"env": {"A": "1"}}', '{"env": ');
    expect(call).toThrow(DpError);
    expect(call).toThrow(/^\.claude\/settings\.json changed while dp was writing it and is no longer valid: \.claude\/settings\.json is not valid JSON/);
    expect(() => mergeSettingsThreeWay('{}', '{"env": {"A": "1"}}', '{"a": 1, "a": 2}')).toThrow(/the key "a" appears twice at the top level/);
  });
});
