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
