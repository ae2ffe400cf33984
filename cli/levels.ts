// The skill level for a persona that has levels: what is already known (knownLevel), else a question
// on a terminal; without one, an error naming the flag.
import { DpError } from '../shared/errors.js';
import { knownLevel } from '../shared/engine/answers.js';
import { diskReader } from '../shared/commit/read.js';
import type { PersonaRecord } from '../shared/merge/record.js';
import { levelQuestion } from '../shared/persona/levels.js';
import type { Persona } from '../shared/persona/schema.js';
import { choose, interactive } from './prompt.js';

export async function levelFor(root: string, persona: Persona, given: string | undefined, record: PersonaRecord | null): Promise<string | undefined> {
  if (!persona.levels) {
    if (given !== undefined) throw new DpError(`the ${persona.displayName} persona has no skill levels`, 'leave out --level', 2);
    return undefined;
  }
  const known = knownLevel(diskReader(root), record, persona, given);
  if (known !== undefined) return known;
  const question = levelQuestion(persona);
  if (!interactive()) throw new DpError(`the ${persona.displayName} persona needs a skill level and there is no terminal to ask`, `pass ${question.flag}`, 2);
  return choose(question.message, question.choices);
}
