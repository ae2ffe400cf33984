// The plain-text report. Every section says when it found nothing, and what it looked for.
import { formatBytes } from '../lib/format.js';
import type { Stylist } from '../lib/term.js';
import type { ArchitectureFacts, DependencyCounts, Evidence, Finding, Stack } from './types.js';

const SHOWN = 50;

const ROUTES_LOOKED_FOR =
  'Express, Fastify, Koa, Hono, NestJS, Next.js (app and pages), Flask, FastAPI, Django urls.py, Go net/http, gin, echo, chi, gorilla/mux, Fiber, Spring, JAX-RS, ASP.NET Core (minimal APIs and controllers), Rails, Sinatra, Laravel, Symfony';
const MODELS_LOOKED_FOR = 'Prisma models, SQL CREATE TABLE, SQLAlchemy, SQLModel, Django, TypeORM, JPA, Mongoose, Sequelize, Active Record, GORM, EF Core';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

function dependencies(d: DependencyCounts): string {
  if (d.total === null) return 'dependencies: not counted';
  const split = d.runtime !== null && d.dev !== null ? ` (runtime ${d.runtime}, dev ${d.dev})` : ' (this format does not separate runtime from dev)';
  return `dependencies: ${d.total}${split}`;
}

function stackLines(stack: Stack, s: Stylist): string[] {
  const head = `  ${s('bold', stack.manifest)}  ${stack.ecosystem} · ${stack.language}${stack.name ? ` · ${stack.name}` : ''}`;
  const detail = `    ${dependencies(stack.dependencies)}${stack.frameworks.length ? ` · frameworks: ${stack.frameworks.join(', ')}` : ''}`;
  return [head, detail, ...stack.notes.map((n) => `    ${s('dim', `note: ${n}`)}`)];
}

function more(total: number, shown: number): string[] {
  return total > shown ? [`  … and ${total - shown} more: run with --json for the full list`] : [];
}

/** A section's heading, after a blank line. */
function heading(text: string, s: Stylist): string[] {
  return ['', s('bold', text)];
}

function scanSection(facts: ArchitectureFacts, s: Stylist): string[] {
  const { scan } = facts;
  const out = [
    s('bold', `Architecture facts for ${facts.root}`),
    `Scanned ${plural(scan.files, 'file')} in ${plural(scan.directories, 'directory', 'directories')}; read ${scan.filesRead} (caps: ${scan.maxFiles} files, ${formatBytes(scan.maxFileBytes, 0)} per file).`,
  ];
  if (scan.fileCapHit) out.push(s('yellow', `The file cap (${scan.maxFiles}) was hit: the deepest files were not seen. Raise it with --max-files.`));
  if (scan.skippedLargeCount) out.push(s('yellow', `${plural(scan.skippedLargeCount, 'file')} over ${formatBytes(scan.maxFileBytes, 0)} not read: ${scan.skippedLargeFiles.slice(0, 5).join(', ')}${scan.skippedLargeCount > 5 ? ', …' : ''}`));
  if (scan.skippedDirectoryCount) out.push(`Left out: ${scan.skippedDirectories.slice(0, 8).join(' ')}${scan.skippedDirectoryCount > 8 ? ` and ${scan.skippedDirectoryCount - 8} more` : ''} (vendored, build or .gitignore'd).`);
  return out;
}

function stacksSection({ stacks }: ArchitectureFacts, s: Stylist): string[] {
  const out = heading(`Stacks (${plural(stacks.length, 'manifest')})`, s);
  if (stacks.length === 0) out.push('  No manifest found (looked for package.json, pyproject.toml, requirements*.txt, setup.py, go.mod, Cargo.toml, pom.xml, build.gradle(.kts), Gemfile, composer.json, *.csproj).');
  for (const stack of stacks.slice(0, SHOWN)) out.push(...stackLines(stack, s));
  return [...out, ...more(stacks.length, Math.min(SHOWN, stacks.length))];
}

function languagesSection({ languages }: ArchitectureFacts, s: Stylist): string[] {
  return [...heading('Languages (files by extension)', s), languages.length ? `  ${languages.map((l) => `${l.language} ${l.files}`).join(', ')}` : '  No source files recognised.'];
}

function directoriesSection({ directories }: ArchitectureFacts, s: Stylist): string[] {
  const width = Math.min(48, Math.max(...directories.entries.map((e) => e.path.length + e.depth * 2)) + 2);
  return [
    ...heading(`Directory map (depth ${directories.depth}; files under each)`, s),
    ...directories.entries.map((entry) => `  ${pad(`${'  '.repeat(Math.max(0, entry.depth - 1))}${entry.path}`, width)}${entry.files}`),
  ];
}

