// HTTP routes in Python (Flask, FastAPI and look-alikes, Django urls.py), Go (net/http, gin, echo, chi,
// gorilla/mux, Fiber), Java/Kotlin (Spring, JAX-RS), Ruby (Rails routes.rb, Sinatra) and PHP (Laravel,
// Symfony attributes). Paths are as written; prefixes are applied only where the same file declares them.
import { annotationPaths, decoratedBlocks, joinPaths, stringLiterals } from './decorated.js';
import { callArguments, lineAt } from './routes-js.js';
import { pathExpression, type FileRoutes, type OwnedRoute } from './route-prefixes.js';
import { lines } from './source.js';
import type { Route, RoutePart } from './types.js';

/** A route decorator's start: `@router.get(` (its arguments may run over several lines, as Black writes them). */
const PY_DECORATOR = /^[ \t]*@(\w+)\.(get|post|put|patch|delete|head|options|route|api_route|websocket)\(/gm;
const PY_ROUTER = /^[ \t]*(\w+)\s*(?::\s*[\w.]+\s*)?=\s*(?:\w+\.)?(APIRouter|Blueprint|Router)\(/gm;
const PY_INCLUDE = /\b(\w+)\.(include_router|register_blueprint|mount)\(/g;
const PY_CONSTANT = /^[ \t]*([A-Z][A-Z0-9_]*)\s*(?::\s*[\w.[\]]+\s*)?=\s*[rbuRBU]?(['"])(\/[^'"]*)\2\s*(?:#.*)?$/gm;

/** A keyword argument's value (`prefix="/x"`) among a call's arguments. */
function keyword(args: string[], name: RegExp): string | undefined {
  for (const arg of args) {
    const m = /^(\w+)\s*=\s*([\s\S]*)$/.exec(arg);
    if (m && name.test(m[1]!)) return m[2]!;
  }
  return undefined;
}

function pythonImports(text: string, into: FileRoutes): void {
  for (const m of text.matchAll(/^[ \t]*from\s+([\w.]+)\s+import\s+(\([^)]*\)|[^\n#]+)/gm)) {
    for (const item of m[2]!.replace(/[()]/g, '').split(',')) {
      const named = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(item.replace(/#.*$/gm, '').trim());
      if (named) into.imports[named[2] ?? named[1]!] = { module: m[1]!, name: named[1]! };
    }
  }
  for (const m of text.matchAll(/^[ \t]*import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$/gm)) {
    into.imports[m[2] ?? m[1]!.split('.')[0]!] = { module: m[2] ? m[1]! : m[1]!.split('.')[0]!, name: '*' };
  }
}

export function pythonRoutes(file: string, text: string, into: FileRoutes): void {
  for (const m of text.matchAll(PY_CONSTANT)) into.constants[m[1]!] = m[3]!;
  const framework = /^\s*(?:from|import)\s+fastapi\b/m.test(text)
    ? 'fastapi'
    : /^\s*(?:from|import)\s+flask\b/m.test(text)
      ? 'flask'
      : /^\s*(?:from|import)\s+(sanic|quart|starlette|litestar)\b/m.exec(text)?.[1];
  const lineOf = lineAt(text);
  if (framework) {
    // `router = APIRouter(prefix="/items")`: the prefix of the routes on that router, where it is written.
    const prefixes = new Map<string, RoutePart>();
    for (const m of text.matchAll(PY_ROUTER)) {
      const args = callArguments(text, m.index! + m[0].length - 1);
      const value = keyword(args, /^(url_)?prefix$/);
      const prefix = value === undefined ? null : pathExpression(value);
      if (prefix) prefixes.set(m[1]!, { path: prefix, file, line: lineOf(m.index! + m[0].length - 1) });
    }
    for (const m of text.matchAll(PY_DECORATOR)) {
      const [, receiver, verb] = m as unknown as [string, string, string];
      const args = callArguments(text, m.index! + m[0].length - 1);
      const first = args[0]?.replace(/^path\s*=\s*/, '');
      const path = first === undefined ? null : pathExpression(first);
      if (path === null) continue;
      const rest = args.slice(1).join(', ');
      let methods: Array<string | null> = [verb.toUpperCase()];
      if (verb === 'route' || verb === 'api_route') {
        const listed = /\bmethods\s*=\s*[[(]([^\])]*)[\])]/.exec(rest);
        // Without methods=, Flask and FastAPI route only GET (their documented default).
        methods = listed ? stringLiterals(listed[1]!).map((x) => x.toUpperCase()) : !/methods/.test(rest) ? ['GET'] : [null];
      }
      if (verb === 'websocket') methods = ['WEBSOCKET'];
      const line = lineOf(m.index! + m[0].length - 1);
      const prefix = prefixes.get(receiver);
      for (const method of methods) {
        const route: OwnedRoute = { method, path, framework, file, line, owner: `${file}#${receiver}` };
        if (prefix) route.parts = [prefix, { path, file, line }];
        into.routes.push(route);
      }
    }
    // `app.include_router(items.router, prefix="/items")`, `app.register_blueprint(bp, url_prefix=...)`.
    for (const m of text.matchAll(PY_INCLUDE)) {
      const args = callArguments(text, m.index! + m[0].length - 1);
      const mountPath = m[2] === 'mount' ? pathExpression(args[0] ?? '') : null;
      const targetArg = m[2] === 'mount' ? args[1] : args[0];
      const target = /^(\w+)(?:\.(\w+))?$/.exec((targetArg ?? '').replace(/^(router|blueprint|app)\s*=\s*/, ''));
      if (!target || (m[2] === 'mount' && mountPath === null)) continue;
      const value = m[2] === 'mount' ? undefined : keyword(args, /^(url_)?prefix$/);
      const prefix = mountPath ?? (value === undefined ? '' : pathExpression(value));
      if (prefix === null) continue;
      into.mounts.push({
        parent: `${file}#${m[1]}`,
        part: { path: prefix, file, line: lineOf(m.index!) },
        target: target[2] ? { local: target[1]!, attr: target[2] } : { local: target[1]! },
      });
    }
    if (into.mounts.length || into.routes.length) pythonImports(text, into);
  }
  // A package's __init__.py that re-exports a router (`from .main import api_router`) is followed through.
  if (file.endsWith('__init__.py') && !into.routes.length && /^\s*from\s+\S+\s+import\b/m.test(text) && /router|blueprint|urls/i.test(text)) pythonImports(text, into);
  if (/(^|\/)urls\.py$/.test(file) && /\bdjango\b/.test(text)) {
    const own = `${file}#`;
    into.exports.default = own;
    lines(text).forEach((line, index) => {
      const at = { file, line: index + 1 };
      for (const m of line.matchAll(/\b(path|re_path|url)\(\s*r?(['"])(.*?)\2\s*,\s*(include\(\s*(?:(['"])([\w.]+)\5|(\w+)\.urls)?)?/g)) {
        const route: OwnedRoute = { method: m[4] ? 'MOUNT' : 'ANY', path: m[3]!, framework: 'django', ...at, owner: own };
        into.routes.push(route);
        // `path('api/', include('shop.api.urls'))`, `path('api/', include(router.urls))`: those routes get the prefix.
        if (m[1] === 'path' && (m[6] || m[7])) into.mounts.push({ parent: own, part: { path: m[3]!, ...at }, target: m[6] ? { module: m[6], name: 'default' } : { local: m[7]! }, route });
      }
      // Django REST framework: `router.register(r'orders', OrderViewSet)`, and `urlpatterns += router.urls`.
      for (const m of line.matchAll(/\b(\w+)\.register\(\s*r?(['"])([^'"]*)\2/g)) into.routes.push({ method: 'RESOURCES', path: m[3]!, framework: 'django-rest-framework', ...at, owner: `${file}#${m[1]}` });
      const added = /^\s*urlpatterns\s*\+?=\s*(?:\[[^\]]*\]\s*\+\s*)?(\w+)\.urls\b/.exec(line);
      if (added) into.mounts.push({ parent: own, part: { path: '', ...at }, target: { local: added[1]! } });
    });
  }
}

const GO_FRAMEWORKS: Array<[RegExp, string]> = [
  [/"github\.com\/gin-gonic\/gin"/, 'gin'],
  [/"github\.com\/labstack\/echo[/\w]*"/, 'echo'],
  [/"github\.com\/go-chi\/chi[/\w]*"/, 'chi'],
  [/"github\.com\/gorilla\/mux"/, 'gorilla/mux'],
  [/"github\.com\/gofiber\/fiber[/\w]*"/, 'fiber'],
  [/"net\/http"/, 'net/http'],
];
/** Paths may start with names joined by `+` (`baseUrl+"/cart"`): kept as `<baseUrl>` unless a constant resolves them. */
const GO_HANDLE = /\b(\w+)\.(HandleFunc|Handle|PathPrefix)\(\s*((?:[\w.]+\s*\+\s*)*)"(?:([A-Z]+)\s+)?([^"]*\/[^"]*)"/g;
const GO_VERB = /\b(\w+)\.(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any|All|Get|Post|Put|Patch|Delete|Head|Options|Group|Route|Mount)\(\s*((?:[\w.]+\s*\+\s*)*)"(\/[^"]*)"/g;
const goPath = (names: string, literal: string) => `${[...names.matchAll(/[\w.]+/g)].map((n) => `<${n[0]}>`).join('')}${literal}`;
const GO_METHOD = /\b(\w+)\.Method(?:Func)?\(\s*"([A-Z]+)"\s*,\s*"(\/[^"]*)"/g;
/** A function's router parameter: `func UsersRegister(router *gin.RouterGroup)`. */
const GO_FUNC = /^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(([^)]*)\)/;
const GO_ROUTER_PARAM = /\b(\w+)\s+\*?(?:gin\.(?:RouterGroup|Engine|IRouter|IRoutes)|echo\.(?:Echo|Group)|chi\.Router|mux\.Router|fiber\.(?:App|Router)|http\.ServeMux)\b/;
/** `users.Register(v1.Group("/users"))`, `routes.Register(api)`: a group handed to a function. */
const GO_HAND_OVER = /\b(?:(\w+)\.)?([A-Za-z]\w*)\(\s*(\w+)(?:\.Group\(\s*"([^"]*)"\s*\))?\s*[,)]/g;
const GO_CREATED = /\b(\w+)\s*:?=\s*(?:gin\.(?:Default|New)|echo\.New|chi\.NewRouter|mux\.NewRouter|fiber\.New|http\.NewServeMux)\(/;

export function goRoutes(file: string, text: string, into: FileRoutes): void {
  const framework = GO_FRAMEWORKS.find(([pattern]) => pattern.test(text))?.[1];
  if (!framework) return;
  // Receivers known to be routers or groups: made here, groups, a function's router parameter.
  const known = new Set<string>();
  // Functions are named by package (`go:users.Register`), so that two services' `Register` stay apart.
  const pkg = /^package\s+(\w+)/m.exec(text)?.[1] ?? '';
  // Imported packages: the name a file calls them by (an alias, or the path's last segment) -> the package's own name (the last segment).
  const imported = new Map(
    [...text.matchAll(/^\s*(?:import\s+)?(?:(\w+)\s+)?"([^"]+)"\s*$/gm)].map((m) => {
      const own = m[2]!.split('/').filter((p) => !/^v\d+$/.test(p)).pop()!;
      return [m[1] ?? own, own] as const;
    }),
  );
  const fnKey = (qualifier: string | undefined, name: string) => `go:${qualifier === undefined ? pkg : (imported.get(qualifier) ?? '*')}.${name}`;
  let fn: { name: string; param: string } | null = null;
  // chi/Fiber `r.Route("/api", func(r chi.Router) { ... })`: inside the closure, its parameter is a router under the prefix.
  const closures: Array<{ param: string; local: string; depth: number }> = [];
  let depth = 0;
  const ownerOf = (receiver: string) => {
    const closure = closures.findLast((c) => c.param === receiver);
    if (closure) return `${file}#${closure.local}`;
    return fn && receiver === fn.param ? `fn:${fnKey(undefined, fn.name)}` : `${file}#${receiver}`;
  };
  lines(text).forEach((line, index) => {
    const at = { framework, file, line: index + 1 };
    while (closures.length && closures[closures.length - 1]!.depth > depth) closures.pop();
    const opened = depth + (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    depth = opened;
    const declared = GO_FUNC.exec(line);
    if (declared) {
      const param = GO_ROUTER_PARAM.exec(declared[2]!)?.[1];
      fn = param ? { name: declared[1]!, param } : null;
      if (param) known.add(param);
    }
    const made = GO_CREATED.exec(line);
    if (made) known.add(made[1]!);
    // `v1 := r.Group("/v1")`: routes on v1 get the prefix (nested groups too).
    const group = /\b(\w+)\s*:?=\s*(\w+)\.Group\(\s*"(\/[^"]*)"/.exec(line);
    if (group) known.add(group[1]!);
    for (const m of line.matchAll(GO_HANDLE)) {
      const methods = /\.Methods\(([^)]*)\)/.exec(line.slice(m.index!));
      // `.Methods("GET", http.MethodHead)`: literals and net/http's method constants.
      const listed = methods ? [...stringLiterals(methods[1]!), ...[...methods[1]!.matchAll(/\bhttp\.Method(\w+)/g)].map((x) => x[1]!.toUpperCase())] : [];
      const list = m[2] === 'PathPrefix' ? ['MOUNT'] : m[4] ? [m[4]] : listed.length ? listed : ['ANY'];
      for (const method of list) into.routes.push({ method, path: goPath(m[3]!, m[5]!), ...at, framework: m[1] === 'http' ? 'net/http' : framework, owner: ownerOf(m[1]!) });
    }
    for (const m of line.matchAll(GO_VERB)) {
      const verb = m[2]!;
      const method = /^(Group|Route|Mount)$/.test(verb) ? 'MOUNT' : /^(Any|All)$/.test(verb) ? 'ANY' : verb.toUpperCase();
      const route: OwnedRoute = { method, path: goPath(m[3]!, m[4]!), ...at, owner: ownerOf(m[1]!) };
      into.routes.push(route);
      if (verb === 'Group' && group && group[2] === m[1]) into.mounts.push({ parent: route.owner, part: { path: route.path, file, line: index + 1 }, target: { local: group[1]! }, route });
      const closure = /^Route$/.test(verb) ? /func\s*\(\s*(\w+)\s+[\w.*]+\s*\)\s*\{\s*$/.exec(line.slice(m.index!)) : null;
      if (closure) {
        const local = `route@${index + 1}`;
        into.mounts.push({ parent: route.owner, part: { path: route.path, file, line: index + 1 }, target: { local }, route });
        closures.push({ param: closure[1]!, local, depth: opened });
      }
    }
    for (const m of line.matchAll(GO_METHOD)) into.routes.push({ method: m[2]!, path: m[3]!, ...at, owner: ownerOf(m[1]!) });
    for (const m of line.matchAll(GO_HAND_OVER)) {
      const [, qualifier, name, arg, prefix] = m;
      if (!known.has(arg!) || (qualifier && known.has(qualifier)) || (!qualifier && /^(append|len|make|new|panic|print|println)$/.test(name!))) continue;
      const route = prefix !== undefined ? into.routes.find((r) => r.line === index + 1 && r.method === 'MOUNT' && r.path === prefix) : undefined;
      into.mounts.push({ parent: ownerOf(arg!), part: { path: prefix ?? '', file, line: index + 1 }, target: { fn: fnKey(qualifier, name!) }, route });
    }
  });
}

const SPRING: Record<string, string | null> = { GetMapping: 'GET', PostMapping: 'POST', PutMapping: 'PUT', DeleteMapping: 'DELETE', PatchMapping: 'PATCH', RequestMapping: null };
const JAX_RS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

export function jvmRoutes(file: string, text: string): Route[] {
  if (!/@(\w+Mapping|Path)\b/.test(text)) return [];
  const framework = /\bjavax?\.ws\.rs\b|jakarta\.ws\.rs/.test(text) ? 'jax-rs' : 'spring';
  const routes: Route[] = [];
  let prefix: RoutePart = { path: '', file, line: 0 };
  const push = (method: string, path: string, line: number, fw: string) => {
    const route: Route = { method, path: joinPaths(prefix.path, path), framework: fw, file, line };
    if (prefix.path !== '') route.parts = path !== '' ? [prefix, { path, file, line }] : [prefix];
    routes.push(route);
  };
  for (const block of decoratedBlocks(text)) {
    const named = (name: string) => block.annotations.find((a) => a.name === name || a.name.endsWith(`.${name}`));
    if (block.isClass) {
      const mapping = named('RequestMapping') ?? named('Path');
      prefix = { path: mapping ? (annotationPaths(mapping.args)[0] ?? '') : '', file, line: mapping?.line ?? 0 };
      continue;
    }
    for (const a of block.annotations) {
      const short = a.name.split('.').pop()!;
      if (short in SPRING) {
        const verbs = SPRING[short] ? [SPRING[short]] : [...a.args.matchAll(/RequestMethod\.(\w+)/g)].map((m) => m[1]!);
        const paths = annotationPaths(a.args);
        for (const method of verbs.length ? verbs : ['ANY']) {
          for (const path of paths.length ? paths : ['']) push(method, path, a.line, framework);
        }
      } else if (JAX_RS.has(short)) {
        const path = named('Path');
        push(short, path ? (annotationPaths(path.args)[0] ?? '') : '', a.line, 'jax-rs');
      }
    }
  }
  return routes;
}

export function rubyRoutes(file: string, text: string): Route[] {
  const rails = /(^|\/)routes\.rb$/.test(file);
  const sinatra = !rails && /require\s+['"]sinatra/.test(text);
  if (!rails && !sinatra) return [];
  const framework = rails ? 'rails' : 'sinatra';
  const routes: Route[] = [];
  const prefixes: string[] = [];
  lines(text).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '');
    const at = { framework, file, line: index + 1 };
    const block = /\bdo\s*(\|[^|]*\|)?\s*$/.test(line);
    const verb = /^\s*(get|post|put|patch|delete|match)\s+['"]([^'"]+)['"]/.exec(line);
    const resources = /^\s*(resources?)\s+:(\w+)/.exec(line);
    const scope = /^\s*(?:namespace\s+:(\w+)|scope\s+(?:path:\s*)?['"]([^'"]+)['"])/.exec(line);
    if (verb) routes.push({ method: verb[1] === 'match' ? 'ANY' : verb[1]!.toUpperCase(), path: joinPaths(...prefixes, verb[2]!), ...at });
    else if (resources) routes.push({ method: resources[1] === 'resources' ? 'RESOURCES' : 'RESOURCE', path: joinPaths(...prefixes, resources[2]!), ...at });
    else if (/^\s*root\b/.test(line)) routes.push({ method: 'GET', path: joinPaths(...prefixes, '/'), ...at });
    else {
      const mount = /^\s*mount\s+[\w:.]+\s*(?:=>|,\s*at:)\s*['"]([^'"]+)['"]/.exec(line);
      if (mount) routes.push({ method: 'MOUNT', path: joinPaths(...prefixes, mount[1]!), ...at });
    }
    if (block) prefixes.push(scope ? (scope[1] ?? scope[2]!) : '');
    else if (/^\s*end\b/.test(line)) prefixes.pop();
  });
  return routes;
}

export function phpRoutes(file: string, text: string): Route[] {
  const routes: Route[] = [];
  // Laravel groups: `Route::prefix('admin')->group(function () {` and `Route::group(['prefix' => 'api'], function () {`.
  const groups: Array<{ part: RoutePart; depth: number }> = [];
  let depth = 0;
  let classPrefix: RoutePart | null = null;
  const all = lines(text);
  all.forEach((line, index) => {
    const at = { file, line: index + 1 };
    while (groups.length && groups[groups.length - 1]!.depth > depth) groups.pop();
    const opened = depth + (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    for (const m of line.matchAll(/Route::(?:\w+\([^)]*\)->)*(get|post|put|patch|delete|options|any|match|resource|apiResource)\(\s*(?:\[[^\]]*\]\s*,\s*)?['"]([^'"]+)['"]/g)) {
      const verb = m[1]!;
      const method = verb === 'any' || verb === 'match' ? 'ANY' : /resource/i.test(verb) ? 'RESOURCES' : verb.toUpperCase();
      const route: Route = { method, path: m[2]!, framework: 'laravel', ...at };
      if (groups.length) {
        route.parts = [...groups.map((g) => g.part), { path: m[2]!, ...at }];
        route.path = joinPaths(...route.parts.map((p) => p.path));
      }
      routes.push(route);
    }
    const prefix = /Route::(?:\w+\([^)]*\)->)*prefix\(\s*['"]([^'"]*)['"]\s*\)(?:->\w+\([^)]*\))*->group\(|Route::group\(\s*\[[^\]]*['"]prefix['"]\s*=>\s*['"]([^'"]*)['"]/.exec(line);
    if (prefix && opened > depth) groups.push({ part: { path: prefix[1] ?? prefix[2]!, ...at }, depth: opened });
    depth = opened;
    const attribute = /#\[Route\(\s*(?:path:\s*)?['"]([^'"]+)['"](.*)$/.exec(line);
    if (attribute) {
      // On a class, the prefix of the actions below it.
      const next = all.slice(index + 1).find((l) => l.trim() !== '' && !/^\s*#\[/.test(l)) ?? '';
      if (/^\s*(?:final\s+|abstract\s+)*class\s+\w+/.test(next)) {
        classPrefix = { path: attribute[1]!, ...at };
        return;
      }
      const methods = /methods:\s*\[([^\]]*)\]/.exec(attribute[2]!);
      for (const method of methods ? stringLiterals(methods[1]!) : ['ANY']) {
        const route: Route = { method: method.toUpperCase(), path: attribute[1]!, framework: 'symfony', ...at };
        if (classPrefix) {
          route.parts = [classPrefix, { path: attribute[1]!, ...at }];
          route.path = joinPaths(classPrefix.path, attribute[1]!);
        }
        routes.push(route);
      }
    }
  });
  return routes;
}
