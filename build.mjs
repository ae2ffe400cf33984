// Build: TypeScript -> dist/ with esbuild (type checking is `npm run typecheck`).
// - generators/ and shared/ are transpiled file by file (Yeoman looks generators up as dist/generators/*/index.js);
// - the dp CLI and create-dp-project are bundled, one file each (dist/cli/dp.js, dist/cli/create.js): loading
//   one file instead of a few hundred modules (or a dozen chunks: each ES module costs its resolution) is most of
//   a fast cold start; Yeoman stays external (only `dp profile` loads it);
// - each standalone tool (shared/tools/<tool>/tool.json) is bundled into one self-contained
//   dist/scripts/<script>.mjs with a node shebang: the exact file the data-scientist persona installs;
// - each hook script (shared/hooks/scripts/<name>.ts) likewise into dist/hooks/<name>.mjs.
// Every output is written to a temporary file and renamed, so a test run reading dist/ while another
// build runs never sees half a file.
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');
const toolsDir = join(root, 'shared', 'tools');
const common = { format: 'esm', platform: 'node', target: 'node20.17', logLevel: 'warning', write: false, legalComments: 'eof' };

function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    // Tools are bundled on their own; only their shared library is also used by the CLI (dp doctor).
    if (statSync(path).isDirectory()) return dirname(path) === toolsDir && name !== 'lib' ? [] : tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

// zod, for the code that validates (shared/zod.ts loads it on first use): zod's schema builders and English
// messages as one CommonJS file, without the locales, JSON Schema conversion and ISO dates of its own entry.
function zodLite() {
  return [
    `import { config } from './v4/core/core.js';`,
    `import en from './v4/locales/en.js';`,
    // zod's own entry sets the English messages: the same messages as unbundled.
    `config(en());`,
    // One parse per schema in a run: compiling a fast path (new Function) costs more than it saves.
    `config({ jitless: true });`,
    `export * as z from './v4/classic/schemas.js';`,
  ].join('\n');
}

