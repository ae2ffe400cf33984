// Which route reader sees which file, and the routes of a whole repository with the prefixes joined
// across files (route-prefixes.ts). Test files are skipped (source.ts): the requests they make are not routes.
import { dotnetRoutes, razorPages } from './routes-dotnet.js';
import { expressStyleRoutes, nestRoutes, nextRoutes } from './routes-js.js';
import { goRoutes, jvmRoutes, phpRoutes, pythonRoutes, rubyRoutes } from './routes-other.js';
import { emptyFileRoutes, pathExpression, resolveRoutes, type FileRoutes, type OwnedRoute } from './route-prefixes.js';
import { isReadableSource } from './source.js';
import type { Route } from './types.js';

const JS = /\.(js|jsx|mjs|cjs|ts|tsx|mts|cts)$/;

/** Spring Boot's main configuration file (not a profile's): it may set the context path of every controller. */
const SPRING_CONFIG = /(^|\/)application\.(properties|ya?ml)$/;

/** Whether a file may hold routes, by its name (the content is read only for these). */
export function mayHoldRoutes(path: string): boolean {
  return isReadableSource(path) && (JS.test(path) || /\.(py|go|java|kt|rb|php|mdx|cs|razor|cshtml)$/.test(path) || SPRING_CONFIG.test(path));
}

/** `server.servlet.context-path=/api` (properties, or YAML nested or dotted), `spring.webflux.base-path`: a mount of every Spring controller. */
function springContextPath(path: string, text: string, into: FileRoutes): void {
  const lines = text.split(/\r?\n/);
  let found: { value: string; line: number } | null = null as { value: string; line: number } | null;
  lines.forEach((line, index) => {
    const flat = /^\s*(?:server\.servlet\.context-path|server\.context-path|spring\.webflux\.base-path)\s*[=:]\s*['"]?([^'"\s#]+)/.exec(line);
    if (flat) found ??= { value: flat[1]!, line: index + 1 };
    const nested = /^(\s+)(context-path|base-path):\s*['"]?(\/[^'"\s#]*)/.exec(line);
    if (nested && !found) {
      // Its parents, by indentation: server > servlet, or spring > webflux.
      const parents: string[] = [];
      let indent = nested[1]!.length;
      for (let j = index - 1; j >= 0 && indent > 0; j -= 1) {
        const parent = /^(\s*)([\w.-]+):\s*(#.*)?$/.exec(lines[j]!);
        if (parent && parent[1]!.length < indent) {
          parents.unshift(parent[2]!);
          indent = parent[1]!.length;
        }
      }
      const key = [...parents, nested[2]!].join('.');
      if (/^(server\.servlet\.context-path|server\.context-path|spring\.webflux\.base-path)$/.test(key)) found = { value: nested[3]!, line: index + 1 };
    }
  });
  if (found) into.mounts.push({ parent: `${path}#`, part: { path: found.value, file: path, line: found.line }, target: { fn: springOwner(path) } });
}

/** The owner of a NestJS app's controllers: one per app (the directory above its `src/`), where `setGlobalPrefix` reaches. */
function nestOwner(path: string): string {
  const at = path.indexOf('src/');
  return `@nestjs/controllers:${at === -1 ? '' : path.slice(0, at)}`;
}

/** The owner of a Spring module's controllers: one per module (the directory above `src/main/`), so that each service of a repository gets its own context path. */
function springOwner(path: string): string {
  const at = path.indexOf('src/main/');
  return `@spring/controllers:${at === -1 ? '' : path.slice(0, at)}`;
}

const owned = (file: string, routes: Route[]): OwnedRoute[] => routes.map((r) => ({ ...r, owner: `${file}#` }));

/**
 * What one file says about routes: its routes (own paths, on their router), the mounts it makes, its
 * imports and exports. `nextProjects` are the directories ('' = root) whose package.json declares
 * `next`: file-based Next.js routes are read only under them. Null when the file says nothing.
 */
export function routeFactsIn(path: string, text: string, nextProjects: readonly string[]): FileRoutes | null {
  if (!mayHoldRoutes(path)) return null;
  let facts: FileRoutes;
  if (JS.test(path) || path.endsWith('.mdx')) {
    facts = emptyFileRoutes(path, 'js');
    const project = nextProjects.find((dir) => dir === '' || path.startsWith(`${dir}/`));
    if (project !== undefined) facts.routes.push(...owned(path, nextRoutes(path, text, project)));
    if (!path.endsWith('.mdx')) {
      expressStyleRoutes(path, text, facts);
      // NestJS controllers share one owner, so that `app.setGlobalPrefix('api')` in main.ts reaches them all.
      facts.routes.push(...nestRoutes(path, text).map((r) => ({ ...r, owner: `fn:${nestOwner(path)}` })));
      const global = text.includes('setGlobalPrefix') && /\b(\w+)\.setGlobalPrefix\(\s*((['"`])[^'"`]*\3)/.exec(text);
      const prefix = global ? pathExpression(global[2]!) : null;
      if (global && prefix !== null) {
        facts.mounts.push({ parent: `${path}#${global[1]}`, part: { path: prefix, file: path, line: text.slice(0, global.index).split('\n').length }, target: { fn: nestOwner(path) } });
      }
    }
  } else if (path.endsWith('.py')) {
    facts = emptyFileRoutes(path, 'py');
    pythonRoutes(path, text, facts);
  } else if (path.endsWith('.go')) {
    facts = emptyFileRoutes(path, 'go');
    goRoutes(path, text, facts);
  } else if (path.endsWith('.cs')) {
    facts = emptyFileRoutes(path, 'cs');
    dotnetRoutes(path, text, facts);
  } else if (/\.(razor|cshtml)$/.test(path)) {
    facts = emptyFileRoutes(path, 'cs');
    razorPages(path, text, facts);
  } else if (SPRING_CONFIG.test(path)) {
    facts = emptyFileRoutes(path, 'other');
    springContextPath(path, text, facts);
  } else {
    facts = emptyFileRoutes(path, 'other');
    const read = /\.(java|kt)$/.test(path) ? jvmRoutes : path.endsWith('.rb') ? rubyRoutes : phpRoutes;
    // Spring controllers share one owner, so that the context path set in application.properties reaches them all.
    facts.routes.push(...read(path, text).map((r) => ({ ...r, owner: r.framework === 'spring' ? `fn:${springOwner(path)}` : `${path}#` })));
  }
  const empty = facts.routes.length === 0 && facts.mounts.length === 0 && Object.keys(facts.constants).length === 0 && Object.keys(facts.imports).length === 0;
  return empty ? null : facts;
}

/** The routes of one file on its own (prefixes of the same file joined; mounts from other files unknown). */
export function routesIn(path: string, text: string, nextProjects: readonly string[]): Route[] {
  const facts = routeFactsIn(path, text, nextProjects);
  return facts ? resolveRoutes([facts]) : [];
}

export { resolveRoutes, type FileRoutes };
