// Build: TypeScript -> dist/ with esbuild (type checking is `npm run typecheck`).
// - generators/, shared/ and cli/ are transpiled file by file (Yeoman looks generators up as dist/generators/*/index.js);
// - each standalone tool (shared/tools/<tool>/tool.json) is bundled into one self-contained
//   dist/scripts/<script>.mjs with a node shebang: the exact file the data-scientist persona installs.
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const dist = join(root, 'dist');
const toolsDir = join(root, 'shared', 'tools');

function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === toolsDir ? [] : tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

export function toolManifests() {
  return readdirSync(toolsDir)
    .filter((name) => existsSync(join(toolsDir, name, 'tool.json')))
    .map((name) => ({ dir: join(toolsDir, name), ...JSON.parse(readFileSync(join(toolsDir, name, 'tool.json'), 'utf8')) }));
}

export async function buildAll() {
  rmSync(dist, { recursive: true, force: true });
  const sources = ['generators', 'shared', 'cli'].flatMap((dir) => tsFiles(join(root, dir)));
  await build({
    entryPoints: sources,
    outdir: dist,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20.17',
    sourcemap: false,
    logLevel: 'warning',
  });
  for (const tool of toolManifests()) {
    const outfile = join(dist, 'scripts', `${tool.script}.mjs`);
    await build({
      entryPoints: [join(tool.dir, 'main.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.17',
      // Installed tools run with nothing but Node: any non-builtin import fails the build.
      external: [],
      banner: { js: '#!/usr/bin/env node' },
      legalComments: 'none',
      logLevel: 'warning',
    });
    chmodSync(outfile, 0o755);
  }
  return relative(root, dist);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const out = await buildAll();
  console.log(`built ${out}/ in ${Math.round(performance.now() - started)} ms`);
}
