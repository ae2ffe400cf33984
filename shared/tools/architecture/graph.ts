// The service graph: what the repository runs (compose services, Kubernetes workloads and Services,
// Aspire resources), the stores and brokers among them, and the links the configuration states, each
// with the file and line that states it: depends_on and links, a Service's selector, an environment
// variable whose value is another service's address, an Aspire WithReference, a gRPC client.
// Environment values are never reported: only the variable's name.
import { posix } from 'node:path';
import type { AspireHost } from './aspire.js';
import { containersOf, describeSelector, groupKubernetes, isWorkloadKind, podLabels, selectorOf, selects, type KubernetesGroup } from './k8s-workloads.js';
import type { ComposeObject, KubernetesObject } from './services.js';
import { BROKERS_LOOKED_FOR, storeOfAspireCall, storeOfImage, storeOfScheme, type Store } from './stores.js';
import type { Evidence, Finding, GraphEdge, GraphNode, ServiceGraph, Stack } from './types.js';
import { isMap, type YamlValue } from './yaml-documents.js';

export interface GrpcCall {
  /** The proto service the code is a client (or a server) of. */
  service: string;
  role: 'client' | 'server';
  file: string;
  line: number;
}

export interface ProtoService {
  name: string;
  file: string;
  line: number;
}

export interface GraphInput {
  compose: readonly ComposeObject[];
  kubernetes: readonly KubernetesObject[];
  aspire: readonly AspireHost[];
  stacks: readonly Stack[];
  protoServices?: readonly ProtoService[];
  grpcCalls?: readonly GrpcCall[];
}

export interface Address {
  host: string;
  scheme: string | null;
  /** The first path segment of a URL (`postgres://db/app` -> app). */
  path: string | null;
}

const LOCAL = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', 'host.docker.internal']);

/**
 * The hosts an environment value names: `http://cart:7070`, `cart:7070`, `postgres://u:p@db/app`,
 * `kafka-0:9092,kafka-1:9092`; a bare `cart` only when the variable's name says it is a host.
 */
export function addressesIn(name: string, value: string): Address[] {
  if (value.includes('{{')) return [];
  // An interpolated password or user (`${POSTGRES_PASSWORD}`, `$(DB_USER)`) leaves the address readable; an interpolated host does not.
  const masked = value.replace(/\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_]\w*/g, '\u0001');
  const usable = (host: string | null | undefined): host is string => !!host && !host.includes('\u0001') && !LOCAL.has(host.toLowerCase()) && !/^\d+(\.\d+){3}$/.test(host);
  // An ADO.NET / Npgsql connection string: `Host=db;Port=5432;Database=app;Username=...`, `Server=sql,1433;Initial Catalog=app`.
  if (/(^|;)\s*(host|server|data source|address)\s*=/i.test(masked)) {
    const pairs = new Map(masked.split(';').map((p) => p.split('=')).filter((kv) => kv.length >= 2).map(([k, v]) => [k!.trim().toLowerCase(), v!.trim()]));
    const server = pairs.get('host') ?? pairs.get('server') ?? pairs.get('data source') ?? pairs.get('address');
    const host = server?.replace(/^tcp:/i, '').split(/[,:\\]/)[0];
    const database = pairs.get('database') ?? pairs.get('initial catalog') ?? null;
    return usable(host) ? [{ host: host.toLowerCase(), scheme: null, path: database && !database.includes('\u0001') ? database : null }] : [];
  }
  const out: Address[] = [];
  for (const raw of masked.split(/[,\s]+/).filter(Boolean)) {
    // JDBC and R2DBC URLs wrap an ordinary one: jdbc:postgresql://db:5432/app.
    const part = raw.replace(/^(jdbc|r2dbc):/i, '');
    const url = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#,]+)(?::\d+)?(?:\/([\w.-]+))?/i.exec(part);
    const hostPort = /^([A-Za-z0-9][A-Za-z0-9.-]*):(\d{2,5})(\/.*)?$/.exec(part);
    const bare = /(_HOST|_HOSTNAME|_SERVER|_SERVICE|_ADDR|_ADDRESS)$/i.test(name) && /^[A-Za-z][A-Za-z0-9.-]*$/.test(part) ? part : null;
    const host = url ? url[2]! : hostPort ? hostPort[1]! : bare;
    if (!usable(host)) continue;
    out.push({ host: host.toLowerCase(), scheme: url ? url[1]!.toLowerCase() : null, path: url?.[3] ?? null });
  }
  return out;
}

