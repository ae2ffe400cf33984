// Compare before replace: a file the run read is replaced only if it is still what the run read. If
// another program changed it meanwhile, the run's change is merged into the file as it is now
// (merge/concurrent.ts), never written over it. Two kinds of writers are covered:
//   - one that renames a new file into place (an atomic save): seen by the last look before dp's rename,
//     a stat of the version dp then holds open; only a rename landing in the microseconds between that
//     look and dp's own rename cannot be seen (POSIX has no compare-and-rename);
//   - one that writes in place, truncate then write (Claude Code saves settings.json so,
//     anthropics/claude-code#91520): what it writes after dp's look lands in the version dp holds open,
//     and is merged into what dp just wrote. A save caught half-way (empty, cut short, a character split)
//     is read again until it has settled.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { remergeConcurrent } from '../merge/concurrent.js';
import { DpError } from '../errors.js';
import { removeFile, stage } from './disk.js';
import { resolveTarget } from './preflight.js';
import { decodeText, readRepositoryFile } from './read.js';
import { sleepSync } from './sleep.js';

/** How long a file that keeps changing under the run is merged again before the run gives up. */
const PATIENCE_MS = 5_000;
/** A version has settled when two reads this far apart agree. */
const QUIET_MS = 20;
/** How long a version that looks cut short (empty, a prefix of the one before, not UTF-8) is waited on before dp gives up. */
const SUSPICIOUS_MS = 1_000;

export interface Replacement {
  path: string;
  /** null deletes the file. */
  content: string | null;
  mode?: number;
}

/** One read of a file: its text, or the refusal its bytes got (not UTF-8) with a key to compare versions by. */
type Version = { text: string | null; key: string } | { refusal: DpError; key: string };

function keyOf(text: string | null): string {
  return text === null ? '\0absent' : `=${text}`;
}

function versionOf(read: () => string | null): Version {
  try {
    const text = read();
    return { text, key: keyOf(text) };
  } catch (error) {
    if (!(error instanceof DpError)) throw error;
    return { refusal: error, key: `\0${error.message}` };
  }
}

/** Whether a version looks like a save caught half-way: not UTF-8 yet, emptied, or cut short of the one before. */
function suspicious(version: Version, before: string | null): boolean {
  if ('refusal' in version) return true;
  const text = version.text;
  return text !== null && before !== null && text.length < before.length && before.startsWith(text);
}

/**
 * The version another program left once it is done writing: read again until two reads agree. One that
 * still looks cut short after SUSPICIOUS_MS is refused rather than merged (merging an emptied file would
 * take the other program's text as deleted).
 */
function settle(path: string, read: () => string | null, first: Version, before: string | null, deadline: number): string | null {
  let version = first;
  let changedAt = Date.now();
  for (;;) {
    if (Date.now() >= deadline) throw keptChanging(path);
    sleepSync(QUIET_MS);
    const again = versionOf(read);
    if (again.key !== version.key) [version, changedAt] = [again, Date.now()];
    else if (!suspicious(version, before)) return (version as { text: string | null }).text;
    else if (Date.now() - changedAt >= SUSPICIOUS_MS) break;
  }
  if ('refusal' in version) throw version.refusal;
  throw new DpError(
    `${path} was emptied or cut short while dp was writing it, and stayed so`,
    'if another program is saving it, run dp again once it has; nothing of it was overwritten',
  );
}

function keptChanging(path: string): DpError {
  return new DpError(`${path} kept changing while dp was writing it`, 'run dp again when the other program has finished writing it; nothing of its changes was overwritten');
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

/** An open descriptor on the version of a file about to be replaced. */
interface Pinned {
  fd: number;
  identity: string;
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

/** The pinned version's whole content, from its start every time (the descriptor's own position would move on). */
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

/**
 * Replace a file the run read (`read`: what it held then) with `change`, merging in whatever changed since.
 * `beforeReplace` runs just before each rename, with the content about to be written (the intent record).
 */
export function replaceChecked(root: string, change: Replacement, read: string | null, beforeReplace?: (content: string | null) => void): void {
  const top = resolveTarget(root, '.');
  const target = resolveTarget(root, change.path);
  const fromDisk = () => readRepositoryFile(root, change.path);
  const deadline = Date.now() + PATIENCE_MS;
  let base = read;
  let content = change.content;
  /** Their version and ours merged, owed to the disk, which holds ours alone: written before giving up. */
  let owed: string | null = null;
  for (;;) {
    if (Date.now() >= deadline) {
      if (owed !== null) stage(target, owed, change.mode).commit();
      throw keptChanging(change.path);
    }
    const seen = fileIdentity(target);
    const current = versionOf(fromDisk);
    if (current.key !== keyOf(base)) {
      const theirs = settle(change.path, fromDisk, current, base, deadline);
      const merged = remergeConcurrent(change.path, base, content, theirs);
      if (merged === 'leave') return;
      // Written once the next look finds the disk still at their version.
      [base, content] = [theirs, merged];
      if (owed !== null && merged !== null) owed = merged;
      continue;
    }
    const staged = content === null ? null : stage(target, content, change.mode);
    beforeReplace?.(content);
    const pinned = pin(target);
    if ((pinned?.identity ?? 'absent') !== seen) {
      if (pinned) closeSync(pinned.fd);
      staged?.discard();
      continue;
    }
    if (staged) staged.commit();
    else removeFile(top, target);
    owed = null;
    if (!pinned) return;
    try {
      const pinnedText = () => decodeText(readPinned(pinned), change.path);
      const after = versionOf(pinnedText);
      if (after.key === keyOf(base)) return;
      // Written in place after the look: their version is in the pinned file only, until merged back.
      try {
        const theirs = settle(change.path, pinnedText, after, base, deadline);
        const merged = remergeConcurrent(change.path, base, content, theirs);
        if (merged === 'leave') return;
        [base, content, owed] = [content, merged, merged];
      } catch (error) {
        // Nothing of theirs may be lost: their bytes go back in place of ours (an intent record already
        // written names ours, so the ownership before this run holds).
        stage(target, readPinned(pinned), change.mode).commit();
        throw error;
      }
    } finally {
      closeSync(pinned.fd);
    }
  }
}
