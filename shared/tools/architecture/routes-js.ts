// HTTP routes in JavaScript/TypeScript: Express-style calls (Express, Fastify, Koa routers, Hono,
// restify), NestJS decorators, and Next.js routes derived from file paths (app and pages routers).
import { decoratedBlocks, joinPaths, annotationPaths } from './decorated.js';
import { pathExpression, type FileRoutes, type MountTarget } from './route-prefixes.js';
import { lines } from './source.js';
import type { Route, RoutePart } from './types.js';

const SERVER_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](express|fastify|koa|@koa\/router|koa-router|hono|restify|polka)(?:\/[\w/-]*)?['"]/;
const CLIENT_IMPORT = /(?:from\s+|require\(\s*)['"](axios|got|ky|superagent|supertest|node-fetch|@angular\/common\/http)['"]/;
/** Receivers whose name says server or router. */
const SERVER_RECEIVER = /^(app|application|server|fastify|router|routes|api\w*Router|\w*[rR]outer)$/;
/** `const api = express.Router()`, `const app = new Hono()`...: receivers the file itself creates. */
const CREATED = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w.<>]+\s*)?=\s*(?:await\s+)?(?:new\s+)?(?:express(?:\.Router)?|Router|Fastify|fastify|Koa|KoaRouter|Hono|restify\.createServer|polka)\s*\(/g;
/** A call on a receiver, its first argument a path (a literal, a constant, a concatenation): over several lines as Prettier writes it. */
const CALL = /\b([A-Za-z_$][\w$]*)\s*\.\s*(get|post|put|patch|delete|del|head|options|all|use|route)\s*\(\s*((['"`])(?:\/|\$\{)(?:(?!\4)[^\\\n]|\\.)*\4(?:\s*\+\s*(?:[\w$.]+|(['"`])(?:(?!\5)[^\n])*\5))*|[A-Z_$][\w$.]*(?:\s*\+\s*(?:[\w$.]+|(['"`])(?:(?!\6)[^\n])*\6))*)\s*[,)]/g;
/** `app.use(router)`, `app.use(require('./routes'))`: a router mounted without a prefix. */
const BARE_USE = /\b([A-Za-z_$][\w$]*)\s*\.\s*use\s*\(\s*([A-Za-z_$][\w$.]*|require\(\s*['"][^'"]+['"]\s*\))\s*\)/g;
const METHODS: Record<string, string> = { del: 'DELETE', all: 'ANY', use: 'MOUNT' };

const FRAMEWORK_LABEL: Record<string, string> = { '@koa/router': 'koa', 'koa-router': 'koa' };

/** Line number (1-based) of each offset in a text. */
export function lineAt(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The arguments of the call whose `(` is at `open`, split at top-level commas (quoted text and brackets skipped). */
export function callArguments(text: string, open: number, limit = 4000): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = open + 1;
  for (let i = open; i < text.length && i < open + limit; i += 1) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') {
      depth -= 1;
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return args.filter((a) => a !== '');
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return args.filter((a) => a !== '');
}

/**
 * The lines that start (after indentation) with import/export/const/let/var/module/exports: each as
 * `line` and as `window` (the text from there on, for statements over several lines). One pass over
 * the text instead of a multi-line regex per pattern, which is what a large repository needs.
 */
function* declarations(text: string): Generator<{ line: string; window: string }> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let i = start;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i += 1;
    const c = text[i];
    if (c === 'i' || c === 'e' || c === 'c' || c === 'l' || c === 'v' || c === 'm') {
      const line = text.slice(i, end).replace(/\r$/, '');
      if (/^(import|export|const|let|var|module|exports)\b/.test(line)) yield { line, window: text.slice(i, i + 1000) };
    }
    start = end + 1;
  }
}

function jsImportsAndExports(text: string, into: FileRoutes): void {
  const own = (name: string) => `${into.file}#${name}`;
  for (const { line, window } of declarations(text)) {
    let m: RegExpExecArray | null;
    if ((m = /^import\s+(?:type\s+)?([\w$]+)?\s*,?\s*(?:\{([^}]*)\}|\*\s+as\s+([\w$]+))?\s*from\s*['"](\.[^'"]*)['"]/.exec(window))) {
      if (m[1]) into.imports[m[1]] = { module: m[4]!, name: 'default' };
      if (m[3]) into.imports[m[3]] = { module: m[4]!, name: '*' };
      for (const item of (m[2] ?? '').split(',')) {
        const named = /^\s*(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(item);
        if (named) into.imports[named[2] ?? named[1]!] = { module: m[4]!, name: named[1]! };
      }
    } else if ((m = /^(?:const|let|var)\s+(?:([\w$]+)|\{([^}]*)\})\s*=\s*require\(\s*['"](\.[^'"]*)['"]\s*\)(\.[\w$]+)?/.exec(window))) {
      if (m[1]) into.imports[m[1]] = { module: m[3]!, name: m[4] ? m[4].slice(1) : 'default' };
      for (const item of (m[2] ?? '').split(',')) {
        const named = /^\s*([\w$]+)(?:\s*:\s*([\w$]+))?\s*$/.exec(item);
        if (named) into.imports[named[2] ?? named[1]!] = { module: m[3]!, name: named[1]! };
      }
    } else if ((m = /^(?:export\s+default|module\.exports\s*=)\s*([\w$]+)\s*;?\s*$/.exec(line))) into.exports.default = own(m[1]!);
    else if ((m = /^(?:module\.)?exports\.([\w$]+)\s*=\s*([\w$]+)\s*;?\s*$/.exec(line))) into.exports[m[1]!] = own(m[2]!);
    else if ((m = /^export\s*\{([^}]*)\}\s*from\s*['"](\.[^'"]*)['"]/.exec(window))) {
      // A barrel: `export { default as users } from './users'` re-exports what another file exports.
      for (const item of m[1]!.split(',')) {
        const named = /^\s*(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(item);
        if (named) into.imports[named[2] ?? named[1]!] = { module: m[2]!, name: named[1]! };
      }
    } else if ((m = /^export\s*\{([^}]*)\}\s*;?\s*$/.exec(line))) {
      for (const item of m[1]!.split(',')) {
        const named = /^\s*([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(item);
        if (named) into.exports[named[2] ?? named[1]!] = own(named[1]!);
      }
    } else {
      if ((m = /^export\s+(?:const|let|var)\s+([\w$]+)/.exec(line))) into.exports[m[1]!] = own(m[1]!);
      if ((m = /^(?:export\s+)?(?:const|let|var)\s+([A-Z][A-Z0-9_]*)\s*=\s*(['"`])(\/[^'"`$]*)\2/.exec(line))) into.constants[m[1]!] = m[3]!;
    }
  }
}

/** A mount target written as an argument: a name, `module.name`, or `require('./x')`. */
function jsTarget(arg: string): MountTarget | null {
  const required = /^require\(\s*['"](\.[^'"]+)['"]\s*\)(?:\.([\w$]+))?$/.exec(arg);
  if (required) return { module: required[1]!, name: required[2] ?? 'default' };
  const name = /^([A-Za-z_$][\w$]*)(?:\.([\w$]+))?$/.exec(arg);
  if (!name || /^(true|false|null|undefined)$/.test(name[1]!)) return null;
  return name[2] ? { local: name[1]!, attr: name[2] } : { local: name[1]! };
}

/** `const api = Router()` or `export default Router()` followed by chained calls: `.use(a).use('/api', b).get('/x', h)`. */
const CHAIN_START = /(?:\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w.<>]+\s*)?=|\bexport\s+default)\s*(?:express\.)?Router\(\s*\)/g;

function chainedRouters(file: string, text: string, framework: string, into: FileRoutes): void {
  const lineOf = lineAt(text);
  for (const m of text.includes('Router') ? text.matchAll(CHAIN_START) : []) {
    const owner = `${file}#${m[1] ?? 'default'}`;
    if (!m[1]) into.exports.default = owner;
    let at = m.index! + m[0].length;
    for (let calls = 0; calls < 200; calls += 1) {
      const next = /^\s*\.\s*(use|get|post|put|patch|delete|all)\s*\(/.exec(text.slice(at, at + 400));
      if (!next) break;
      const open = at + next[0].length - 1;
      const args = callArguments(text, open);
      const line = lineOf(at + next[0].indexOf(next[1]!));
      const path = args[0] !== undefined && /^['"`]/.test(args[0]) ? pathExpression(args[0]) : null;
      if (next[1] === 'use') {
        for (const arg of path === null ? args : args.slice(1)) {
          const target = jsTarget(arg);
          if (target) into.mounts.push({ parent: owner, part: { path: path ?? '', file, line }, target });
        }
      } else if (path !== null) into.routes.push({ method: METHODS[next[1]!] ?? next[1]!.toUpperCase(), path, framework, file, line, owner });
      // Past the call's closing parenthesis.
      let depth = 0;
      let i = open;
      for (; i < text.length; i += 1) {
        const c = text[i]!;
        if (c === '(') depth += 1;
        else if (c === ')' && --depth === 0) break;
        else if (c === '"' || c === "'" || c === '`') i = Math.max(i, text.indexOf(c, i + 1));
      }
      at = i + 1;
    }
  }
}

export function expressStyleRoutes(file: string, text: string, into: FileRoutes): void {
  const server = SERVER_IMPORT.exec(text)?.[1];
  if (!server && CLIENT_IMPORT.test(text)) return;
  const framework = server ? (FRAMEWORK_LABEL[server] ?? server) : 'express-style';
  const created = new Set([...text.matchAll(CREATED)].map((m) => m[1]!));
  const isServer = (receiver: string) => created.has(receiver) || SERVER_RECEIVER.test(receiver);
  const lineOf = lineAt(text);
  let any = false;
  for (const m of text.matchAll(CALL)) {
    // Only calls on a server or router: not axios.get('/x') or a Map's get('/key').
    if (!isServer(m[1]!)) continue;
    const path = pathExpression(m[3]!);
    if (path === null) continue;
    any = true;
    const verb = m[2]!;
    // The line of the method name: `router\n  .route('/:slug')` is on the second line.
    const at = { framework, file, line: lineOf(m.index! + m[0].indexOf(m[2]!, m[1]!.length)), owner: `${file}#${m[1]}` };
    if (verb === 'route') {
      const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 2000);
      const statement = after.split(/;|\n\s*\n/)[0]!;
      const chained = [...statement.matchAll(/\.\s*(get|post|put|patch|delete|all)\s*\(/g)].map((c) => METHODS[c[1]!] ?? c[1]!.toUpperCase());
      for (const method of chained.length ? chained : [null]) into.routes.push({ method, path, ...at });
      continue;
    }
    const route = { method: METHODS[verb] ?? verb.toUpperCase(), path, ...at };
    into.routes.push(route);
    if (verb === 'use') {
      const open = text.indexOf('(', m.index! + m[1]!.length);
      for (const arg of callArguments(text, open).slice(1)) {
        const target = jsTarget(arg);
        if (target) into.mounts.push({ parent: at.owner, part: { path, file, line: at.line }, target, route });
      }
    }
  }
  for (const m of text.includes('use') ? text.matchAll(BARE_USE) : []) {
    if (!isServer(m[1]!)) continue;
    const target = jsTarget(m[2]!);
    const line = lineOf(m.index!);
    if (target) into.mounts.push({ parent: `${file}#${m[1]}`, part: { path: '', file, line }, target });
  }
  chainedRouters(file, text, framework, into);
  // Koa and Fastify-style routers made with a prefix: `const router = new Router({ prefix: '/users' })`.
  for (const m of text.includes('prefix') ? text.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*new\s+(?:Router|KoaRouter)\(\s*\{[^}]*?\bprefix\s*:\s*((['"`])[^'"`]*\3)/g) : []) {
    const path = pathExpression(m[2]!);
    if (path !== null) into.mounts.push({ parent: `${file}#${m[1]}(prefix)`, part: { path, file, line: lineOf(m.index!) }, target: { local: m[1]! } });
  }
  // Fastify plugins: `app.register(userRoutes, { prefix: '/users' })`.
  for (const m of text.includes('register') ? text.matchAll(/\b([A-Za-z_$][\w$]*)\s*\.\s*register\s*\(/g) : []) {
    if (!isServer(m[1]!)) continue;
    const args = callArguments(text, m.index! + m[0].length - 1);
    const target = jsTarget((args[0] ?? '').replace(/^import\(/, 'require('));
    const prefix = /\bprefix\s*:\s*((['"`])[^'"`]*\2)/.exec(args[1] ?? '')?.[1];
    const path = prefix ? pathExpression(prefix) : '';
    if (target && path !== null) into.mounts.push({ parent: `${file}#${m[1]}`, part: { path, file, line: lineOf(m.index!) }, target });
  }
  // Imports and exports where they matter (a file with routes or mounts), path constants everywhere.
  if (any || into.mounts.length || /\bconst\s+[A-Z][A-Z0-9_]*\s*=\s*['"`]\/|^\s*export\s*\{[^}]*\}\s*from\s*['"]\./m.test(text)) jsImportsAndExports(text, into);
}

const NEST_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ANY' };

export function nestRoutes(file: string, text: string): Route[] {
  if (!/['"]@nestjs\/common['"]/.test(text)) return [];
  const routes: Route[] = [];
  let prefix: RoutePart = { path: '', file, line: 0 };
  for (const block of decoratedBlocks(text)) {
    if (block.isClass) {
      const controller = block.annotations.find((a) => a.name === 'Controller');
      prefix = { path: controller ? (annotationPaths(controller.args)[0] ?? '') : '', file, line: controller?.line ?? 0 };
      continue;
    }
    for (const a of block.annotations) {
      const method = NEST_METHODS[a.name];
      if (!method) continue;
      const paths = annotationPaths(a.args);
      for (const path of paths.length ? paths : ['']) {
        const route: Route = { method, path: joinPaths(prefix.path, path), framework: 'nestjs', file, line: a.line };
        if (prefix.path) route.parts = [prefix, { path, file, line: a.line }].filter((p) => p.path !== '');
        routes.push(route);
      }
    }
  }
  return routes;
}

const HANDLER_EXPORT = /^\s*export\s+(?:async\s+)?(?:function\s+|const\s+|let\s+)(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/;

function lineOf(text: string, pattern: RegExp): number | null {
  const index = lines(text).findIndex((line) => pattern.test(line));
  return index === -1 ? null : index + 1;
}

/** `(marketing)/blog/[slug]` -> `/blog/[slug]`: route groups, parallel slots and interception markers dropped. */
function appRoutePath(segments: string[]): string {
  return joinPaths(...segments.filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@')).map((s) => s.replace(/^\(\.{1,3}\)+/, '')));
}

/**
 * Next.js routes of a file under a Next.js project's directory `projectDir` ('' for the root): the app
 * router (app/ or src/app/: route handlers and pages) and the pages router (pages/ or src/pages/).
 */
export function nextRoutes(file: string, text: string, projectDir: string): Route[] {
  const relative = projectDir === '' ? file : file.slice(projectDir.length + 1);
  const app = /^(?:src\/)?app\/(.*)$/.exec(relative);
  if (app) {
    const segments = app[1]!.split('/');
    const name = segments.pop()!;
    if (/^route\.(js|jsx|ts|tsx|mjs)$/.test(name)) {
      const path = appRoutePath(segments);
      const handlers = lines(text).flatMap((line, index) => {
        const m = HANDLER_EXPORT.exec(line);
        return m ? [{ method: m[1]!, path, framework: 'next-app', file, line: index + 1 }] : [];
      });
      return handlers.length ? handlers : [{ method: null, path, framework: 'next-app', file, line: 1 }];
    }
    if (/^page\.(js|jsx|ts|tsx|mdx)$/.test(name)) {
      return [{ method: 'PAGE', path: appRoutePath(segments), framework: 'next-app', file, line: lineOf(text, /^\s*export\s+default\b/) ?? 1 }];
    }
    return [];
  }
  const pages = /^(?:src\/)?pages\/(.*)\.(js|jsx|ts|tsx|mdx)$/.exec(relative);
  if (!pages) return [];
  const segments = pages[1]!.split('/');
  if (segments.some((s) => s.startsWith('_'))) return [];
  if (segments[segments.length - 1] === 'index') segments.pop();
  const api = segments[0] === 'api';
  return [{ method: api ? 'ANY' : 'PAGE', path: joinPaths(...segments), framework: 'next-pages', file, line: lineOf(text, /^\s*export\s+default\b/) ?? 1 }];
}
