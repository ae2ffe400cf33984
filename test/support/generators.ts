// Running the built generators (dist/generators, what users get) with yeoman-test in a given directory.
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';

export const distGenerators = fileURLToPath(new URL('../../dist/generators', import.meta.url));

export function generatorPath(name: string): string {
  return join(distGenerators, name, 'index.js');
}

export interface RunOptions {
  args?: string[];
  options?: Record<string, unknown>;
  answers?: Record<string, unknown>;
  /** Environment options; yeoman-test defaults to force: true. */
  env?: Record<string, unknown>;
}

/** Run `dp:<name>` in `dir` (kept as is: no cleanup, so re-runs see the previous run's files). */
export function runIn(dir: string, name: string, { args = [], options = {}, answers, env = {} }: RunOptions = {}) {
  let context = helpers.run(generatorPath(name), { namespace: `dp:${name}` }, env).cd(dir).withArguments(args).withOptions(options as never);
  if (answers) context = context.withAnswers(answers);
  return context;
}

/** Every file under dir (relative paths, sorted), .git excluded. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === '.git') continue;
      const full = join(d, name);
      if (lstatSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** path -> mtime in ms and content, for "nothing was written" checks. */
/** Every file's modification time and content; a symbolic link as itself (where it points), never followed. */
export function snapshot(dir: string): Record<string, { mtimeMs: number; content: string }> {
  return Object.fromEntries(
    listFiles(dir).map((p) => {
      const full = join(dir, p);
      const link = lstatSync(full);
      return [p, { mtimeMs: link.mtimeMs, content: link.isSymbolicLink() ? `-> ${readlinkSync(full)}` : readFileSync(full, 'utf8') }];
    }),
  );
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}