/** The names a host may stand for: itself, and `cart` for `cart.shop`, `cart.shop.svc` or `cart.shop.svc.cluster.local`. */
function hostNames(host: string): string[] {
  const labels = host.split('.');
  if (labels.length === 2 || /\.svc(\.cluster\.local)?$/.test(host)) return [host, labels[0]!];
  return [host];
}

/** name=value pairs of an environment: compose `environment:` (map or KEY=VALUE list), or Kubernetes `env:`. */
function environment(value: YamlValue | undefined): { name: string; value: string; key: string | number }[] {
  if (isMap(value)) return Object.entries(value).flatMap(([name, v]) => (typeof v === 'string' ? [{ name, value: v, key: name }] : []));
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, i) => {
    if (typeof item === 'string') {
      const eq = item.indexOf('=');
      return eq > 0 ? [{ name: item.slice(0, eq), value: item.slice(eq + 1), key: i }] : [];
    }
    if (isMap(item) && typeof item.name === 'string' && typeof item.value === 'string') return [{ name: item.name, value: item.value, key: i }];
    return [];
  });
}

class GraphBuilder {
  nodes = new Map<string, GraphNode>();
  edges: GraphEdge[] = [];
  findings: Finding[] = [];
  /** The directories whose code a node runs: a compose build context, an Aspire project's directory. */
  codeDirs = new Map<string, string>();
  private edgeKeys = new Set<string>();

  node(node: Omit<GraphNode, 'alsoIn'> & { alsoIn?: Evidence[] }): GraphNode {
    const existing = this.nodes.get(node.id);
    if (existing) return existing;
    const full: GraphNode = { ...node, alsoIn: node.alsoIn ?? [] };
    this.nodes.set(node.id, full);
    return full;
  }

  edge(edge: GraphEdge): void {
    if (edge.from === edge.to) return;
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.via}\u0000${edge.detail ?? ''}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push(edge);
  }

  /** A store reached at an address no service here declares (a managed database): a node of its own. */
  external(host: string, store: Store, at: Evidence): string {
    const id = `external:${host}`;
    this.node({ id, name: host, role: store.role, source: 'env', kind: 'address', technology: store.technology, file: at.file, line: at.line });
    return id;
  }
}

export interface ComposeGroup {
  /** The graph node id: `compose:<primary file>#<service>`. */
  id: string;
  name: string;
  /** The compose files of one directory (`compose.yml`, `compose.override.yml`, ...) that declare this service, the base file first. */
  objects: ComposeObject[];
}

const directoryOf = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.');
const isBaseCompose = (file: string) => /(^|\/)(docker-)?compose\.ya?ml$/.test(file);

/**
 * Compose services grouped: the files of one directory are merged by docker compose (the base file,
 * its override, a `-f compose.prod.yml`), so a service they all declare is one service, with each
 * declaration's place.
 */
export function composeGroups(services: readonly ComposeObject[]): ComposeGroup[] {
  const ordered = [...services].sort((a, b) => Number(isBaseCompose(b.file)) - Number(isBaseCompose(a.file)));
  const groups = new Map<string, ComposeGroup>();
  for (const s of ordered) {
    const key = `${directoryOf(s.file)}\u0000${s.name}`;
    const group = groups.get(key);
    if (group) group.objects.push(s);
    else groups.set(key, { id: `compose:${s.file}#${s.name}`, name: s.name, objects: [s] });
  }
  // In the order the files declare them.
  return [...groups.values()].sort((a, b) => services.indexOf(a.objects[0]!) - services.indexOf(b.objects[0]!));
}

