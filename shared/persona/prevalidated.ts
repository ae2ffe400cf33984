// The built-in persona.json files as the build validated them: build.mjs checks every folder with the
// schema (registry.ts checkPersonaFolders) and writes the results to dist/personas.checked.json, so a
// command takes a file's result from there instead of loading zod and compiling the schema on every run.
// A result is keyed by the file's exact text: a folder added or edited after the build is validated
// when it is read, as any persona is.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { BuiltinPersonaData, MenuData } from './schema.js';

export const CHECKED_FILE = join('dist', 'personas.checked.json');

export interface Checked {
  /** The persona.json text the build validated. */
  text: string;
  menu: MenuData;
  persona: BuiltinPersonaData;
}

let byText: Map<string, Checked> | undefined;

/** The build's result for a persona.json with exactly this text, a copy the caller may change; undefined when the build did not see it. */
export function checkedAtBuild(text: string): Checked | undefined {
  if (!byText) {
    const file = join(packageRoot(), CHECKED_FILE);
    const entries = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Checked[]) : [];
    byText = new Map(entries.map((entry) => [entry.text, entry]));
  }
  const found = byText.get(text);
  return found && structuredClone(found);
}
