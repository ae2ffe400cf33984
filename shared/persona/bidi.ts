// Invisible bidirectional controls ("Trojan Source", CVE-2021-42574) in a user's persona text: an
// embedding, override or isolate reorders what a reviewer sees on screen, so a CLAUDE.md section, a
// rule or an env value could read differently from what the assistant gets. These nine are refused.
// The marks U+200E, U+200F and U+061C are accepted: ordinary right-to-left text needs them, and a
// mark only settles the direction of the punctuation beside it; it cannot reverse or hide a span.
import { DpError } from '../errors.js';

const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;

export interface BidiControl {
  codePoint: string;
  line: number;
  column: number;
}

/** The first bidi control in `text`: its code point (U+XXXX) and 1-based line and column (in characters). */
function findBidiControl(text: string): BidiControl | undefined {
  const match = BIDI_CONTROL.exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index).split('\n');
  return {
    codePoint: `U+${match[0].codePointAt(0)!.toString(16).toUpperCase()}`,
    line: before.length,
    column: [...before.at(-1)!].length + 1,
  };
}

/** `text` with each bidi control shown as <U+XXXX>, safe to print. */
function showBidiControls(text: string): string {
  return text.replace(new RegExp(BIDI_CONTROL.source, 'gu'), (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase()}>`);
}

function refusal(where: string, found: BidiControl, position: string): DpError {
  return new DpError(
    `${where} an invisible bidirectional control character ${found.codePoint} at ${position} (it can hide text from a reviewer)`,
    `delete it (in the file it may be written as the escape \\u${found.codePoint.slice(2).toLowerCase()}) and run again`,
  );
}

/** Refuse a bidi control in any string of parsed persona data, naming the field (`permissions.block[0]`). */
export function refuseBidiControls(data: unknown, shownAs: string, path = ''): void {
  if (typeof data === 'string') {
    const found = findBidiControl(data);
    if (found) throw refusal(`${shownAs}: ${path}: contains`, found, `line ${found.line}, column ${found.column}`);
  } else if (Array.isArray(data)) {
    data.forEach((item, index) => refuseBidiControls(item, shownAs, `${path}[${index}]`));
  } else if (typeof data === 'object' && data !== null) {
    for (const [key, value] of Object.entries(data)) {
      const found = findBidiControl(key);
      if (found) throw refusal(`${shownAs}: ${path || '(top level)'}: a name contains`, found, `line ${found.line}, column ${found.column}`);
      refuseBidiControls(value, shownAs, path ? `${path}.${key}` : key);
    }
  }
}

/** Refuse a bidi control in a file name that is listed in CLAUDE.md (`dir` is shown as given). */
export function refuseBidiFileName(dir: string, name: string): void {
  const found = findBidiControl(name);
  if (found) throw refusal(`${dir}/${showBidiControls(name)}: the file name contains`, found, `column ${found.column}`);
}
