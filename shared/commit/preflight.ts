// Checks made before the first write of a run, so that a run that cannot finish writes nothing:
// a target that is a symlink leading outside the repository, or a read-only file or directory, is refused.
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { DpError } from '../errors.js';

export interface WriteTarget {
  path: string;
  /** null: the file is deleted. */
  content: string | Buffer | null;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The real file a repository path is written to: symlinks are followed, but only inside the repository. */
export function resolveTarget(root: string, path: string): string {
  const realRoot = realpathSync(root);
  const full = join(realRoot, path);
  let existing = full;
  while (!exists(existing)) existing = dirname(existing);
  const real = join(realpathSync(existing), relative(existing, full));
  if (!inside(realRoot, real)) {
    throw new DpError(
      `${path} is a symbolic link to ${real}, outside this repository`,
      'dp only writes inside the repository; replace the link with a file (or run dp where the link points), then run again. Nothing was written',
    );
  }
  return real;
}

function writable(path: string): boolean {
  // Mode bits, not access(2): a read-only file is the user's intent even when running as root.
  return (statSync(path).mode & 0o200) !== 0;
}

/** Refuse the whole run when any target cannot be written. */
export function preflight(root: string, targets: WriteTarget[]): void {
  for (const target of targets) {
    const real = resolveTarget(root, target.path);
    if (exists(real)) {
      if (!writable(real)) {
        throw new DpError(`${target.path} is read-only`, `make it writable (chmod u+w ${target.path}) or leave it out, then run again. Nothing was written`);
      }
      if (target.content === null) continue;
    }
    let dir = dirname(real);
    while (!exists(dir)) dir = dirname(dir);
    if (!writable(dir)) {
      const shown = relative(realpathSync(root), dir) || '.';
      throw new DpError(`the directory ${shown} is read-only`, `make it writable (chmod u+w ${shown}), then run again. Nothing was written`);
    }
  }
}
