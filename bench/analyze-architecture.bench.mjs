// Benchmark: the size of dist/scripts/analyze_architecture.mjs (yaml and smol-toml bundled in) and its
// start-up, `--help` and one run on a small sample repository (compose, Kubernetes, pyproject.toml,
// Cargo.toml, routes), as ratios against `node -e 1` measured in the same run, interleaved.
//
//   npm run bench analyze-architecture          (BENCH_RUNS=30 by default)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tool = join(root, 'dist', 'scripts', 'analyze_architecture.mjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

const build = spawnSync(process.execPath, [join(root, 'build.mjs')], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) {
  console.error(`build failed:\n${build.stderr}`);
  process.exit(1);
}

const sample = mkdtempSync(join(tmpdir(), 'dp-arch-bench-'));
process.on('exit', () => rmSync(sample, { recursive: true, force: true }));
const files = {
  'docker-compose.yml': 'x-base: &base\n  restart: always\nservices:\n  api:\n    <<: *base\n    build: ./api\n    ports: ["8000:8000"]\n    depends_on: [db]\n  db:\n    image: postgres:16\n',
  'deploy/api.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers: [{name: api, image: "ghcr.io/acme/api:1"}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\n',
  'api/pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi", "sqlalchemy>=2"]\n[dependency-groups]\ndev = ["pytest"]\n',
  'api/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/items/{id}")\ndef item(id: int): ...\n',
  'worker/Cargo.toml': '[package]\nname = "worker"\n[dependencies]\ntokio = { version = "1", features = ["full"] }\n',
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(sample, path)), { recursive: true });
  writeFileSync(join(sample, path), text);
}

const cases = {
  'node -e 1': ['-e', '1'],
  'analyze_architecture --help': [tool, '--help'],
  'analyze_architecture <sample>': [tool, '--json', sample],
};

function time(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return { ms: performance.now() - started, stdout: result.stdout };
}

// Sanity: the run reads what the sample holds.
const facts = JSON.parse(time(cases['analyze_architecture <sample>']).stdout);
if (facts.services.compose[0]?.services.length !== 2 || facts.stacks.length !== 2) throw new Error(`unexpected facts: ${JSON.stringify(facts)}`);

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let run = 0; run < RUNS + 2; run += 1) {
  for (const [name, args] of Object.entries(cases)) {
    const { ms } = time(args);
    if (run >= 2) samples[name].push(ms); // two warm-up rounds
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const baseline = median(samples['node -e 1']);
console.log(`dist/scripts/analyze_architecture.mjs: ${statSync(tool).size} bytes; ${RUNS} timed runs each, interleaved, wall-clock medians`);
for (const [name, values] of Object.entries(samples)) {
  const m = median(values);
  console.log(`  ${name.padEnd(30)} ${m.toFixed(1).padStart(7)} ms  (min ${Math.min(...values).toFixed(1)})  ${(m / baseline).toFixed(2)}x node -e 1`);
}
