// The directory map: each directory down to a depth with the number of files under it, and the
// top-level modules (top-level directories that hold source code) used by the diagram.
import { languageOf } from './stacks.js';
import type { DirectoryEntry } from './types.js';

export function directoryMap(files: readonly string[], directories: readonly string[], depth: number): DirectoryEntry[] {
  const counts = new Map<string, number>([['', 0]]);
  for (const dir of directories) if (dir.split('/').length <= depth) counts.set(dir, 0);
  for (const file of files) {
    const parts = file.split('/');
    parts.pop();
    counts.set('', counts.get('')! + 1);
    for (let i = 1; i <= Math.min(parts.length, depth); i += 1) {
      const dir = parts.slice(0, i).join('/');
      counts.set(dir, (counts.get(dir) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([path, n]) => ({ path: path === '' ? '.' : `${path}/`, depth: path === '' ? 0 : path.split('/').length, files: n }))
    .sort((a, b) => (a.path === '.' ? -1 : b.path === '.' ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface TopModule {
  /** Directory name, or '.' for source files directly at the root. */
  name: string;
  sourceFiles: number;
  /** The most common language in it. */
  language: string;
  /** Whether it holds other languages too. */
  mixed: boolean;
}

/** Top-level directories with source files (by extension), and the root's own source files. */
export function topModules(files: readonly string[]): TopModule[] {
  const byModule = new Map<string, Map<string, number>>();
  for (const file of files) {
    const language = languageOf(file);
    if (!language || /\.d\.ts$/.test(file)) continue;
    const slash = file.indexOf('/');
    const name = slash === -1 ? '.' : file.slice(0, slash);
    if (name.startsWith('.') && name !== '.') continue; // .github, .devcontainer...: configuration
    const languages = byModule.get(name) ?? new Map<string, number>();
    languages.set(language, (languages.get(language) ?? 0) + 1);
    byModule.set(name, languages);
  }
  return [...byModule]
    .map(([name, languages]) => {
      const ranked = [...languages].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      return { name, sourceFiles: ranked.reduce((sum, [, n]) => sum + n, 0), language: ranked[0]![0], mixed: ranked.length > 1 };
    })
    .sort((a, b) => (a.name === '.' ? 1 : b.name === '.' ? -1 : a.name.localeCompare(b.name)));
}
