// Prefixes joined across files. Each route reader gives, per file, its routes on an "owner" (the
// router, group or function that declares them), the mounts (`app.use('/api', router)`,
// `include_router(router, prefix=...)`, `r.Group("/api")`, `Register(v1.Group("/users"))`,
// `app.MapGroup("/todos").MapTodos()`) that put an owner under another with a prefix, and what the
// file imports and exports. Resolution walks the mounts up from each route's owner, so that every
// route gets its full path and the file:line of each part; a router mounted in two places gives two
// routes. Only names written as such are followed: a router passed through a variable, a list or a
// loop keeps the paths found so far.
import { posix } from 'node:path';
import { joinPaths } from './decorated.js';
import type { Route, RoutePart } from './types.js';

/** A route as a reader finds it: its own path (with the prefixes of its own file already in `parts`) on an owner. */
export interface OwnedRoute extends Route {
  /** `file#receiver` for an object of the file, `fn:Name` for a function's router parameter (Go, C#). */
  owner: string;
}

export type MountTarget =
  /** A name in the file: a local router, or an imported one (`items.router`: local `items`, attr `router`). */
  | { local: string; attr?: string }
  /** An inline import: `app.use('/x', require('./routes'))`. */
  | { module: string; name: string }
  /** A function that receives the group: `users.Register(v1.Group("/users"))`, `group.MapTodos()`. */
  | { fn: string };

export interface Mount {
  /** The owner the target is mounted on. */
  parent: string;
  /** The prefix, where it is written ('' when the mount adds none). */
  part: RoutePart;
  target: MountTarget;
  /** The MOUNT line reported for it, dropped when the target's routes are found. */
  route?: OwnedRoute;
}

export interface FileRoutes {
  file: string;
  language: 'js' | 'py' | 'go' | 'cs' | 'other';
  routes: OwnedRoute[];
  mounts: Mount[];
  /** Local name -> import (`name` is 'default', '*' for a module, or the imported name). */
  imports: Record<string, { module: string; name: string }>;
  /** Exported name ('default' included) -> owner. */
  exports: Record<string, string>;
  /** Constants whose value is a path (`API_V1_STR = "/api/v1"`), by name: for prefixes written as a name. */
  constants: Record<string, string>;
}

export function emptyFileRoutes(file: string, language: FileRoutes['language']): FileRoutes {
  return { file, language, routes: [], mounts: [], imports: {}, exports: {}, constants: {} };
}

/** Prefix expressions that name constants are written `<NAME>` until resolved; a part that is still so after resolution keeps it. */
const NAMED = /<([\w.]+)>/g;

/**
 * A path written as a string expression: literals, names of constants, `+`, Python f-strings and JS
 * template literals. Names are kept as `<name>` (resolved later against every file's constants);
 * null when the expression is something else (a call, a computed value).
 */
