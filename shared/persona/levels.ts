// Skill levels, for personas that have them (the developer's beginner, l1, l2, expert): checking an
// answer, and the one question every front end asks (yo's prompt, dp's and create-dp-project's menus).
import { DpError } from '../errors.js';
import type { Persona } from './schema.js';

/** The level to use: the answer, checked against the persona's levels (lower-cased); undefined for a persona without. */
export function resolveLevel(persona: Persona, level: string | undefined): string | undefined {
  if (!persona.levels) return undefined;
  const levels = Object.keys(persona.levels);
  if (level === undefined) {
    throw new DpError(`the ${persona.displayName} persona needs a skill level`, `pass --level ${levels.join('|')}`, 2);
  }
  const wanted = level.toLowerCase();
  if (!levels.includes(wanted)) {
    throw new DpError(`unknown level "${level}" for ${persona.displayName}`, `choose one of: ${levels.join(', ')}`, 2);
  }
  return wanted;
}

export interface LevelQuestion {
  message: string;
  choices: Array<{ value: string; label: string }>;
  /** The flag that answers it without a terminal. */
  flag: string;
}

/** The skill-level question for a persona with levels. */
export function levelQuestion(persona: Persona): LevelQuestion {
  const levels = Object.entries(persona.levels ?? {});
  return {
    message: `${persona.displayName}: skill level?`,
    choices: levels.map(([value, level]) => ({ value, label: `${level.displayName}: ${level.description}` })),
    flag: `--level ${levels.map(([value]) => value).join('|')}`,
  };
}
