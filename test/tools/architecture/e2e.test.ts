// The built script (dist/scripts/analyze_architecture.mjs, the file users get) on small sample
// repositories written into temp dirs, run as a user runs it.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onTerminal } from '../../support/cli.js';
import { useTempDir } from '../../support/tmp.js';
import { analyze, facts, SCRIPT, writeTree } from './helpers.js';
import { COMPOSE_THREE_SERVICES, GO_SERVICE, KUBERNETES, NODE_EXPRESS, PYTHON_FASTAPI, PYTHON_FLASK } from './samples.js';

const newDir = useTempDir('dp-arch-');
const sample = (files: Record<string, string>) => writeTree(newDir(), files);

describe('analyze_architecture on a Node/Express repository', () => {
  it('reports the stack, dependency counts, routes with file:line and the Mongoose models', () => {
    const dir = sample(NODE_EXPRESS);
    const f = facts(dir);
    expect(f.tool).toBe('analyze_architecture');
    expect(f.root).toBe(dir);
    expect(f.stacks).toEqual([
      {
        manifest: 'package.json',
        ecosystem: 'npm',
        language: 'TypeScript',
        name: 'shop-web',
        dependencies: { total: 6, runtime: 3, dev: 2, groups: { dependencies: 3, devDependencies: 2, peerDependencies: 1 } },
        frameworks: ['Express', 'React', 'Mongoose'],
        notes: [],
      },
    ]);
    // axios.get('/not-a-route') is a client call, test/ holds requests, node_modules/ and dist/ are left out.
    // The router imported into server.ts and mounted there gets its prefix; each part says where it is written.
    const mount = { path: '/api/orders', file: 'src/server.ts', line: 7 };
    expect(f.routes).toEqual([
      { method: 'GET', path: '/api/orders', framework: 'express', file: 'src/routes/orders.ts', line: 3, parts: [mount, { path: '/', file: 'src/routes/orders.ts', line: 3 }] },
      { method: 'POST', path: '/api/orders', framework: 'express', file: 'src/routes/orders.ts', line: 4, parts: [mount, { path: '/', file: 'src/routes/orders.ts', line: 4 }] },
      { method: 'GET', path: '/api/orders/:id', framework: 'express', file: 'src/routes/orders.ts', line: 5, parts: [mount, { path: '/:id', file: 'src/routes/orders.ts', line: 5 }] },
      { method: 'DELETE', path: '/api/orders/:id', framework: 'express', file: 'src/routes/orders.ts', line: 5, parts: [mount, { path: '/:id', file: 'src/routes/orders.ts', line: 5 }] },
      { method: 'GET', path: '/health', framework: 'express', file: 'src/server.ts', line: 6 },
    ]);
    // The schema and the model of one entity are one model, with both sources.
    expect(f.models).toEqual([
      {
        name: 'User',
        kind: 'mongoose-model',
        file: 'src/models/user.ts',
        line: 3,
        sources: [
          { name: 'UserSchema', kind: 'mongoose-schema', file: 'src/models/user.ts', line: 2 },
          { name: 'User', kind: 'mongoose-model', file: 'src/models/user.ts', line: 3 },
        ],
      },
    ]);
    expect(f.scan.skippedDirectories).toEqual(['dist/', 'node_modules/']);
    expect(f.languages).toEqual([{ language: 'TypeScript', files: 4 }]);
    expect(f.directories).toEqual({
      depth: 2,
      entries: [
        { path: '.', depth: 0, files: 5 },
        { path: 'src/', depth: 1, files: 3 },
        { path: 'src/models/', depth: 2, files: 1 },
        { path: 'src/routes/', depth: 2, files: 1 },
        { path: 'test/', depth: 1, files: 1 },
      ],
    });
  });

  it('colours headings on a terminal, and never with NO_COLOR', async () => {
    const dir = sample(NODE_EXPRESS);
    const coloured = await onTerminal(dir, ['env', '-u', 'NO_COLOR', process.execPath, SCRIPT], '');
    expect(coloured.stdout).toContain('\x1b[1mStacks (1 manifest)\x1b[0m');
    const plain = await onTerminal(dir, ['env', 'NO_COLOR=1', process.execPath, SCRIPT], '');
    expect(plain.stdout).toContain('Stacks (1 manifest)');
    expect(plain.stdout).not.toContain('\x1b[');
  });

  it('prints the same facts as text, without colour when not on a terminal', () => {
    const dir = sample(NODE_EXPRESS);
    const run = analyze([], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('\x1b[');
    expect(run.stdout).toContain(`Architecture facts for ${dir}`);
    expect(run.stdout).toMatch(/package\.json {2}npm · TypeScript · shop-web\n {4}dependencies: 6 \(runtime 3, dev 2\) · frameworks: Express, React, Mongoose/);
    expect(run.stdout).toMatch(/GET +\/api\/orders\/:id +express +src\/routes\/orders\.ts:5/);
    expect(run.stdout).toContain('Left out: dist/ node_modules/');
    expect(run.stdout).toContain('docker-compose: none found');
    expect(run.stdout).toContain('Schemas\n  None found (looked for OpenAPI/Swagger, GraphQL, Protocol Buffers and Prisma files).');
    expect(run.stdout).toContain('```mermaid\nflowchart LR\n');
  });
});

describe('analyze_architecture on Python repositories', () => {
  it('FastAPI: pyproject groups, decorator routes with the router prefix, SQLAlchemy and SQL tables', () => {
    const f = facts(sample(PYTHON_FASTAPI));
    expect(f.stacks).toHaveLength(1);
    expect(f.stacks[0]).toMatchObject({
      manifest: 'pyproject.toml',
      name: 'orders-api',
      dependencies: { total: 6, runtime: 3, dev: 2, groups: { 'project.dependencies': 3, 'project.optional-dependencies.docs': 1, 'dependency-groups.dev': 2 } },
      frameworks: ['FastAPI', 'SQLAlchemy', 'Uvicorn'],
    });
    expect(f.routes).toEqual([
      { method: 'GET', path: '/health', framework: 'fastapi', file: 'app/main.py', line: 6 },
      { method: 'POST', path: '/items/', framework: 'fastapi', file: 'app/main.py', line: 10, parts: [{ path: '/items', file: 'app/main.py', line: 4 }, { path: '/', file: 'app/main.py', line: 10 }] },
      { method: 'GET', path: '/legacy', framework: 'fastapi', file: 'app/main.py', line: 14 },
      { method: 'POST', path: '/legacy', framework: 'fastapi', file: 'app/main.py', line: 14 },
    ]);
    // The SQLAlchemy class and its migration's CREATE TABLE are one model, with both sources.
    expect(f.models).toEqual([
      {
        name: 'Item',
        kind: 'sqlalchemy',
        file: 'app/models.py',
        line: 6,
        sources: [
          { name: 'Item', kind: 'sqlalchemy', file: 'app/models.py', line: 6 },
          { name: 'public.items', kind: 'sql-table', file: 'migrations/0001_init.sql', line: 1 },
        ],
      },
      { name: 'audit_log', kind: 'sql-table', file: 'migrations/0001_init.sql', line: 2 },
    ]);
    expect(f.scan.skippedDirectories).toEqual(['.venv/', '__pycache__/']);
  });

  it('Flask: requirements.txt counted without a runtime/dev split it does not have, routes with methods', () => {
    const dir = sample(PYTHON_FLASK);
    const f = facts(dir);
    expect(f.stacks[0]).toMatchObject({
      manifest: 'requirements.txt',
      name: null,
      dependencies: { total: 3, runtime: null, dev: null },
      frameworks: ['Flask', 'SQLAlchemy', 'Gunicorn'],
      notes: ['includes requirements-extra.txt (not followed; counted where found)'],
    });
    expect(f.routes.map((r: { method: string; path: string; line: number }) => `${r.method} ${r.path} :${r.line}`)).toEqual(['GET /notes :10', 'POST /notes :10', 'GET / :14']);
    expect(f.models).toEqual([{ name: 'Note', kind: 'sqlalchemy', file: 'app.py', line: 7 }]);
    expect(analyze([], dir).stdout).toContain('dependencies: 3 (this format does not separate runtime from dev)');
  });
});

describe('analyze_architecture on a Go repository', () => {
  it('reads go.mod (direct and indirect) and chi and net/http routes, skipping _test.go files', () => {
    const f = facts(sample(GO_SERVICE));
    expect(f.stacks[0]).toEqual({
      manifest: 'go.mod',
      ecosystem: 'go',
      language: 'Go',
      name: 'github.com/acme/inventory',
      dependencies: { total: 4, runtime: null, dev: null, groups: { require: 3, 'require (indirect)': 1 } },
      frameworks: ['chi', 'PostgreSQL client'],
      notes: ['go 1.22'],
    });
    expect(f.routes).toEqual([
      { method: 'GET', path: '/stock/{sku}', framework: 'chi', file: 'cmd/server/main.go', line: 11 },
      { method: 'POST', path: '/stock', framework: 'chi', file: 'cmd/server/main.go', line: 12 },
      { method: 'MOUNT', path: '/admin', framework: 'chi', file: 'cmd/server/main.go', line: 13 },
      { method: 'GET', path: '/healthz', framework: 'net/http', file: 'cmd/server/main.go', line: 14 },
    ]);
  });
});

describe('analyze_architecture on services', () => {
  it('docker-compose with three services: image/build, ports in both syntaxes, depends_on as list and map', () => {
    const dir = sample(COMPOSE_THREE_SERVICES);
    const f = facts(dir);
    expect(f.services.compose).toEqual([
      {
        file: 'docker-compose.yml',
        services: [
          { name: 'web', line: 3, image: null, build: './web', ports: ['8080:80'], dependsOn: ['api'] },
          { name: 'api', line: 9, image: null, build: './api', ports: ['8000:8000'], dependsOn: ['db'] },
          { name: 'db', line: 19, image: 'postgres:16', build: null, ports: ['5432:5432'], dependsOn: [] },
        ],
      },
    ]);
    const text = analyze([], dir).stdout;
    expect(text).toContain('docker-compose.yml: 3 services');
    expect(text).toMatch(/ {4}web +build: \.\/web · ports 8080:80 · depends on api\n/);
    expect(text).toMatch(/ {4}db +image: postgres:16 · ports 5432:5432\n/);
    // The environment is never part of the report.
    expect(text).not.toContain('secret');
    expect(JSON.stringify(f)).not.toContain('secret');
  });

  it('draws the components: services with their depends_on edges and the modules they are built from', () => {
    const f = facts(sample(COMPOSE_THREE_SERVICES));
    expect(f.diagram).toEqual({
      mermaid: [
        'flowchart LR',
        '  subgraph modules["Top-level modules"]',
        '    mod_api["api/<br/>1 source file(s): Python"]',
        '    mod_web["web/<br/>1 source file(s): JavaScript"]',
        '  end',
        '  subgraph compose_0["docker-compose.yml"]',
        '    svc0_web["web<br/>build: ./web<br/>ports: 8080:80"]',
        '    svc0_api["api<br/>build: ./api<br/>ports: 8000:8000"]',
        '    svc0_db[("db<br/>image: postgres:16<br/>ports: 5432:5432")]',
        '  end',
        '  svc0_web -->|depends on| svc0_api',
        '  svc0_api -->|depends on, DATABASE_URL| svc0_db',
        '  svc0_web -.->|built from| mod_web',
        '  svc0_api -.->|built from| mod_api',
        '',
      ].join('\n'),
      nodes: 5,
      edges: 4,
    });
  });

  it('Kubernetes manifests (several documents, flow style) and a Procfile', () => {
    const dir = sample(KUBERNETES);
    const f = facts(dir);
    expect(f.services.kubernetes).toEqual([
      { file: 'deploy/k8s/api.yaml', line: 1, apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'shop', images: ['ghcr.io/acme/migrate:1.0', 'ghcr.io/acme/api:2.3.1'] },
      { file: 'deploy/k8s/api.yaml', line: 19, apiVersion: 'v1', kind: 'Service', name: 'api', namespace: 'shop', images: [] },
      { file: 'deploy/k8s/db.yml', line: 1, apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', namespace: null, images: ['postgres:16'] },
    ]);
    expect(f.services.procfile).toEqual([
      { file: 'Procfile', line: 1, name: 'web', command: 'gunicorn app:app' },
      { file: 'Procfile', line: 2, name: 'worker', command: 'celery -A tasks worker' },
    ]);
    expect(f.diagram.mermaid).toContain('  subgraph kubernetes["Kubernetes manifests"]\n    k8s_Deployment_api["Deployment api<br/>ghcr.io/acme/migrate:1.0, ghcr.io/acme/api:2.3.1"]\n');
    expect(f.diagram.mermaid).toContain('    proc_worker["worker<br/>celery -A tasks worker"]\n');
    const text = analyze([], dir).stdout;
    expect(text).toMatch(/Deployment api +images: ghcr\.io\/acme\/migrate:1\.0, ghcr\.io\/acme\/api:2\.3\.1 deploy\/k8s\/api\.yaml:1/);
    expect(text).toContain('Procfile worker    celery -A tasks worker Procfile:2');
  });
});

describe('analyze_architecture says what it could not see', () => {
  it('an empty repository: every section says none found, the diagram says so too', () => {
    const dir = newDir();
    const f = facts(dir);
    expect(f).toMatchObject({ stacks: [], routes: [], models: [], schemas: [], languages: [], services: { compose: [], kubernetes: [], procfile: [] }, notes: [] });
    expect(f.diagram).toEqual({ mermaid: 'flowchart LR\n  empty["no services or source modules found"]\n', nodes: 1, edges: 0 });
    const text = analyze([], dir).stdout;
    expect(text).toContain('No manifest found (looked for package.json, pyproject.toml');
    expect(text).toContain('HTTP routes (0)\n  None found (looked for Express');
    expect(text).toContain('Data models (0)\n  None found (looked for Prisma models');
  });

  it('the top-level .gitignore and symbolic links are not followed', () => {
    const dir = sample({ '.gitignore': '# generated\n/generated/\n*.log\n!keep.log\n', 'generated/api.ts': "app.get('/gen', h);\n", 'src/a.log': 'x', 'src/app.ts': "app.get('/real', h);\n" });
    symlinkSync(join(dir, 'src'), join(dir, 'loop'));
    const f = facts(dir);
    expect(f.routes.map((r: { path: string }) => r.path)).toEqual(['/real']);
    expect(f.scan).toMatchObject({ files: 2, gitignorePatterns: 2, skippedDirectories: ['generated/'], symlinksSkipped: 1 });
    expect(f.notes).toEqual(['.gitignore: 1 negated pattern(s) (!pattern) not applied: what they re-include stays excluded']);
  });

  it('stops at --max-files and skips files over --max-file-kb, and says so', () => {
    const files: Record<string, string> = { 'big/routes.js': `app.get('/big', h);\n${'// padding\n'.repeat(300)}` };
    for (let i = 0; i < 5; i += 1) files[`f${i}.js`] = `app.get('/f${i}', h);\n`;
    const dir = sample(files);
    const f = facts(dir, ['--max-files', '3', '--max-file-kb', '2']);
    expect(f.scan).toMatchObject({ files: 3, fileCapHit: true, maxFiles: 3, maxFileBytes: 2048, skippedLargeCount: 0 });
    const large = facts(dir, ['--max-file-kb', '2']);
    expect(large.scan).toMatchObject({ fileCapHit: false, skippedLargeFiles: ['big/routes.js'], skippedLargeCount: 1 });
    expect(large.routes.map((r: { path: string }) => r.path)).not.toContain('/big');
    const text = analyze(['--max-files', '3'], dir).stdout;
    expect(text).toContain('The file cap (3) was hit: the deepest files were not seen. Raise it with --max-files.');
    expect(analyze(['--max-file-kb', '2'], dir).stdout).toContain('1 file over 2 KiB not read: big/routes.js');
  });

  it('a file it cannot analyse costs only its own facts, with a note', () => {
    const f = facts(sample({ 'deep.yaml': `apiVersion: v1\nkind: List\nitems: ${'['.repeat(200_000)}\n`, 'app.py': 'from flask import Flask\n@app.get("/ok")\ndef ok(): ...\n' }));
    expect(f.routes.map((r: { path: string }) => r.path)).toEqual(['/ok']);
    expect(f.notes).toEqual([expect.stringMatching(/^deep\.yaml: could not be analysed \(.+\)$/)]);
  });

  it('a YAML or TOML file that is not valid: one note naming the line, the rest of the report intact', () => {
    const dir = sample({
      'docker-compose.yml': 'services:\n  web:\n      image: a\n    ports: []\n',
      'Cargo.toml': '[package]\nname = "svc"\nthis is not toml\n',
      'deploy/api.yaml': KUBERNETES['deploy/k8s/db.yml']!,
    });
    const f = facts(dir);
    expect(f.services.compose).toEqual([]);
    expect(f.services.kubernetes.map((k: { name: string }) => k.name)).toEqual(['db']);
    expect(f.stacks[0]).toMatchObject({ manifest: 'Cargo.toml', name: null, dependencies: { total: null }, notes: ['not valid TOML (line 3: illegal character in key): dependencies not counted'] });
    expect(f.notes).toEqual(['docker-compose.yml: could not be analysed (not valid YAML: line 4: All mapping items must start at the same column)']);
    const run = analyze([], dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('  - docker-compose.yml: could not be analysed (not valid YAML: line 4: All mapping items must start at the same column)\n');
    expect(run.stdout).toContain('note: not valid TOML (line 3: illegal character in key): dependencies not counted');
  });

  it('counts directories against the cap too', () => {
    const dir = newDir();
    for (let i = 0; i < 10; i += 1) mkdirSync(join(dir, `empty${i}`));
    expect(facts(dir, ['--max-files', '5']).scan).toMatchObject({ files: 0, directories: 5, fileCapHit: true });
  });

  it('a Helm template: values written as templates are not rendered, and a note says so', () => {
    const f = facts(
      sample({
        'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
        'chart/templates/svc.yaml': ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: {{ include "chart.fullname" . }}', '  namespace: "{{ .Release.Namespace }}"', ''].join('\n'),
        'chart/templates/deployment.yaml': ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: "{{ .Release.Name }}-api"', 'spec:', '  replicas: {{ .Values.replicas }}', ''].join('\n'),
      }),
    );
    expect(f.services.kubernetes).toEqual([
      { file: 'chart/templates/deployment.yaml', line: 1, apiVersion: 'apps/v1', kind: 'Deployment', name: '{{ .Release.Name }}-api', namespace: null, images: [] },
      { file: 'chart/templates/svc.yaml', line: 1, apiVersion: 'v1', kind: 'Service', name: null, namespace: '{{ .Release.Namespace }}', images: [] },
    ]);
    expect(f.graph.nodes).toEqual([]);
    expect(f.operations.workloads).toEqual([]);
    // One note for all the templates of a chart, not one per file.
    expect(f.notes).toEqual([
      '2 template file(s) ({{ }}) not rendered (2 in Helm chart chart/; first: chart/templates/deployment.yaml): a templated value is reported as written when quoted, otherwise as null; 2 resource(s) whose name is templated are listed but not grouped, drawn or given operational facts',
    ]);
  });

  it('reads each file once: a manifest that is also a source file (setup.py) is not read again', () => {
    const setup = 'from setuptools import setup\nsetup(name="calc", install_requires=["flask"])\n';
    const f = facts(sample({ 'setup.py': setup, 'requirements.txt': 'flask==3.0\n' }));
    expect(f.scan).toMatchObject({ files: 2, filesRead: 2 });
    expect(f.stacks.map((s: { manifest: string }) => s.manifest)).toEqual(['requirements.txt', 'setup.py']);
    expect(analyze([], sample({ 'setup.py': setup, 'requirements.txt': 'flask==3.0\n' })).stdout).toContain('Scanned 2 files in 1 directory; read 2 ');
    // Over the size cap: skipped once, listed once, one note.
    const large = facts(sample({ 'setup.py': `${setup}${'# padding\n'.repeat(300)}`, 'app.py': 'print(1)\n' }), ['--max-file-kb', '2']);
    expect(large.scan).toMatchObject({ files: 2, filesRead: 1, skippedLargeFiles: ['setup.py'], skippedLargeCount: 1 });
    expect(large.notes).toEqual(['setup.py: manifest not read (over the size cap or unreadable)']);
  });

  it('a manifest it cannot read is reported with a note, not guessed', () => {
    const f = facts(sample({ 'package.json': '{"name": "broken",', 'setup.py': 'from setuptools import setup\nsetup(name="calc", install_requires=load_requirements())\n' }));
    expect(f.stacks).toEqual([
      expect.objectContaining({ manifest: 'package.json', name: null, dependencies: { total: null, runtime: null, dev: null, groups: {} }, notes: ['not valid JSON: dependencies not counted'] }),
      expect.objectContaining({ manifest: 'setup.py', name: 'calc', dependencies: { total: null, runtime: null, dev: null, groups: {} }, notes: ['install_requires is computed in code: not counted'] }),
    ]);
  });
});

describe('analyze_architecture usage', () => {
  it('--help prints the options and examples, exit 0', () => {
    const run = analyze(['--help'], newDir());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: analyze_architecture \[path\] \[options\]/);
    expect(run.stdout).toContain('--json');
    expect(run.stdout).toContain('Examples:\n  scripts/analyze_architecture.sh ');
  });

  it('a path argument analyses that directory', () => {
    const dir = newDir();
    writeTree(join(dir, 'services/api'), GO_SERVICE);
    const f = facts(dir, ['services/api']);
    expect(f.root).toBe(join(dir, 'services/api'));
    expect(f.stacks.map((s: { manifest: string }) => s.manifest)).toEqual(['go.mod']);
  });

  it.each([
    [['does/not/exist'], /^analyze_architecture: no such directory: does\/not\/exist\n {2}pass the path of a repository/],
    [['package.json'], /^analyze_architecture: package\.json is a file, not a directory\n/],
    [['--depth', '0'], /^analyze_architecture: --depth must be an integer between 1 and 8, got '0'\n$/],
    [['--frobnicate'], /^analyze_architecture: unknown option '--frobnicate'.*\n {2}run 'analyze_architecture --help' for the options\n$/],
    [['a', 'b'], /^analyze_architecture: expected one path, got 2: a b\n/],
  ])('%j is bad usage: one line and a hint, exit 2, no stack trace', (args, message) => {
    const dir = newDir();
    writeFileSync(join(dir, 'package.json'), '{}');
    mkdirSync(join(dir, 'a'));
    const run = analyze(args, dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
