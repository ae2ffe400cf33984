// Which service owns a model or a route: the compose service whose build context holds its file (the
// deepest context wins; a context two services build from owns nothing, it is not one service's). Where no
// build context holds a file, it has no owner: the report says nothing rather than guess.
import { dirname, posix } from 'node:path';
import type { ComposeFile } from './types.js';

interface BuildDirectory {
  /** Relative to the repository root, with a trailing slash; '' is the root. */
  dir: string;
  service: string;
}

function buildDirectories(compose: readonly ComposeFile[]): BuildDirectory[] {
  const byDir = new Map<string, Set<string>>();
  for (const file of compose) {
    for (const service of file.services) {
      if (service.build === null) continue;
      const dir = posix.normalize(posix.join(dirname(file.file), service.build));
      if (dir.startsWith('..')) continue;
      const key = dir === '.' ? '' : `${dir.replace(/\/$/, '')}/`;
      byDir.set(key, (byDir.get(key) ?? new Set()).add(service.name));
    }
  }
  return [...byDir].filter(([, services]) => services.size === 1).map(([dir, services]) => ({ dir, service: [...services][0]! })).sort((a, b) => b.dir.length - a.dir.length);
}

/** A function naming the service that owns a file, or null. */
export function ownerFinder(compose: readonly ComposeFile[]): (file: string) => string | null {
  const dirs = buildDirectories(compose);
  return (file) => dirs.find((d) => file.startsWith(d.dir))?.service ?? null;
}

/** The same items with `owner` set where a service owns their file. */
export function withOwners<T extends { file: string }>(items: T[], ownerOf: (file: string) => string | null): Array<T & { owner?: string }> {
  return items.map((item) => {
    const owner = ownerOf(item.file);
    return owner === null ? item : { ...item, owner };
  });
}
