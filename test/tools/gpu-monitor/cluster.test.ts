// --cluster-config: the files that watch many nodes running --prometheus. Each one is parsed as its consumer would
// (YAML, JSON, bash), its queries checked against the series the exporter serves, and written the safe way.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { clusterFiles } from '../../../shared/tools/gpu-monitor/cluster-files.js';
import { formatMetrics } from '../../../shared/tools/gpu-monitor/prometheus.js';
import { parseSettings } from '../../../shared/tools/gpu-monitor/settings.js';
import { parseGpuCsv } from '../../../shared/tools/lib/gpu-query.js';
import { hasShared, readSmiFixture } from '../../support/shared-fixtures.js';
import { useTempDir } from '../../support/tmp.js';
import { fakePath, ownFixture, projectRows, repoRoot, runMonitor } from './helpers.js';

const tempDir = useTempDir('gpu-monitor-cluster-');
const env = () => ({ PATH: fakePath(tempDir()) });

/** Every metric name /metrics carries for the 8-GPU fixture (all fields known), health series included. */
function servedNames(): Set<string> {
  const text = formatMetrics({ source: 'nvidia-smi', gpus: parseGpuCsv(projectRows(ownFixture('query-gpu_h100-x8_train.csv'))).gpus, fresh: true, sampleAgeSeconds: 0.5, samples: 3, hostname: 'n1' });
  return new Set(text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(line)![0]));
}

const PROMQL_WORDS = new Set(['avg', 'sum', 'count', 'min', 'max', 'floor', 'vector', 'or', 'and', 'unless', 'by', 'without', 'label_values', 'rate', 'increase']);

/** The metric names a PromQL expression (or label_values query) reads: identifiers outside {...}, [..] and strings. */
function metricNames(expr: string): string[] {
  const bare = expr.replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(/"[^"]*"/g, ' ');
  const identifiers = [...bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)].map((m) => m[0]);
  // label_values(METRIC, LABEL): the second argument is a label.
  const labels = [...expr.matchAll(/label_values\([^,]*,\s*([A-Za-z_]+)\)/g)].map((m) => m[1]);
  return identifiers.filter((id) => !PROMQL_WORDS.has(id) && !labels.includes(id));
}

async function write(kind: string, extra: string[] = []): Promise<{ dir: string; stdout: string }> {
  const dir = join(tempDir(), 'monitoring');
  const run = await runMonitor(['--cluster-config', kind, '--out', dir, ...extra], env());
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return { dir, stdout: run.stdout };
}

