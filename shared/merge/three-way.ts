// Three-way merge of text, lines as units (node-diff3, which behaves like `git merge-file`:
// changes separated by at least one unchanged line merge cleanly, overlapping or adjacent ones conflict).
import { diff3Merge } from 'node-diff3';
import { dominantEol } from './eol.js';

export interface MergeResult {
  clean: boolean;
  /** The merged text; with conflicts, git-style conflict blocks (yours first). */
  text: string;
  conflicts: number;
}

/** Lines with their terminators, so joining them gives back the text exactly. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function terminated(lines: string[]): string {
  const text = lines.join('');
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

export function threeWayMerge(base: string, yours: string, theirs: string, theirsLabel: string): MergeResult {
  const regions = diff3Merge(splitLines(yours), splitLines(base), splitLines(theirs), { excludeFalseConflicts: true });
  let text = '';
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      text += region.ok.join('');
    } else if (region.conflict) {
      conflicts += 1;
      text += `<<<<<<< yours\n${terminated(region.conflict.a)}=======\n${terminated(region.conflict.b)}>>>>>>> ${theirsLabel}\n`;
    }
  }
  return { clean: conflicts === 0, text, conflicts };
}

/**
 * Merge two changes to the same text where neither may be lost and nobody is there to settle a conflict
 * (another program wrote the file while dp was writing it). Changes that touch (diff3 calls adjacent
 * changes a conflict) are combined when one side only added lines around the base lines: what both
 * inserted at one place is kept, theirs first. null when both changed the same lines.
 */
export function mergeKeepingBoth(base: string, theirs: string, ours: string): string | null {
  // A last line without its line ending is the same line once either side added one after it: every
  // side is closed with the file's own line ending, taken off again if neither side had one.
  const eol = dominantEol(`${theirs}${ours}${base}`);
  const close = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}${eol}`);
  const open = (text: string) => text !== '' && !text.endsWith('\n');
  let text = '';
  for (const region of diff3Merge(splitLines(close(theirs)), splitLines(close(base)), splitLines(close(ours)), { excludeFalseConflicts: true })) {
    if (region.ok) text += region.ok.join('');
    else if (region.conflict) {
      const combined = combineAround(region.conflict.a, region.conflict.o, region.conflict.b);
      if (combined === null) return null;
      text += combined;
    }
  }
  return open(theirs) && open(ours) ? text.slice(0, -eol.length) : text;
}

function startsWith(lines: string[], prefix: string[]): boolean {
  return prefix.length <= lines.length && prefix.every((line, i) => lines[i] === line);
}

function endsWith(lines: string[], suffix: string[]): boolean {
  return suffix.length <= lines.length && suffix.every((line, i) => lines[lines.length - suffix.length + i] === line);
}

/** One conflict region: combined when one side kept the base lines and only added before or after them (theirs first where both did). */
function combineAround(theirs: string[], base: string[], ours: string[]): string | null {
  const join = (...parts: string[][]) => parts.flat().join('');
  if (base.length === 0) return join(theirs, ours);
  const after = (lines: string[]) => lines.slice(base.length);
  const before = (lines: string[]) => lines.slice(0, lines.length - base.length);
  if (startsWith(theirs, base) && startsWith(ours, base)) return join(base, after(theirs), after(ours));
  if (endsWith(theirs, base) && endsWith(ours, base)) return join(before(theirs), before(ours), base);
  if (startsWith(theirs, base)) return join(ours, after(theirs));
  if (endsWith(theirs, base)) return join(before(theirs), ours);
  if (startsWith(ours, base)) return join(theirs, after(ours));
  if (endsWith(ours, base)) return join(before(ours), theirs);
  return null;
}
