// How help texts, messages and option descriptions name the built-in personas: derived from the menu,
// so that a new persona folder shows up in them without another file naming it.
import type { MenuEntry } from './registry.js';

/**
 * `count` personas for examples, in turn: those without skill levels (their examples need no --level),
 * in menu order from the featured one on, going round as often as needed. The menu is never empty.
 */
export function examplePersonas(menu: readonly MenuEntry[], count: number): MenuEntry[] {
  const start = Math.max(0, menu.findIndex((entry) => entry.featured));
  const round = [...menu.slice(start), ...menu.slice(0, start)];
  const plain = round.filter((entry) => entry.levels.length === 0);
  const pool = plain.length > 0 ? plain : round;
  return Array.from({ length: count }, (_, i) => pool[i % pool.length]!);
}

/** The personas with skill levels, and how texts name them: `developer` (or `developer or ops`). */
export function levelledPersonas(menu: readonly MenuEntry[]): { entries: MenuEntry[]; name: string; levels: string[] } {
  const entries = menu.filter((entry) => entry.levels.length > 0);
  return { entries, name: entries.map((entry) => entry.id).join(' or '), levels: [...new Set(entries.flatMap((entry) => entry.levels))] };
}
