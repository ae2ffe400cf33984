// Services: docker-compose files, Kubernetes manifests and Procfiles.
import { basename } from 'node:path';
import { isMap, readYaml, type YamlDocument, type YamlMap, type YamlValue } from './yaml-documents.js';
import type { ComposeFile, ComposeService, KubernetesResource, ProcfileProcess } from './types.js';

export function isComposeFile(path: string): boolean {
  return /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(basename(path));
}

export function isProcfile(path: string): boolean {
  return /^Procfile(\.[\w-]+)?$/.test(basename(path));
}

/** A YAML file worth parsing for Kubernetes resources: it names both apiVersion and kind. */
export function mayHoldKubernetes(path: string, text: string): boolean {
  return /\.ya?ml$/.test(path) && !isComposeFile(path) && /^\s*apiVersion:/m.test(text) && /^\s*kind:/m.test(text);
}

export const isTemplate = (source: string): boolean => source.includes('{{');

const text = (value: YamlValue | undefined): string | null => (typeof value === 'string' ? value : null);

function ports(value: YamlValue | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((port) => {
    if (typeof port === 'string') return [port];
    if (isMap(port)) {
      const target = text(port.target);
      const published = text(port.published);
      if (!target) return [];
      return [`${published ? `${published}:` : ''}${target}${text(port.protocol) && port.protocol !== 'tcp' ? `/${text(port.protocol)}` : ''}`];
    }
    return [];
  });
}

function dependsOn(value: YamlValue | undefined): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (isMap(value)) return Object.keys(value);
  return [];
}

function build(value: YamlValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (isMap(value)) return text(value.context) ?? '.';
  return null;
}

/** A compose service as written, for the service graph and the operational facts. */
export interface ComposeObject {
  file: string;
  name: string;
  body: YamlMap;
  /** The line of a key under this service (`['environment', 'DB_URL']`), else the service's own line. */
  lineAt(path: readonly (string | number)[]): number;
  /** Top-level `networks:` of the file. */
  networks: string[];
}

export function readCompose(file: string, source: string, objects: ComposeObject[] = []): { compose: ComposeFile | null; warnings: string[] } {
  const documents = readYaml(source);
  const root = documents[0]?.value;
  const services = isMap(root) ? root.services : undefined;
  if (!isMap(services)) return { compose: null, warnings: ['no services: mapping found'] };
  const lines = documents[0]!.keyLines(['services']);
  const doc = documents[0]!;
  const networks = isMap(root) && isMap(root.networks) ? Object.keys(root.networks) : [];
  const list: ComposeService[] = Object.entries(services).map(([name, body]) => {
    const service: YamlMap = isMap(body) ? body : {};
    const own = lines.get(name) ?? doc.line;
    objects.push({ file, name, body: service, networks, lineAt: (path) => doc.lineAt(['services', name, ...path]) ?? own });
    return {
      name,
      line: lines.get(name) ?? null,
      image: text(service.image),
      build: build(service.build),
      ports: ports(service.ports),
      dependsOn: dependsOn(service.depends_on),
    };
  });
  return { compose: { file, services: list }, warnings: [] };
}

export const WORKLOADS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

export function podSpec(kind: string, spec: YamlValue | undefined): YamlMap | undefined {
  if (!isMap(spec)) return undefined;
  if (kind === 'Pod') return spec;
  if (kind === 'CronJob') {
    const job = isMap(spec.jobTemplate) ? spec.jobTemplate.spec : undefined;
    return isMap(job) && isMap(job.template) && isMap(job.template.spec) ? job.template.spec : undefined;
  }
  return isMap(spec.template) && isMap(spec.template.spec) ? spec.template.spec : undefined;
}

function images(pod: YamlMap | undefined): string[] {
  if (!pod) return [];
  return ['initContainers', 'containers'].flatMap((key) => {
    const list = pod[key];
    return Array.isArray(list) ? list.flatMap((c) => (isMap(c) && typeof c.image === 'string' ? [c.image] : [])) : [];
  });
}

/** A Kubernetes object as written, for the service graph and the operational facts. */
export interface KubernetesObject {
  resource: KubernetesResource;
  value: YamlMap;
  /** The line of a key in this object (`['spec', 'replicas']`), else the object's first line. */
  lineAt(path: readonly (string | number)[]): number;
  /** True when the file holds template syntax (`{{ }}`). */
  template: boolean;
}

function resources(file: string, value: YamlValue, line: number, out: KubernetesResource[], objects?: KubernetesObject[], doc?: YamlDocument, prefix: (string | number)[] = [], template = false): void {
  if (!isMap(value)) return;
  const kind = text(value.kind);
  const apiVersion = text(value.apiVersion);
  if (!kind || !apiVersion) return;
  if (kind === 'List' && Array.isArray(value.items)) {
    value.items.forEach((item, i) => resources(file, item, line, out, objects, doc, [...prefix, 'items', i], template));
    return;
  }
  const metadata = isMap(value.metadata) ? value.metadata : {};
  const resource: KubernetesResource = {
    file,
    line,
    apiVersion,
    kind,
    name: text(metadata.name),
    namespace: text(metadata.namespace),
    images: WORKLOADS.has(kind) ? images(podSpec(kind, value.spec)) : [],
  };
  out.push(resource);
  if (objects && doc) {
    const at = prefix.length ? (doc.lineAt(prefix) ?? line) : line;
    objects.push({ resource, value, template, lineAt: (path) => doc.lineAt([...prefix, ...path]) ?? at });
  }
}

/** The resources in a file; a template (`{{ }}`, not YAML until rendered) is read as far as it goes. */
export function readKubernetes(file: string, source: string, objects?: KubernetesObject[]): KubernetesResource[] {
  const out: KubernetesResource[] = [];
  const template = isTemplate(source);
  for (const doc of readYaml(source, { lenient: template })) resources(file, doc.value, doc.line, out, objects, doc, [], template);
  return out;
}

export function readProcfile(file: string, source: string): ProcfileProcess[] {
  return source.split(/\r?\n/).flatMap((line, index) => {
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/.exec(line);
    return m ? [{ file, line: index + 1, name: m[1]!, command: m[2]!.trim() }] : [];
  });
}
