// The text of a custom persona file as users save it: a UTF-8 byte order mark is accepted, and invisible
// bidirectional controls (Trojan Source) are refused, through the dp CLI and through yo dp:persona alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dp } from '../support/cli.js';
import { read, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-custom-text-');

function write(dir: string, path: string, content: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

const seed = (extra: Record<string, unknown> = {}) => ({ persona: 'my-role', display_name: 'Release Captain', instructions: 'Cut releases on Fridays.', ...extra });
const PERSONA = 'profiles/personas/my-role.json';

describe('a custom persona file with a UTF-8 byte order mark', () => {
  const withBom = `\uFEFF${JSON.stringify(seed(), null, 2)}\n`;

  it('is applied by dp persona add', async () => {
    const dir = newDir();
    write(dir, PERSONA, withBom);
    const result = await dp(dir, ['persona', 'add', 'my-role']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(read(dir, 'CLAUDE.md')).toContain('## Release Captain persona (custom)\n');
    expect(read(dir, 'CLAUDE.md')).toContain('Cut releases on Fridays.');
    expect(read(dir, PERSONA)).toBe(withBom);
  });

  it('is applied by yo dp:persona', async () => {
    const dir = newDir();
    write(dir, PERSONA, withBom);
    await runIn(dir, 'persona', { args: ['my-role'] });
    expect(read(dir, 'CLAUDE.md')).toContain('## Release Captain persona (custom)\n');
  });

  it('only one mark is skipped: two are still not JSON', async () => {
    const dir = newDir();
    write(dir, PERSONA, `\uFEFF${withBom}`);
    const result = await dp(dir, ['persona', 'add', 'my-role']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split('\n')[0]).toMatch(/^dp: profiles\/personas\/my-role\.json is not valid JSON \(/);
  });
});

describe('invisible bidirectional control characters in a custom persona', () => {
  const hint = '  delete it (in the file it may be written as the escape \\u202e) and run again';

  it.each([
    ['instructions', { instructions: 'Never push\u202E to main' }, 'instructions: contains an invisible bidirectional control character U+202E at line 1, column 11'],
    ['on a later line', { instructions: 'Line one.\nRun \u2066make\u2069 only.' }, 'instructions: contains an invisible bidirectional control character U+2066 at line 2, column 5'],
    ['display_name', { display_name: 'Release \u202BCaptain' }, 'display_name: contains an invisible bidirectional control character U+202B at line 1, column 9'],
    ['description', { description: 'x\u202Ay' }, 'description: contains an invisible bidirectional control character U+202A at line 1, column 2'],
    ['a deny rule (listed in CLAUDE.md)', { permissions: { block: ['Bash(git push\u202C *)'] } }, 'permissions.block[0]: contains an invisible bidirectional control character U+202C at line 1, column 14'],
    ['an allow rule', { permissions: { allow: ['Bash(make \u2067test)'] } }, 'permissions.allow[0]: contains an invisible bidirectional control character U+2067 at line 1, column 11'],
    ['an environment value', { environment: { TRAIN: 'week\u202Dly' } }, 'environment.TRAIN: contains an invisible bidirectional control character U+202D at line 1, column 5'],
    ['an environment name', { environment: { 'TR\u2068AIN': 'weekly' } }, 'environment: a name contains an invisible bidirectional control character U+2068 at line 1, column 3'],
  ])('%s: dp refuses with the file, field, position and code point, and writes nothing', async (_name, change, detail) => {
    const dir = newDir();
    write(dir, PERSONA, JSON.stringify(seed(change)));
    const before = snapshot(dir);
    const result = await dp(dir, ['persona', 'add', 'my-role']);
    const code = detail.match(/U\+(\w+)/)![1]!.toLowerCase();
    expect(result.stderr).toBe(`dp: ${PERSONA}: ${detail} (it can hide text from a reviewer)\n${hint.replace('202e', code)}`);
    expect(result.exitCode).toBe(1);
    expect(snapshot(dir)).toEqual(before);
  });

  it('written as a JSON escape, it is refused all the same', async () => {
    const dir = newDir();
    write(dir, PERSONA, '{"persona": "my-role", "display_name": "R", "instructions": "ab\\u202Ecd"}');
    const result = await dp(dir, ['persona', 'add', 'my-role']);
    expect(result.stderr.split('\n')[0]).toBe(`dp: ${PERSONA}: instructions: contains an invisible bidirectional control character U+202E at line 1, column 3 (it can hide text from a reviewer)`);
    expect(result.exitCode).toBe(1);
  });

  it('yo dp:persona refuses the same, and writes nothing', async () => {
    const dir = newDir();
    write(dir, PERSONA, JSON.stringify(seed({ instructions: 'Never push\u202E to main' })));
    const before = snapshot(dir);
    await expect(runIn(dir, 'persona', { args: ['my-role'] })).rejects.toThrow(
      `${PERSONA}: instructions: contains an invisible bidirectional control character U+202E at line 1, column 11 (it can hide text from a reviewer)`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('a command file whose name (listed in CLAUDE.md) holds one is refused, through dp and yo', async () => {
    const dir = newDir();
    write(dir, PERSONA, JSON.stringify(seed()));
    write(dir, '.claude/commands/sets/my-role/cut\u202Eesaeler.md', 'Cut it.\n');
    const before = snapshot(dir);
    const message = '.claude/commands/sets/my-role/cut<U+202E>esaeler.md: the file name contains an invisible bidirectional control character U+202E at column 4 (it can hide text from a reviewer)';
    const result = await dp(dir, ['persona', 'add', 'my-role']);
    expect(result.stderr.split('\n')[0]).toBe(`dp: ${message}`);
    expect(result.exitCode).toBe(1);
    await expect(runIn(dir, 'persona', { args: ['my-role'] })).rejects.toThrow(message);
    expect(snapshot(dir)).toEqual(before);
  });

  it('the marks U+200E, U+200F and U+061C (ordinary right-to-left text) are accepted and kept', async () => {
    const dir = newDir();
    const instructions = 'Release notes in Hebrew: שלום\u200F (v2), Arabic: مرحبا\u061C (v2), English\u200E (v2).';
    write(dir, PERSONA, JSON.stringify(seed({ instructions })));
    const result = await dp(dir, ['persona', 'add', 'my-role']);
    expect(result.exitCode).toBe(0);
    expect(read(dir, 'CLAUDE.md')).toContain(instructions);
  });
});