function addCompose(graph: GraphBuilder, services: readonly ComposeObject[]): void {
  const groups = composeGroups(services);
  const byDirectory = new Map<string, ComposeGroup[]>();
  for (const g of groups) {
    const dir = directoryOf(g.objects[0]!.file);
    byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), g]);
  }
  for (const list of byDirectory.values()) {
    // A compose service is reachable under its name, its container_name and its network aliases.
    const reach = new Map<string, string>();
    const byName = new Map(list.map((g) => [g.name, g.id]));
    for (const g of list) {
      const [first, ...rest] = g.objects;
      const image = g.objects.map((s) => (typeof s.body.image === 'string' ? s.body.image : null)).find(Boolean) ?? null;
      const store = storeOfImage(image);
      graph.node({ id: g.id, name: g.name, role: store?.role ?? 'service', source: 'compose', kind: 'compose service', technology: store?.technology ?? null, file: first!.file, line: first!.lineAt([]), alsoIn: rest.map((s) => ({ file: s.file, line: s.lineAt([]) })) });
      reach.set(g.name.toLowerCase(), g.id);
      for (const s of g.objects) {
        const build = typeof s.body.build === 'string' ? s.body.build : isMap(s.body.build) ? (typeof s.body.build.context === 'string' ? s.body.build.context : '.') : null;
        const context = build && !/^[a-z]+:\/\//i.test(build) ? posix.normalize(posix.join(directoryOf(s.file), build)) : null;
        if (context && context !== '.' && !context.startsWith('..')) graph.codeDirs.set(context, g.id);
        if (typeof s.body.container_name === 'string') reach.set(s.body.container_name.toLowerCase(), g.id);
        const nets = s.body.networks;
        if (isMap(nets)) for (const cfg of Object.values(nets)) if (isMap(cfg) && Array.isArray(cfg.aliases)) for (const alias of cfg.aliases) if (typeof alias === 'string') reach.set(alias.toLowerCase(), g.id);
      }
    }
    const networkMembers = new Map<string, { names: string[]; evidence: Evidence[] }>();
    for (const g of list) {
      const from = g.id;
      const joined = new Set<string>();
      for (const s of g.objects) {
        const file = s.file;
        const deps = s.body.depends_on;
        const depNames = Array.isArray(deps) ? deps.map((d, i) => [d, i] as const) : isMap(deps) ? Object.keys(deps).map((d) => [d, d] as const) : [];
        for (const [dep, key] of depNames) {
          const to = typeof dep === 'string' ? byName.get(dep) : undefined;
          if (to) graph.edge({ from, to, via: 'depends_on', detail: null, database: null, file, line: s.lineAt(['depends_on', key]) });
        }
        if (Array.isArray(s.body.links)) {
          s.body.links.forEach((link, i) => {
            const to = typeof link === 'string' ? byName.get(link.split(':')[0]!) : undefined;
            if (to) graph.edge({ from, to, via: 'links', detail: null, database: null, file, line: s.lineAt(['links', i]) });
          });
        }
        for (const env of environment(s.body.environment)) {
          for (const address of addressesIn(env.name, env.value)) {
            const to = hostNames(address.host).map((h) => reach.get(h)).find(Boolean);
            const at = { file, line: s.lineAt(['environment', env.key]) };
            const store = address.scheme ? storeOfScheme(address.scheme) : undefined;
            const database = address.scheme === null || store?.role === 'database' ? address.path : null;
            if (to) graph.edge({ from, to, via: 'env', detail: env.name, database, ...at });
            else if (store) graph.edge({ from, to: graph.external(address.host, store, at), via: 'env', detail: env.name, database, ...at });
          }
        }
        const networks = Array.isArray(s.body.networks) ? s.body.networks.filter((n): n is string => typeof n === 'string') : isMap(s.body.networks) ? Object.keys(s.body.networks) : [];
        for (const n of networks) {
          if (joined.has(n)) continue;
          joined.add(n);
          const entry = networkMembers.get(n) ?? { names: [], evidence: [] };
          entry.names.push(g.name);
          entry.evidence.push({ file, line: s.lineAt(['networks']) });
          networkMembers.set(n, entry);
        }
      }
    }
    const where = [...new Set(list.flatMap((g) => g.objects.map((s) => s.file)))].join(', ');
    for (const [network, { names, evidence }] of networkMembers) {
      if (names.length < 2) continue;
      graph.findings.push({ kind: 'network', text: `compose network ${network} (${where}) joins ${names.length} services: ${names.join(', ')}`, evidence });
    }
  }
}

const evidenceOf = (o: KubernetesObject): Evidence => ({ file: o.resource.file, line: o.resource.line });

