// Operational facts per workload, as a user sees them in --json and in the text report: replicas,
// probes, resources, autoscalers, disruption budgets, restart policies, each with file:line; copies
// of one workload grouped; the findings a review of single points of failure starts from.
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/tmp.js';
import { analyze, facts, writeTree } from './helpers.js';
import { COMPOSE_SHARED_DB, MICROSERVICES } from './graph-samples.js';

const newDir = useTempDir('dp-arch-ops-');
const sample = (files: Record<string, string>) => writeTree(newDir(), files);

const STATEFUL: Record<string, string> = {
  'deploy/db.yaml': [
    'apiVersion: apps/v1',
    'kind: StatefulSet',
    'metadata:',
    '  name: db',
    'spec:',
    '  replicas: 1',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: postgres',
    '          image: postgres:16',
    '          livenessProbe:',
    '            exec:',
    '              command: ["pg_isready", "-U", "app"]',
    '  volumeClaimTemplates:',
    '    - metadata: {name: data}',
    '      spec:',
    '        resources: {requests: {storage: 10Gi}}',
    '---',
    'apiVersion: batch/v1',
    'kind: CronJob',
    'metadata:',
    '  name: backup',
    'spec:',
    '  schedule: "0 3 * * *"',
    '  jobTemplate:',
    '    spec:',
    '      template:',
    '        spec:',
    '          restartPolicy: OnFailure',
    '          containers:',
    '            - name: backup',
    '              image: ghcr.io/acme/backup:1',
    '              resources:',
    '                limits: {memory: 256Mi}',
    '---',
    'apiVersion: keda.sh/v1alpha1',
    'kind: ScaledObject',
    'metadata:',
    '  name: worker',
    'spec:',
    '  scaleTargetRef:',
    '    name: worker',
    '  minReplicaCount: 0',
    '  maxReplicaCount: 20',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: worker',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: worker',
    '          image: ghcr.io/acme/worker:1',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: uploads',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: ghcr.io/acme/uploads:1',
    '      volumes:',
    '        - name: files',
    '          persistentVolumeClaim: {claimName: uploads}',
    '',
  ].join('\n'),
};

describe('operational facts: Kubernetes', () => {
  it('replicas, probes, requests and limits, the HPA and the PDB that target a workload, across its copies', () => {
    const f = facts(sample(MICROSERVICES));
    const frontend = f.operations.workloads.find((w: { name: string }) => w.name === 'frontend');
    expect(frontend).toEqual({
      name: 'frontend',
      kind: 'Deployment',
      namespace: null,
      copies: [
        { file: 'kubernetes-manifests/frontend.yaml', line: 1 },
        { file: 'kustomize/overlays/prod/frontend-patch.yaml', line: 1 },
      ],
      technology: null,
      facts: [
        { fact: 'readinessProbe', value: 'httpGet /_healthz:8080', container: 'server', file: 'kubernetes-manifests/frontend.yaml', line: 18 },
        { fact: 'requests', value: 'cpu=100m, memory=64Mi', container: 'server', file: 'kubernetes-manifests/frontend.yaml', line: 28 },
        { fact: 'limits', value: 'cpu=200m, memory=128Mi', container: 'server', file: 'kubernetes-manifests/frontend.yaml', line: 31 },
        { fact: 'replicas', value: '3', container: null, file: 'kustomize/overlays/prod/frontend-patch.yaml', line: 6 },
        { fact: 'autoscaler', value: 'HorizontalPodAutoscaler frontend: 3 to 10 replicas', container: null, file: 'kustomize/overlays/prod/hpa.yaml', line: 6 },
        { fact: 'disruptionBudget', value: 'PodDisruptionBudget frontend-pdb: minAvailable=2', container: null, file: 'kustomize/overlays/prod/hpa.yaml', line: 19 },
      ],
      missing: ['livenessProbe'],
    });
    expect(f.operations.findings).toEqual([
      { kind: 'single-replica-stateful', text: 'Deployment redis-cart (Redis) runs one replica (replicas not set: 1, no autoscaler): a single point of failure for its data', evidence: [{ file: 'kubernetes-manifests/cartservice.yaml', line: 34 }] },
      { kind: 'single-replica', text: '1 workload(s) run one replica with no autoscaler: cartservice', evidence: [{ file: 'kubernetes-manifests/cartservice.yaml', line: 1 }] },
      { kind: 'no-readinessProbe', text: '2 of 3 Kubernetes workload(s) state no readiness probe: cartservice, redis-cart', evidence: [{ file: 'kubernetes-manifests/cartservice.yaml', line: 1 }, { file: 'kubernetes-manifests/cartservice.yaml', line: 34 }] },
      { kind: 'no-livenessProbe', text: '2 of 3 Kubernetes workload(s) state no liveness probe: redis-cart, frontend', evidence: [{ file: 'kubernetes-manifests/cartservice.yaml', line: 34 }, { file: 'kubernetes-manifests/frontend.yaml', line: 1 }] },
      { kind: 'no-limits', text: '2 of 3 Kubernetes workload(s) state no resource limits: cartservice, redis-cart', evidence: [{ file: 'kubernetes-manifests/cartservice.yaml', line: 1 }, { file: 'kubernetes-manifests/cartservice.yaml', line: 34 }] },
    ]);
    const text = analyze([], sample(MICROSERVICES)).stdout;
    expect(text).toContain('Operations (3 workloads)\n');
    expect(text).toContain('  Deployment frontend · 2 copies: kubernetes-manifests/frontend.yaml:1, kustomize/overlays/prod/frontend-patch.yaml:1\n');
    expect(text).toContain('    autoscaler       HorizontalPodAutoscaler frontend: 3 to 10 replicas kustomize/overlays/prod/hpa.yaml:6\n');
    expect(text).toContain('    not stated: replicas, readinessProbe, livenessProbe, requests, limits\n');
  });

  it('a single-replica StatefulSet, a CronJob restart policy, a KEDA autoscaler; exec probes as their command', () => {
    const f = facts(sample({ ...STATEFUL, 'deploy/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../db.yaml]\nreplicas:\n  - name: worker\n    count: 3\n' }));
    expect(f.operations.workloads.map((w: { name: string; facts: { fact: string; value: string; line: number }[]; missing: string[] }) => [w.name, w.facts.map((x) => `${x.fact}=${x.value} :${x.line}`), w.missing])).toEqual([
      ['db', ['replicas=1 :6', 'livenessProbe=exec pg_isready -U app :12', 'persistentVolume=volumeClaimTemplate data 10Gi :16'], ['readinessProbe', 'requests', 'limits']],
      ['backup', ['limits=memory=256Mi :35', 'restartPolicy=OnFailure :30'], ['requests']],
      ['worker', ['autoscaler=ScaledObject worker: 0 to 20 replicas :42', 'replicas=3 :5'], ['readinessProbe', 'livenessProbe', 'requests', 'limits']],
      ['uploads', ['persistentVolume=persistentVolumeClaim uploads :69'], ['replicas', 'readinessProbe', 'livenessProbe', 'requests', 'limits']],
    ]);
    expect(f.operations.findings[0]).toEqual({
      kind: 'single-replica-stateful',
      text: 'StatefulSet db (PostgreSQL) runs one replica (replicas: 1, no autoscaler): a single point of failure for its data',
      evidence: [{ file: 'deploy/db.yaml', line: 6 }, { file: 'deploy/db.yaml', line: 16 }],
    });
    expect(f.operations.findings[1]).toEqual({
      kind: 'single-replica-stateful',
      text: 'Deployment uploads runs one replica (replicas not set: 1, no autoscaler, with persistentVolumeClaim uploads): a single point of failure for its data',
      evidence: [{ file: 'deploy/db.yaml', line: 58 }, { file: 'deploy/db.yaml', line: 69 }],
    });
    expect(f.operations.findings.map((x: { kind: string }) => x.kind)).not.toContain('single-replica');
  });
});

