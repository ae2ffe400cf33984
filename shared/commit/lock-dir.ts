// Where a repository's lock lives: somewhere only those who can already change the repository can
// write. A lock in a shared temp directory under a predictable name lets another local user plant a
// symlink (a root run then overwrites its target) or a lock that never goes stale.
//   1. the repository's .git directory (a linked worktree's or submodule's too), unless anyone may write it;
//   2. else a private directory of the user's own: $XDG_RUNTIME_DIR/generator-dp, or <tmp>/generator-dp-<uid>,
//      created 0700, and refused when it exists but is not a private directory of this user.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, realpathSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { DpError } from '../errors.js';

const uid = process.getuid?.();
// Windows reports every directory as mode 0o666 and owner 0, and has no other local users' /tmp to fear.
const checksOwnership = process.platform !== 'win32';

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** The repository's git directory, when it is a real directory that not everyone can write. */
function gitDirectory(root: string): string | null {
  const dotGit = join(root, '.git');
  const stat = lstatOrNull(dotGit);
  let dir: string | null = null;
  if (stat?.isDirectory()) dir = dotGit;
  else if (stat?.isFile()) {
    // A worktree or submodule: ".git" is a file saying "gitdir: <path>".
    const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
    if (pointer) dir = isAbsolute(pointer) ? pointer : resolve(root, pointer);
  }
  if (dir === null) return null;
  const target = lstatOrNull(dir);
  return target?.isDirectory() && (!checksOwnership || (target.mode & 0o002) === 0) ? dir : null;
}

function isPrivateDirectory(stat: Stats | null): boolean {
  if (stat === null || !stat.isDirectory()) return false;
  return !checksOwnership || ((uid === undefined || stat.uid === uid) && (stat.mode & 0o077) === 0);
}

/** This user's own directory for locks, created when missing. */
function privateDirectory(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  if (runtime && isAbsolute(runtime) && isPrivateDirectory(lstatOrNull(runtime))) {
    const dir = join(runtime, 'generator-dp');
    ensurePrivate(dir);
    return dir;
  }
  const dir = join(tmpdir(), `generator-dp-${uid ?? 'user'}`);
  ensurePrivate(dir);
  return dir;
}

function ensurePrivate(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = lstatOrNull(dir);
  if (!isPrivateDirectory(stat)) {
    const what = !stat?.isDirectory() ? 'is not a directory' : stat.uid !== uid ? `belongs to uid ${stat.uid}` : `can be written by others (mode ${(stat.mode & 0o777).toString(8)})`;
    throw new DpError(
      `the lock directory ${dir} ${what}, so another user could interfere with dp's runs`,
      'remove it (dp creates its own, private), or set XDG_RUNTIME_DIR to a directory only you can write; nothing was written',
    );
  }
}

/** The lock file of the repository at `repoRoot`. */
export function lockPath(repoRoot: string): string {
  const root = realpathSync(repoRoot);
  const git = gitDirectory(root);
  if (git) return join(git, 'dp.lock');
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return join(privateDirectory(), `${key}.lock`);
}
