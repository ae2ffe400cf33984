// The menu's choices, rendered once for its three screens: dp persona list, yo dp (and dp profile) and
// create-dp-project's question.
import { builtinMenu, type MenuEntry } from './registry.js';

export interface MenuChoice extends MenuEntry {
  /** `3)`: what users type or pick. */
  key: string;
  /** `3) Data Scientist`. */
  name: string;
}

export function menuKey(number: number): string {
  return `${number})`;
}

/** The built-in personas as menu choices, in menu order. */
export function menuChoices(menu: readonly MenuEntry[] = builtinMenu()): MenuChoice[] {
  return menu.map((entry) => ({ ...entry, key: menuKey(entry.number), name: `${menuKey(entry.number)} ${entry.displayName}` }));
}
