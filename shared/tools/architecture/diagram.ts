// The Mermaid flowchart of the components: the top-level modules, compose services (built from the
// modules their build context names), Kubernetes workloads and Services (one node per workload however
// many copies base, overlays and Helm hold), Aspire resources, stores reached by address, Procfile
// processes; and the edges of the service graph, labelled with what states them (depends on, the
// environment variable, selects, reference, gRPC). Every node and edge comes from a fact in the report;
// nothing is inferred. Where a group is cut, a node says how many nodes and edges were left out.
import { posix } from 'node:path';
import type { TopModule } from './directories.js';
import type { Diagram, GraphEdge, GraphNode, ServiceGraph, Services } from './types.js';

const MAX_MODULES = 30;
const MAX_NODES_PER_GROUP = 40;

/** Mermaid node ids: letters, digits and underscores. */
function id(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** A quoted Mermaid label; quotes and angle brackets as entities so that no label breaks the syntax. */
function label(...lines: string[]): string {
  const escape = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  return `"${lines.filter((l) => l !== '').map(escape).join('<br/>')}"`;
}

const SHAPES: Record<GraphNode['role'], [string, string]> = { service: ['[', ']'], database: ['[(', ')]'], cache: ['[(', ')]'], search: ['[(', ')]'], broker: ['{{', '}}'] };

function edgeLabel(e: GraphEdge): string {
  if (e.via === 'depends_on') return 'depends on';
  if (e.via === 'env') return e.detail ?? 'env';
  if (e.via === 'selector') return 'selects';
  if (e.via === 'grpc') return `gRPC ${e.detail ?? ''}`.trim();
  return e.via;
}

/** Images without digests, at most 60 characters. */
function shortImages(list: readonly string[]): string {
  const text = list.map((i) => i.replace(/@sha256:[0-9a-f]+$/, '')).join(', ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

const EMPTY_GRAPH: ServiceGraph = { nodes: [], edges: [], findings: [] };

export function buildDiagram(services: Services, modules: readonly TopModule[], graph: ServiceGraph = EMPTY_GRAPH): Diagram {
  const out = ['flowchart LR'];
  const ids = new Set<string>();
  const node = (nodeId: string, text: string, indent = '    ', [open, close]: [string, string] = ['[', ']']) => {
    let unique = nodeId;
    for (let n = 2; ids.has(unique); n += 1) unique = `${nodeId}_${n}`;
    ids.add(unique);
    out.push(`${indent}${unique}${open}${text}${close}`);
    return unique;
  };
  const roleOf = new Map(graph.nodes.map((n) => [n.id, n]));
  /** Graph node id -> Mermaid id, for the nodes drawn. */
  const drawn = new Map<string, string>();
  const left: { nodes: number; edges: number }[] = [];
  const leftOut = (prefix: string, count: number) => {
    const entry = { nodes: count, edges: 0 };
    left.push(entry);
    return { entry, id: node(`${prefix}_more`, label(`${count} more not shown`)) };
  };
  const cut = new Map<string, { nodes: number; edges: number }>();

  const moduleIds = new Map<string, string>();
  const shown = modules.slice(0, MAX_MODULES);
  if (shown.length) {
    out.push('  subgraph modules["Top-level modules"]');
    for (const m of shown) {
      const name = m.name === '.' ? '(root files)' : `${m.name}/`;
      moduleIds.set(m.name, node(id('mod', m.name === '.' ? 'root' : m.name), label(name, `${m.sourceFiles} source file(s): ${m.language}${m.mixed ? ' and others' : ''}`)));
    }
    if (modules.length > shown.length) node('mod_more', label(`${modules.length - shown.length} more module(s) not shown`));
    out.push('  end');
  }

  const builtFrom: string[] = [];
  // A service that several compose files of one directory declare (base, override) is drawn once, in the first file's group.
  const composeIds = new Map<string, string>();
  for (const n of graph.nodes) {
    if (n.source !== 'compose') continue;
    for (const place of [n, ...n.alsoIn]) composeIds.set(`${place.file}#${n.name}`, n.id);
  }
  services.compose.forEach((compose, index) => {
    const own = compose.services.filter((service) => (composeIds.get(`${compose.file}#${service.name}`) ?? `compose:${compose.file}#${service.name}`) === `compose:${compose.file}#${service.name}`);
    if (own.length === 0 && compose.services.length > 0) return;
    const merged = [...new Set(compose.services.flatMap((service) => roleOf.get(`compose:${compose.file}#${service.name}`)?.alsoIn.map((e) => e.file) ?? []))];
    out.push(`  subgraph compose_${index}[${label(merged.length ? `${compose.file} (+ ${merged.join(', ')})` : compose.file)}]`);
    for (const service of own.slice(0, MAX_NODES_PER_GROUP)) {
      const detail = service.image ? `image: ${service.image}` : service.build ? `build: ${service.build}` : '';
      const graphId = `compose:${compose.file}#${service.name}`;
      const shape = SHAPES[roleOf.get(graphId)?.role ?? 'service'];
      const mermaidId = node(id(`svc${index}`, service.name), label(service.name, detail, service.ports.length ? `ports: ${service.ports.join(', ')}` : ''), '    ', shape);
      drawn.set(graphId, mermaidId);
      if (service.build) {
        // The build context, relative to the compose file, names a top-level module: built from it.
        const context = posix.normalize(posix.join(posix.dirname(compose.file), service.build));
        const top = context === '.' ? '.' : context.split('/')[0]!;
        const module = moduleIds.get(top);
        if (module && !context.startsWith('..')) builtFrom.push(`  ${mermaidId} -.->|built from| ${module}`);
      }
    }
    const more = own.length - MAX_NODES_PER_GROUP;
    if (more > 0) {
      const { entry } = leftOut(`compose_${index}`, more);
      for (const s of own.slice(MAX_NODES_PER_GROUP)) cut.set(`compose:${compose.file}#${s.name}`, entry);
    }
    out.push('  end');
  });

  // Kubernetes: workloads, then the Services; a Service that selects exactly one workload of its own name is drawn as part of it.
  const k8s = graph.nodes.filter((n) => n.source === 'kubernetes');
  const selectorTargets = new Map<string, string[]>();
  for (const e of graph.edges) if (e.via === 'selector') selectorTargets.set(e.from, [...(selectorTargets.get(e.from) ?? []), e.to]);
  const merged = new Map<string, string>();
  for (const n of k8s.filter((x) => x.kind === 'Service')) {
    const targets = selectorTargets.get(n.id) ?? [];
    if (targets.length === 1 && roleOf.get(targets[0]!)?.name === n.name) merged.set(n.id, targets[0]!);
  }
  const images = new Map<string, string[]>();
  for (const r of services.kubernetes) if (r.images.length && !images.has(`k8s:${r.kind}/${r.name}`)) images.set(`k8s:${r.kind}/${r.name}`, r.images);
  const ownGroups: [string, string, GraphNode[], (n: GraphNode) => string[]][] = [
    [
      'kubernetes',
      'Kubernetes manifests',
      k8s.filter((n) => !merged.has(n.id)),
      (n) => [
        `${n.kind} ${n.name}${[...merged.values()].includes(n.id) ? ' + Service' : ''}`,
        shortImages(images.get(n.id) ?? []),
        n.alsoIn.length ? `${n.alsoIn.length + 1} copies` : '',
      ],
    ],
    ...[...new Set(graph.nodes.filter((n) => n.source === 'aspire').map((n) => n.file))].map(
      (file, i): [string, string, GraphNode[], (n: GraphNode) => string[]] => [`aspire_${i}`, `Aspire app host ${file}`, graph.nodes.filter((n) => n.source === 'aspire' && n.file === file), (n) => [n.name, n.kind]],
    ),
    ['external', 'Reached by address', graph.nodes.filter((n) => n.source === 'env'), (n) => [n.name, n.technology ?? '']],
  ];
  for (const [groupId, title, nodes, lines] of ownGroups) {
    if (!nodes.length) continue;
    out.push(`  subgraph ${groupId}[${label(title)}]`);
    for (const n of nodes.slice(0, MAX_NODES_PER_GROUP)) drawn.set(n.id, node(id(groupId === 'kubernetes' ? 'k8s' : groupId, groupId === 'kubernetes' ? `${n.kind}_${n.name}` : n.name), label(...lines(n)), '    ', SHAPES[n.role]));
    if (nodes.length > MAX_NODES_PER_GROUP) {
      const { entry } = leftOut(groupId, nodes.length - MAX_NODES_PER_GROUP);
      for (const n of nodes.slice(MAX_NODES_PER_GROUP)) cut.set(n.id, entry);
    }
    out.push('  end');
  }
  for (const [svc, workload] of merged) if (drawn.has(workload)) drawn.set(svc, drawn.get(workload)!);

  if (services.procfile.length) {
    out.push('  subgraph procfile["Procfile processes"]');
    for (const p of services.procfile.slice(0, MAX_NODES_PER_GROUP)) node(id('proc', p.name), label(p.name, p.command.length > 40 ? `${p.command.slice(0, 39)}…` : p.command));
    if (services.procfile.length > MAX_NODES_PER_GROUP) leftOut('procfile', services.procfile.length - MAX_NODES_PER_GROUP);
    out.push('  end');
  }

  // One arrow per pair of nodes, its label listing what links them.
  const arrows = new Map<string, { from: string; to: string; labels: string[]; dashed: boolean }>();
  for (const e of graph.edges) {
    const from = drawn.get(e.from);
    const to = drawn.get(e.to);
    if (!from || !to) {
      const entry = cut.get(e.from) ?? cut.get(e.to);
      if (entry) entry.edges += 1;
      continue;
    }
    if (from === to) continue;
    const key = `${from} ${to}`;
    const arrow = arrows.get(key) ?? { from, to, labels: [], dashed: e.via === 'selector' };
    const text = edgeLabel(e);
    if (!arrow.labels.includes(text)) arrow.labels.push(text);
    arrows.set(key, arrow);
  }
  let edges = 0;
  for (const a of arrows.values()) {
    const text = a.labels.length > 3 ? `${a.labels.slice(0, 3).join(', ')} +${a.labels.length - 3}` : a.labels.join(', ');
    out.push(`  ${a.from} ${a.dashed ? '-.->' : '-->'}|${/^[\w ,.+=-]+$/.test(text) ? text : label(text)}| ${a.to}`);
    edges += 1;
  }
  for (const edge of builtFrom) {
    out.push(edge);
    edges += 1;
  }
  for (const entry of left) if (entry.edges) out.push(`  %% ${entry.edges} edge(s) to the ${entry.nodes} node(s) not shown are not drawn`);
  if (ids.size === 0) {
    out.push(`  empty[${label('no services or source modules found')}]`);
    ids.add('empty');
  }
  return { mermaid: `${out.join('\n')}\n`, nodes: ids.size, edges };
}
