// ASP.NET Core routes: minimal APIs (`app.MapGet("/x", ...)`, `MapGroup("/api")` prefixes, route
// groups handed to extension methods in other files) and controllers (`[Route("api/[controller]")]`
// on the class, `[HttpGet("{id}")]`/`[Route]` on actions, `[controller]` and `[action]` replaced).
import { callArguments, lineAt } from './routes-js.js';
import { pathExpression, type FileRoutes, type OwnedRoute } from './route-prefixes.js';
import { joinPaths, stringLiterals } from './decorated.js';
import type { RoutePart } from './types.js';

const MINIMAL_VERBS: Record<string, string | null> = { MapGet: 'GET', MapPost: 'POST', MapPut: 'PUT', MapDelete: 'DELETE', MapPatch: 'PATCH', MapMethods: null, Map: 'ANY', MapFallback: 'ANY', MapHub: 'WEBSOCKET' };
/** Endpoint-mapping methods of the framework itself: not extension methods of the project. */
const BUILT_IN = /^(MapGroup|MapControllers|MapControllerRoute|MapDefaultControllerRoute|MapRazorPages|MapBlazorHub|MapGrpcService|MapHealthChecks|MapOpenApi|MapStaticAssets|MapRazorComponents|MapFallbackToFile|MapFallbackToPage|MapIdentityApi|MapSwagger|MapScalarApiReference|MapWhen|MapAreaControllerRoute)$/;
const MAP_CALL = /\b(\w+)\s*\.\s*(Map\w*)\s*(?:<[^>()]*>)?\s*\(/g;
const GROUP_VAR = /\b(?:var|RouteGroupBuilder|IEndpointRouteBuilder)\s+(\w+)\s*=\s*(\w+)\s*\.\s*MapGroup\s*\(/g;
const EXTENSION = /\bstatic\s+[\w<>?,\s]+?\s+(\w+)\s*\(\s*this\s+(?:IEndpointRouteBuilder|RouteGroupBuilder|WebApplication|IApplicationBuilder)\s+(\w+)/g;
const HTTP_ATTRIBUTE: Record<string, string> = { HttpGet: 'GET', HttpPost: 'POST', HttpPut: 'PUT', HttpDelete: 'DELETE', HttpPatch: 'PATCH', HttpHead: 'HEAD', HttpOptions: 'OPTIONS' };

function minimalApis(file: string, text: string, into: FileRoutes): void {
  const lineOf = lineAt(text);
  // Extension methods that receive a route builder: routes on that parameter belong to the method.
  const scopes = [...text.matchAll(EXTENSION)].map((m) => ({ start: m.index!, name: m[1]!, param: m[2]! }));
  const ownerOf = (receiver: string, offset: number) => {
    const scope = scopes.filter((s) => s.start <= offset).pop();
    return scope && scope.param === receiver ? `fn:cs:${scope.name}@${file}` : `${file}#${receiver}`;
  };
  for (const m of text.matchAll(GROUP_VAR)) {
    const args = callArguments(text, m.index! + m[0].length - 1);
    const path = pathExpression(args[0] ?? '');
    if (path !== null) into.mounts.push({ parent: ownerOf(m[2]!, m.index!), part: { path, file, line: lineOf(m.index!) }, target: { local: m[1]! } });
  }
  for (const m of text.matchAll(MAP_CALL)) {
    const [, receiver, method] = m as unknown as [string, string, string];
    const open = m.index! + m[0].length - 1;
    const line = lineOf(m.index! + m[0].indexOf(method));
    const owner = ownerOf(receiver, m.index!);
    if (method in MINIMAL_VERBS) {
      const args = callArguments(text, open);
      const first = (args[0] ?? '').replace(/^pattern:\s*/, '');
      const path = /^@?"|^[A-Z]\w*(\.\w+)*\s*\+/.test(first) ? pathExpression(first.replace(/^@/, '')) : null;
      if (path === null) continue;
      const listed = [...stringLiterals(args[1] ?? ''), ...[...(args[1] ?? '').matchAll(/\bHttpMethods\.(\w+)/g)].map((v) => v[1]!)];
      const verbs = MINIMAL_VERBS[method] ? [MINIMAL_VERBS[method]] : listed.map((v) => v.toUpperCase());
      for (const verb of verbs.length ? verbs : [null]) into.routes.push({ method: verb, path, framework: 'aspnetcore', file, line, owner });
    } else if (method === 'MapGroup') {
      // `app.MapGroup("/todos").MapTodosApi()`: the group handed to an extension method.
      const args = callArguments(text, open);
      const path = pathExpression(args[0] ?? '');
      const after = /^\s*\)\s*\.\s*(Map\w+)\s*\(/.exec(text.slice(text.indexOf(args[0] ?? ')', open) + (args[0]?.length ?? 0), open + 4000));
      if (path !== null && after && !BUILT_IN.test(after[1]!) && !(after[1]! in MINIMAL_VERBS)) {
        into.mounts.push({ parent: owner, part: { path, file, line }, target: { fn: `cs:${after[1]!}` } });
      } else if (path !== null && after && after[1]! in MINIMAL_VERBS) {
        // `app.MapGroup("/api").MapGet("/x", ...)`: the route gets the group's prefix.
        const routeOpen = text.indexOf('(', text.indexOf(after[1]!, open));
        const routeArgs = callArguments(text, routeOpen);
        const routePath = pathExpression(routeArgs[0] ?? '');
        const verb = MINIMAL_VERBS[after[1]!];
        if (routePath !== null && verb) {
          const routeLine = lineOf(routeOpen);
          into.routes.push({ method: verb, path: routePath, framework: 'aspnetcore', file, line: routeLine, owner, parts: [{ path, file, line }, { path: routePath, file, line: routeLine }] });
        }
      }
    } else if (!BUILT_IN.test(method)) {
      // `group.MapTodoEndpoints()`: an extension method of the project, given this builder.
      into.mounts.push({ parent: owner, part: { path: '', file, line }, target: { fn: `cs:${method}` } });
    }
  }
}

interface Attribute {
  name: string;
  args: string;
  line: number;
}

/** `[controller]`, `[action]` and `[area]` tokens replaced; a leading `~/` or `/` on an action ignores the class prefix. */
function controllers(file: string, text: string, into: FileRoutes): void {
  const all = text.split(/\r?\n/);
  let pending: Attribute[] = [];
  let prefixes: RoutePart[] = [];
  let controller = '';
  for (let i = 0; i < all.length; i += 1) {
    const trimmed = all[i]!.trim();
    if (trimmed.startsWith('[') && !trimmed.startsWith('[]')) {
      let body = trimmed;
      for (let extra = 0; !/\]\s*(\/\/.*)?$/.test(body) && extra < 10 && i + 1 < all.length; extra += 1) body += ` ${all[++i]!.trim()}`;
      for (const m of body.matchAll(/(?:^\[|,)\s*(\w+)(?:Attribute)?\s*(?:\(((?:[^()"]|"[^"]*"|\([^()]*\))*)\))?/g)) pending.push({ name: m[1]!, args: m[2] ?? '', line: i + 1 });
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('//')) continue;
    const cls = /\bclass\s+(\w+)/.exec(trimmed);
    if (cls) {
      controller = cls[1]!.replace(/Controller$/, '');
      prefixes = pending.filter((a) => a.name === 'Route').map((a) => ({ path: stringLiterals(a.args)[0] ?? '', file, line: a.line }));
    } else if (pending.length) {
      const action = /(\w+)\s*(?:<[^>]*>)?\s*\(/.exec(trimmed)?.[1] ?? '';
      const tokens = (path: string) => path.replace(/\[controller\]/gi, controller).replace(/\[action\]/gi, action.replace(/Async$/, ''));
      const routeAttributes = pending.filter((a) => a.name === 'Route');
      const verbs = pending.filter((a) => a.name in HTTP_ATTRIBUTE || a.name === 'AcceptVerbs');
      const own: Array<{ method: string | null; path: string | null; line: number }> = [];
      for (const v of verbs) {
        const literals = stringLiterals(v.args);
        const methods = v.name === 'AcceptVerbs' ? stringLiterals(v.args.replace(/\b\w+\s*=\s*"[^"]*"/g, '')).map((l) => l.toUpperCase()) : [HTTP_ATTRIBUTE[v.name]!];
        const template = v.name === 'AcceptVerbs' ? (/Route\s*=\s*"([^"]*)"/.exec(v.args)?.[1] ?? null) : (literals[0] ?? null);
        for (const method of methods) own.push({ method, path: template, line: v.line });
      }
      if (own.length === 0 && routeAttributes.length && prefixes.length) own.push({ method: 'ANY', path: null, line: routeAttributes[0]!.line });
      if (own.length === 0 && routeAttributes.length) for (const r of routeAttributes) own.push({ method: 'ANY', path: stringLiterals(r.args)[0] ?? '', line: r.line });
      for (const o of own) {
        // No template on the action or its class: conventional routing, `{controller}/{action}` in the default template.
        const conventional = o.path === null && routeAttributes.length === 0 && prefixes.length === 0;
        const templates = conventional ? ['/[controller]/[action]'] : o.path !== null ? [o.path] : routeAttributes.length ? routeAttributes.map((r) => stringLiterals(r.args)[0] ?? '') : [''];
        for (const template of templates) {
          const absolute = /^~?\//.test(template);
          const outer = absolute || prefixes.length === 0 ? [null] : prefixes;
          for (const prefix of outer) {
            const ownPart = { path: tokens(template.replace(/^~/, '')), file, line: o.line };
            const parts = [...(prefix ? [{ ...prefix, path: tokens(prefix.path) }] : []), ownPart].filter((p) => p.path !== '');
            const route: OwnedRoute = { method: o.method, path: joinPaths(...parts.map((p) => p.path)), framework: 'aspnetcore', file, line: o.line, owner: `${file}#${controller}` };
            if (parts.length > 1 || (parts.length === 1 && parts[0]!.line !== o.line)) route.parts = parts;
            into.routes.push(route);
          }
        }
      }
    }
    pending = [];
  }
}

export function dotnetRoutes(file: string, text: string, into: FileRoutes): void {
  if (/\.Map\w*\s*(?:<[^>()]*>)?\s*\(/.test(text)) minimalApis(file, text, into);
  if (/\[(Http(Get|Post|Put|Delete|Patch|Head|Options)|Route|AcceptVerbs)\b/.test(text)) controllers(file, text, into);
  for (const m of text.matchAll(/\bconst\s+string\s+(\w+)\s*=\s*"(\/[^"]*)"/g)) into.constants[m[1]!] = m[2]!;
}

/**
 * Blazor components and Razor Pages: `@page "/cart/{id:int}"` as a PAGE route; a Razor Page's bare
 * `@page` routes by its path under `Pages/` (`Pages/Orders/Index.cshtml` -> `/Orders`).
 */
export function razorPages(file: string, text: string, into: FileRoutes): void {
  text.split(/\r?\n/).forEach((line, index) => {
    const m = /^\s*@page\b\s*(?:"([^"]*)")?/.exec(line);
    if (!m) return;
    let path = m[1];
    const under = /(?:^|\/)Pages\/(.*)\.cshtml$/.exec(file);
    // A Razor Page's template other than `/...` adds to the route its path gives.
    if (under && (path === undefined || !path.startsWith('/'))) {
      path = joinPaths(...under[1]!.split('/').filter((segment, i, all) => !(i === all.length - 1 && segment === 'Index')), path ?? '');
    }
    if (path === undefined) return;
    into.routes.push({ method: 'PAGE', path, framework: file.endsWith('.razor') ? 'blazor' : 'razor-pages', file, line: index + 1, owner: `${file}#` });
  });
}