function addKubernetes(graph: GraphBuilder, objects: readonly KubernetesObject[]): void {
  const groups = groupKubernetes(objects);
  const workloads = groups.filter((g) => isWorkloadKind(g.kind));
  const services = groups.filter((g) => g.kind === 'Service');
  const id = (g: KubernetesGroup) => `k8s:${g.kind}/${g.name}`;
  const reach = new Map<string, string>();
  for (const g of workloads) {
    const images = g.objects.flatMap((o) => containersOf(o).filter((c) => !c.init).map((c) => (typeof c.body.image === 'string' ? c.body.image : null)));
    const store = images.map(storeOfImage).find(Boolean);
    const [first, ...rest] = g.objects;
    graph.node({ id: id(g), name: g.name, role: store?.role ?? 'service', source: 'kubernetes', kind: g.kind, technology: store?.technology ?? null, ...evidenceOf(first!), alsoIn: rest.map(evidenceOf) });
    if (!reach.has(g.name.toLowerCase())) reach.set(g.name.toLowerCase(), id(g));
  }
  for (const g of services) {
    const [first, ...rest] = g.objects;
    const selected = new Set<string>();
    // The role of a Service is that of what it selects (a Service in front of a Redis is how the Redis is reached).
    for (const o of g.objects) {
      const spec = isMap(o.value.spec) ? o.value.spec : {};
      const selector = selectorOf(spec.selector);
      for (const w of workloads) {
        if (w.objects.some((wo) => selects(selector, podLabels(wo)))) {
          selected.add(id(w));
          graph.edge({ from: id(g), to: id(w), via: 'selector', detail: describeSelector(selector), database: null, file: o.resource.file, line: o.lineAt(['spec', 'selector']) });
        }
      }
    }
    const targets = [...selected].map((t) => graph.nodes.get(t)!);
    const store = targets.length && targets.every((t) => t.role !== 'service') ? targets[0] : undefined;
    graph.node({ id: id(g), name: g.name, role: store?.role ?? 'service', source: 'kubernetes', kind: 'Service', technology: store?.technology ?? null, ...evidenceOf(first!), alsoIn: rest.map(evidenceOf) });
    reach.set(g.name.toLowerCase(), id(g));
  }
  // ConfigMaps: an address in a ConfigMap that a container reads (envFrom, or valueFrom.configMapKeyRef) is stated there.
  const configMaps = new Map<string, KubernetesObject[]>();
  for (const o of objects) {
    if (o.resource.kind === 'ConfigMap' && o.resource.name && isMap(o.value.data)) configMaps.set(o.resource.name, [...(configMaps.get(o.resource.name) ?? []), o]);
  }
  const fromConfigMap = (name: string, key: string): { value: string; at: Evidence & { line: number } } | null => {
    for (const cm of configMaps.get(name) ?? []) {
      const value = isMap(cm.value.data) ? cm.value.data[key] : undefined;
      if (typeof value === 'string') return { value, at: { file: cm.resource.file, line: cm.lineAt(['data', key]) } };
    }
    return null;
  };
  for (const g of workloads) {
    const link = (env: string, value: string, at: { file: string; line: number }, detail: string) => {
      for (const address of addressesIn(env, value)) {
        const to = hostNames(address.host).map((h) => reach.get(h)).find(Boolean);
        const store = address.scheme ? storeOfScheme(address.scheme) : undefined;
        const database = address.scheme === null || store?.role === 'database' ? address.path : null;
        if (to) graph.edge({ from: id(g), to, via: 'env', detail, database, ...at });
        else if (store) graph.edge({ from: id(g), to: graph.external(address.host, store, at), via: 'env', detail, database, ...at });
      }
    };
    for (const o of g.objects) {
      for (const c of containersOf(o)) {
        for (const env of environment(c.body.env)) link(env.name, env.value, { file: o.resource.file, line: o.lineAt([...c.path, 'env', env.key]) }, env.name);
        for (const item of Array.isArray(c.body.env) ? c.body.env : []) {
          if (!isMap(item) || typeof item.name !== 'string') continue;
          const ref = isMap(item.valueFrom) && isMap(item.valueFrom.configMapKeyRef) ? item.valueFrom.configMapKeyRef : null;
          if (!ref || typeof ref.name !== 'string' || typeof ref.key !== 'string') continue;
          const found = fromConfigMap(ref.name, ref.key);
          if (found) link(item.name, found.value, found.at, `${item.name} (ConfigMap ${ref.name})`);
        }
        for (const item of Array.isArray(c.body.envFrom) ? c.body.envFrom : []) {
          const name = isMap(item) && isMap(item.configMapRef) && typeof item.configMapRef.name === 'string' ? item.configMapRef.name : null;
          const cm = name ? configMaps.get(name)?.[0] : undefined;
          if (!name || !cm || !isMap(cm.value.data)) continue;
          for (const [key, value] of Object.entries(cm.value.data)) if (typeof value === 'string') link(key, value, { file: cm.resource.file, line: cm.lineAt(['data', key]) }, `${key} (ConfigMap ${name})`);
        }
      }
    }
  }
}

