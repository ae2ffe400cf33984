// Kubernetes objects grouped: the base, the overlays, the release bundles and the Helm copies of one
// workload (same kind and name) are one workload with the list of where each copy is. Objects whose
// name is a template (`{{ ... }}` not quoted) cannot be told apart and are left out of the groups.
import { isMap, type YamlMap, type YamlValue } from './yaml-documents.js';
import { podSpec, WORKLOADS, type KubernetesObject } from './services.js';

export interface KubernetesGroup {
  kind: string;
  name: string;
  namespace: string | null;
  objects: KubernetesObject[];
}

/** The kinds drawn in the graph: workloads and the Services that select them. */
export const isWorkloadKind = (kind: string): boolean => WORKLOADS.has(kind);

export function groupKubernetes(objects: readonly KubernetesObject[]): KubernetesGroup[] {
  const groups = new Map<string, KubernetesGroup>();
  for (const object of objects) {
    const { kind, name, namespace } = object.resource;
    if (!name || name.includes('{{')) continue;
    const key = `${kind}/${name}`;
    const group = groups.get(key);
    if (group) group.objects.push(object);
    else groups.set(key, { kind, name, namespace, objects: [object] });
  }
  return [...groups.values()];
}

const strings = (value: YamlValue | undefined): Record<string, string> => {
  if (!isMap(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
};

/** The labels a workload gives its pods (the pod template's, or a Pod's own). */
export function podLabels(object: KubernetesObject): Record<string, string> {
  const { value } = object;
  const kind = object.resource.kind;
  if (kind === 'Pod') return strings(isMap(value.metadata) ? value.metadata.labels : undefined);
  const spec = isMap(value.spec) ? value.spec : undefined;
  const holder = kind === 'CronJob' ? (isMap(spec?.jobTemplate) && isMap(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined) : spec;
  const template = isMap(holder?.template) ? holder.template : undefined;
  return strings(isMap(template?.metadata) ? template.metadata.labels : undefined);
}

/** A selector (a Service's `spec.selector`, or `matchLabels`) as key=value pairs. */
export function selectorOf(value: YamlValue | undefined): Record<string, string> {
  if (!isMap(value)) return {};
  return isMap(value.matchLabels) ? strings(value.matchLabels) : strings(value);
}

export const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean => {
  const pairs = Object.entries(selector);
  return pairs.length > 0 && pairs.every(([k, v]) => labels[k] === v);
};

export const describeSelector = (selector: Record<string, string>): string =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export interface Container {
  /** ['spec', 'template', 'spec', 'containers', 0]: the path of the container in its object. */
  path: (string | number)[];
  name: string;
  body: YamlMap;
  init: boolean;
}

export function podSpecPath(kind: string): string[] {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return ['spec', 'template', 'spec'];
}


/** The containers of a workload object, init containers first. */
export function containersOf(object: KubernetesObject): Container[] {
  const kind = object.resource.kind;
  const pod = podSpec(kind, object.value.spec);
  if (!pod) return [];
  const base = podSpecPath(kind);
  return (['initContainers', 'containers'] as const).flatMap((key) => {
    const list = pod[key];
    if (!Array.isArray(list)) return [];
    return list.flatMap((c, i) => (isMap(c) ? [{ path: [...base, key, i], name: typeof c.name === 'string' ? c.name : `#${i + 1}`, body: c, init: key === 'initContainers' }] : []));
  });
}

const CONFIG_KINDS = new Set(['Service', 'ConfigMap', 'Secret', 'Namespace']);

/**
 * The notes on Kubernetes reading, one line each: the template files (`{{ }}`) per Helm chart, and
 * the resources that are neither workloads nor Services (ServiceAccounts, Istio and other mesh
 * objects...), counted by kind, which the graph does not draw.
 */
export function kubernetesNotes(objects: readonly KubernetesObject[], templates: readonly string[], paths: readonly string[]): string[] {
  const notes: string[] = [];
  if (templates.length) {
    const charts = paths.filter((p) => /(^|\/)Chart\.ya?ml$/.test(p)).map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : ''));
    const inChart = (file: string) => charts.filter((c) => file.startsWith(c)).sort((a, b) => b.length - a.length)[0];
    const byChart = new Map<string, number>();
    for (const file of templates) {
      const chart = inChart(file);
      const key = chart === undefined ? '' : `Helm chart ${chart || './'}`;
      byChart.set(key, (byChart.get(key) ?? 0) + 1);
    }
    const where = [...byChart].map(([chart, n]) => (chart ? `${n} in ${chart}` : `${n} outside a Helm chart`)).join(', ');
    const unnamed = objects.filter((o) => o.template && (!o.resource.name || o.resource.name.includes('{{'))).length;
    notes.push(
      `${templates.length} template file(s) ({{ }}) not rendered (${where}; first: ${templates[0]}): a templated value is reported as written when quoted, otherwise as null` +
        (unnamed ? `; ${unnamed} resource(s) whose name is templated are listed but not grouped, drawn or given operational facts` : ''),
    );
  }
  const other = new Map<string, number>();
  for (const o of objects) if (!WORKLOADS.has(o.resource.kind) && !CONFIG_KINDS.has(o.resource.kind)) other.set(o.resource.kind, (other.get(o.resource.kind) ?? 0) + 1);
  if (other.size) {
    const list = [...other].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([kind, n]) => `${n} ${kind}`);
    notes.push(`Kubernetes: ${list.join(', ')}: not workloads, not drawn in the diagram (autoscalers and disruption budgets are in operations)`);
  }
  return notes;
}
