// The text report, whole: each section's exact lines and styles, on facts written by hand (every
// section filled, caps hit, lists longer than the report shows) and on a repository with nothing found.
import { describe, expect, it } from 'vitest';
import { renderText } from '../../../shared/tools/architecture/render.js';
import type { ArchitectureFacts } from '../../../shared/tools/architecture/types.js';

/** Marks each style, so that the test sees which text is bold, dim or yellow. */
const tagged = (style: string, text: string) => `<${style}>${text}</${style}>`;
const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

const FULL: ArchitectureFacts = {
  tool: 'analyze_architecture',
  root: '/repo',
  scan: {
    files: 1200,
    directories: 1,
    filesRead: 7,
    maxFiles: 1200,
    maxFileBytes: 2048,
    fileCapHit: true,
    skippedLargeFiles: ['a.js', 'b.js', 'c.js', 'd.js', 'e.js', 'f.js'],
    skippedLargeCount: 6,
    skippedDirectories: ['dist/', 'node_modules/', 'v1/', 'v2/', 'v3/', 'v4/', 'v5/', 'v6/', 'v7/', 'v8/'],
    skippedDirectoryCount: 10,
    gitignorePatterns: 2,
    symlinksSkipped: 0,
  },
  languages: [
    { language: 'TypeScript', files: 900 },
    { language: 'Python', files: 1 },
  ],
  stacks: [
    { manifest: 'package.json', ecosystem: 'npm', language: 'TypeScript', name: 'shop', dependencies: { total: 5, runtime: 3, dev: 2, groups: { dependencies: 3, devDependencies: 2 } }, frameworks: ['Express'], notes: [] },
    { manifest: 'requirements.txt', ecosystem: 'python', language: 'Python', name: null, dependencies: { total: 2, runtime: null, dev: null, groups: { 'requirements.txt': 2 } }, frameworks: [], notes: ['-r other.txt: not followed'] },
    { manifest: 'setup.py', ecosystem: 'python', language: 'Python', name: 'calc', dependencies: { total: null, runtime: null, dev: null, groups: {} }, frameworks: [], notes: [] },
  ],
  directories: {
    depth: 2,
    entries: [
      { path: '.', depth: 0, files: 1200 },
      { path: 'src/', depth: 1, files: 1100 },
      { path: 'src/a-rather-long-directory-name-for-the-width-cap/', depth: 2, files: 3 },
    ],
  },
  services: {
    compose: [
      {
        file: 'docker-compose.yml',
        services: [
          { name: 'db', line: 2, image: 'postgres:16', build: null, ports: ['5432:5432'], dependsOn: [] },
          { name: 'api', line: 5, image: null, build: './api', ports: [], dependsOn: ['db'] },
          { name: 'job', line: 9, image: null, build: null, ports: [], dependsOn: [] },
        ],
      },
    ],
    kubernetes: range(52, (i) => ({ file: 'k8s.yaml', line: i * 10 + 1, apiVersion: 'v1', kind: 'Service', name: i === 0 ? null : `svc${i}`, namespace: null, images: i === 1 ? ['nginx:1'] : [] })),
    procfile: [{ file: 'Procfile', line: 1, name: 'web', command: 'gunicorn app:app' }],
  },
  routes: [
    { method: 'GET', path: '/health', framework: 'express', file: 'src/server.ts', line: 6 },
    { method: null, path: '/a-path-longer-than-the-thirty-two-column-field', framework: 'a-framework-name', file: 'src/x.ts', line: 1 },
  ],
  models: range(51, (i) => ({ name: `Model${i}`, kind: 'prisma', file: 'schema.prisma', line: i + 1 })),
  schemas: [
    { file: 'openapi.yaml', kind: 'openapi', version: '3.1.0', title: 'Shop', detail: null, count: 4, countOf: 'paths' },
    { file: 'swagger.json', kind: 'swagger', version: '2.0', title: null, detail: null, count: null, countOf: null },
    { file: 'schema.prisma', kind: 'prisma', version: null, title: null, detail: 'postgresql', count: 51, countOf: 'models' },
  ],
  graph: { nodes: [], edges: [], findings: [] },
  operations: { workloads: [], findings: [] },
  truncated: { routes: 1500 },
  diagram: { mermaid: 'flowchart LR\n  a --> b\n', nodes: 2, edges: 1 },
  notes: range(51, (i) => `note ${i}`),
};

const NOTHING: ArchitectureFacts = {
  tool: 'analyze_architecture',
  root: '/empty',
  scan: { files: 1, directories: 0, filesRead: 0, maxFiles: 20000, maxFileBytes: 1048576, fileCapHit: false, skippedLargeFiles: [], skippedLargeCount: 0, skippedDirectories: [], skippedDirectoryCount: 0, gitignorePatterns: null, symlinksSkipped: 0 },
  languages: [],
  stacks: [],
  directories: { depth: 2, entries: [{ path: '.', depth: 0, files: 1 }] },
  services: { compose: [], kubernetes: [], procfile: [] },
  routes: [],
  models: [],
  schemas: [],
  graph: { nodes: [], edges: [], findings: [] },
  operations: { workloads: [], findings: [] },
  truncated: {},
  diagram: { mermaid: 'flowchart LR\n  empty["no services or source modules found"]\n', nodes: 1, edges: 0 },
  notes: [],
};

