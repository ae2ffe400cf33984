// Applying a merge result straight to a directory: each file written to a temporary file and renamed
// into place, in the order given (the record last), so an interrupted run leaves every file either
// old or new. Used where no Yeoman run is involved and by tests of the merge on real files.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Change, Reader } from './apply.js';

export function diskReader(root: string): Reader {
  return (path) => {
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
}

export function writeChanges(root: string, changes: Change[]): void {
  for (const change of changes) {
    const full = join(root, change.path);
    if (change.content === null) {
      rmSync(full, { force: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    const temporary = join(dirname(full), `.${change.path.split('/').pop()}.dp-${process.pid}.tmp`);
    writeFileSync(temporary, change.content);
    // Keep the mode of a file being replaced (a user's 0600 CLAUDE.md stays 0600).
    const mode = change.executable ? 0o755 : existingMode(full);
    if (mode !== null) chmodSync(temporary, mode);
    renameSync(temporary, full);
  }
}

function existingMode(path: string): number | null {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return null;
  }
}