function servicesSection({ services }: ArchitectureFacts, s: Stylist): string[] {
  const out = heading('Services', s);
  const { compose, kubernetes, procfile } = services;
  if (compose.length === 0) out.push('  docker-compose: none found (looked for docker-compose*.yml and compose*.yaml).');
  for (const file of compose) {
    out.push(`  ${s('bold', file.file)}: ${plural(file.services.length, 'service')}`);
    const w = Math.max(...file.services.map((x) => x.name.length), 4) + 2;
    for (const svc of file.services) {
      const parts = [svc.image ? `image: ${svc.image}` : svc.build ? `build: ${svc.build}` : 'no image or build', svc.ports.length ? `ports ${svc.ports.join(', ')}` : '', svc.dependsOn.length ? `depends on ${svc.dependsOn.join(', ')}` : ''];
      out.push(`    ${pad(svc.name, w)}${parts.filter(Boolean).join(' · ')}`);
    }
  }
  if (kubernetes.length === 0) out.push('  Kubernetes: no manifests found (YAML files with apiVersion and kind).');
  else {
    // Copies of one resource (base, overlays, releases, Helm) on one line; a templated name cannot be told apart.
    const groups: (typeof kubernetes)[] = [];
    const byKey = new Map<string, typeof kubernetes>();
    for (const r of kubernetes) {
      const key = r.name && !r.name.includes('{{') ? `${r.kind}/${r.name}` : null;
      const group = key ? byKey.get(key) : undefined;
      if (group) group.push(r);
      else {
        const fresh = [r];
        groups.push(fresh);
        if (key) byKey.set(key, fresh);
      }
    }
    out.push(`  Kubernetes: ${plural(kubernetes.length, 'resource')}${groups.length < kubernetes.length ? ` (${groups.length} once copies are grouped)` : ''}`);
    for (const [r, ...copies] of groups.slice(0, SHOWN)) {
      const also = copies.length ? s('dim', ` (+${plural(copies.length, 'copy', 'copies')}: ${copies.slice(0, 3).map((c) => `${c.file}:${c.line}`).join(', ')}${copies.length > 3 ? ', …' : ''})`) : '';
      out.push(`    ${pad(`${r!.kind} ${r!.name ?? '(no name)'}`, 30)}${r!.images.length ? `images: ${r!.images.join(', ')} ` : ''}${s('dim', `${r!.file}:${r!.line}`)}${also}`);
    }
    out.push(...more(groups.length, SHOWN));
  }
  if (procfile.length === 0) out.push('  Procfile: none found.');
  for (const p of procfile) out.push(`  Procfile ${pad(p.name, 10)}${p.command} ${s('dim', `${p.file}:${p.line}`)}`);
  return out;
}

const at = (e: Evidence) => (e.line === null ? e.file : `${e.file}:${e.line}`);

function findingLines(findings: readonly Finding[], s: Stylist): string[] {
  return findings.slice(0, SHOWN).map((f) => {
    const evidence = f.evidence.slice(0, 4).map(at).join(', ') + (f.evidence.length > 4 ? `, +${f.evidence.length - 4}` : '');
    return `  - ${f.text}${evidence ? ` ${s('dim', `(${evidence})`)}` : ''}`;
  });
}

/** Nothing when the graph is empty (the Services section already says what was looked for). */
function graphSection({ graph }: ArchitectureFacts, s: Stylist): string[] {
  if (graph.nodes.length === 0) return [];
  const out = heading(`Service graph (${plural(graph.nodes.length, 'node')}, ${plural(graph.edges.length, 'edge')})`, s);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const name = (id: string) => {
    const n = byId.get(id);
    return n ? (n.kind === 'Service' ? `Service ${n.name}` : n.name) : id;
  };
  const stores = graph.nodes.filter((n) => n.role !== 'service' && n.kind !== 'Service');
  if (stores.length) out.push(`  Stores and brokers: ${stores.map((n) => `${n.name} (${n.technology ?? n.role})`).join(', ')}`);
  if (graph.edges.length === 0) out.push('  No edges: no depends_on, links, selector, address in an environment variable, Aspire reference or gRPC client links two of them.');
  const w = Math.min(28, Math.max(...graph.edges.map((e) => name(e.from).length), 4) + 2);
  for (const e of graph.edges.slice(0, SHOWN)) {
    const how = e.via === 'env' ? `env ${e.detail}` : e.via === 'selector' ? `selects ${e.detail}` : e.via === 'depends_on' ? 'depends on' : e.detail ? `${e.via} ${e.detail}` : e.via;
    out.push(`  ${pad(name(e.from), w)}-> ${pad(name(e.to), w)}${pad(how, 28)}${s('dim', at(e))}`);
  }
  out.push(...more(graph.edges.length, Math.min(SHOWN, graph.edges.length)));
  return [...out, ...findingLines(graph.findings, s)];
}

