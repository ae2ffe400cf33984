// Committing a run's changes to the repository, the one way both front ends write (the dp CLI and the
// Yeoman generators' commit task):
//   1. every target is checked first (preflight): a refusal writes nothing;
//   2. each change, in order, is staged beside its target and renamed into place; the record goes last;
//   3. compare before replace (replace-checked.ts): a file the run read is checked against what was read,
//      right before the rename; what another program wrote meanwhile is merged in, never written over;
//   4. settings.json and the record change together: an intent record (the hash of the settings text
//      actually written) goes first, so a crash between the two loses no ownership (merge/intent.ts).
import type { Reader } from '../merge/model.js';
import { settingsIntent } from '../merge/intent.js';
import { RECORD_PATH } from '../merge/record.js';
import { SETTINGS_PATH } from '../merge/settings-file.js';
import { removeFile, stage } from './disk.js';
import { preflight, resolveTarget } from './preflight.js';
import { readRepositoryFile, type Snapshot } from './read.js';
import { replaceChecked } from './replace-checked.js';

export interface Write {
  path: string;
  /** null deletes the file. */
  content: string | Buffer | null;
  executable?: boolean;
  mode?: number;
}

function asText(content: string | Buffer | null): string | null {
  return content === null ? null : content.toString();
}

/**
 * Write `changes` in order. `snapshot` holds what the run read and decided from; files it does not hold
 * (a composing generator's own files) are written as they are.
 */
export function commitChanges(root: string, unordered: Write[], snapshot: Snapshot, version: string): void {
  // The record last: until it is written, it describes files already on disk (a crash leaves nothing untracked).
  const changes = [...unordered.filter((c) => c.path !== RECORD_PATH), ...unordered.filter((c) => c.path === RECORD_PATH)];
  preflight(root, changes);
  const top = resolveTarget(root, '.');
  const expected = new Map(snapshot);
  const finalRecord = changes.find((c) => c.path === RECORD_PATH && c.content !== null);
  const asRead: Reader = (path) => (snapshot.has(path) ? snapshot.get(path)! : readRepositoryFile(root, path));
  const writeIntent = (settings: string | null) => {
    const intent = settingsIntent(asText(finalRecord!.content)!, settings, asRead, version);
    replace(top, root, { path: RECORD_PATH, content: intent });
    expected.set(RECORD_PATH, intent);
  };
  for (const change of changes) {
    // With settings.json: the intent record, for the settings text actually written, just before it.
    const beforeReplace = change.path === SETTINGS_PATH && finalRecord ? writeIntent : undefined;
    const mode = modeOf(change);
    if (expected.has(change.path)) {
      replaceChecked(root, { path: change.path, content: asText(change.content), ...(mode !== undefined ? { mode } : {}) }, expected.get(change.path)!, beforeReplace);
    } else {
      beforeReplace?.(asText(change.content));
      replace(top, root, change);
    }
  }
}

function replace(top: string, root: string, change: Write): void {
  const target = resolveTarget(root, change.path);
  if (change.content === null) removeFile(top, target);
  else stage(target, change.content, modeOf(change)).commit();
}

/** The mode to write with: executable files 0755, else the one given (or, left undefined, the replaced file's). */
function modeOf(change: Write): number | undefined {
  return change.executable ? 0o755 : change.mode;
}
