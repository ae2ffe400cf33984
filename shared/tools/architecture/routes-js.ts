// HTTP routes in JavaScript/TypeScript: Express-style calls (Express, Fastify, Koa routers, Hono,
// restify), NestJS decorators, and Next.js routes derived from file paths (app and pages routers).
import { decoratedBlocks, joinPaths, annotationPaths } from './decorated.js';
import { lines } from './source.js';
import type { Route } from './types.js';

const SERVER_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](express|fastify|koa|@koa\/router|koa-router|hono|restify|polka)(?:\/[\w/-]*)?['"]/;
const CLIENT_IMPORT = /(?:from\s+|require\(\s*)['"](axios|got|ky|superagent|supertest|node-fetch|@angular\/common\/http)['"]/;
/** Receivers whose name says server or router. */
const SERVER_RECEIVER = /^(app|application|server|fastify|router|routes|api\w*Router|\w*[rR]outer)$/;
/** `const api = express.Router()`, `const app = new Hono()`...: receivers the file itself creates. */
const CREATED = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*[\w.<>]+\s*)?=\s*(?:await\s+)?(?:new\s+)?(?:express(?:\.Router)?|Router|Fastify|fastify|Koa|KoaRouter|Hono|restify\.createServer|polka)\s*\(/g;
const CALL = /\b([A-Za-z_$][\w$]*)\s*\.\s*(get|post|put|patch|delete|del|head|options|all|use|route)\s*\(\s*(['"`])(\/[^'"`]*)\3/g;
const METHODS: Record<string, string> = { del: 'DELETE', all: 'ANY', use: 'MOUNT' };

const FRAMEWORK_LABEL: Record<string, string> = { '@koa/router': 'koa', 'koa-router': 'koa' };

export function expressStyleRoutes(file: string, text: string): Route[] {
  const server = SERVER_IMPORT.exec(text)?.[1];
  if (!server && CLIENT_IMPORT.test(text)) return [];
  const framework = server ? (FRAMEWORK_LABEL[server] ?? server) : 'express-style';
  const created = new Set([...text.matchAll(CREATED)].map((m) => m[1]!));
  const routes: Route[] = [];
  lines(text).forEach((line, index) => {
    for (const m of line.matchAll(CALL)) {
      // Only calls on a server or router: not axios.get('/x') or a Map's get('/key').
      if (!created.has(m[1]!) && !SERVER_RECEIVER.test(m[1]!)) continue;
      const verb = m[2]!;
      if (verb === 'route') {
        const chained = [...line.slice(m.index! + m[0].length).matchAll(/\.\s*(get|post|put|patch|delete|all)\s*\(/g)].map((c) => METHODS[c[1]!] ?? c[1]!.toUpperCase());
        for (const method of chained.length ? chained : [null]) routes.push({ method, path: m[4]!, framework, file, line: index + 1 });
        continue;
      }
      routes.push({ method: METHODS[verb] ?? verb.toUpperCase(), path: m[4]!, framework, file, line: index + 1 });
    }
  });
  return routes;
}

const NEST_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ANY' };

export function nestRoutes(file: string, text: string): Route[] {
  if (!/['"]@nestjs\/common['"]/.test(text)) return [];
  const routes: Route[] = [];
  let prefix = '';
  for (const block of decoratedBlocks(text)) {
    if (block.isClass) {
      const controller = block.annotations.find((a) => a.name === 'Controller');
      prefix = controller ? (annotationPaths(controller.args)[0] ?? '') : '';
      continue;
    }
    for (const a of block.annotations) {
      const method = NEST_METHODS[a.name];
      if (!method) continue;
      const paths = annotationPaths(a.args);
      for (const path of paths.length ? paths : ['']) routes.push({ method, path: joinPaths(prefix, path), framework: 'nestjs', file, line: a.line });
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