const report = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('renderText', () => {
  it('every section, in order, with the caps, the styles and "… and N more" where a list is longer than shown', () => {
    expect(renderText(FULL, tagged)).toBe(
      report(
        '<bold>Architecture facts for /repo</bold>',
        'Scanned 1200 files in 1 directory; read 7 (caps: 1200 files, 2 KiB per file).',
        '<yellow>The file cap (1200) was hit: the deepest files were not seen. Raise it with --max-files.</yellow>',
        '<yellow>6 files over 2 KiB not read: a.js, b.js, c.js, d.js, e.js, …</yellow>',
        "Left out: dist/ node_modules/ v1/ v2/ v3/ v4/ v5/ v6/ and 2 more (vendored, build or .gitignore'd).",
        '',
        '<bold>Stacks (3 manifests)</bold>',
        '  <bold>package.json</bold>  npm · TypeScript · shop',
        '    dependencies: 5 (runtime 3, dev 2) · frameworks: Express',
        '  <bold>requirements.txt</bold>  python · Python',
        '    dependencies: 2 (this format does not separate runtime from dev)',
        '    <dim>note: -r other.txt: not followed</dim>',
        '  <bold>setup.py</bold>  python · Python · calc',
        '    dependencies: not counted',
        '',
        '<bold>Languages (files by extension)</bold>',
        '  TypeScript 900, Python 1',
        '',
        '<bold>Directory map (depth 2; files under each)</bold>',
        '  .                                               1200',
        '  src/                                            1100',
        '    src/a-rather-long-directory-name-for-the-width-cap/ 3',
        '',
        '<bold>Services</bold>',
        '  <bold>docker-compose.yml</bold>: 3 services',
        '    db    image: postgres:16 · ports 5432:5432',
        '    api   build: ./api · depends on db',
        '    job   no image or build',
        '  Kubernetes: 52 resources',
        '    Service (no name)             <dim>k8s.yaml:1</dim>',
        '    Service svc1                  images: nginx:1 <dim>k8s.yaml:11</dim>',
        ...range(48, (i) => `    ${`Service svc${i + 2}`.padEnd(30)}<dim>k8s.yaml:${(i + 2) * 10 + 1}</dim>`),
        '  … and 2 more: run with --json for the full list',
        '  Procfile web       gunicorn app:app <dim>Procfile:1</dim>',
        '',
        '<bold>HTTP routes (1500)</bold>',
        '  GET      /health                         express      <dim>src/server.ts:6</dim>',
        '  ?        /a-path-longer-than-the-thirty-two-column-field a-framework-name <dim>src/x.ts:1</dim>',
        '  … and 1498 more: run with --json for the full list',
        '<dim>  Full paths: prefixes of routers, groups and classes joined, across files where the mount names the router;</dim>',
        '<dim>  a MOUNT line is a mount whose routes were not found (mounted through a variable, a list, a library).</dim>',
        '',
        '<bold>Data models (51)</bold>',
        ...range(50, (i) => `  ${`Model${i}`.padEnd(28)}prisma          <dim>schema.prisma:${i + 1}</dim>`),
        '  … and 1 more: run with --json for the full list',
        '',
        '<bold>Schemas</bold>',
        '  openapi.yaml                    OpenAPI 3.1.0 · "Shop" · 4 paths',
        '  swagger.json                    Swagger 2.0',
        '  schema.prisma                   prisma · 51 models · postgresql',
        '',
        '<bold>Diagram (Mermaid: 2 nodes, 1 edge)</bold>',
        '```mermaid',
        'flowchart LR',
        '  a --> b',
        '```',
        '',
        '<bold>Notes</bold>',
        ...range(50, (i) => `  - note ${i}`),
        '  … and 1 more: run with --json for the full list',
      ),
    );
  });

  it('nothing found: each section says what it looked for, and there is no Notes section', () => {
    expect(renderText(NOTHING, tagged)).toBe(
      report(
        '<bold>Architecture facts for /empty</bold>',
        'Scanned 1 file in 0 directories; read 0 (caps: 20000 files, 1 MiB per file).',
        '',
        '<bold>Stacks (0 manifests)</bold>',
        '  No manifest found (looked for package.json, pyproject.toml, requirements*.txt, setup.py, go.mod, Cargo.toml, pom.xml, build.gradle(.kts), Gemfile, composer.json, *.csproj).',
        '',
        '<bold>Languages (files by extension)</bold>',
        '  No source files recognised.',
        '',
        '<bold>Directory map (depth 2; files under each)</bold>',
        '  .  1',
        '',
        '<bold>Services</bold>',
        '  docker-compose: none found (looked for docker-compose*.yml and compose*.yaml).',
        '  Kubernetes: no manifests found (YAML files with apiVersion and kind).',
        '  Procfile: none found.',
        '',
        '<bold>HTTP routes (0)</bold>',
        '  None found (looked for Express, Fastify, Koa, Hono, NestJS, Next.js (app and pages), Flask, FastAPI, Django urls.py, Go net/http, gin, echo, chi, gorilla/mux, Fiber, Spring, JAX-RS, ASP.NET Core (minimal APIs and controllers), Rails, Sinatra, Laravel, Symfony).',
        '',
        '<bold>Data models (0)</bold>',
        '  None found (looked for Prisma models, SQL CREATE TABLE, SQLAlchemy, SQLModel, Django, TypeORM, JPA, Mongoose, Sequelize, Active Record, GORM, EF Core).',
        '',
        '<bold>Schemas</bold>',
        '  None found (looked for OpenAPI/Swagger, GraphQL, Protocol Buffers and Prisma files).',
        '',
        '<bold>Diagram (Mermaid: 1 node, 0 edges)</bold>',
        '```mermaid',
        'flowchart LR',
        '  empty["no services or source modules found"]',
        '```',
      ),
    );
  });
});
