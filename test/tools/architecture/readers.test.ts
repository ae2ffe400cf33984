// The small .gitignore reader: the patterns it applies, and the negations it only counts.
import { describe, expect, it } from 'vitest';
import { isIgnored, parseGitignore } from '../../../shared/tools/architecture/gitignore.js';

describe('parseGitignore', () => {
  const ignore = parseGitignore(['# comment', '', '/build-output/', 'logs/', '*.tmp', 'docs/**/generated', '!keep.tmp', 'secret?.txt', ''].join('\n'));

  it.each([
    ['build-output', true, true],
    ['src/build-output', true, false],
    ['logs', true, true],
    ['a/b/logs', true, true],
    ['logs', false, false],
    ['x/y.tmp', false, true],
    ['docs/generated', true, true],
    ['docs/a/b/generated', true, true],
    ['secret1.txt', false, true],
    ['secret12.txt', false, false],
  ])('%s (directory: %s) ignored: %s', (path, directory, expected) => {
    expect(isIgnored(ignore, path, directory)).toBe(expected);
  });

  it('counts negations, which it does not apply', () => {
    expect(ignore.negations).toBe(1);
    expect(ignore.rules.map((r) => r.pattern)).toEqual(['/build-output/', 'logs/', '*.tmp', 'docs/**/generated', 'secret?.txt']);
  });
});
