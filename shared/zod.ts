// zod, loaded on first use. Loading it costs about a quarter of Node's own start-up, and most commands
// need no schema: the built-in personas were validated by the build (persona/prevalidated.ts), so only a user's
// own persona, a persona folder changed since the build and an existing settings.json load it.
// Loaded with require, as the callers are synchronous, from dist/zod-lite.cjs: the build bundles zod's
// schema builders and English messages into it, without the locales and JSON Schema conversion that
// zod's own entry loads.
import { join } from 'node:path';
import type { z as Zod } from 'zod';
import { packageRoot } from './package-root.js';

let loaded: typeof Zod | undefined;

export function zod(): typeof Zod {
  const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
  loaded ??= (require(join(packageRoot(), 'dist', 'zod-lite.cjs')) as { z: typeof Zod }).z;
  return loaded;
}
