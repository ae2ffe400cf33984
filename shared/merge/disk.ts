// Writing to a directory: every target checked first (preflight), then each file written to a
// temporary file beside it and renamed into place, in the order given (the record last), so an
// interrupted run leaves every file either old or new, and the next run repairs the rest.
import { chmodSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Change, Reader } from './apply.js';
import { preflight, resolveTarget } from './preflight.js';

export function diskReader(root: string): Reader {
  return (path) => {
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
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
export function writeFileAtomically(target: string, content: string | Buffer, mode?: number): void {
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

export function writeChanges(root: string, changes: Change[]): void {
  preflight(root, changes);
  for (const change of changes) {
    const target = resolveTarget(root, change.path);
    if (change.content === null) rmSync(target, { force: true });
    else writeFileAtomically(target, change.content, change.executable ? 0o755 : undefined);
  }
}