describe('--cluster-config', () => {
  it('grafana: an importable dashboard whose every query reads only series the exporter serves', async () => {
    const { dir, stdout } = await write('grafana');
    expect(stdout).toBe(`wrote ${join(dir, 'grafana-gpu-monitor.json')}: Grafana dashboard: Dashboards > New > Import, upload this file, pick the Prometheus data source\n`);
    const dashboard = JSON.parse(readFileSync(join(dir, 'grafana-gpu-monitor.json'), 'utf8')) as {
      uid: string;
      panels: { id: number; title: string; datasource: { uid: string }; targets: { expr: string; refId: string }[]; gridPos: { x: number; w: number } }[];
      templating: { list: { name: string; type: string; query: string | { query: string } }[] };
    };
    expect(dashboard.uid).toBe('gpu-monitor-cluster');
    const served = servedNames();
    const queries = [
      ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
      ...dashboard.templating.list.filter((v) => v.type === 'query').map((v) => (typeof v.query === 'string' ? v.query : v.query.query)),
    ];
    expect(queries.length).toBeGreaterThan(15);
    for (const query of queries) {
      const names = metricNames(query);
      expect(names.length, query).toBeGreaterThan(0);
      for (const name of names) expect(served, `${name} in ${query}`).toContain(name);
    }
    const titles = dashboard.panels.map((panel) => panel.title);
    for (const title of ['GPU utilisation', 'Power draw and limit', 'Temperature', 'Clocks (MHz)', 'Clocks held down by', 'ECC errors and row remapping']) expect(titles).toContain(title);
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    expect(dashboard.panels.every((panel) => panel.datasource.uid === '${datasource}' && panel.gridPos.x + panel.gridPos.w <= 24)).toBe(true);
    expect(queries.join('\n')).toContain('DCGM_FI_DEV_CLOCKS_EVENT_REASONS');
    expect(queries.join('\n')).not.toContain('THROTTLE');
  });

  it.skipIf(!hasShared)('grafana: a GPU in MIG mode (no utilization.gpu) still appears in the Node and GPU lists and in the GPU count', async () => {
    const { dir } = await write('grafana');
    const dashboard = JSON.parse(readFileSync(join(dir, 'grafana-gpu-monitor.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
      templating: { list: { type: string; query: string | { query: string } }[] };
    };
    const mig = parseGpuCsv(projectRows(readSmiFixture('query-gpu-all__h100-mig_590.48.01_load.csv.txt'))).gpus;
    expect(mig[0]!.utilizationGpuPercent).toBeNull();
    const text = formatMetrics({ source: 'nvidia-smi', gpus: mig, fresh: true, sampleAgeSeconds: 0.5, samples: 3, hostname: 'n1' });
    const served = new Set(text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(line)![0]));
    const variables = dashboard.templating.list.filter((v) => v.type === 'query').map((v) => (typeof v.query === 'string' ? v.query : v.query.query));
    const count = dashboard.panels.find((panel) => panel.title === 'GPUs reporting')!.targets.map((target) => target.expr);
    for (const query of [...variables, ...count]) for (const name of metricNames(query)) expect(served, `${name} in ${query}`).toContain(name);
  });

  it('prometheus: a scrape config that parses, with the nodes given and the port the exporters use', async () => {
    const { dir } = await write('prometheus', ['--nodes', 'gpu-a,gpu-b.cluster.local', '--port', '9500']);
    const config = parse(readFileSync(join(dir, 'prometheus-gpu-monitor.yml'), 'utf8')) as { scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[] };
    expect(config.scrape_configs).toHaveLength(1);
    expect(config.scrape_configs[0]).toMatchObject({ job_name: 'gpu_monitor', metrics_path: '/metrics', static_configs: [{ targets: ['gpu-a:9500', 'gpu-b.cluster.local:9500'] }] });
    const placeholders = parse(readFileSync(join((await write('prometheus')).dir, 'prometheus-gpu-monitor.yml'), 'utf8')) as typeof config;
    expect(placeholders.scrape_configs[0]!.static_configs[0]!.targets).toEqual(['gpu-node-1:9400', 'gpu-node-2:9400']);
  });

  it('kubernetes: a DaemonSet whose container runs the exporter on the port it declares, the script from the ConfigMap', async () => {
    const { dir } = await write('kubernetes');
    const documents = parseAllDocuments(readFileSync(join(dir, 'gpu-monitor-daemonset.yaml'), 'utf8'));
    expect(documents.every((doc) => doc.errors.length === 0)).toBe(true);
    const daemonSet = documents[0]!.toJS() as {
      kind: string;
      spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { containers: { command: string[]; env: { name: string; value?: string; valueFrom?: unknown }[]; ports: { containerPort: number }[]; volumeMounts: { mountPath: string }[] }[] } } };
    };
    expect(daemonSet.kind).toBe('DaemonSet');
    expect(daemonSet.spec.template.metadata.labels).toMatchObject(daemonSet.spec.selector.matchLabels);
    const container = daemonSet.spec.template.spec.containers[0]!;
    const [node, script, ...args] = container.command;
    expect(node).toBe('node');
    expect(script!.startsWith(`${container.volumeMounts[0]!.mountPath}/`)).toBe(true);
    expect(parseSettings(args)).toMatchObject({ mode: 'prometheus', port: 9400, host: '0.0.0.0' });
    expect(container.ports[0]!.containerPort).toBe(9400);
    // The series' Hostname label is the node's name (from NODE_NAME), not the pod's, which changes on every restart.
    expect(container.env).toContainEqual({ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
  });

  it('slurm: a batch script bash accepts, starting one exporter per node with a command line the tool accepts', async () => {
    const { dir } = await write('slurm');
    const path = join(dir, 'gpu-monitor-slurm.sbatch');
    execFileSync('bash', ['-n', path]);
    expect(statSync(path).mode & 0o111).not.toBe(0);
    const text = readFileSync(path, 'utf8');
    const step = /^srun (.*) \\\n {2}node scripts\/gpu_monitor\.mjs (.*) &$/m.exec(text);
    expect(step, text).not.toBeNull();
    expect(step![1]).toContain('--ntasks-per-node=1');
    expect(step![1]).toContain('--overlap');
    expect(parseSettings(step![2]!.split(' '))).toMatchObject({ mode: 'prometheus', port: 9400, host: '0.0.0.0' });
  });

  it('all: the four files at once, in a directory it creates', async () => {
    const { dir, stdout } = await write('all');
    expect(readdirSync(dir).sort()).toEqual(['gpu-monitor-daemonset.yaml', 'gpu-monitor-slurm.sbatch', 'grafana-gpu-monitor.json', 'prometheus-gpu-monitor.yml']);
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('never overwrites: an existing file (or a link in its place) stops the run before anything is written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'grafana-gpu-monitor.json'), 'mine\n');
    const run = await runMonitor(['--cluster-config', 'all', '--out', dir], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`gpu_monitor: ${join(dir, 'grafana-gpu-monitor.json')} already exists; nothing was written\n  move it away, or choose another directory with --out DIR\n`);
    expect(readdirSync(dir)).toEqual(['grafana-gpu-monitor.json']);
    expect(readFileSync(join(dir, 'grafana-gpu-monitor.json'), 'utf8')).toBe('mine\n');
    const linked = tempDir();
    const outside = join(tempDir(), 'victim.yml');
    symlinkSync(outside, join(linked, 'prometheus-gpu-monitor.yml'));
    const viaLink = await runMonitor(['--cluster-config', 'prometheus', '--out', linked], env());
    expect(viaLink.code).toBe(2);
    expect(existsSync(outside)).toBe(false);
    expect(lstatSync(join(linked, 'prometheus-gpu-monitor.yml')).isSymbolicLink()).toBe(true);
  });

  it('does not follow an --out that is a symbolic link; bad kinds and node names are one line', async () => {
    const real = tempDir();
    const link = join(tempDir(), 'out');
    symlinkSync(real, link);
    const run = await runMonitor(['--cluster-config', 'grafana', '--out', link], env());
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`gpu_monitor: --out ${link} is a symbolic link; it is not followed`);
    expect(readdirSync(real)).toEqual([]);
    for (const spelled of [`${link}/`, `${link}//`]) {
      const slashed = await runMonitor(['--cluster-config', 'prometheus', '--out', spelled], env());
      expect(slashed.code).toBe(2);
      expect(slashed.stderr.split('\n')[0]).toBe(`gpu_monitor: --out ${spelled} is a symbolic link; it is not followed`);
      expect(readdirSync(real)).toEqual([]);
    }
    const file = join(tempDir(), 'file');
    writeFileSync(file, '');
    expect((await runMonitor(['--cluster-config', 'grafana', '--out', file], env())).stderr.split('\n')[0]).toBe(`gpu_monitor: --out ${file} is not a directory`);
    const kind = await runMonitor(['--cluster-config', 'nagios'], env());
    expect(kind.code).toBe(2);
    expect(kind.stderr.split('\n')[0]).toBe("gpu_monitor: --cluster-config must be one of prometheus, grafana, slurm, kubernetes, all, got 'nagios'");
    const nodes = await runMonitor(['--cluster-config', 'prometheus', '--nodes', 'a,b c', '--out', tempDir()], env());
    expect(nodes.stderr.split('\n')[0]).toBe("gpu_monitor: --nodes must be host names separated by commas, got 'b c'");
    expect((await runMonitor(['--once', '--out', 'x'], env())).stderr.split('\n')[0]).toBe('gpu_monitor: --out belongs to --cluster-config');
  });

  it('two runs at once into one directory: exactly one writes, the other writes nothing', async () => {
    const dir = tempDir();
    const runs = await Promise.all([1, 2, 3].map(() => runMonitor(['--cluster-config', 'all', '--out', dir], env())));
    expect(runs.map((run) => run.code).sort()).toEqual([0, 2, 2]);
    for (const run of runs.filter((r) => r.code === 2)) expect(run.stderr).toMatch(/already exist|appeared .* while writing/);
    expect(readdirSync(dir).sort()).toEqual(['gpu-monitor-daemonset.yaml', 'gpu-monitor-slurm.sbatch', 'grafana-gpu-monitor.json', 'prometheus-gpu-monitor.yml']);
    expect(JSON.parse(readFileSync(join(dir, 'grafana-gpu-monitor.json'), 'utf8'))).toMatchObject({ uid: 'gpu-monitor-cluster' });
  });

  it('docs/tools/gpu-monitor.md shows the files exactly as the tool writes them', () => {
    const docs = readFileSync(join(repoRoot, 'docs', 'tools', 'gpu-monitor.md'), 'utf8');
    for (const file of clusterFiles('all', { port: 9400, nodes: null }).filter((f) => !f.name.endsWith('.json'))) {
      expect(docs, file.name).toContain(`**\`${file.name}\`**`);
      expect(docs, file.name).toContain(file.text);
    }
  });
});
