// The files a standalone tool installs: the bundled script (dist/scripts/<script>.mjs, exactly the file
// the tests run) as scripts/<script>.mjs, and a scripts/<script>.sh shim so the names users know keep working.
// Both are kept or replaced by hash on upgrade (`update: 'replace'`), never merged: no base is stored for them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DpError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import type { DesiredFile } from '../merge/model.js';

function toolScriptPath(script: string): string {
  return join(packageRoot(), 'dist', 'scripts', `${script}.mjs`);
}

function shimContent(script: string): string {
  return [
    '#!/bin/sh',
    `# ${script}: runs scripts/${script}.mjs with Node.js (installed by generator-dp; needs nothing else).`,
    `command -v node >/dev/null 2>&1 || { echo "${script}: Node.js >= 20 is required: install it from https://nodejs.org" >&2; exit 2; }`,
    `exec node "$(dirname "$0")/${script}.mjs" "$@"`,
    '',
  ].join('\n');
}

export function toolFiles(script: string): DesiredFile[] {
  let bundle: string;
  try {
    bundle = readFileSync(toolScriptPath(script), 'utf8');
  } catch {
    throw new DpError(`the tool ${script} is not built (dist/scripts/${script}.mjs is missing)`, 'run `npm run build` in the generator-dp package');
  }
  return [
    { path: `scripts/${script}.mjs`, content: bundle, executable: true, update: 'replace' },
    { path: `scripts/${script}.sh`, content: shimContent(script), executable: true, update: 'replace' },
  ];
}
