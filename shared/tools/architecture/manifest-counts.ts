// What every manifest reader returns, and the arithmetic from named groups to runtime/dev counts.
import type { DependencyCounts } from './types.js';

export interface ManifestReading {
  name: string | null;
  dependencies: DependencyCounts;
  /** Dependency names (for framework recognition). */
  names: string[];
  notes: string[];
  /** Overrides the ecosystem's default language label (TypeScript, Kotlin, F#...). */
  language?: string;
}

export interface Groups {
  /** Group name as the manifest writes it -> dependency names in it. */
  all: Record<string, string[]>;
  runtime: string[];
  dev: string[];
}

export function groups(): Groups {
  return { all: {}, runtime: [], dev: [] };
}

/** Add a group; `role` says whether the manifest marks it as runtime or development. */
export function addGroup(into: Groups, group: string, names: string[], role: 'runtime' | 'dev' | 'other'): void {
  into.all[group] = [...(into.all[group] ?? []), ...names];
  if (role === 'runtime') into.runtime.push(group);
  if (role === 'dev') into.dev.push(group);
}

/**
 * Counts from groups. `separates` says whether this format distinguishes runtime from development
 * dependencies at all: when it does not, runtime and dev are null rather than a guess.
 */
export function countGroups(from: Groups, separates: boolean): DependencyCounts {
  const size = (names: string[]) => names.reduce((sum, group) => sum + (from.all[group]?.length ?? 0), 0);
  const groupCounts = Object.fromEntries(Object.entries(from.all).map(([group, names]) => [group, names.length]));
  return {
    total: Object.values(from.all).reduce((sum, names) => sum + names.length, 0),
    runtime: separates ? size([...new Set(from.runtime)]) : null,
    dev: separates ? size([...new Set(from.dev)]) : null,
    groups: groupCounts,
  };
}

export function allNames(from: Groups): string[] {
  return [...new Set(Object.values(from.all).flat())];
}

/** A manifest that could not be read at all. */
export function unreadable(note: string): ManifestReading {
  return { name: null, dependencies: { total: null, runtime: null, dev: null, groups: {} }, names: [], notes: [note] };
}

/** The distribution name of a PEP 508 requirement: `Django>=4; python_version>'3.8'` -> `django`. */
export function pythonRequirementName(requirement: string): string | null {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement);
  return match ? match[1]!.toLowerCase().replace(/[._]/g, '-') : null;
}
