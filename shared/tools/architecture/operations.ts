// Operational facts per workload, as the manifests state them, each with its file and line: replicas,
// readiness/liveness/startup probes, resource requests and limits, the autoscalers (HPA, KEDA) and
// PodDisruptionBudgets that target it, restart policies; for compose services restart, healthcheck
// and deploy.replicas/resources. Then the findings a review starts from: single-replica stateful
// services, workloads without probes or limits.
import { composeGroups, type ComposeGroup } from './graph.js';
import { containersOf, groupKubernetes, isWorkloadKind, podLabels, podSpecPath, selectorOf, selects, type KubernetesGroup } from './k8s-workloads.js';
import type { ComposeObject, KubernetesObject } from './services.js';
import { storeOfImage } from './stores.js';
import type { Evidence, Finding, OperationalFact, Operations, Workload } from './types.js';
import { isMap, type YamlMap, type YamlValue } from './yaml-documents.js';

const MAX_VALUE = 80;
const short = (text: string) => (text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text);

const scalar = (value: YamlValue | undefined): string | null => (typeof value === 'string' ? value : null);

/** A probe as its handler: `httpGet /healthz:8080`, `tcpSocket :6379`, `exec redis-cli ping`, `grpc :50051`. */
export function describeProbe(probe: YamlValue | undefined): string {
  if (!isMap(probe)) return 'set';
  if (isMap(probe.httpGet)) return `httpGet ${scalar(probe.httpGet.path) ?? '/'}:${scalar(probe.httpGet.port) ?? '?'}`;
  if (isMap(probe.tcpSocket)) return `tcpSocket :${scalar(probe.tcpSocket.port) ?? '?'}`;
  if (isMap(probe.grpc)) return `grpc :${scalar(probe.grpc.port) ?? '?'}`;
  if (isMap(probe.exec) && Array.isArray(probe.exec.command)) return short(`exec ${probe.exec.command.filter((c) => typeof c === 'string').join(' ')}`);
  return 'set';
}

/** `cpu=100m, memory=64Mi`. */
const describeResources = (value: YamlValue | undefined): string | null => {
  if (!isMap(value)) return null;
  const pairs = Object.entries(value).flatMap(([k, v]) => (typeof v === 'string' ? [`${k}=${v}`] : []));
  return pairs.length ? pairs.join(', ') : null;
};

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'] as const;
const LOOKED_FOR = ['replicas', 'readinessProbe', 'livenessProbe', 'requests', 'limits'] as const;

