// Writing to a directory: every target checked first (preflight), then each file written to a
// temporary file beside it and renamed into place, in the order given (the record last), so an
// interrupted run leaves every file either old or new, and the next run repairs the rest.
import { chmodSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DpError } from '../errors.js';
import type { Change, Reader } from '../merge/apply.js';
import { preflight, resolveTarget } from './preflight.js';

export function diskReader(root: string): Reader {
  return (path) => {
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      if (code === 'EISDIR') throw new DpError(`${path} is a directory, where dp expects a file`, 'move it aside, then run again; nothing was written');
      if (code === 'EACCES') throw new DpError(`${path} cannot be read (permission denied)`, 'make it readable, then run again; nothing was written');
      throw error;
    }
  };
}

function existingMode(path: string): number | null {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return null;
  }
}

/** Temporary files an interrupted run left beside `target` (the process that wrote them is gone). */
function removeLeftovers(target: string): void {
  const prefix = `.${basename(target)}.dp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix) && name.endsWith('.tmp')) rmSync(join(dirname(target), name), { force: true });
}

/** Write one file atomically; `mode` (or else the mode of the file it replaces) is kept. */
function writeFileAtomically(target: string, content: string | Buffer, mode?: number): void {
  mkdirSync(dirname(target), { recursive: true });
  removeLeftovers(target);
  const temporary = join(dirname(target), `.${basename(target)}.dp-${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    const keep = mode ?? existingMode(target);
    if (keep !== null) chmodSync(temporary, keep);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** A write as the disk sees it: generated text, or any file a composed generator wrote. */
export interface DiskWrite {
  path: string;
  content: string | Buffer | null;
  executable?: boolean;
  mode?: number;
}

export function writeChanges(root: string, changes: Array<Change | DiskWrite>): void {
  preflight(root, changes);
  for (const change of changes) {
    const target = resolveTarget(root, change.path);
    if (change.content === null) {
      rmSync(target, { recursive: true, force: true });
      removeEmptyParents(root, target);
    } else {
      writeFileAtomically(target, change.content, change.executable ? 0o755 : (change as DiskWrite).mode);
    }
  }
}

/** Folders left empty by a deletion (a removed persona's command set) go too, up to the repository. */
function removeEmptyParents(root: string, file: string): void {
  const top = resolveTarget(root, '.');
  for (let dir = dirname(file); dir.startsWith(top) && dir !== top; dir = dirname(dir)) {
    try {
      if (readdirSync(dir).length > 0) return;
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}
