// A settings.json is checked by a hand-written predicate (no zod on a run that finds the file valid);
// it must accept exactly what the zod schema accepts, or a file Claude Code skips would pass, or a valid
// one be refused. Both verdicts are compared on hand-picked edge cases and on seeded random values built
// from the schema's own pieces with its near misses mixed in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitsSettingsSchema, parseSettings, settingsSchemaAccepts } from '../../shared/merge/settings-file.js';
import { duplicateKey, writesEachKeyOnce } from '../../shared/merge/settings-syntax.js';

const cases: Array<[string, Record<string, unknown>]> = [
  ['empty', {}],
  ['unknown top-level keys', { model: 'opus', other: { x: [1] } }],
  ['rules', { permissions: { allow: ['Bash(npm test)'], ask: [], deny: ['Read(./.env)'] } }],
  ['a rule twice', { permissions: { allow: ['Bash(ls)', 'Bash(ls)'] } }],
  ['an invalid rule', { permissions: { deny: ['Bash('] } }],
  ['a rule that is not a string', { permissions: { allow: [1] } }],
  ['rules not a list', { permissions: { allow: 'Bash(ls)' } }],
  ['an unknown permissions key', { permissions: { block: [] } }],
  ['permissions null', { permissions: null }],
  ['permissions a list', { permissions: [] }],
  ['each default mode', { permissions: { defaultMode: 'plan' } }],
  ['an unknown default mode', { permissions: { defaultMode: 'yolo' } }],
  ['disable flags', { permissions: { disableBypassPermissionsMode: 'disable', disableAutoMode: 'disable' } }],
  ['a disable flag true', { permissions: { disableAutoMode: true } }],
  ['directories', { permissions: { additionalDirectories: ['../data'] } }],
  ['an empty directory', { permissions: { additionalDirectories: [''] } }],
  ['env', { env: { CUDA_DEVICE_ORDER: 'PCI_BUS_ID', _X1: '' } }],
  ['an env name in lower case', { env: { path: 'x' } }],
  ['an env value not a string', { env: { A: 1 } }],
  ['env a list', { env: ['A'] }],
  ['hooks', { hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'x' }] }], Stop: [] } }],
  ['a hook without type', { hooks: { Stop: [{ hooks: [{ command: 'x' }] }] } }],
  ['a group without hooks', { hooks: { Stop: [{ matcher: 'x' }] } }],
  ['an event not a list', { hooks: { Stop: { hooks: [] } } }],
  ['status line', { statusLine: { type: 'command', command: 'node x.mjs', padding: 0 } }],
  ['status line of another type', { statusLine: { type: 'static', command: 'x' } }],
  ['status line without command', { statusLine: { type: 'command' } }],
  ['a __proto__ key', JSON.parse('{"permissions": {"__proto__": []}, "env": {"__proto__": "x"}}')],
];

describe('the hand-written settings check', () => {
  it.each(cases)('agrees with the zod schema: %s', (_name, data) => {
    expect(fitsSettingsSchema(data)).toBe(settingsSchemaAccepts(data));
  });

  it('agrees with the zod schema on random settings values', () => {
    const odd = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.constant(''));
    const rule = fc.oneof(fc.constantFrom('Bash(ls)', 'Bash(npm test)', 'Read(./.env)', 'Edit', 'Bash(', 'WebFetch(domain:x.org)', ''), odd);
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, odd), { nil: undefined, freq: 3 });
    const permissions = fc.record(
      {
        allow: maybe(fc.array(rule, { maxLength: 3 })),
        deny: maybe(fc.array(rule, { maxLength: 3 })),
        defaultMode: maybe(fc.constantFrom('plan', 'auto', 'yolo', 'bypassPermissions')),
        disableAutoMode: maybe(fc.constantFrom('disable', 'enable')),
        additionalDirectories: maybe(fc.array(fc.constantFrom('', 'data', 1), { maxLength: 2 })),
        block: maybe(fc.constant([])),
      },
      { requiredKeys: [] },
    );
    const hook = fc.oneof(fc.record({ type: fc.oneof(fc.constant('command'), odd) }, { requiredKeys: [] }), odd);
    const group = fc.oneof(fc.record({ matcher: fc.string(), hooks: fc.oneof(fc.array(hook, { maxLength: 2 }), odd) }, { requiredKeys: [] }), odd);
    const settings = fc.record(
      {
        permissions: maybe(permissions),
        env: maybe(fc.dictionary(fc.constantFrom('A', 'CUDA_X', '_1', 'a', '1A', 'A-B'), fc.oneof(fc.string(), odd), { maxKeys: 3 })),
        hooks: maybe(fc.dictionary(fc.string(), fc.oneof(fc.array(group, { maxLength: 2 }), odd), { maxKeys: 2 })),
        statusLine: maybe(fc.record({ type: fc.constantFrom('command', 'static'), command: fc.oneof(fc.string(), odd) }, { requiredKeys: [] })),
        model: maybe(fc.string()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(settings, (data) => {
        // Through JSON, as dp reads it: no undefined values.
        const parsed = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
        expect(fitsSettingsSchema(parsed)).toBe(settingsSchemaAccepts(parsed));
      }),
      { numRuns: 2000, seed: Number(process.env.DP_PROPERTY_SEED ?? 17) },
    );
  });

  it('leaves the message of a refused file to the zod schema', () => {
    expect(() => parseSettings('{"env": {"path": "x"}}', '.claude/settings.json')).toThrow('.claude/settings.json: env.path: not a valid variable name (^[A-Z_][A-Z0-9_]*$)');
  });
});

describe('the duplicate-key check without a scan', () => {
  const agrees = (text: string) => expect(writesEachKeyOnce(text, JSON.parse(text))).toBe(duplicateKey(text) === null);

  it.each([
    '{}',
    '{"a": 1, "a": 2}',
    '{"a": {"b": 1}, "c": {"b": 2}}',
    '{"a": {"b": 1, "b": 1}}',
    String.raw`{"x\\": "\\\":", "x\\" : 1}`,
    String.raw`{"s": "\"a\": 1, \"a\": 2"}`,
    '{"__proto__": 1, "__proto__": 2}',
    '[{"a": 1}, {"a": 1}, [{"k": [], "k": {}}]]',
    '{\r\n\t"a"\r\n\t:\r\n\t1\r\n}',
  ])('agrees with the scan on %s', agrees);

  it('agrees with the scan on random JSON texts, with and without a key written twice', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.nat(), fc.boolean(), (value, pick, indent) => {
        const text = JSON.stringify(value, null, indent ? 2 : undefined);
        agrees(text);
        // The same text with one member of one object written twice.
        const members = [...text.matchAll(/"(?:[^"\\]|\\.)*":(?: )?(?:-?\d[\d.eE+-]*|true|false|null|"(?:[^"\\]|\\.)*")/g)];
        const member = members[pick % Math.max(1, members.length)];
        if (member) agrees(`${text.slice(0, member.index)}${member[0]},${text.slice(member.index)}`);
      }),
      { numRuns: 1000, seed: Number(process.env.DP_PROPERTY_SEED ?? 17) },
    );
  });
});
