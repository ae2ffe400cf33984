// A persona's hook scripts: each bundled into dist/hooks/<script>.mjs (build.mjs, exactly the file the tests
// run) and installed as .claude/hooks/<script>.mjs, run by Node from the settings command (shared/hooks/install.ts).
// Kept or replaced by hash on upgrade (`update: 'replace'`), never merged, like the bundled tools.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DpError } from '../errors.js';
import { hookScriptPath } from '../hooks/install.js';
import { packageRoot } from '../package-root.js';
import type { DesiredFile } from '../merge/model.js';

export function hookFile(script: string): DesiredFile {
  let bundle: string;
  try {
    bundle = readFileSync(join(packageRoot(), 'dist', 'hooks', `${script}.mjs`), 'utf8');
  } catch {
    throw new DpError(`the hook script ${script} is not built (dist/hooks/${script}.mjs is missing)`, 'run `npm run build` in the generator-dp package');
  }
  return { path: hookScriptPath(script), content: bundle, executable: false, update: 'replace' };
}
