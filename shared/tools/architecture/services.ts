// Services: docker-compose files, Kubernetes manifests and Procfiles.
import { basename } from 'node:path';
import { isMap, readYaml, type YamlMap, type YamlValue } from './yaml-documents.js';
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

export function readCompose(file: string, source: string): { compose: ComposeFile | null; warnings: string[] } {
  const documents = readYaml(source);
  const root = documents[0]?.value;
  const services = isMap(root) ? root.services : undefined;
  if (!isMap(services)) return { compose: null, warnings: ['no services: mapping found'] };
  const lines = documents[0]!.keyLines(['services']);
  const list: ComposeService[] = Object.entries(services).map(([name, body]) => {
    const service: YamlMap = isMap(body) ? body : {};
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

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

function podSpec(kind: string, spec: YamlValue | undefined): YamlMap | undefined {
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

function resources(file: string, value: YamlValue, line: number, out: KubernetesResource[]): void {
  if (!isMap(value)) return;
  const kind = text(value.kind);
  const apiVersion = text(value.apiVersion);
  if (!kind || !apiVersion) return;
  if (kind === 'List' && Array.isArray(value.items)) {
    for (const item of value.items) resources(file, item, line, out);
    return;
  }
  const metadata = isMap(value.metadata) ? value.metadata : {};
  out.push({
    file,
    line,
    apiVersion,
    kind,
    name: text(metadata.name),
    namespace: text(metadata.namespace),
    images: WORKLOADS.has(kind) ? images(podSpec(kind, value.spec)) : [],
  });
}

/** The resources in a file; a template (`{{ }}`, not YAML until rendered) is read as far as it goes. */
export function readKubernetes(file: string, source: string): KubernetesResource[] {
  const out: KubernetesResource[] = [];
  for (const doc of readYaml(source, { lenient: isTemplate(source) })) resources(file, doc.value, doc.line, out);
  return out;
}

export function readProcfile(file: string, source: string): ProcfileProcess[] {
  return source.split(/\r?\n/).flatMap((line, index) => {
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/.exec(line);
    return m ? [{ file, line: index + 1, name: m[1]!, command: m[2]!.trim() }] : [];
  });
}
