// The built-in personas as users know them: menu numbers, display names, aliases.
// Adding a persona = adding personas/<id>/ and a line here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

export interface MenuEntry {
  number: number;
  id: string;
  displayName: string;
  aliases: string[];
}

export const MENU: readonly MenuEntry[] = [
  { number: 1, id: 'developer', displayName: 'Software Developer', aliases: ['dev'] },
  { number: 2, id: 'software-architect', displayName: 'Software Architect', aliases: ['architect', 'sa'] },
  { number: 3, id: 'data-scientist', displayName: 'Data Scientist', aliases: ['ds'] },
  { number: 4, id: 'pm', displayName: 'Product Manager', aliases: ['product-manager'] },
  { number: 5, id: 'designer', displayName: 'Designer', aliases: [] },
];

/** Whether a built-in persona ships in this version (a menu entry without its folder is "coming"). */
export function isAvailable(id: string): boolean {
  return existsSync(join(packageRoot(), 'personas', id, 'persona.json'));
}

export function availableBuiltinIds(): string[] {
  return MENU.filter((entry) => isAvailable(entry.id)).map((entry) => entry.id);
}

/** The canonical id for an id, alias or menu number; undefined when unknown. */
export function canonicalId(name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  return MENU.find((entry) => entry.id === wanted || entry.aliases.includes(wanted) || String(entry.number) === wanted)?.id;
}
