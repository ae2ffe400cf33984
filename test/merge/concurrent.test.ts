// Merging dp's planned write with what another program wrote meanwhile (merge/concurrent.ts): nothing
// of either side is lost, or dp refuses.
import { describe, expect, it } from 'vitest';
import { remergeConcurrent } from '../../shared/merge/concurrent.js';
import { mergeKeepingBoth } from '../../shared/merge/three-way.js';

describe('mergeKeepingBoth', () => {
  it('keeps what both appended at the end, theirs first', () => {
    expect(mergeKeepingBoth('a\nb\n', 'a\nb\ntheirs\n', 'a\nb\nours\n')).toBe('a\nb\ntheirs\nours\n');
  });

  it('keeps what both put before the start, theirs first', () => {
    expect(mergeKeepingBoth('a\n', 'theirs\na\n', 'ours\na\n')).toBe('theirs\nours\na\n');
  });

  it('a CRLF file without a final line ending: both appends kept, in CRLF', () => {
    expect(mergeKeepingBoth('a\r\nb', 'a\r\nb\r\ntheirs', 'a\r\nb\r\nours')).toBe('a\r\nb\r\ntheirs\r\nours');
  });

  it('refuses when both changed the same line', () => {
    expect(mergeKeepingBoth('a\nb\nc\n', 'a\nB1\nc\n', 'a\nB2\nc\n')).toBeNull();
  });
});

describe('remergeConcurrent', () => {
  it('settings.json created by Claude Code meanwhile: dp\'s rules join its approval', () => {
    const planned = `${JSON.stringify({ permissions: { deny: ['Bash(sudo *)'] } }, null, 2)}\n`;
    const theirs = `${JSON.stringify({ permissions: { allow: ['Bash(make)'] } }, null, 2)}\n`;
    const merged = remergeConcurrent('.claude/settings.json', null, planned, theirs);
    expect(JSON.parse(merged as string)).toEqual({ permissions: { allow: ['Bash(make)'], deny: ['Bash(sudo *)'] } });
  });

  it('a file dp was to delete but someone edited meanwhile is left as it is', () => {
    expect(remergeConcurrent('.claude/commands/x.md', 'old\n', null, 'old\nmine\n')).toBe('leave');
  });

  it('CLAUDE.md emptied of dp\'s last section while the user added a line: only the user\'s line stays', () => {
    const read = '<!-- dp:begin pm -->\nPM\n<!-- dp:end pm -->\n';
    expect(remergeConcurrent('CLAUDE.md', read, null, `${read}mine\n`)).toBe('mine\n');
  });

  it('an LF line added to a CRLF CLAUDE.md while dp takes a section out: merged, in the file\'s CRLF', () => {
    const read = '<!-- dp:begin pm -->\r\nPM\r\n<!-- dp:end pm -->\r\nmine';
    expect(remergeConcurrent('CLAUDE.md', read, 'mine', `${read}\nalso mine\n`)).toBe('mine\r\nalso mine\r\n');
  });

  it('the record changed by someone else: refused (a run that ignored the lock)', () => {
    expect(() => remergeConcurrent('.claude/persona.json', '{}', '{"a":1}', '{"b":1}')).toThrow('changed while dp was writing it');
  });
});