function kubernetesFacts(group: KubernetesGroup): OperationalFact[] {
  const facts: OperationalFact[] = [];
  for (const o of group.objects) {
    const at = (path: (string | number)[]) => ({ file: o.resource.file, line: o.lineAt(path) });
    const spec = isMap(o.value.spec) ? o.value.spec : {};
    const replicas = scalar(spec.replicas);
    if (replicas !== null) facts.push({ fact: 'replicas', value: replicas, container: null, ...at(['spec', 'replicas']) });
    for (const c of containersOf(o)) {
      if (c.init) continue;
      for (const probe of PROBES) if (c.body[probe] !== undefined) facts.push({ fact: probe, value: describeProbe(c.body[probe]), container: c.name, ...at([...c.path, probe]) });
      const resources = isMap(c.body.resources) ? c.body.resources : {};
      for (const key of ['requests', 'limits'] as const) {
        const value = describeResources(resources[key]);
        if (value) facts.push({ fact: key, value, container: c.name, ...at([...c.path, 'resources', key]) });
      }
    }
    const pod = podSpecPath(group.kind);
    let podSpec: YamlValue | undefined = o.value;
    for (const key of pod) podSpec = isMap(podSpec) ? podSpec[key] : undefined;
    const restart = isMap(podSpec) ? scalar(podSpec.restartPolicy) : null;
    if (restart) facts.push({ fact: 'restartPolicy', value: restart, container: null, ...at([...pod, 'restartPolicy']) });
    // Persistent storage: what makes a workload stateful whatever its kind.
    const volumes = isMap(podSpec) && Array.isArray(podSpec.volumes) ? podSpec.volumes : [];
    volumes.forEach((v, i) => {
      const claim = isMap(v) && isMap(v.persistentVolumeClaim) ? scalar(v.persistentVolumeClaim.claimName) : null;
      if (claim) facts.push({ fact: 'persistentVolume', value: `persistentVolumeClaim ${claim}`, container: null, ...at([...pod, 'volumes', i]) });
    });
    const templates = Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
    templates.forEach((t, i) => {
      if (!isMap(t)) return;
      const name = isMap(t.metadata) ? scalar(t.metadata.name) : null;
      const tspec = isMap(t.spec) ? t.spec : {};
      const size = isMap(tspec.resources) && isMap(tspec.resources.requests) ? scalar(tspec.resources.requests.storage) : null;
      facts.push({ fact: 'persistentVolume', value: `volumeClaimTemplate ${name ?? `#${i + 1}`}${size ? ` ${size}` : ''}`, container: null, ...at(['spec', 'volumeClaimTemplates', i]) });
    });
  }
  return facts;
}

/** HPAs and KEDA ScaledObjects naming the workload, PodDisruptionBudgets selecting its pods. */
function attachedFacts(group: KubernetesGroup, others: readonly KubernetesObject[]): OperationalFact[] {
  const facts: OperationalFact[] = [];
  for (const o of others) {
    const spec: YamlMap = isMap(o.value.spec) ? o.value.spec : {};
    const kind = o.resource.kind;
    const name = o.resource.name ?? '(no name)';
    const at = (path: (string | number)[]) => ({ file: o.resource.file, line: o.lineAt(path) });
    if (kind === 'HorizontalPodAutoscaler' || kind === 'ScaledObject') {
      const target = isMap(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
      const targetKind = scalar(target.kind) ?? 'Deployment';
      if (scalar(target.name) !== group.name || targetKind !== group.kind) continue;
      const min = scalar(spec.minReplicas) ?? scalar(spec.minReplicaCount);
      const max = scalar(spec.maxReplicas) ?? scalar(spec.maxReplicaCount);
      facts.push({ fact: 'autoscaler', value: `${kind} ${name}: ${min ?? '1 (default)'} to ${max ?? '?'} replicas`, container: null, ...at(['spec', 'scaleTargetRef']) });
    } else if (kind === 'Kustomization' && Array.isArray(o.value.replicas)) {
      // kustomize's replicas transformer: `replicas: [{name: frontend, count: 3}]` in an overlay.
      o.value.replicas.forEach((r, i) => {
        if (isMap(r) && scalar(r.name) === group.name && scalar(r.count) !== null) facts.push({ fact: 'replicas', value: scalar(r.count)!, container: null, ...at(['replicas', i]) });
      });
    } else if (kind === 'PodDisruptionBudget') {
      const selector = selectorOf(spec.selector);
      if (!group.objects.some((w) => selects(selector, podLabels(w)))) continue;
      const budget = scalar(spec.minAvailable) !== null ? `minAvailable=${scalar(spec.minAvailable)}` : scalar(spec.maxUnavailable) !== null ? `maxUnavailable=${scalar(spec.maxUnavailable)}` : 'set';
      facts.push({ fact: 'disruptionBudget', value: `PodDisruptionBudget ${name}: ${budget}`, container: null, ...at(['spec', 'selector']) });
    }
  }
  return facts;
}

/** A fact stated the same way in several copies is kept once, from the first copy; a copy that differs (an overlay's replicas) keeps its own. */
function sameOnce(facts: OperationalFact[]): OperationalFact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const key = `${f.fact}\u0000${f.value}\u0000${f.container ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function composeFacts(s: ComposeObject): OperationalFact[] {
  const facts: OperationalFact[] = [];
  const at = (path: (string | number)[]) => ({ file: s.file, line: s.lineAt(path) });
  const restart = scalar(s.body.restart);
  if (restart) facts.push({ fact: 'restart', value: restart, container: null, ...at(['restart']) });
  if (isMap(s.body.healthcheck)) {
    const test = s.body.healthcheck.test;
    const value = Array.isArray(test) ? test.filter((t) => typeof t === 'string').join(' ') : (scalar(test) ?? 'set');
    facts.push({ fact: 'healthcheck', value: short(value), container: null, ...at(['healthcheck']) });
  }
  const deploy = isMap(s.body.deploy) ? s.body.deploy : {};
  const replicas = scalar(deploy.replicas);
  if (replicas) facts.push({ fact: 'replicas', value: replicas, container: null, ...at(['deploy', 'replicas']) });
  const resources = isMap(deploy.resources) ? deploy.resources : {};
  const limits = describeResources(resources.limits);
  if (limits) facts.push({ fact: 'limits', value: limits, container: null, ...at(['deploy', 'resources', 'limits']) });
  const requests = describeResources(resources.reservations);
  if (requests) facts.push({ fact: 'requests', value: requests, container: null, ...at(['deploy', 'resources', 'reservations']) });
  const policy = isMap(deploy.restart_policy) ? scalar(deploy.restart_policy.condition) : null;
  if (policy) facts.push({ fact: 'restartPolicy', value: policy, container: null, ...at(['deploy', 'restart_policy']) });
  return facts;
}

/** A compose service, with the facts of every file of its directory that declares it (compose merges them). */
function composeWorkload(group: ComposeGroup): Workload {
  const facts = sameOnce(group.objects.flatMap(composeFacts));
  const image = group.objects.map((s) => scalar(s.body.image)).find(Boolean) ?? null;
  const stated = new Set(facts.map((f) => f.fact));
  return {
    name: group.name,
    kind: 'compose',
    namespace: null,
    copies: group.objects.map((s) => ({ file: s.file, line: s.lineAt([]) })),
    technology: storeOfImage(image)?.technology ?? null,
    facts,
    missing: ['healthcheck', 'restart'].filter((f) => !stated.has(f)),
  };
}

function findings(workloads: readonly Workload[]): Finding[] {
  const out: Finding[] = [];
  const k8s = workloads.filter((w) => w.kind === 'Deployment' || w.kind === 'StatefulSet');
  const single = k8s.filter((w) => {
    const replicas = w.facts.filter((f) => f.fact === 'replicas').map((f) => f.value);
    return !w.facts.some((f) => f.fact === 'autoscaler') && replicas.every((r) => r === '1' || r === '0');
  });
  const evidence = (w: Workload): Evidence[] => {
    const replicas = w.facts.filter((f) => f.fact === 'replicas');
    return replicas.length ? replicas.map((f) => ({ file: f.file, line: f.line })) : w.copies.slice(0, 1);
  };
  const replicasText = (w: Workload) => (w.facts.some((f) => f.fact === 'replicas') ? 'replicas: 1' : 'replicas not set: 1');
  const stateful = (x: Workload) => x.kind === 'StatefulSet' || x.technology !== null || x.facts.some((f) => f.fact === 'persistentVolume');
  for (const w of single.filter(stateful)) {
    const volume = w.facts.find((f) => f.fact === 'persistentVolume');
    const why = volume && !w.technology ? `, with ${volume.value}` : '';
    out.push({ kind: 'single-replica-stateful', text: `${w.kind} ${w.name}${w.technology ? ` (${w.technology})` : ''} runs one replica (${replicasText(w)}, no autoscaler${why}): a single point of failure for its data`, evidence: [...evidence(w), ...(volume ? [{ file: volume.file, line: volume.line }] : [])] });
  }
  const stateless = single.filter((x) => !stateful(x));
  if (stateless.length) out.push({ kind: 'single-replica', text: `${stateless.length} workload(s) run one replica with no autoscaler: ${stateless.map((w) => w.name).join(', ')}`, evidence: stateless.flatMap(evidence) });
  const composeStores = workloads.filter((w) => w.kind === 'compose' && w.technology && !w.facts.some((f) => f.fact === 'replicas' && f.value !== '1'));
  for (const w of composeStores) out.push({ kind: 'single-replica-stateful', text: `compose service ${w.name} (${w.technology}) is one container`, evidence: w.copies });
  const scaled = workloads.filter((w) => isWorkloadKind(w.kind) && w.kind !== 'Job' && w.kind !== 'CronJob' && w.kind !== 'Pod');
  for (const [fact, what] of [
    ['readinessProbe', 'no readiness probe'],
    ['livenessProbe', 'no liveness probe'],
    ['limits', 'no resource limits'],
  ] as const) {
    const lacking = scaled.filter((w) => w.missing.includes(fact));
    if (lacking.length) out.push({ kind: `no-${fact}`, text: `${lacking.length} of ${scaled.length} Kubernetes workload(s) state ${what}: ${lacking.map((w) => w.name).join(', ')}`, evidence: lacking.map((w) => w.copies[0]!) });
  }
  const noHealth = workloads.filter((w) => w.kind === 'compose' && w.missing.includes('healthcheck'));
  if (noHealth.length) {
    const all = workloads.filter((w) => w.kind === 'compose').length;
    out.push({ kind: 'no-healthcheck', text: `${noHealth.length} of ${all} compose service(s) have no healthcheck: ${noHealth.map((w) => w.name).join(', ')}`, evidence: noHealth.map((w) => w.copies[0]!) });
  }
  return out;
}

export function readOperations(compose: readonly ComposeObject[], kubernetes: readonly KubernetesObject[]): Operations {
  const attachable = kubernetes.filter((o) => ['HorizontalPodAutoscaler', 'ScaledObject', 'PodDisruptionBudget', 'Kustomization'].includes(o.resource.kind));
  const workloads: Workload[] = groupKubernetes(kubernetes)
    .filter((g) => isWorkloadKind(g.kind))
    .map((g) => {
      const facts = sameOnce([...kubernetesFacts(g), ...attachedFacts(g, attachable)]);
      const stated = new Set(facts.map((f) => f.fact));
      const images = g.objects.flatMap((o) => containersOf(o).filter((c) => !c.init).map((c) => scalar(c.body.image)));
      const looked = g.kind === 'Job' || g.kind === 'CronJob' ? LOOKED_FOR.slice(3) : g.kind === 'Deployment' || g.kind === 'StatefulSet' || g.kind === 'ReplicaSet' ? LOOKED_FOR : LOOKED_FOR.slice(1);
      return {
        name: g.name,
        kind: g.kind,
        namespace: g.objects.map((o) => o.resource.namespace).find((n) => n !== null) ?? null,
        copies: g.objects.map((o) => ({ file: o.resource.file, line: o.resource.line })),
        technology: images.map(storeOfImage).find(Boolean)?.technology ?? null,
        facts,
        missing: looked.filter((f) => !stated.has(f) && !(f === 'replicas' && stated.has('autoscaler'))),
      };
    });
  workloads.push(...composeGroups(compose).map(composeWorkload));
  return { workloads, findings: findings(workloads) };
}