function addAspire(graph: GraphBuilder, hosts: readonly AspireHost[], stacks: readonly Stack[]): void {
  // `AddProject<Projects.Basket_API>` names the project Basket.API: its .csproj's directory is the node's code.
  const projects = new Map<string, string>();
  for (const s of stacks) {
    const m = /(?:^|\/)([^/]+)\.(?:cs|fs|vb)proj$/.exec(s.manifest);
    if (m) projects.set(m[1]!.replace(/[^A-Za-z0-9]/g, '_'), posix.dirname(s.manifest));
  }
  for (const host of hosts) {
    const id = (name: string) => `aspire:${host.file}#${name}`;
    for (const r of host.resources) {
      const store = storeOfAspireCall(r.call) ?? (r.call === 'AddContainer' ? storeOfImage(r.detail) : undefined);
      const project = r.call === 'AddProject' && r.detail ? projects.get(r.detail.replace(/^(global::)?Projects\./, '')) : undefined;
      if (project && project !== '.') graph.codeDirs.set(project, id(r.name));
      graph.node({ id: id(r.name), name: r.name, role: store?.role ?? 'service', source: 'aspire', kind: r.detail ? `${r.call} ${r.detail}` : r.call, technology: store?.technology ?? null, file: host.file, line: r.line });
    }
    for (const ref of host.references) {
      const target = host.variables.get(ref.target);
      if (target) graph.edge({ from: id(ref.from.name), to: id(target.name), via: 'reference', detail: `WithReference(${ref.target})`, database: host.databases.get(ref.target) ?? null, file: host.file, line: ref.line });
    }
  }
}

/** gRPC: code that is a client of a proto service, linked to the node whose code serves it, where both are known. */
function addGrpc(graph: GraphBuilder, protos: readonly ProtoService[], calls: readonly GrpcCall[]): void {
  if (!protos.length || !calls.length) return;
  const known = new Set(protos.map((p) => p.name));
  // A source file belongs to the service node whose name is one of its directories (src/cartservice/...).
  const services = [...graph.nodes.values()].filter((n) => n.role === 'service' && n.kind !== 'Service');
  // Or to the node whose code directory (a compose build context, an Aspire project) holds it, the deepest first.
  const codeDirs = [...graph.codeDirs].sort((a, b) => b[0].length - a[0].length);
  const owner = (file: string) => {
    const built = codeDirs.find(([dir]) => file.startsWith(`${dir}/`));
    if (built) return graph.nodes.get(built[1]);
    const dirs = file.toLowerCase().split('/').slice(0, -1);
    return services.find((n) => dirs.includes(n.name.toLowerCase()));
  };
  const servers = new Map<string, GraphNode>();
  for (const call of calls) {
    if (call.role !== 'server' || !known.has(call.service)) continue;
    const node = owner(call.file);
    if (node && !servers.has(call.service)) servers.set(call.service, node);
  }
  for (const call of calls) {
    if (call.role !== 'client' || !known.has(call.service)) continue;
    const from = owner(call.file);
    const to = servers.get(call.service);
    if (from && to) graph.edge({ from: from.id, to: to.id, via: 'grpc', detail: call.service, database: null, file: call.file, line: call.line });
  }
}

const unique = (list: Evidence[]): Evidence[] => list.filter((e, i) => list.findIndex((x) => x.file === e.file && x.line === e.line) === i);

const ROLE_WORDS: Record<string, string> = { database: 'database', cache: 'cache', broker: 'message broker', search: 'search engine' };

