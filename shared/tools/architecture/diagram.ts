// The Mermaid flowchart of the components: compose services with their depends_on edges and the
// top-level modules they are built from, Kubernetes workloads, Procfile processes, and the top-level
// modules. Every node and edge comes from a fact in the report; nothing is inferred.
import { posix } from 'node:path';
import type { TopModule } from './directories.js';
import type { Diagram, Services } from './types.js';

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

export function buildDiagram(services: Services, modules: readonly TopModule[]): Diagram {
  const out = ['flowchart LR'];
  const ids = new Set<string>();
  let edges = 0;
  const node = (nodeId: string, text: string, indent = '    ') => {
    let unique = nodeId;
    for (let n = 2; ids.has(unique); n += 1) unique = `${nodeId}_${n}`;
    ids.add(unique);
    out.push(`${indent}${unique}[${text}]`);
    return unique;
  };

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

  const pendingEdges: string[] = [];
  services.compose.forEach((compose, index) => {
    out.push(`  subgraph compose_${index}[${label(compose.file)}]`);
    const serviceIds = new Map<string, string>();
    for (const service of compose.services.slice(0, MAX_NODES_PER_GROUP)) {
      const detail = service.image ? `image: ${service.image}` : service.build ? `build: ${service.build}` : '';
      serviceIds.set(service.name, node(id(`svc${index}`, service.name), label(service.name, detail, service.ports.length ? `ports: ${service.ports.join(', ')}` : '')));
    }
    out.push('  end');
    for (const service of compose.services) {
      const from = serviceIds.get(service.name);
      if (!from) continue;
      for (const dependency of service.dependsOn) {
        const to = serviceIds.get(dependency);
        if (to) pendingEdges.push(`  ${from} -->|depends on| ${to}`);
      }
      if (service.build) {
        // The build context, relative to the compose file, names a top-level module: built from it.
        const context = posix.normalize(posix.join(posix.dirname(compose.file), service.build));
        const top = context === '.' ? '.' : context.split('/')[0]!;
        const module = moduleIds.get(top);
        if (module && !context.startsWith('..')) pendingEdges.push(`  ${from} -.->|built from| ${module}`);
      }
    }
  });

  const workloads = services.kubernetes.filter((r) => r.kind !== 'Service' && r.kind !== 'ConfigMap' && r.kind !== 'Secret' && r.kind !== 'Namespace');
  const k8sServices = services.kubernetes.filter((r) => r.kind === 'Service');
  if (workloads.length || k8sServices.length) {
    out.push('  subgraph kubernetes["Kubernetes manifests"]');
    for (const r of [...workloads, ...k8sServices].slice(0, MAX_NODES_PER_GROUP)) {
      node(id('k8s', `${r.kind}_${r.name ?? 'unnamed'}`), label(`${r.kind} ${r.name ?? '(no name)'}`, r.images.length ? r.images.join(', ') : ''));
    }
    out.push('  end');
  }

  if (services.procfile.length) {
    out.push('  subgraph procfile["Procfile processes"]');
    for (const p of services.procfile.slice(0, MAX_NODES_PER_GROUP)) node(id('proc', p.name), label(p.name, p.command.length > 40 ? `${p.command.slice(0, 39)}…` : p.command));
    out.push('  end');
  }

  for (const edge of pendingEdges) {
    out.push(edge);
    edges += 1;
  }
  if (ids.size === 0) {
    out.push(`  empty[${label('no services or source modules found')}]`);
    ids.add('empty');
  }
  return { mermaid: `${out.join('\n')}\n`, nodes: ids.size, edges };
}
