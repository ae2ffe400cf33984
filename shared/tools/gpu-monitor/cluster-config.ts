// `--cluster-config KIND [--out DIR]`: write the cluster files (cluster-files.ts) into DIR.
// Never overwrites: a file that exists (a symbolic link included) is refused, and then nothing is written.
// Never follows a symbolic link: DIR itself must not be one, and each file is written to a new temporary file with
// O_EXCL | O_NOFOLLOW and hard-linked to its name (link() fails if the name exists in any form). All files or none:
// a failure part-way removes what this run wrote.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, linkSync, lstatSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DpError, UsageError } from '../lib/cli.js';
import { clusterFiles, type ClusterFile, type ClusterKind, type ClusterOptions } from './cluster-files.js';

const code = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

function checkDirectory(dir: string): void {
  let stat;
  try {
    // lstat of "link/" resolves the link: look at the name without its trailing slashes.
    stat = lstatSync(dir.replace(/(?<=.)\/+$/, ''));
  } catch (error) {
    if (code(error) !== 'ENOENT') throw new DpError(`cannot use --out ${dir} (${code(error)})`, 'choose a directory you can write to', 2);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (mkdirError) {
      throw new DpError(`cannot create --out ${dir} (${code(mkdirError)})`, 'choose a directory you can write to', 2);
    }
    return;
  }
  if (stat.isSymbolicLink()) throw new UsageError(`--out ${dir} is a symbolic link; it is not followed`, 'name the real directory');
  if (!stat.isDirectory()) throw new UsageError(`--out ${dir} is not a directory`, 'name a directory (it is created when missing)');
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Write a file's bytes to a fresh temporary name in dir (never an existing file, never through a link). */
function writeTemporary(dir: string, file: ClusterFile): string {
  const temporary = join(dir, `.${file.name}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, file.name.endsWith('.sbatch') ? 0o755 : 0o644);
  try {
    writeSync(fd, file.text);
  } finally {
    closeSync(fd);
  }
  return temporary;
}

export function writeClusterConfig(kind: ClusterKind, dir: string, options: ClusterOptions): { path: string; use: string }[] {
  checkDirectory(dir);
  const files = clusterFiles(kind, options);
  const taken = files.map((file) => join(dir, file.name)).filter(exists);
  if (taken.length > 0) {
    throw new UsageError(`${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}; nothing was written`, 'move it away, or choose another directory with --out DIR');
  }
  const temporaries: string[] = [];
  const written: string[] = [];
  try {
    for (const file of files) temporaries.push(writeTemporary(dir, file));
    files.forEach((file, i) => {
      const path = join(dir, file.name);
      linkSync(temporaries[i]!, path);
      written.push(path);
    });
  } catch (error) {
    for (const path of written) unlinkSync(path);
    const clash = code(error) === 'EEXIST';
    throw new DpError(
      clash ? `a file appeared in ${dir} while writing; nothing was written` : `cannot write into ${dir} (${code(error)}); nothing was written`,
      clash ? 'run again once the other writer is done' : 'check that the directory is writable',
      2,
    );
  } finally {
    for (const temporary of temporaries) unlinkSync(temporary);
  }
  return files.map((file, i) => ({ path: written[i]!, use: file.use }));
}
