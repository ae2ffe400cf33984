// Three-way merge of text, lines as units (node-diff3, which behaves like `git merge-file`:
// changes separated by at least one unchanged line merge cleanly, overlapping or adjacent ones conflict).
import { diff3Merge } from 'node-diff3';

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
  // A last line without its newline is the same line once either side added one after it.
  const unterminated = (text: string) => text !== '' && !text.endsWith('\n');
  let text = '';
  for (const region of diff3Merge(splitLines(terminated([theirs])), splitLines(terminated([base])), splitLines(terminated([ours])), { excludeFalseConflicts: true })) {
    if (region.ok) text += region.ok.join('');
    else if (region.conflict) {
      const combined = combineAround(region.conflict.a, region.conflict.o, region.conflict.b);
      if (combined === null) return null;
      text += combined;
    }
  }
  return unterminated(theirs) && unterminated(ours) ? text.slice(0, -1) : text;
}

function startsWith(lines: string[], prefix: string[]): boolean {
  return prefix.every((line, i) => lines[i] === line);
}

function endsWith(lines: string[], suffix: string[]): boolean {
  return suffix.every((line, i) => lines[lines.length - suffix.length + i] === line);
}

/** One conflict region: combined when one side kept the base lines and only added before or after them. */
function combineAround(theirs: string[], base: string[], ours: string[]): string | null {
  if (base.length === 0) return terminated(theirs) + ours.join('');
  if (startsWith(theirs, base)) return terminated(ours) + theirs.slice(base.length).join('');
  if (endsWith(theirs, base)) return terminated(theirs.slice(0, theirs.length - base.length)) + ours.join('');
  if (startsWith(ours, base)) return terminated(theirs) + ours.slice(base.length).join('');
  if (endsWith(ours, base)) return terminated(ours.slice(0, ours.length - base.length)) + theirs.join('');
  return null;
}
