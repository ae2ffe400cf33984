// Line endings. dp generates LF; a user's file may be CRLF (an editor, git's core.autocrlf). Content
// that differs only in line endings is the same content: comparisons are made on LF text, and what dp
// writes into a file takes that file's line ending.

export type Eol = '\n' | '\r\n';

export function toLf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** CRLF when most of the text's line breaks are CRLF. */
export function dominantEol(text: string): Eol {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const all = text.match(/\n/g)?.length ?? 0;
  return crlf > 0 && crlf * 2 >= all ? '\r\n' : '\n';
}

export function withEol(text: string, eol: Eol): string {
  const lf = toLf(text);
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}

export function sameContent(a: string, b: string): boolean {
  return a === b || toLf(a) === toLf(b);
}
