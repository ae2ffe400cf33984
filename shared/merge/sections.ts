// Marked sections in a shared Markdown file (CLAUDE.md). Everything outside the markers is the user's
// and is returned byte for byte. Markers are whole lines:
//   <!-- dp:begin <persona> -->
//   ...
//   <!-- dp:end <persona> -->
// Claude Code strips HTML comments before the model sees CLAUDE.md, so markers cost nothing.
import { DpError } from '../errors.js';
import { dominantEol, withEol } from './eol.js';

const MARKER = /^[ \t]*<!--[ \t]*dp:(begin|end)[ \t]+([^\s]+)[ \t]*-->[ \t]*\r?$/;

export interface SectionSpan {
  id: string;
  /** Offset of the begin marker line. */
  start: number;
  /** Offset just after the begin marker line. */
  bodyStart: number;
  /** Offset of the end marker line. */
  bodyEnd: number;
  /** Offset just after the end marker line (and its newline, if any). */
  end: number;
}

function beginMarker(id: string): string {
  return `<!-- dp:begin ${id} -->`;
}

function endMarker(id: string): string {
  return `<!-- dp:end ${id} -->`;
}

/** Every section of a file. Damaged markers (unclosed, stray, nested, duplicated) are an error naming the line. */
export function parseSections(text: string, file: string): SectionSpan[] {
  const spans: SectionSpan[] = [];
  const seen = new Set<string>();
  let open: { id: string; start: number; bodyStart: number; line: number } | null = null;
  let offset = 0;
  let lineNumber = 0;
  const damaged = (line: number, what: string) =>
    new DpError(`${file} line ${line}: ${what}`, `repair the dp markers by hand (or delete the whole section, markers included) and run again; ${file} was not changed`);

  while (offset < text.length) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(offset, newline === -1 ? text.length : newline);
    lineNumber += 1;
    const match = MARKER.exec(line);
    if (match) {
      const [, kind, id] = match as unknown as [string, 'begin' | 'end', string];
      if (kind === 'begin') {
        if (open) throw damaged(lineNumber, `"${beginMarker(id)}" starts inside the section "${open.id}" begun on line ${open.line}, which has no end marker`);
        if (seen.has(id)) throw damaged(lineNumber, `a second section "${id}" (each persona has one section)`);
        open = { id, start: offset, bodyStart: lineEnd, line: lineNumber };
      } else {
        if (!open) throw damaged(lineNumber, `"${endMarker(id)}" has no matching begin marker`);
        if (open.id !== id) throw damaged(lineNumber, `"${endMarker(id)}" closes the section "${open.id}" begun on line ${open.line}`);
        spans.push({ id, start: open.start, bodyStart: open.bodyStart, bodyEnd: offset, end: lineEnd });
        seen.add(id);
        open = null;
      }
    }
    offset = lineEnd;
  }
  if (open) throw damaged(open.line, `"${beginMarker(open.id)}" has no end marker`);
  return spans;
}

/** The text between a section's markers, or null when the file has no such section. */
export function sectionBody(text: string, id: string, file: string): string | null {
  const span = parseSections(text, file).find((s) => s.id === id);
  return span ? text.slice(span.bodyStart, span.bodyEnd) : null;
}

/** Whether any line of a text is a dp marker (a section body must not contain one). */
export function markerLine(text: string): number | null {
  const index = text.split('\n').findIndex((line) => MARKER.test(line));
  return index < 0 ? null : index + 1;
}

/**
 * What appending a section to this text adds before the begin marker: a final newline to a file that lacks
 * one, and a blank line, so that the section stands apart from the user's last paragraph. Nothing for an
 * empty file or one that already ends with a blank line. Both are recorded, so removal takes them back.
 */
export function appendSeparator(text: string): { finalNewline: boolean; blankLine: boolean } {
  if (text === '') return { finalNewline: false, blankLine: false };
  if (!text.endsWith('\n')) return { finalNewline: true, blankLine: true };
  return { finalNewline: false, blankLine: !/(^|\n)\r?\n$/.test(text) };
}

/** Whether exactly one blank line, after a line of text, comes right before a section's begin marker. */
export function blankLineBefore(text: string, id: string, file: string): boolean {
  const span = parseSections(text, file).find((s) => s.id === id);
  return span !== undefined && /[^\r\n]\r?\n\r?\n$/.test(text.slice(0, span.start));
}

/**
 * Replace a section's body, or append the section at the end when it is not there yet, after a blank line
 * (appendSeparator). Nothing else is added, so removing the section (with what appendSeparator said was
 * added) gives back the user's text exactly. The section takes the file's line ending.
 */
export function upsertSection(text: string, id: string, body: string, file: string): string {
  const eol = text === '' ? '\n' : dominantEol(text);
  const lines = withEol(body === '' || body.endsWith('\n') ? body : `${body}\n`, eol);
  const span = parseSections(text, file).find((s) => s.id === id);
  if (span) return text.slice(0, span.bodyStart) + lines + text.slice(span.bodyEnd);
  const block = `${beginMarker(id)}${eol}${lines}${endMarker(id)}${eol}`;
  const { finalNewline, blankLine } = appendSeparator(text);
  return `${text}${finalNewline ? eol : ''}${blankLine ? eol : ''}${block}`;
}

/**
 * Take a section out. With keepBody the markers go and the body stays, as the user's text
 * (used when the user edited a section of a persona being removed). With dropBlankLine, the blank line dp
 * added before the section is taken back (when it is still there); with dropAddedNewline, the final
 * newline dp added to a file that had none (when the section is last).
 */
export function removeSection(
  text: string,
  id: string,
  file: string,
  { keepBody = false, dropAddedNewline = false, dropBlankLine = false } = {},
): string {
  const span = parseSections(text, file).find((s) => s.id === id);
  if (!span) return text;
  const replacement = keepBody ? text.slice(span.bodyStart, span.bodyEnd) : '';
  let before = text.slice(0, span.start);
  const atEnd = span.end === text.length;
  if (!keepBody && dropBlankLine && /(^|\n)\r?\n$/.test(before)) before = before.replace(/\r?\n$/, '');
  if (!keepBody && dropAddedNewline && atEnd) before = before.replace(/\r?\n$/, '');
  return before + replacement + text.slice(span.end);
}