describe('operational facts: compose', () => {
  it('restart, healthcheck, deploy replicas and resources; stores as one container; services without a healthcheck', () => {
    const compose = [
      'services:',
      '  api:',
      '    image: ghcr.io/acme/api:1',
      '    restart: always',
      '    deploy:',
      '      replicas: 2',
      '      resources:',
      '        limits: {cpus: "0.5", memory: 256M}',
      '      restart_policy:',
      '        condition: on-failure',
      '  db:',
      '    image: postgres:16',
      '    healthcheck:',
      '      test: pg_isready',
      '',
    ].join('\n');
    const f = facts(sample({ 'compose.yaml': compose }));
    expect(f.operations.workloads).toEqual([
      {
        name: 'api',
        kind: 'compose',
        namespace: null,
        copies: [{ file: 'compose.yaml', line: 2 }],
        technology: null,
        facts: [
          { fact: 'restart', value: 'always', container: null, file: 'compose.yaml', line: 4 },
          { fact: 'replicas', value: '2', container: null, file: 'compose.yaml', line: 6 },
          { fact: 'limits', value: 'cpus=0.5, memory=256M', container: null, file: 'compose.yaml', line: 8 },
          { fact: 'restartPolicy', value: 'on-failure', container: null, file: 'compose.yaml', line: 9 },
        ],
        missing: ['healthcheck'],
      },
      {
        name: 'db',
        kind: 'compose',
        namespace: null,
        copies: [{ file: 'compose.yaml', line: 11 }],
        technology: 'PostgreSQL',
        facts: [{ fact: 'healthcheck', value: 'pg_isready', container: null, file: 'compose.yaml', line: 13 }],
        missing: ['restart'],
      },
    ]);
    expect(f.operations.findings).toEqual([
      { kind: 'single-replica-stateful', text: 'compose service db (PostgreSQL) is one container', evidence: [{ file: 'compose.yaml', line: 11 }] },
      { kind: 'no-healthcheck', text: '1 of 2 compose service(s) have no healthcheck: api', evidence: [{ file: 'compose.yaml', line: 2 }] },
    ]);
  });

  it('a repository without workloads has no Operations section, and empty lists in --json', () => {
    const dir = sample({ 'app.py': 'print(1)\n' });
    expect(facts(dir).operations).toEqual({ workloads: [], findings: [] });
    expect(facts(dir).graph).toEqual({ nodes: [], edges: [], findings: [] });
    expect(analyze([], dir).stdout).not.toMatch(/Operations|Service graph/);
    expect(facts(sample(COMPOSE_SHARED_DB)).operations.workloads).toHaveLength(5);
  });
});