/** Which services use each store (directly, or through the Kubernetes Service in front of it), and whether there is a broker. */
function storeFindings(graph: GraphBuilder, stacks: readonly Stack[]): void {
  const nodes = [...graph.nodes.values()];
  const behind = new Map<string, string>(); // Service id -> the store it selects
  for (const e of graph.edges) if (e.via === 'selector' && graph.nodes.get(e.to)?.role !== 'service') behind.set(e.from, e.to);
  const users = new Map<string, Map<string, GraphEdge[]>>();
  for (const e of graph.edges) {
    if (e.via === 'selector') continue;
    const store = graph.nodes.get(e.to)?.role !== 'service' && graph.nodes.get(e.to)?.kind !== 'Service' ? e.to : behind.get(e.to);
    const from = graph.nodes.get(e.from);
    if (!store || !from || from.role !== 'service' || from.kind === 'Service') continue;
    if (!users.has(store)) users.set(store, new Map());
    const byUser = users.get(store)!;
    byUser.set(e.from, [...(byUser.get(e.from) ?? []), e]);
  }
  for (const store of nodes.filter((n) => n.role !== 'service' && !(n.kind === 'Service' && behind.has(n.id)))) {
    const used = users.get(store.id) ?? new Map<string, GraphEdge[]>();
    const count = used.size;
    const names = [...used.keys()].map((id) => graph.nodes.get(id)!.name);
    const what = `${store.technology ?? 'store'} ${ROLE_WORDS[store.role]} ${store.name}`;
    const evidence = unique([{ file: store.file, line: store.line }, ...[...used.values()].map((edges) => ({ file: edges[0]!.file, line: edges[0]!.line }))]);
    if (count >= 2) {
      // Which database each user names on this server: separate databases on one server are not one shared database.
      const databases = new Map<string, string[]>();
      for (const [id, edges] of used) {
        for (const db of new Set(edges.map((e) => e.database).filter((d): d is string => d !== null))) databases.set(db, [...(databases.get(db) ?? []), graph.nodes.get(id)!.name]);
      }
      const named = [...used.values()].every((edges) => edges.some((e) => e.database !== null));
      const shared = [...databases].filter(([, list]) => list.length > 1);
      const list = [...databases].map(([db, who]) => `${db} (${who.join(', ')})`).join(', ');
      if (named && shared.length === 0) {
        graph.findings.push({ kind: 'shared-server', text: `${what} is used by ${count} services, each through its own database: ${list}`, evidence });
      } else {
        const detail = shared.length ? `; the same database ${shared.map(([db, who]) => `${db} is used by ${who.join(', ')}`).join('; ')}` : databases.size ? `; databases named: ${list}` : '';
        graph.findings.push({ kind: store.role === 'broker' ? 'broker-users' : 'shared-store', text: `${what} is used by ${count} services: ${names.join(', ')}${detail}`, evidence });
      }
    } else if (count === 1) graph.findings.push({ kind: 'store', text: `${what} is used by 1 service: ${names[0]}`, evidence });
    else graph.findings.push({ kind: 'store', text: `${what}: no service here is linked to it`, evidence });
  }
  const services = nodes.filter((n) => n.role === 'service' && n.kind !== 'Service');
  const brokers = nodes.filter((n) => n.role === 'broker');
  if (brokers.length) {
    graph.findings.push({ kind: 'brokers', text: `message broker(s): ${brokers.map((b) => `${b.technology} ${b.name}`).join(', ')}`, evidence: brokers.map((b) => ({ file: b.file, line: b.line })) });
  } else if (services.length) {
    const clients = stacks.filter((s) => s.frameworks.some((f) => /Kafka|RabbitMQ|NATS|Celery|AMQP|Pulsar|MQTT/i.test(f)));
    const text = `no message broker among ${services.length} service(s) (looked for ${BROKERS_LOOKED_FOR})`;
    graph.findings.push({
      kind: 'no-broker',
      text: clients.length ? `${text}; yet ${clients.map((c) => `${c.manifest} declares ${c.frameworks.filter((f) => /Kafka|RabbitMQ|NATS|Celery|AMQP|Pulsar|MQTT/i.test(f)).join(', ')}`).join('; ')}` : text,
      evidence: clients.map((c) => ({ file: c.manifest, line: null })),
    });
  }
}

export function buildGraph(input: GraphInput): ServiceGraph {
  const graph = new GraphBuilder();
  addCompose(graph, input.compose);
  addKubernetes(graph, input.kubernetes);
  addAspire(graph, input.aspire, input.stacks);
  addGrpc(graph, input.protoServices ?? [], input.grpcCalls ?? []);
  storeFindings(graph, input.stacks);
  return { nodes: [...graph.nodes.values()], edges: graph.edges, findings: graph.findings };
}
