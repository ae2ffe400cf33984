// Terminal output rules shared by the tools: colour only on a terminal and never with NO_COLOR
// (https://no-color.org: any non-empty value disables colour).

export interface ColorStream {
  isTTY?: boolean;
}

export function colorEnabled(stream: ColorStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

const codes = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
export type Style = keyof typeof codes;

export type Stylist = (style: Style, text: string) => string;

/** A styling function that adds ANSI codes only when colour is enabled. */
export function stylist(enabled: boolean): Stylist {
  return enabled ? (style, text) => `\x1b[${codes[style]}m${text}\x1b[0m` : (_style, text) => text;
}

/** A horizontal bar for a fraction in [0, 1]; null (unknown) renders as a bar of '?'. */
export function bar(fraction: number | null, width: number): string {
  if (fraction === null || !Number.isFinite(fraction)) return '?'.repeat(width);
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Visible width of a string, ignoring ANSI escape codes. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/**
 * Word-wrap `text` to `width` visible columns (ANSI codes take none): leading spaces are kept, continuation lines
 * start with `indent`. A word longer than a line stays whole (a terminal folds it) unless `breakWords`, which cuts
 * it at the width, starting on the current line: for plain text redrawn in place, where nothing may run past the edge.
 */
export function wrap(text: string, width: number, indent: string, { breakWords = false } = {}): string[] {
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  // Only plain text is cut (a cut could split an escape code), and only where a line holds more than the indent.
  const cut = breakWords && width > indent.length && !text.includes('\x1b[');
  for (const word of text.slice(lead.length).split(' ')) {
    const tooLong = cut && indent.length + word.length > width;
    if (line.trim() !== '' && !tooLong && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
    while (cut && line.length > width) {
      lines.push(line.slice(0, width));
      line = indent + line.slice(width);
    }
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from outside (a command line, a GPU or user name, an error message) made safe to print on one terminal line:
 * C0 and C1 control characters, DEL and the bidirectional overrides (which reorder what follows them) become visible
 * escapes (\n, \t, \x1b, \u202e), and a backslash stays a backslash. A newline in a command line then cannot
 * break a table, nor an escape sequence repaint the screen.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => {
    const named = NAMED_ESCAPES[char];
    if (named) return named;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
