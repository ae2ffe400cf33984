// The bounded walk of a repository: breadth first and in name order (so a cap cuts the deepest files
// first, and two runs see the same files), skipping vendored and build folders and what the top-level
// .gitignore lists. Symbolic links are never followed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isIgnored, parseGitignore, type Gitignore } from './gitignore.js';
import type { WalkedFile } from './types.js';

/** Folders that hold dependencies, build output, caches or VCS data: never the architecture. */
export const SKIPPED_DIRECTORY_NAMES: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'vendor',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'target',
  '.venv',
  'venv',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.tox',
  '.next',
  '.nuxt',
  '.gradle',
  '.terraform',
  'coverage',
]);

const LISTED = 50;

export interface WalkResult {
  files: WalkedFile[];
  /** Every directory walked, relative ('' is the root). */
  directories: string[];
  fileCapHit: boolean;
  skippedDirectories: string[];
  skippedDirectoryCount: number;
  symlinksSkipped: number;
  gitignore: Gitignore | null;
  /** Directories that could not be listed (permissions). */
  unreadable: string[];
}

function readGitignore(root: string): Gitignore | null {
  try {
    return parseGitignore(readFileSync(join(root, '.gitignore'), 'utf8'));
  } catch {
    return null;
  }
}

export function walk(root: string, maxFiles: number): WalkResult {
  const gitignore = readGitignore(root);
  const result: WalkResult = {
    files: [],
    directories: [],
    fileCapHit: false,
    skippedDirectories: [],
    skippedDirectoryCount: 0,
    symlinksSkipped: 0,
    gitignore,
    unreadable: [],
  };
  const skip = (path: string) => {
    result.skippedDirectoryCount += 1;
    if (result.skippedDirectories.length < LISTED) result.skippedDirectories.push(`${path}/`);
  };
  const queue: string[] = [''];
  for (let head = 0; head < queue.length; head += 1) {
    const dir = queue[head]!;
    // Directories count against the same cap, so a tree of empty folders is bounded too.
    if (result.directories.length >= maxFiles) {
      result.fileCapHit = true;
      return result;
    }
    result.directories.push(dir);
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      result.unreadable.push(dir === '' ? '.' : dir);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        result.symlinksSkipped += 1;
        continue;
      }
      if (entry.isDirectory()) {
        if (SKIPPED_DIRECTORY_NAMES.has(entry.name) || (gitignore && isIgnored(gitignore, path, true))) skip(path);
        else queue.push(path);
        continue;
      }
      if (!entry.isFile()) continue;
      if (gitignore && isIgnored(gitignore, path, false)) continue;
      if (result.files.length >= maxFiles) {
        result.fileCapHit = true;
        return result;
      }
      result.files.push({ path });
    }
  }
  return result;
}
