// What JSON.parse does not say about a settings text, found with jsonc-parser's visitor (it gives lines):
// where it stops being strict JSON in the ways people most often write (comments, trailing commas),
// and a key written twice in one object, of which JSON.parse silently keeps only the last.
import { visit } from 'jsonc-parser';
import { formatIssuePath } from '../persona/schema.js';

/** The first comment or trailing comma, with its 1-based line. */
export function looseJsonProblem(text: string): { line: number; what: string } | null {
  let found: { line: number; what: string } | null = null;
  let comma: number | null = null;
  const note = (line: number, what: string) => {
    found ??= { line: line + 1, what };
  };
  const closed = () => {
    if (comma !== null) note(comma, 'has a trailing comma');
    comma = null;
  };
  const token = () => {
    comma = null;
  };
  visit(
    text,
    {
      onComment: (_offset, _length, line) => note(line, 'has a comment'),
      onSeparator: (character, _offset, _length, line) => {
        comma = character === ',' ? line : null;
      },
      onObjectEnd: closed,
      onArrayEnd: closed,
      onObjectBegin: token,
      onArrayBegin: token,
      onObjectProperty: token,
      onLiteralValue: token,
    },
    { allowTrailingComma: true },
  );
  return found;
}

/** The first key that appears a second time in the same object: the key, its 1-based line, the object's path ('' at the top). */
export function duplicateKey(text: string): { key: string; line: number; where: string } | null {
  const seen: Array<Set<string>> = [];
  let found: { key: string; line: number; where: string } | null = null;
  visit(text, {
    onObjectBegin: () => {
      seen.push(new Set());
    },
    onObjectEnd: () => {
      seen.pop();
    },
    onObjectProperty: (key, _offset, _length, line, _character, path) => {
      const keys = seen[seen.length - 1]!;
      if (keys.has(key)) found ??= { key, line: line + 1, where: formatIssuePath(path()) };
      keys.add(key);
    },
  });
  return found;
}

/**
 * Whether strict JSON `text` (JSON.parse gave `data`) writes no key twice in one object, without a scan of
 * the text: JSON.parse keeps one property per key, so the text writes more members than its objects hold
 * exactly when some key is written twice. Members are counted as the strings followed by `:` (in strict
 * JSON a `"` outside a string always opens one, so the pattern matches each string whole).
 */
export function writesEachKeyOnce(text: string, data: unknown): boolean {
  let written = 0;
  for (const match of text.matchAll(/"(?:[^"\\]|\\.)*"[ \t\r\n]*(:)?/g)) if (match[1] !== undefined) written += 1;
  return written === propertiesIn(data);
}

function propertiesIn(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Object.values(value);
  return (Array.isArray(value) ? 0 : children.length) + children.reduce<number>((sum, child) => sum + propertiesIn(child), 0);
}
