// The built-in personas as users know them: menu numbers, display names, aliases and level names, read
// from the persona folders (personas/<id>/persona.json). They are the one list that name lookup, the
// menus, the help texts and the generators' options derive from; checked across folders here.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { DpError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { parseJson, readText, validateBuiltin, validationError } from './load.js';
import { checkedAtBuild, type Checked } from './prevalidated.js';
import { personaSchemas, type MenuData } from './schema.js';

export interface MenuEntry {
  number: number;
  id: string;
  displayName: string;
  aliases: string[];
  /** Skill level names, in order; empty for a persona without levels. */
  levels: string[];
  featured: boolean;
}

interface Read {
  entry: MenuEntry;
  shownAs: string;
}

const HINT = 'fix the persona definition and run again';

/** A persona.json's menu fields, validated (the menu fields and level names; the rest is validated when the persona is loaded). */
function validateMenu(text: string, shownAs: string): MenuData {
  const parsed = personaSchemas().menu.safeParse(parseJson(text, shownAs));
  if (!parsed.success) throw validationError(shownAs, parsed.error);
  return parsed.data;
}

/** The menu fields as the build validated them (prevalidated.ts), else validated now. */
function menuFields(text: string, shownAs: string): MenuData {
  return checkedAtBuild(text)?.menu ?? validateMenu(text, shownAs);
}

function readEntry(personasDir: string, folder: string, menuOf: (text: string, shownAs: string) => MenuData): Read {
  const file = join(personasDir, folder, 'persona.json');
  const shownAs = relative(dirname(personasDir), file);
  const { id, displayName, menu, aliases, featured, levels } = menuOf(readText(file, shownAs), shownAs);
  if (id !== folder) throw new DpError(`${shownAs}: id: must be "${folder}" (the folder name), got "${id}"`, HINT);
  return { entry: { number: menu, id, displayName, aliases, levels: Object.keys(levels ?? {}), featured }, shownAs };
}

/** Numbers run 1..n, each once; an alias names one persona and is no persona's id; one persona is featured. */
function checkAcross(read: Read[], shownDir: string): void {
  const numbers = new Map<number, string>();
  const names = new Map(read.map(({ entry, shownAs }) => [entry.id, `the id of ${shownAs}`]));
  for (const { entry, shownAs } of read) {
    const taken = numbers.get(entry.number);
    if (taken) throw new DpError(`${shownAs}: menu: ${entry.number} is the number of ${taken} too`, HINT);
    if (entry.number > read.length) throw new DpError(`${shownAs}: menu: ${entry.number} leaves a gap: the ${read.length} personas are numbered 1 to ${read.length}`, HINT);
    numbers.set(entry.number, shownAs);
    for (const alias of entry.aliases) {
      const owner = names.get(alias);
      if (owner) throw new DpError(`${shownAs}: aliases: "${alias}" is ${owner}`, HINT);
      names.set(alias, `an alias in ${shownAs}`);
    }
  }
  const featured = read.filter((r) => r.entry.featured);
  if (featured.length > 1) throw new DpError(`${featured[1]!.shownAs}: featured: ${featured[0]!.shownAs} is featured already; only one persona is`, HINT);
  if (featured.length === 0) throw new DpError(`no persona in ${shownDir}/ is featured (the help texts' examples start with it)`, 'set "featured": true in one persona.json');
}

function personaFolders(personasDir: string): string[] {
  return readdirSync(personasDir, { withFileTypes: true })
    .filter((dirent) => dirent.isDirectory() && existsSync(join(personasDir, dirent.name, 'persona.json')))
    .map((dirent) => dirent.name)
    .sort();
}

/** The menu from the persona folders under `personasDir` (a folder without persona.json is not a persona), in menu order. */
export function loadMenu(personasDir: string): MenuEntry[] {
  const read = personaFolders(personasDir).map((folder) => readEntry(personasDir, folder, menuFields));
  checkAcross(read, basename(personasDir));
  return read.map((r) => r.entry).sort((a, b) => a.number - b.number);
}

/**
 * The build's check (build.mjs): every persona.json under `personasDir` validated in full and the folders
 * checked against each other; what dist/personas.checked.json holds.
 */
export function checkPersonaFolders(personasDir: string): Checked[] {
  const checked: Checked[] = [];
  const read = personaFolders(personasDir).map((folder) =>
    readEntry(personasDir, folder, (text, shownAs) => {
      const menu = validateMenu(text, shownAs);
      checked.push({ text, menu, persona: validateBuiltin(parseJson(text, shownAs), shownAs) });
      return menu;
    }),
  );
  checkAcross(read, basename(personasDir));
  return checked;
}

let builtin: MenuEntry[] | undefined;

/** The personas this package ships. */
export function builtinMenu(): readonly MenuEntry[] {
  builtin ??= loadMenu(join(packageRoot(), 'personas'));
  return builtin;
}

export function builtinIds(): string[] {
  return builtinMenu().map((entry) => entry.id);
}

/** The canonical id for an id, alias or menu number; undefined when unknown. */
export function canonicalId(name: string, menu: readonly MenuEntry[] = builtinMenu()): string | undefined {
  const wanted = name.trim().toLowerCase();
  return menu.find((entry) => entry.id === wanted || entry.aliases.includes(wanted) || String(entry.number) === wanted)?.id;
}
