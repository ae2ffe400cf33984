// .claude/settings.json is the user's file: dp edits only its own entries in place. After `dp persona add`
// then `dp persona remove`, the file comes back byte for byte, whatever its numbers, escapes, indent,
// line endings or key order; after `add`, every byte outside dp's entries is still the user's.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject, dp } from '../support/cli.js';
import { runIn } from '../support/generators.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-settings-bytes-');
const SETTINGS = '.claude/settings.json';

/** Each user file, and the source text that must survive `add` untouched. */
const files: Array<[name: string, text: string, kept: string[]]> = [
  ['a big integer', '{\n  "model": "opus",\n  "n": 12345678901234567890\n}\n', ['"n": 12345678901234567890']],
  ['1e400', '{\n  "limit": 1e400\n}\n', ['"limit": 1e400']],
  ['1.50', '{\n  "ratio": 1.50,\n  "zero": -0\n}\n', ['"ratio": 1.50', '"zero": -0']],
  ['escapes', '{\n  "name": "caf\\u00e9 \\/ \\ud83d\\ude00",\n  "env": {\n    "GREETING": "h\\u00e9llo"\n  }\n}\n', ['"caf\\u00e9 \\/ \\ud83d\\ude00"', '"GREETING": "h\\u00e9llo"']],
  ['a 4-space indent with CRLF', '{\r\n    "model": "opus",\r\n    "n": 12345678901234567890\r\n}\r\n', ['{\r\n    "model": "opus",\r\n    "n": 12345678901234567890']],
  ['tabs', '{\n\t"model": "opus",\n\t"nested": {\n\t\t"x": 1.0\n\t}\n}', ['{\n\t"model": "opus",\n\t"nested": {\n\t\t"x": 1.0\n\t}']],
  ['an integer-like key before others (JSON.parse reorders it)', '{\n  "b": 1,\n  "10": 2,\n  "a": 3\n}\n', ['"b": 1,\n  "10": 2,\n  "a": 3']],
  [
    'user permissions with their own rules, inline',
    '{\r\n    "permissions": {"allow": ["Bash(make)"], "defaultMode": "default"},\r\n    "n": 12345678901234567890\r\n}\r\n',
    ['"permissions": {"allow": ["Bash(make)", ', '"defaultMode": "default"', '},\r\n    "n": 12345678901234567890,\r\n'],
  ],
  [
    'user permissions and env, pretty-printed',
    '{\n    "permissions": {\n        "allow": [\n            "Bash(make)",\n            "Bash(nvidia-smi)"\n        ],\n        "deny": []\n    },\n    "env": {\n        "CUDA_DEVICE_ORDER": "FASTEST_FIRST"\n    }\n}\n',
    ['"Bash(make)",\n            "Bash(nvidia-smi)"', '"CUDA_DEVICE_ORDER": "FASTEST_FIRST"'],
  ],
  ['one compact line', '{"model":"opus","n":1.50}', ['{"model":"opus","n":1.50']],
  ['an empty object', '{}\n', []],
];

function read(dir: string): string {
  return readFileSync(join(dir, SETTINGS), 'utf8');
}

describe('settings.json is edited in place', () => {
  it.each(files)('%s: add keeps the user bytes, remove gives back the original bytes', async (_name, original, kept) => {
    const dir = newDir();
    mkdirSync(join(dir, '.claude'));
    writeFileSync(join(dir, SETTINGS), original);

    const added = await dp(dir, ['persona', 'add', 'ds']);
    expect(added.exitCode, added.stderr).toBe(0);
    const text = read(dir);
    const settings = JSON.parse(text);
    expect(settings.permissions.deny).toContain('Read(./.env)');
    expect(settings.env).toHaveProperty('PYTHONUNBUFFERED', '1');
    for (const source of kept) expect(text).toContain(source);
    // The file's own line ending everywhere.
    if (original.includes('\r\n')) expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    if (hasShared) expect(settingsSchemaErrors(settings)).toEqual([]);

    const again = await dp(dir, ['persona', 'add', 'ds']);
    expect(again.exitCode).toBe(0);
    expect(read(dir)).toBe(text);

    const removed = await dp(dir, ['persona', 'remove', 'ds']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(read(dir)).toBe(original);
  });

  it('the same through the Yeoman generators and create-dp-project --force', async () => {
    const original = files[4]![1];
    const viaYo = newDir();
    mkdirSync(join(viaYo, '.claude'));
    writeFileSync(join(viaYo, SETTINGS), original);
    await runIn(viaYo, 'data-scientist');
    expect(read(viaYo)).toContain('"n": 12345678901234567890');
    await runIn(viaYo, 'remove', { args: ['data-scientist'] });
    expect(read(viaYo)).toBe(original);

    const parent = newDir();
    mkdirSync(join(parent, 'app/.claude'), { recursive: true });
    writeFileSync(join(parent, 'app', SETTINGS), original);
    const created = await createProject(parent, ['app', '--force', '--persona', 'ds']);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(read(join(parent, 'app'))).toMatch(/^\{\r\n {4}"model": "opus",\r\n {4}"n": 12345678901234567890,\r\n {4}"permissions": \{\r\n {8}"allow": \[\r\n {12}"/);
  });

  it('refuses a duplicated key, naming it and its line, and writes nothing', async () => {
    const dir = newDir();
    mkdirSync(join(dir, '.claude'));
    const original = '{\n  "permissions": {\n    "allow": ["Bash(make)"],\n    "allow": ["Bash(ls)"]\n  }\n}\n';
    writeFileSync(join(dir, SETTINGS), original);
    const result = await dp(dir, ['persona', 'add', 'ds']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('dp: .claude/settings.json line 4: the key "allow" appears twice in "permissions" (JSON keeps only the last one)');
    expect(read(dir)).toBe(original);
  });
});