export function pathExpression(expr: string): string | null {
  const out: string[] = [];
  const pieces = expr.split(/\s*\+\s*/);
  // A name alone is a path only when it reads as a constant (`API_PREFIX`, `settings.API_V1_STR`), not `key`.
  if (pieces.length === 1 && /^[A-Za-z_][\w.]*$/.test(pieces[0]!.trim()) && !/(^|\.)[A-Z][A-Z0-9_]*$/.test(pieces[0]!.trim())) return null;
  for (const raw of pieces) {
    const piece = raw.trim();
    const literal = /^[rbuRBU]?(['"`])((?:\\.|(?!\1)[^\\])*)\1$/.exec(piece);
    const fstring = /^[fF][rR]?(['"])((?:(?!\1).)*)\1$/.exec(piece);
    if (fstring) out.push(fstring[2]!.replace(/\{([\w.]+)\}/g, '<$1>'));
    else if (literal) out.push(literal[1] === '`' ? literal[2]!.replace(/\$\{([\w.]+)\}/g, '<$1>') : literal[2]!);
    else if (/^[A-Za-z_][\w.]*$/.test(piece)) out.push(`<${piece}>`);
    else return null;
  }
  const joined = out.join('');
  return /[{}$]/.test(joined.replace(/\{[\w:.*?-]+\}/g, '')) ? null : joined;
}

/** Most full paths one route may get (a router mounted in many places). */
const MAX_CHAINS = 16;
/** Most mounts followed above one route: deeper nesting (generated or pathological code) keeps the inner parts. */
const MAX_DEPTH = 32;

const JS_EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '/index.ts', '/index.js', '/index.mjs', '/index.tsx'];

class Resolver {
  private readonly byFile = new Map<string, FileRoutes>();
  /** Files by their last path segment (`items.py`), for Python's absolute imports. */
  private readonly byName = new Map<string, string[]>();
  /** Path constants of every file: name -> value, null when files disagree. */
  private readonly constants = new Map<string, string | null>();
  /** Go functions with routes or mounts, by their name alone: `Register` -> `fn:go:users.Register`... */
  private readonly goFunctions = new Map<string, string[]>();
  /** C# extension methods that receive a route builder, by name: `MapTodosApi` -> `fn:cs:MapTodosApi@Api/TodoEndpoints.cs`... */
  private readonly csFunctions = new Map<string, string[]>();
  /** Owner -> the mounts that put it under another owner. */
  private readonly into = new Map<string, Mount[]>();
  /** Owners of routes or mounts per file, by local name. */
  private readonly owners = new Map<string, Set<string>>();
  /** Mounts whose target was found. */
  readonly resolved = new Set<Mount>();

  constructor(files: readonly FileRoutes[]) {
    for (const f of files) {
      this.byFile.set(f.file, f);
      const name = f.file.split('/').pop()!;
      const same = this.byName.get(name);
      if (same) same.push(f.file);
      else this.byName.set(name, [f.file]);
      const names = new Set<string>();
      for (const r of f.routes) names.add(r.owner);
      for (const m of f.mounts) names.add(m.parent);
      this.owners.set(f.file, names);
      for (const owner of names) {
        const go = /^fn:go:\w*\.(\w+)$/.exec(owner);
        if (go) this.goFunctions.set(go[1]!, [...new Set([...(this.goFunctions.get(go[1]!) ?? []), owner])]);
        const cs = /^fn:cs:(\w+)@/.exec(owner);
        if (cs) this.csFunctions.set(cs[1]!, [...new Set([...(this.csFunctions.get(cs[1]!) ?? []), owner])]);
      }
      for (const [name, value] of Object.entries(f.constants)) {
        const known = this.constants.get(name);
        this.constants.set(name, known === undefined || known === value ? value : null);
      }
    }
    const targets = new Map<Mount, string[]>();
    const below = new Map<string, string[]>();
    const withRoutes = new Set(files.flatMap((f) => f.routes.filter((r) => r.method !== 'MOUNT').map((r) => r.owner)));
    for (const f of files) {
      for (const mount of f.mounts) {
        const owners = this.targetOwners(f, mount.target).filter((owner) => owner !== mount.parent);
        targets.set(mount, owners);
        const under = below.get(mount.parent);
        if (under) under.push(...owners);
        else below.set(mount.parent, [...owners]);
        for (const owner of owners) {
          const list = this.into.get(owner) ?? [];
          list.push(mount);
          this.into.set(owner, list);
        }
      }
    }
    // A mount is followed when routes are found under what it mounts, directly or through further
    // mounts: the owners that reach routes, found by walking up from the routes' owners.
    const reaching = new Set<string>();
    const above = new Map<string, string[]>();
    for (const [parent, children] of below) {
      for (const child of children) {
        const parents = above.get(child);
        if (parents) parents.push(parent);
        else above.set(child, [parent]);
      }
    }
    const queue = [...withRoutes];
    for (const owner of queue) {
      if (reaching.has(owner)) continue;
      reaching.add(owner);
      queue.push(...(above.get(owner) ?? []));
    }
    for (const [mount, owners] of targets) if (owners.some((owner) => reaching.has(owner))) this.resolved.add(mount);
  }

  /** The owners a mount's target names (none when it cannot be followed). */
  private targetOwners(from: FileRoutes, target: MountTarget): string[] {
    if ('fn' in target) {
      // A Go method call (`h.Register(api)`): the receiver's package is not known, any package's function of that name.
      if (target.fn.startsWith('go:*.')) return this.goFunctions.get(target.fn.slice(5)) ?? [];
      // A C# extension method (`group.MapTodosApi()`): the declaration nearest the call, when several projects have one of that name.
      if (target.fn.startsWith('cs:')) {
        const candidates = this.csFunctions.get(target.fn.slice(3)) ?? [];
        const closeness = (owner: string) => commonPrefix(owner.slice(owner.indexOf('@') + 1), from.file);
        const best = Math.max(...candidates.map(closeness));
        return candidates.filter((owner) => closeness(owner) === best);
      }
      return [`fn:${target.fn}`];
    }
    if ('module' in target) {
      const file = this.moduleFile(from, target.module);
      return file ? this.exported(file, target.name) : [];
    }
    const local = `${from.file}#${target.local}`;
    if (!target.attr && !from.imports[target.local]) return [local];
    const imported = from.imports[target.local];
    if (!imported) return [];
    if (imported.name === '*') {
      const file = this.moduleFile(from, imported.module);
      return file ? this.exported(file, target.attr ?? 'default') : [];
    }
    // Python `from app.api.routes import items`: items may be a module (items.py) rather than a name.
    if (from.language === 'py') {
      const asModule = this.moduleFile(from, `${imported.module}${imported.module.endsWith('.') ? '' : '.'}${imported.name}`);
      if (asModule) return this.exported(asModule, target.attr ?? imported.name);
    }
    const file = this.moduleFile(from, imported.module);
    if (!file) return [];
    return target.attr ? [] : this.exported(file, imported.name);
  }

  /** Re-exports followed so far (`from .main import api_router` in a package's __init__.py). */
  private hops = 0;

  /** The owners a file exports under `name`: its export table, then (Python) any module-level object, a re-export, then its only owner. */
  private exported(file: string, name: string): string[] {
    const f = this.byFile.get(file)!;
    if (f.exports[name]) return [f.exports[name]!];
    const owners = this.owners.get(file)!;
    if (owners.has(`${file}#${name}`)) return [`${file}#${name}`];
    if (f.imports[name] && f.routes.length === 0 && this.hops < 8) {
      this.hops += 1;
      try {
        return this.targetOwners(f, { local: name });
      } finally {
        this.hops -= 1;
      }
    }
    const withRoutes = [...new Set(f.routes.map((r) => r.owner))];
    return withRoutes.length === 1 && (name === 'default' || f.language === 'js') ? withRoutes : [];
  }

  /** The file a module specifier names, among the files with routes or mounts; null when not one of them. */
  private moduleFile(from: FileRoutes, specifier: string): string | null {
    if (from.language === 'py') return this.pythonModule(from.file, specifier);
    if (!specifier.startsWith('.')) return null;
    const base = posix.normalize(posix.join(posix.dirname(from.file), specifier));
    const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
    for (const candidate of [...JS_EXTENSIONS.map((e) => base + e), ...JS_EXTENSIONS.map((e) => stem + e)]) {
      if (this.byFile.has(candidate)) return candidate;
    }
    return null;
  }

  private pythonModule(from: string, specifier: string): string | null {
    const dots = /^\.*/.exec(specifier)![0].length;
    const rest = specifier.slice(dots).split('.').filter(Boolean).join('/');
    let candidates: string[];
    if (dots > 0) {
      let dir = posix.dirname(from);
      for (let i = 1; i < dots; i += 1) dir = posix.dirname(dir);
      const base = dir === '.' ? rest : rest ? `${dir}/${rest}` : dir;
      candidates = [`${base}.py`, `${base}/__init__.py`];
      return candidates.find((c) => this.byFile.has(c)) ?? null;
    }
    candidates = [`${rest}.py`, `${rest}/__init__.py`];
    const found = candidates.flatMap((c) => (this.byName.get(c.split('/').pop()!) ?? []).filter((file) => file === c || file.endsWith(`/${c}`)));
    // The nearest to the importing file when several match (services with the same package names).
    found.sort((a, b) => commonPrefix(b, from) - commonPrefix(a, from));
    return found[0] ?? null;
  }

  /** `<settings.API_V1_STR>` -> `/api/v1` where one value of that name is known (by its last segment). */
  expand(part: RoutePart): RoutePart {
    if (!part.path.includes('<')) return part;
    return { ...part, path: part.path.replace(NAMED, (whole, name: string) => this.constants.get(name.split('.').pop()!) ?? whole) };
  }

  private readonly chainCache = new Map<string, RoutePart[][]>();
  /** Calls left for one owner's chains: a mount graph that branches at every level stops here, not in exponential time. */
  private budget = 0;

  /** The chains of prefix parts above an owner, outermost first (expanded), computed once per owner. */
  chainsOf(owner: string): RoutePart[][] {
    let chains = this.chainCache.get(owner);
    if (!chains) {
      this.budget = 20_000;
      chains = this.chains(owner).map((chain) => chain.map((p) => this.expand(p)).filter((p) => p.path !== ''));
      this.chainCache.set(owner, chains);
    }
    return chains;
  }

  /** The chains of prefix parts above an owner, outermost first. */
  chains(owner: string, seen: Set<string> = new Set()): RoutePart[][] {
    const mounts = this.into.get(owner);
    this.budget -= 1;
    if (!mounts || seen.has(owner) || seen.size >= MAX_DEPTH || this.budget < 0) return [[]];
    seen.add(owner);
    const out: RoutePart[][] = [];
    for (const mount of mounts) {
      for (const chain of this.chains(mount.parent, seen)) {
        if (out.length < MAX_CHAINS) out.push([...chain, mount.part]);
      }
    }
    seen.delete(owner);
    return out;
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

const same = (a: RoutePart, b: RoutePart) => a.path === b.path && a.file === b.file && a.line === b.line;

/** Routes with their full paths and parts; MOUNT lines whose target was followed are left out; one entry per route. */
export function resolveRoutes(files: readonly FileRoutes[]): Route[] {
  const resolver = new Resolver(files);
  const followed = new Set([...resolver.resolved].map((m) => m.route).filter(Boolean));
  const out: Route[] = [];
  const keys = new Set<string>();
  const add = (entry: Route) => {
    const key = `${entry.method} ${entry.path} ${entry.file}:${entry.line}`;
    if (keys.has(key)) return;
    keys.add(key);
    out.push(entry);
  };
  for (const f of files) {
    // Express, Koa, ASP.NET Core, a chi sub-router's "/": `/api/orders` and `/api/orders/` are one route.
    const oneSlash = f.language === 'js' || f.language === 'cs';
    for (const route of f.routes) {
      if (followed.has(route)) continue;
      const { method, framework, file, line } = route;
      const chains = resolver.chainsOf(route.owner);
      if (!route.parts && chains.length === 1 && chains[0]!.length === 0) {
        // The common case: a route written in one place, under no prefix.
        add({ method, path: route.path.includes('<') ? resolver.expand(route).path : route.path, framework, file, line });
        continue;
      }
      const ownParts: RoutePart[] = [];
      for (const p of route.parts ?? [{ path: route.path, file, line }]) {
        const expanded = resolver.expand(p);
        if (expanded.path !== '') ownParts.push(expanded);
      }
      for (const chain of chains) {
        const parts: RoutePart[] = [...chain];
        for (const p of ownParts) if (!parts.some((q) => same(p, q))) parts.push(p);
        let path = parts.length ? joinPaths(...parts.map((p) => p.path)) : joinPaths(route.path);
        if (parts.length > 1 && (oneSlash || framework === 'chi') && parts[parts.length - 1]!.path === '/') path = path.replace(/(.)\/$/, '$1');
        const entry: Route = { method, path, framework, file, line };
        if (parts.length > 1) entry.parts = parts;
        add(entry);
      }
    }
  }
  return out;
}
