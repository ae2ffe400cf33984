// Test helpers for analyze_architecture: sample repositories written into temp dirs, and running the
// built script (dist/scripts/analyze_architecture.mjs, the file users get).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCRIPT = fileURLToPath(new URL('../../../dist/scripts/analyze_architecture.mjs', import.meta.url));

/** Write `files` (relative path -> content) under `dir`. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built tool in `cwd` as a user would (not on a terminal), with NO_COLOR unset unless given. */
export function analyze(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The --json facts of the repository in `dir`. */
export function facts(dir: string, args: string[] = []) {
  const run = analyze(['--json', ...args], dir);
  if (run.code !== 0) throw new Error(`analyze_architecture exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
