// Committing a run's changes to the repository, the one way both front ends write (the dp CLI and the
// Yeoman generators' commit task):
//   1. every target is checked first (preflight): a refusal writes nothing;
//   2. each change, in order, is staged beside its target and renamed into place; the record goes last;
//   3. compare before replace: a file the run read is checked against what was read, right before the
//      rename; if another writer changed it meanwhile (Claude Code rewrites settings.json), the run's change
//      is merged into the file as it is now (merge/concurrent.ts), never written over it;
//   4. settings.json and the record change together: an intent record (the hash of the settings text
//      actually written) goes first, so a crash between the two loses no ownership (merge/intent.ts).
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type BigIntStats } from 'node:fs';
import type { Reader } from '../merge/model.js';
import { remergeConcurrent, type Remerged } from '../merge/concurrent.js';
import { settingsIntent } from '../merge/intent.js';
import { RECORD_PATH } from '../merge/record.js';
import { SETTINGS_PATH } from '../merge/settings-file.js';
import { DpError } from '../errors.js';
import { removeFile, stage } from './disk.js';
import { sleepSync } from './sleep.js';
import { preflight, resolveTarget } from './preflight.js';
import { decodeText, readRepositoryFile, type Snapshot } from './read.js';

export interface Write {
  path: string;
  /** null deletes the file. */
  content: string | Buffer | null;
  executable?: boolean;
  mode?: number;
}

/** How long a file that keeps changing under the run is re-merged before the run gives up. */
const PATIENCE_MS = 5_000;


function asText(content: string | Buffer | null): string | null {
  return content === null ? null : content.toString();
}

type Attempt = Remerged | DpError;

function tryRemerge(path: string, read: string | null, planned: string | null, current: string | null): Attempt {
  try {
    return remergeConcurrent(path, read, planned, current);
  } catch (error) {
    if (error instanceof DpError) return error;
    throw error;
  }
}

/** How long what cannot be merged may stay the same before it counts as settled (a descheduled writer). */
const SETTLE_MS = 1_000;

/**
 * Merge with what another program wrote. A writer that saves in place (truncate, then write: Claude Code
 * does, anthropics/claude-code#91520) can be caught half-way: what cannot be merged is read again
 * (`readAgain`) until it merges, or stays the same for SETTLE_MS. Returns the merge and the version of
 * theirs it was made with.
 */
function remergeSettled(path: string, read: string | null, planned: string | null, current: string | null, readAgain: () => string | null): { merged: Remerged; theirs: string | null } {
  let theirs = current;
  let merged = tryRemerge(path, read, planned, theirs);
  for (let settled = Date.now() + SETTLE_MS; merged instanceof DpError && Date.now() < settled; ) {
    sleepSync(10);
    const again = readAgain();
    if (again === theirs) continue;
    [theirs, settled] = [again, Date.now() + SETTLE_MS];
    merged = tryRemerge(path, read, planned, theirs);
  }
  if (merged instanceof DpError) throw merged;
  return { merged, theirs };
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
    if (expected.has(change.path)) replaceChecked(top, root, change, expected.get(change.path)!, beforeReplace);
    else {
      beforeReplace?.(asText(change.content));
      replace(top, root, change);
    }
  }
}

/** Which version of a file is there: a writer that renames a new file in changes the inode, one that writes in place the size or times. */
function identityOf(stats: BigIntStats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

function fileIdentity(path: string): string {
  try {
    return identityOf(statSync(path, { bigint: true }));
  } catch {
    return 'absent';
  }
}

/** An open descriptor on the version of a file about to be replaced: what is written into it stays readable after the rename. */
interface Pinned {
  fd: number;
  identity: string;
}

/** The pinned version's whole content, from its start every time (a descriptor's own position would move on). */
function readPinned(pinned: Pinned): Buffer {
  const chunks: Buffer[] = [];
  for (let position = 0; ; ) {
    const chunk = Buffer.alloc(64 * 1024);
    const read = readSync(pinned.fd, chunk, 0, chunk.length, position);
    if (read === 0) return Buffer.concat(chunks);
    chunks.push(chunk.subarray(0, read));
    position += read;
  }
}

function pin(path: string): Pinned | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  return { fd, identity: identityOf(fstatSync(fd, { bigint: true })) };
}

function replace(top: string, root: string, change: Write): void {
  const target = resolveTarget(root, change.path);
  if (change.content === null) removeFile(top, target);
  else stage(target, change.content, change.executable ? 0o755 : change.mode).commit();
}

/** Replace a file the run read, merging in whatever changed since it was read. */
function replaceChecked(top: string, root: string, change: Write, read: string | null, beforeReplace?: (content: string | null) => void): void {
  const target = resolveTarget(root, change.path);
  const fromDisk = () => readRepositoryFile(root, change.path);
  let base = read;
  let content = asText(change.content);
  for (const deadline = Date.now() + PATIENCE_MS; Date.now() < deadline; ) {
    const seen = fileIdentity(target);
    const current = fromDisk();
    if (current !== base) {
      const { merged, theirs } = remergeSettled(change.path, base, content, current, fromDisk);
      if (merged === 'leave') return;
      // Merged with a later version than the one looked at: the next look must find that one.
      if (theirs !== current) continue;
      [base, content] = [current, merged];
    }
    const staged = content === null ? null : stage(target, content, change.executable ? 0o755 : change.mode);
    beforeReplace?.(content);
    // The last look before the rename, as short as it can be (a stat of the version pinned open): a
    // change in between is merged on the next attempt.
    const pinned = pin(target);
    if ((pinned?.identity ?? 'absent') !== seen) {
      if (pinned) closeSync(pinned.fd);
      staged?.discard();
      continue;
    }
    if (staged) staged.commit();
    else removeFile(top, target);
    if (!pinned) return;
    // A writer that wrote into the file in place after that look wrote into the pinned version: merged
    // into what was just written on the next attempt. (One that renames a new file in during the few
    // microseconds between the look and the rename cannot be seen: POSIX has no compare-and-rename.)
    const pinnedText = () => decodeText(readPinned(pinned), change.path);
    try {
      const after = pinnedText();
      if (after === current) return;
      const { merged, theirs } = remergeSettled(change.path, current, content, after, pinnedText);
      // 'leave': what dp was to replace or delete is theirs now, so their version goes back.
      [base, content] = [content, merged === 'leave' ? theirs : merged];
    } finally {
      closeSync(pinned.fd);
    }
  }
  throw new DpError(`${change.path} kept changing while dp was writing it`, 'run dp again when the other program has finished writing it; nothing of its changes was overwritten');
}
