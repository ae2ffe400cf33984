// Which route reader sees which file. Test files are skipped (source.ts): the requests they make are not routes.
import { expressStyleRoutes, nestRoutes, nextRoutes } from './routes-js.js';
import { goRoutes, jvmRoutes, phpRoutes, pythonRoutes, rubyRoutes } from './routes-other.js';
import { isReadableSource } from './source.js';
import type { Route } from './types.js';

const JS = /\.(js|jsx|mjs|cjs|ts|tsx|mts|cts)$/;

/** Whether a file may hold routes, by its name (the content is read only for these). */
export function mayHoldRoutes(path: string): boolean {
  return isReadableSource(path) && (JS.test(path) || /\.(py|go|java|kt|rb|php|mdx)$/.test(path));
}

/**
 * Routes in one file. `nextProjects` are the directories ('' = root) whose package.json declares
 * `next`: file-based Next.js routes are read only under them.
 */
export function routesIn(path: string, text: string, nextProjects: readonly string[]): Route[] {
  if (!mayHoldRoutes(path)) return [];
  if (JS.test(path) || path.endsWith('.mdx')) {
    const project = nextProjects.find((dir) => dir === '' || path.startsWith(`${dir}/`));
    const next = project !== undefined ? nextRoutes(path, text, project) : [];
    if (path.endsWith('.mdx')) return next;
    return [...next, ...expressStyleRoutes(path, text), ...nestRoutes(path, text)];
  }
  if (path.endsWith('.py')) return pythonRoutes(path, text);
  if (path.endsWith('.go')) return goRoutes(path, text);
  if (/\.(java|kt)$/.test(path)) return jvmRoutes(path, text);
  if (path.endsWith('.rb')) return rubyRoutes(path, text);
  return phpRoutes(path, text);
}
