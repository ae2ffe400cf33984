// Skill levels (shared/persona/levels.ts): an answer is checked and lower-cased, and every front end asks
// the same question with the same choices.
import { describe, expect, it } from 'vitest';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { levelQuestion, resolveLevel } from '../../shared/persona/levels.js';
import { builtinMenu } from '../../shared/persona/registry.js';

const levelled = builtinMenu().map((entry) => loadBuiltinPersona(entry.id)).find((persona) => persona.levels)!;
const levels = Object.keys(levelled.levels!);

describe('skill levels', () => {
  it('an answer in any case is the level, lower-cased', () => {
    expect(resolveLevel(levelled, levels[0]!.toUpperCase())).toBe(levels[0]);
  });

  it('an unknown level names the persona and the levels there are', () => {
    expect(() => resolveLevel(levelled, 'guru')).toThrow(`unknown level "guru" for ${levelled.displayName}`);
  });

  it('a persona without levels has none, whatever is asked', () => {
    const plain = builtinMenu().map((entry) => loadBuiltinPersona(entry.id)).find((persona) => !persona.levels)!;
    expect(resolveLevel(plain, undefined)).toBeUndefined();
  });

  it('the question: one choice per level, in order, with its description; the flag that answers it', () => {
    const question = levelQuestion(levelled);
    expect(question.message).toBe(`${levelled.displayName}: skill level?`);
    expect(question.choices.map((c) => c.value)).toEqual(levels);
    expect(question.choices[0]!.label).toBe(`${levelled.levels![levels[0]!]!.displayName}: ${levelled.levels![levels[0]!]!.description}`);
    expect(question.flag).toBe(`--level ${levels.join('|')}`);
  });
});