// Libraries that only some commands call (YAML and TOML, to check other assistants' files): the bundle
// loads each on its first call instead of on every start. A name not listed here fails the build.
const LOADED_ON_FIRST_CALL = { yaml: ['parse'], 'smol-toml': ['parse'] };
const onFirstCall = {
  name: 'on-first-call',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(LOADED_ON_FIRST_CALL).join('|')})$`);
    // The stand-in's own require of the library resolves as usual.
    build.onResolve({ filter }, (args) => (args.namespace === 'on-first-call' ? undefined : { path: args.path, namespace: 'on-first-call' }));
    build.onLoad({ filter: /.*/, namespace: 'on-first-call' }, (args) => ({
      resolveDir: root,
      loader: 'js',
      contents: [
        'let loaded;',
        ...LOADED_ON_FIRST_CALL[args.path].map((name) => `export function ${name}(...args) { loaded ??= require(${JSON.stringify(args.path)}); return loaded.${name}(...args); }`),
      ].join('\n'),
    }));
  },
};

export function toolManifests() {
  return readdirSync(toolsDir)
    .filter((name) => existsSync(join(toolsDir, name, 'tool.json')))
    .map((name) => ({ dir: join(toolsDir, name), ...JSON.parse(readFileSync(join(toolsDir, name, 'tool.json'), 'utf8')) }));
}

function writeAtomically(path, contents, mode = 0o644) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents, { mode });
  renameSync(temporary, path);
}

/** Files under dir, recursively. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function removeEmptyDirs(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) removeEmptyDirs(path);
  }
  if (dir !== dist && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}

export async function buildAll() {
  const produced = new Set();
  const write = (path, contents, mode) => {
    writeAtomically(path, contents, mode);
    produced.add(path);
  };
  const sources = ['generators', 'shared'].flatMap((dir) => tsFiles(join(root, dir)));
  const transpiled = await build({ ...common, entryPoints: sources, outdir: dist, outbase: root });
  for (const file of transpiled.outputFiles) write(file.path, file.contents);
  const zod = await build({
    ...common,
    format: 'cjs',
    bundle: true,
    minify: true,
    stdin: { contents: zodLite(), resolveDir: dirname(require.resolve('zod/package.json')), sourcefile: 'zod-lite.js' },
    outfile: join(dist, 'zod-lite.cjs'),
  });
  for (const file of zod.outputFiles) write(file.path, file.contents);

  // The built-in personas are validated here, once, not by every command (shared/persona/prevalidated.ts):
  // an invalid persona.json fails the build.
  const { checkPersonaFolders } = await import(pathToFileURL(join(dist, 'shared', 'persona', 'registry.js')).href);
  write(join(dist, 'personas.checked.json'), `${JSON.stringify(checkPersonaFolders(join(root, 'personas')))}\n`);

  // One file per program: an ES module costs its resolution and linking however small it is, and a command
  // of dp needs most of the bundle, so splitting it into chunks loaded on use cost more than it saved. What
  // a command does not need is not run: the commands and help texts are imported when used (inlined by the
  // bundler, evaluated on use), zod (dist/zod-lite.cjs) is required only by code that validates.
  const cliOptions = {
    ...common,
    bundle: true,
    external: ['yeoman-environment', 'yeoman-generator'],
    // jsonc-parser's main entry is UMD, whose requires esbuild cannot follow: bundle its ES module build.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    plugins: [onFirstCall],
    // DP_BUILD_READABLE=1: unminified, for reading a CPU profile.
    minify: process.env.DP_BUILD_READABLE !== '1',
    // CommonJS (dist/cli/package.json says so): an ES module entry starts Node's ES module loader, and an
    // imported builtin is loaded on start even where only a command that is not run uses it; a require
    // runs when the code that needs it first runs. import.meta.url is the file's URL, as in an ES module.
    format: 'cjs',
    define: { 'import.meta.url': '__fileUrl' },
    banner: { js: "const __fileUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
  const dpBuild = await build({ ...cliOptions, entryPoints: [join(root, 'cli', 'dp.ts')], outfile: join(dist, 'cli', 'dp-main.js') });
  const createBuild = await build({ ...cliOptions, entryPoints: [join(root, 'cli', 'create.ts')], outfile: join(dist, 'cli', 'create.js') });
  for (const file of [...dpBuild.outputFiles, ...createBuild.outputFiles]) write(file.path, file.contents, 0o755);
  write(join(dist, 'cli', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  write(join(dist, 'cli', 'dp.js'), readFileSync(join(root, 'cli', 'start.cjs')), 0o755);

  for (const tool of toolManifests()) {
    const entry = join(tool.dir, 'main.ts');
    if (!existsSync(entry)) {
      console.warn(`build: ${relative(root, tool.dir)} has no main.ts yet; ${tool.script}.mjs not built`);
      continue;
    }
    const bundled = await build({
      ...common,
      entryPoints: [entry],
      outfile: join(dist, 'scripts', `${tool.script}.mjs`),
      bundle: true,
      // Installed tools run with nothing but Node: only node: builtins may stay external.
      packages: 'bundle',
      // yaml's Node entry is CommonJS requiring node:process, which an ES module bundle cannot require;
      // its ES module build (published as "browser") is the same code, and only what is used is bundled.
      alias: { yaml: join(dirname(require.resolve('yaml/package.json')), 'browser', 'dist', 'index.js') },
      banner: { js: '#!/usr/bin/env node' },
    });
    for (const file of bundled.outputFiles) write(file.path, file.contents, 0o755);
  }
  // Hook and status line scripts (shared/hooks/scripts/<name>.ts): each one self-contained file, installed as
  // .claude/hooks/<name>.mjs and run by Node from the settings command; the same rules as the tools.
  const hookScripts = join(root, 'shared', 'hooks', 'scripts');
  for (const name of existsSync(hookScripts) ? readdirSync(hookScripts).filter((n) => n.endsWith('.ts')) : []) {
    const bundled = await build({
      ...common,
      entryPoints: [join(hookScripts, name)],
      outfile: join(dist, 'hooks', name.replace(/\.ts$/, '.mjs')),
      bundle: true,
      packages: 'bundle',
      banner: { js: '#!/usr/bin/env node' },
    });
    for (const file of bundled.outputFiles) write(file.path, file.contents, 0o644);
  }
  // The personas as a Claude Code plugin marketplace (shared/plugins/marketplace.ts), from the modules and hook
  // scripts built above: dist/claude-plugins/, shipped in the package.
  const { marketplaceFiles } = await import(pathToFileURL(join(dist, 'shared', 'plugins', 'marketplace.js')).href);
  for (const file of marketplaceFiles()) write(join(dist, 'claude-plugins', file.path), file.content);
  // Outputs of sources that no longer exist go; a tool still being written keeps its last build.
  const keep = (path) => produced.has(path) || (path.startsWith(join(dist, 'scripts')) && !path.endsWith('.tmp'));
  for (const path of filesUnder(dist)) if (!keep(path)) rmSync(path, { force: true });
  removeEmptyDirs(dist);
  writeCodeCache(join(dist, 'cli', 'dp.js'));
  return relative(root, dist);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const out = await buildAll();
  console.log(`built ${out}/ in ${Math.round(performance.now() - started)} ms`);
}

/**
 * dp's code cache (cli/start.cjs): made by one real command, so that the functions a run compiles are in it.
 * In a fresh temporary folder of its own; a failed sample run leaves no cache, and dp then compiles as usual.
 */
function writeCodeCache(dpEntry) {
  const sample = mkdtempSync(join(tmpdir(), 'dp-code-cache-'));
  try {
    spawnSync('git', ['init', '-q'], { cwd: sample });
    const ran = spawnSync(process.execPath, [dpEntry, 'persona', 'add', 'data-scientist'], { cwd: sample, env: { ...process.env, DP_BUILD_CODE_CACHE: '1' }, encoding: 'utf8' });
    if (ran.status !== 0) console.warn(`build: dp's code cache not made (the sample run failed: ${(ran.stderr || '').split('\n')[0]})`);
  } finally {
    rmSync(sample, { recursive: true, force: true });
  }
}
