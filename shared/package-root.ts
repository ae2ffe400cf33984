// Where generator-dp's own files are (personas/, dist/scripts/), from source and from dist/ alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | undefined;

function find(): { root: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'generator-dp') return { root: dir, version: pkg.version ?? '0.0.0' };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('generator-dp: cannot find its own package.json');
    dir = parent;
  }
}

export function packageRoot(): string {
  cached ??= find();
  return cached.root;
}

export function generatorVersion(): string {
  cached ??= find();
  return cached.version;
}
