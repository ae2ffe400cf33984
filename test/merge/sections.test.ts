import { describe, expect, it } from 'vitest';
import { DpError } from '../../shared/errors.js';
import { appendSeparator, parseSections, removeSection, sectionBody, upsertSection } from '../../shared/merge/sections.js';

const userText = '# My project\n\nUse pnpm, not npm.\n';

describe('CLAUDE.md sections', () => {
  it('appends a section at the end after a blank line and keeps the user text byte for byte', () => {
    const out = upsertSection(userText, 'data-scientist', 'DS guidance\n', 'CLAUDE.md');
    expect(out).toBe(`${userText}\n<!-- dp:begin data-scientist -->\nDS guidance\n<!-- dp:end data-scientist -->\n`);
    expect(out.startsWith(userText)).toBe(true);
  });

  it('adds the missing final newline and the blank line before appending to a file without one', () => {
    const out = upsertSection('no newline', 'pm', 'x\n', 'CLAUDE.md');
    expect(out).toBe('no newline\n\n<!-- dp:begin pm -->\nx\n<!-- dp:end pm -->\n');
  });

  it.each([
    ['', { finalNewline: false, blankLine: false }],
    ['\n', { finalNewline: false, blankLine: false }],
    ['text\n\n', { finalNewline: false, blankLine: false }],
    ['text\r\n\r\n', { finalNewline: false, blankLine: false }],
    ['text\n', { finalNewline: false, blankLine: true }],
    ['text\r\n', { finalNewline: false, blankLine: true }],
    ['text', { finalNewline: true, blankLine: true }],
  ])('before appending to %j dp adds %j', (text, added) => {
    expect(appendSeparator(text)).toEqual(added);
  });

  it.each(['', 'one line\n', 'ends with a blank line\n\n', 'no final newline', 'crlf\r\n', 'crlf, no final newline\r\nx'])(
    'appending two sections to %j and removing them, in either order, gives the text back byte for byte',
    (user) => {
      const first = appendSeparator(user);
      const one = upsertSection(user, 'pm', 'p\n', 'CLAUDE.md');
      const second = appendSeparator(one);
      const two = upsertSection(one, 'designer', 'd\n', 'CLAUDE.md');
      const pm = { dropBlankLine: first.blankLine, dropAddedNewline: first.finalNewline };
      const designer = { dropBlankLine: second.blankLine, dropAddedNewline: second.finalNewline };
      expect(removeSection(removeSection(two, 'designer', 'CLAUDE.md', designer), 'pm', 'CLAUDE.md', pm)).toBe(user);
      // pm first: its added final newline stays (the designer section is not last), the blank lines go.
      const withoutPm = removeSection(two, 'pm', 'CLAUDE.md', pm);
      expect(removeSection(withoutPm, 'designer', 'CLAUDE.md', designer).replace(/\r?\n$/, '')).toBe(user.replace(/\r?\n$/, ''));
    },
  );

  it('replaces only the body of an existing section, text above and below untouched', () => {
    const above = 'above\r\n\r\n';
    const below = '\nbelow, with trailing spaces   \n';
    const text = `${above}<!-- dp:begin pm -->\nold\n<!-- dp:end pm -->\n${below}`;
    const out = upsertSection(text, 'pm', 'new\n', 'CLAUDE.md');
    expect(out).toBe(`${above}<!-- dp:begin pm -->\nnew\n<!-- dp:end pm -->\n${below}`);
    expect(sectionBody(out, 'pm', 'CLAUDE.md')).toBe('new\n');
  });

  it('removes a section, or keeps its body as user text', () => {
    const text = upsertSection(userText, 'pm', 'edited by me\n', 'CLAUDE.md');
    expect(removeSection(text, 'pm', 'CLAUDE.md', { dropBlankLine: true })).toBe(userText);
    // Without the record's word that dp added the blank line, it stays: it may be the user's.
    expect(removeSection(text, 'pm', 'CLAUDE.md')).toBe(`${userText}\n`);
    // The body stays as the user's text, after the blank line.
    expect(removeSection(text, 'pm', 'CLAUDE.md', { keepBody: true, dropBlankLine: true })).toBe(`${userText}\nedited by me\n`);
  });

  it.each([
    ['a begin without an end', 'x\n<!-- dp:begin pm -->\nbody\n', /CLAUDE\.md line 2: .*has no end marker/],
    ['an end without a begin', 'x\n\n<!-- dp:end pm -->\n', /line 3: .*has no matching begin marker/],
    ['two sections of one persona', '<!-- dp:begin pm -->\n<!-- dp:end pm -->\n<!-- dp:begin pm -->\n<!-- dp:end pm -->\n', /line 3: a second section "pm"/],
    ['nested sections', '<!-- dp:begin pm -->\n<!-- dp:begin designer -->\n', /line 2: .*starts inside the section "pm"/],
    ['an end closing another section', '<!-- dp:begin pm -->\n<!-- dp:end designer -->\n', /line 2: .*closes the section "pm"/],
  ])('refuses damaged markers: %s, naming the line', (_name, text, message) => {
    expect(() => parseSections(text, 'CLAUDE.md')).toThrow(DpError);
    expect(() => parseSections(text, 'CLAUDE.md')).toThrow(message);
  });

  it('ignores marker-like text that is not on a line of its own', () => {
    expect(parseSections('see `<!-- dp:begin pm -->` in the docs\n', 'CLAUDE.md')).toEqual([]);
  });
});
