// When a file changed between the moment a run read it and the moment it replaces it (Claude Code
// approving a command rewrites settings.json; an editor saves CLAUDE.md), the run's change is merged
// into the file as it is now, never written over it. Pure: the commit step (shared/commit) reads and writes.
//   settings.json       dp's entries added/removed (read -> planned) applied to the current file, in place
//   any other text      three-way merge, lines as units (read = base, planned = ours, current = theirs);
//                       what both inserted at one place is kept, theirs first
//   a planned deletion  settings.json and a file of sections (CLAUDE.md, AGENTS.md): what was added meanwhile stays (the file too, if not
//                       empty); a file dp owned: it stays as it is, no longer what dp would delete
//   overlapping changes refused: the next run starts from the file as it is then
import { INSTRUCTION_FILES } from '../assistants/instruction-files.js';
import { DpError } from '../errors.js';
import { BASES_PATH, RECORD_PATH } from './record.js';
import { SETTINGS_PATH } from './settings-file.js';
import { mergeSettingsThreeWay } from './settings-edit.js';
import { dominantEol, toLf, withEol } from './eol.js';
import { mergeKeepingBoth } from './three-way.js';

/** What to write instead of the planned content: text, null to delete, or 'leave' to leave the file as it is. */
export type Remerged = string | null | 'leave';

function changedMeanwhile(path: string): DpError {
  return new DpError(
    `${path} changed while dp was writing it, and the change overlaps dp's`,
    'run dp again: it starts from the file as it is now. Nothing of the other change was overwritten',
  );
}

/** Merge a planned write with a change made meanwhile. `read` is what the run decided from. */
export function remergeConcurrent(path: string, read: string | null, planned: string | null, current: string | null): Remerged {
  if (current === planned) return 'leave';
  // The record and its bases are dp's alone, written under the lock: a change means a run that ignored it.
  if (path === RECORD_PATH || path === BASES_PATH) throw changedMeanwhile(path);
  if (planned === null && path !== SETTINGS_PATH && !INSTRUCTION_FILES.includes(path)) return 'leave';
  // Deleted meanwhile: whether to bring it back is the user's call.
  if (current === null) {
    throw new DpError(`${path} was deleted while dp was writing it`, 'run dp again: it starts from the repository as it is now. Nothing was brought back');
  }
  if (path === SETTINGS_PATH) {
    // Created meanwhile (Claude Code's first approval): merged as if it had been empty.
    const merged = mergeSettingsThreeWay(read ?? '{}\n', planned ?? '{}\n', current);
    return planned === null && isEmptyObject(merged) ? null : merged;
  }
  const merged = mergeKeepingBoth(read ?? '', current, planned ?? '') ?? mergeIgnoringLineEndings(read ?? '', current, planned ?? '');
  if (merged === null) throw changedMeanwhile(path);
  return merged === '' && planned === null ? null : merged;
}

/**
 * The same merge with line endings set aside, for a file the other program wrote in other line endings
 * than the file's own (an LF line added to a CRLF file): written back in the line ending most of it uses.
 */
function mergeIgnoringLineEndings(read: string, current: string, planned: string): string | null {
  const merged = mergeKeepingBoth(toLf(read), toLf(current), toLf(planned));
  return merged === null ? null : withEol(merged, dominantEol(current));
}

function isEmptyObject(text: string): boolean {
  const data = JSON.parse(text) as object;
  return Object.keys(data).length === 0;
}
