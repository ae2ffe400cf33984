// HTTP routes in Python (Flask, FastAPI and look-alikes, Django urls.py), Go (net/http, gin, echo, chi,
// gorilla/mux, Fiber), Java/Kotlin (Spring, JAX-RS), Ruby (Rails routes.rb, Sinatra) and PHP (Laravel,
// Symfony attributes). Paths are as written; prefixes are applied only where the same file declares them.
import { annotationPaths, decoratedBlocks, joinPaths, stringLiterals } from './decorated.js';
import { lines } from './source.js';
import type { Route } from './types.js';

const PY_DECORATOR = /^\s*@(\w+)\.(get|post|put|patch|delete|head|options|route|api_route|websocket)\(\s*[rbuRBU]?(['"])(.*?)\3(.*)$/;
const PY_PREFIXED = /^\s*(\w+)\s*=\s*(?:\w+\.)?(APIRouter|Blueprint)\((.*)\)/;

export function pythonRoutes(file: string, text: string): Route[] {
  const framework = /^\s*(?:from|import)\s+fastapi\b/m.test(text)
    ? 'fastapi'
    : /^\s*(?:from|import)\s+flask\b/m.test(text)
      ? 'flask'
      : /^\s*(?:from|import)\s+(sanic|quart|starlette|litestar)\b/m.exec(text)?.[1];
  const routes: Route[] = [];
  if (framework) {
    const prefixes = new Map<string, string>();
    for (const line of lines(text)) {
      const m = PY_PREFIXED.exec(line);
      const prefix = m && /\b(?:url_)?prefix\s*=\s*['"]([^'"]*)['"]/.exec(m[3]!)?.[1];
      if (m && prefix) prefixes.set(m[1]!, prefix);
    }
    lines(text).forEach((line, index) => {
      const m = PY_DECORATOR.exec(line);
      if (!m) return;
      const [, receiver, verb, , path, rest] = m as unknown as [string, string, string, string, string, string];
      const full = prefixes.has(receiver) ? joinPaths(prefixes.get(receiver)!, path) : path;
      let methods: Array<string | null> = [verb.toUpperCase()];
      if (verb === 'route' || verb === 'api_route') {
        const listed = /\bmethods\s*=\s*[[(]([^\])]*)[\])]/.exec(rest);
        // Without methods=, Flask and FastAPI route only GET (their documented default).
        methods = listed ? stringLiterals(listed[1]!).map((s) => s.toUpperCase()) : /^\s*\)?\s*$/.test(rest) || !/methods/.test(rest) ? ['GET'] : [null];
      }
      if (verb === 'websocket') methods = ['WEBSOCKET'];
      for (const method of methods) routes.push({ method, path: full, framework, file, line: index + 1 });
    });
  }
  if (/(^|\/)urls\.py$/.test(file) && /\bdjango\b/.test(text)) {
    lines(text).forEach((line, index) => {
      for (const m of line.matchAll(/\b(path|re_path|url)\(\s*r?(['"])(.*?)\2\s*,\s*(include\()?/g)) {
        routes.push({ method: m[4] ? 'MOUNT' : 'ANY', path: m[3]!, framework: 'django', file, line: index + 1 });
      }
    });
  }
  return routes;
}

const GO_FRAMEWORKS: Array<[RegExp, string]> = [
  [/"github\.com\/gin-gonic\/gin"/, 'gin'],
  [/"github\.com\/labstack\/echo[/\w]*"/, 'echo'],
  [/"github\.com\/go-chi\/chi[/\w]*"/, 'chi'],
  [/"github\.com\/gorilla\/mux"/, 'gorilla/mux'],
  [/"github\.com\/gofiber\/fiber[/\w]*"/, 'fiber'],
  [/"net\/http"/, 'net/http'],
];
const GO_HANDLE = /\b(\w+)\.(HandleFunc|Handle)\(\s*"(?:([A-Z]+)\s+)?([^"]*\/[^"]*)"/g;
const GO_VERB = /\b(\w+)\.(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any|All|Get|Post|Put|Patch|Delete|Head|Options|Group|Route|Mount)\(\s*"(\/[^"]*)"/g;
const GO_METHOD = /\.Method(?:Func)?\(\s*"([A-Z]+)"\s*,\s*"(\/[^"]*)"/g;

export function goRoutes(file: string, text: string): Route[] {
  const framework = GO_FRAMEWORKS.find(([pattern]) => pattern.test(text))?.[1];
  if (!framework) return [];
  const routes: Route[] = [];
  // `v1 := r.Group("/v1")`: routes on v1 get the prefix (nested groups too).
  const groups = new Map<string, string>();
  const prefixed = (receiver: string, path: string) => (groups.has(receiver) ? joinPaths(groups.get(receiver)!, path) : path);
  lines(text).forEach((line, index) => {
    const at = { framework, file, line: index + 1 };
    const group = /\b(\w+)\s*:?=\s*(\w+)\.Group\(\s*"(\/[^"]*)"/.exec(line);
    if (group) groups.set(group[1]!, prefixed(group[2]!, group[3]!));
    for (const m of line.matchAll(GO_HANDLE)) {
      const methods = /\.Methods\(([^)]*)\)/.exec(line.slice(m.index!));
      const list = m[3] ? [m[3]] : methods ? stringLiterals(methods[1]!) : ['ANY'];
      for (const method of list) routes.push({ method, path: m[4]!, ...at, framework: m[1] === 'http' ? 'net/http' : framework });
    }
    for (const m of line.matchAll(GO_VERB)) {
      const verb = m[2]!;
      const method = /^(Group|Route|Mount)$/.test(verb) ? 'MOUNT' : /^(Any|All)$/.test(verb) ? 'ANY' : verb.toUpperCase();
      routes.push({ method, path: prefixed(m[1]!, m[3]!), ...at });
    }
    for (const m of line.matchAll(GO_METHOD)) routes.push({ method: m[1]!, path: m[2]!, ...at });
  });
  return routes;
}

const SPRING: Record<string, string | null> = { GetMapping: 'GET', PostMapping: 'POST', PutMapping: 'PUT', DeleteMapping: 'DELETE', PatchMapping: 'PATCH', RequestMapping: null };
const JAX_RS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

export function jvmRoutes(file: string, text: string): Route[] {
  if (!/@(\w+Mapping|Path)\b/.test(text)) return [];
  const framework = /\bjavax?\.ws\.rs\b|jakarta\.ws\.rs/.test(text) ? 'jax-rs' : 'spring';
  const routes: Route[] = [];
  let prefix = '';
  for (const block of decoratedBlocks(text)) {
    const named = (name: string) => block.annotations.find((a) => a.name === name || a.name.endsWith(`.${name}`));
    if (block.isClass) {
      const mapping = named('RequestMapping') ?? named('Path');
      prefix = mapping ? (annotationPaths(mapping.args)[0] ?? '') : '';
      continue;
    }
    for (const a of block.annotations) {
      const short = a.name.split('.').pop()!;
      if (short in SPRING) {
        const verbs = SPRING[short] ? [SPRING[short]] : [...a.args.matchAll(/RequestMethod\.(\w+)/g)].map((m) => m[1]!);
        const paths = annotationPaths(a.args);
        for (const method of verbs.length ? verbs : ['ANY']) {
          for (const path of paths.length ? paths : ['']) routes.push({ method, path: joinPaths(prefix, path), framework, file, line: a.line });
        }
      } else if (JAX_RS.has(short)) {
        const path = named('Path');
        routes.push({ method: short, path: joinPaths(prefix, path ? (annotationPaths(path.args)[0] ?? '') : ''), framework: 'jax-rs', file, line: a.line });
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
  lines(text).forEach((line, index) => {
    const at = { file, line: index + 1 };
    for (const m of line.matchAll(/Route::(get|post|put|patch|delete|options|any|match|resource|apiResource)\(\s*(?:\[[^\]]*\]\s*,\s*)?['"]([^'"]+)['"]/g)) {
      const verb = m[1]!;
      const method = verb === 'any' || verb === 'match' ? 'ANY' : /resource/i.test(verb) ? 'RESOURCES' : verb.toUpperCase();
      routes.push({ method, path: m[2]!, framework: 'laravel', ...at });
    }
    const attribute = /#\[Route\(\s*['"]([^'"]+)['"](.*)$/.exec(line);
    if (attribute) {
      const methods = /methods:\s*\[([^\]]*)\]/.exec(attribute[2]!);
      for (const method of methods ? stringLiterals(methods[1]!) : ['ANY']) routes.push({ method: method.toUpperCase(), path: attribute[1]!, framework: 'symfony', ...at });
    }
  });
  return routes;
}