/** Nothing when there is no workload. */
function operationsSection({ operations }: ArchitectureFacts, s: Stylist): string[] {
  if (operations.workloads.length === 0) return [];
  const out = heading(`Operations (${plural(operations.workloads.length, 'workload')})`, s);
  for (const w of operations.workloads.slice(0, SHOWN)) {
    const copies = w.copies.length > 1 ? ` · ${w.copies.length} copies: ${w.copies.slice(0, 4).map(at).join(', ')}${w.copies.length > 4 ? ', …' : ''}` : ` ${s('dim', at(w.copies[0]!))}`;
    out.push(`  ${s('bold', `${w.kind === 'compose' ? 'compose service' : w.kind} ${w.name}`)}${w.technology ? ` (${w.technology})` : ''}${copies}`);
    for (const f of w.facts.slice(0, 12)) out.push(`    ${pad(f.fact, 17)}${f.value}${f.container ? ` [${f.container}]` : ''} ${s('dim', `${f.file}:${f.line}`)}`);
    if (w.facts.length > 12) out.push(`    … and ${w.facts.length - 12} more facts: run with --json`);
    if (w.missing.length) out.push(`    ${s('yellow', `not stated: ${w.missing.join(', ')}`)}`);
  }
  out.push(...more(operations.workloads.length, Math.min(SHOWN, operations.workloads.length)));
  return [...out, ...findingLines(operations.findings, s)];
}

function routesSection({ routes, truncated }: ArchitectureFacts, s: Stylist): string[] {
  const all = truncated.routes ?? routes.length;
  const out = heading(`HTTP routes (${all})`, s);
  if (routes.length === 0) out.push(`  None found (looked for ${ROUTES_LOOKED_FOR}).`);
  for (const r of routes.slice(0, SHOWN)) {
    // The prefixes written elsewhere: `(prefixes: /api src/app.js:4, /users src/routes/index.js:5)`.
    const prefixes = (r.parts ?? []).filter((p) => p.file !== r.file || p.line !== r.line);
    const from = prefixes.length ? ` (prefixes: ${prefixes.map((p) => `${p.path} ${p.file}:${p.line}`).join(', ')})` : '';
    const owner = r.owner ? ` [${r.owner}]` : '';
    out.push(`  ${pad(r.method ?? '?', 9)}${pad(r.path, 32)}${pad(r.framework, 13)}${s('dim', `${r.file}:${r.line}${owner}${from}`)}`);
  }
  out.push(...more(all, Math.min(SHOWN, routes.length)));
  if (routes.length) {
    out.push(s('dim', '  Full paths: prefixes of routers, groups and classes joined, across files where the mount names the router;'));
    out.push(s('dim', '  a MOUNT line is a mount whose routes were not found (mounted through a variable, a list, a library).'));
  }
  return out;
}

function modelsSection({ models, truncated }: ArchitectureFacts, s: Stylist): string[] {
  const all = truncated.models ?? models.length;
  const out = heading(`Data models (${all})`, s);
  if (models.length === 0) out.push(`  None found (looked for ${MODELS_LOOKED_FOR}).`);
  for (const m of models.slice(0, SHOWN)) {
    const also = (m.sources ?? []).filter((x) => x.file !== m.file || x.line !== m.line);
    const owner = m.owner ? ` [${m.owner}]` : '';
    out.push(`  ${pad(m.name, 28)}${pad(m.kind, 16)}${s('dim', `${m.file}:${m.line}${owner}${also.length ? ` (also: ${also.map((x) => `${x.file}:${x.line}`).join(', ')})` : ''}`)}`);
  }
  return [...out, ...more(all, Math.min(SHOWN, models.length))];
}

function schemasSection({ schemas }: ArchitectureFacts, s: Stylist): string[] {
  const out = heading('Schemas', s);
  if (schemas.length === 0) out.push('  None found (looked for OpenAPI/Swagger, GraphQL, Protocol Buffers and Prisma files).');
  for (const x of schemas) {
    const what = [x.kind === 'openapi' ? `OpenAPI ${x.version}` : x.kind === 'swagger' ? `Swagger ${x.version}` : x.kind, x.title ? `"${x.title}"` : '', x.count !== null ? `${x.count} ${x.countOf}` : '', x.detail ?? ''];
    out.push(`  ${pad(x.file, 32)}${what.filter(Boolean).join(' · ')}`);
  }
  return out;
}

function diagramSection({ diagram }: ArchitectureFacts, s: Stylist): string[] {
  return [...heading(`Diagram (Mermaid: ${plural(diagram.nodes, 'node')}, ${plural(diagram.edges, 'edge')})`, s), '```mermaid', diagram.mermaid.trimEnd(), '```'];
}

/** Nothing when there are no notes. */
function notesSection({ notes }: ArchitectureFacts, s: Stylist): string[] {
  if (notes.length === 0) return [];
  return [...heading('Notes', s), ...notes.slice(0, SHOWN).map((note) => `  - ${note}`), ...more(notes.length, SHOWN)];
}

const SECTIONS = [scanSection, stacksSection, languagesSection, directoriesSection, servicesSection, graphSection, operationsSection, routesSection, modelsSection, schemasSection, diagramSection, notesSection];

export function renderText(facts: ArchitectureFacts, s: Stylist): string {
  return `${SECTIONS.flatMap((section) => section(facts, s)).join('\n')}\n`;
}
