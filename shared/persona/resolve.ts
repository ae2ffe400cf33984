// Find a persona by name: a built-in one (id, alias or menu number), else the repository's own
// (profiles/personas/<id>.json, the seed format). Unknown names fail with the list of known ones.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DpError } from '../errors.js';
import { refuseBidiControls, refuseBidiFileName } from './bidi.js';
import { builtinIds, canonicalId } from './registry.js';
import { loadBuiltinPersona, parsePersona, readJsonFile } from './load.js';
import type { Persona } from './schema.js';

export const CUSTOM_DIR = 'profiles/personas';

/** Ids of the repository's own personas (profiles/personas/*.json). */
export function customPersonaIds(repoRoot: string): string[] {
  const dir = join(repoRoot, CUSTOM_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

function loadCustomPersona(repoRoot: string, id: string): Persona {
  const shownAs = `${CUSTOM_DIR}/${id}.json`;
  const file = join(repoRoot, shownAs);
  const data = readJsonFile(file, shownAs);
  refuseBidiControls(data, shownAs);
  if (typeof data !== 'object' || data === null || !('persona' in data)) {
    throw new DpError(`${shownAs}: persona: required`, `write it as {"persona": "${id}", "display_name": "...", "permissions": {"allow": [], "block": []}, "environment": {}}`);
  }
  const persona = parsePersona(data, { kind: 'custom', dir: repoRoot, file }, shownAs);
  if (persona.id !== id) throw new DpError(`${shownAs}: persona: must be "${id}" (the file name), got "${persona.id}"`, 'rename the file or fix the field');
  if (canonicalId(id)) throw new DpError(`${shownAs}: persona: "${id}" is the name of a built-in persona`, 'choose another id for your own persona');
  return persona;
}

export function loadPersona(name: string, repoRoot: string): Persona {
  const builtin = canonicalId(name);
  if (builtin) return loadBuiltinPersona(builtin);
  if (customPersonaIds(repoRoot).includes(name)) return loadCustomPersona(repoRoot, name);
  const known = [...builtinIds(), ...customPersonaIds(repoRoot)];
  throw new DpError(`unknown persona "${name}"`, `known personas: ${known.join(', ')} (or define your own in ${CUSTOM_DIR}/<id>.json)`, 2);
}

/** A workflow a custom persona's user keeps: dp lists it in the CLAUDE.md section, never writes it. */
export interface UserWorkflow {
  name: string;
  path: string;
  /** What the user types: a command in a folder is `/<folder>:<name>` (Claude Code joins the folders with `:`). */
  invocation: string;
}

export function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/**
 * The workflows of a custom persona: every `<name>.md` and `<name>/SKILL.md` in .claude/commands/sets/<id>/,
 * and each name its definition lists that is a skill, .claude/skills/<name>/SKILL.md. A listed name with
 * no file is listed as the command file it should be (`dp doctor` and the warnings below name it).
 */
export function userWorkflows(repoRoot: string, persona: Persona): UserWorkflow[] {
  const set = `.claude/commands/${persona.commandSet}`;
  const namespace = persona.commandSet!.split('/').join(':');
  const found = new Map<string, UserWorkflow>();
  const dir = join(repoRoot, set);
  if (existsSync(dir)) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.isDirectory() ? entry.name : entry.name.endsWith('.md') ? entry.name.slice(0, -'.md'.length) : null;
      const path = entry.isDirectory() ? `${set}/${entry.name}/SKILL.md` : `${set}/${entry.name}`;
      if (name === null || !isFile(join(repoRoot, path))) continue;
      // The names are listed in the CLAUDE.md section; the files' contents are the user's and never copied.
      refuseBidiFileName(set, entry.name);
      found.set(name, { name, path, invocation: `/${namespace}:${name}` });
    }
  }
  for (const name of persona.workflows) {
    const path = `.claude/skills/${name}/SKILL.md`;
    if (found.has(name)) continue;
    found.set(name, isFile(join(repoRoot, path)) ? { name, path, invocation: `/${name}` } : { name, path: `${set}/${name}.md`, invocation: `/${namespace}:${name}` });
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
