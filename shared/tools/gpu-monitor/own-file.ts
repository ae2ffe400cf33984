// Opening the files --log and --plot write: never through a symbolic link (O_NOFOLLOW, so a link planted under the
// name, even one to nothing yet, cannot redirect the write), and only into a regular file (not a device or a FIFO).
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { DpError, UsageError } from '../lib/cli.js';

/**
 * Open `path` for writing with `flags` (O_CREAT and the like) added to O_NOFOLLOW | O_NONBLOCK (a FIFO without a
 * reader then fails instead of blocking). `option` names the option to choose another file with, for the hint.
 */
export function openOwnFile(path: string, flags: number, option: string): number {
  let fd: number;
  try {
    fd = openSync(path, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UsageError(`${path} is a symbolic link; it is not followed`, `name another file: ${option}`);
    if (code === 'ENXIO') throw new UsageError(`${path} is not a regular file`, `name another file: ${option}`);
    throw new DpError(`cannot write ${path} (${code ?? String(error)})`, 'check that the directory exists and is writable', 2);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new UsageError(`${path} is not a regular file`, `name another file: ${option}`);
  }
  return fd;
}
