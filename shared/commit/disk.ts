// Writing one file so that an interrupted run leaves it either old or new: the content goes to a
// temporary file beside it, which is then renamed into place. The temporary file has a random name and
// is created exclusively without following a symlink, so nothing planted in the repository can make dp
// write through it.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, mkdirSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

function existingMode(path: string): number | null {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return null;
  }
}

function leftoverPrefix(target: string): string {
  return `.${basename(target)}.dp-`;
}

/** Temporary files an interrupted run left beside `target` (runs hold the repository's lock, so none is live). */
function removeLeftovers(target: string): void {
  const prefix = leftoverPrefix(target);
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  // rmSync removes a symlink itself, never what it points to.
  for (const name of names) if (name.startsWith(prefix) && name.endsWith('.tmp')) rmSync(join(dirname(target), name), { force: true });
}

/** A file staged beside its target: rename it into place, or discard it. */
export interface Staged {
  commit(): void;
  discard(): void;
}

/** Write `content` to a new temporary file beside `target`; `mode` (or else the mode of the file it replaces) is kept. */
export function stage(target: string, content: string | Buffer, mode?: number): Staged {
  mkdirSync(dirname(target), { recursive: true });
  removeLeftovers(target);
  const temporary = join(dirname(target), `${leftoverPrefix(target)}${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  const discard = () => rmSync(temporary, { force: true });
  try {
    writeFileSync(fd, content);
  } catch (error) {
    closeSync(fd);
    discard();
    throw error;
  }
  closeSync(fd);
  const keep = mode ?? existingMode(target);
  if (keep !== null) chmodSync(temporary, keep);
  return {
    commit() {
      try {
        renameSync(temporary, target);
      } catch (error) {
        discard();
        throw error;
      }
    },
    discard,
  };
}

/** Delete a file; folders left empty by it (a removed persona's command set) go too, up to `top`. */
export function removeFile(top: string, file: string): void {
  rmSync(file, { recursive: true, force: true });
  for (let dir = dirname(file); dir.startsWith(top) && dir !== top; dir = dirname(dir)) {
    try {
      if (readdirSync(dir).length > 0) return;
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}
