// Which repository a dp command works on: -C/--cwd or the current directory, then up to the nearest
// directory that dp (or Yeoman, or git) already knows as a root, like git finds its top level.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DpError } from '../shared/errors.js';

const MARKERS = ['.claude/persona.json', '.yo-rc.json', '.git'];

export function repoRoot(cwd: string | undefined): string {
  const start = resolve(cwd ?? process.cwd());
  if (!existsSync(start) || !statSync(start).isDirectory()) {
    throw new DpError(`${start} is not a directory`, 'pass -C <repository directory>', 2);
  }
  for (let dir = start; ; dir = dirname(dir)) {
    if (MARKERS.some((marker) => existsSync(join(dir, marker)))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
