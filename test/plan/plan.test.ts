// planPersona (shared/plan/plan.ts): a persona and its answers -> what it should put in the repository.
// A level adds its own workflows and rules to the persona's, and the plan is the same every time.
import { describe, expect, it } from 'vitest';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { builtinMenu } from '../../shared/persona/registry.js';
import { planPersona } from '../../shared/plan/plan.js';

const levelled = builtinMenu().map((entry) => loadBuiltinPersona(entry.id)).find((persona) => persona.levels)!;
const [first, last] = [Object.keys(levelled.levels!)[0]!, Object.keys(levelled.levels!).at(-1)!];

describe('planPersona', () => {
  it('a level adds its workflows and rules to the persona\'s own, and records the level', () => {
    for (const level of [first, last]) {
      const plan = planPersona(levelled, { level });
      const levelData = levelled.levels![level]!;
      expect(plan.level).toBe(level);
      for (const rule of [...levelled.permissions.deny, ...levelData.permissions.deny]) expect(plan.permissions.deny).toContain(rule);
      for (const rule of levelData.permissions.allow) expect(plan.permissions.allow).toContain(rule);
      for (const name of levelData.workflows) expect(plan.files.map((f) => f.path)).toContain(`.claude/skills/${name}/SKILL.md`);
    }
  });

  it('no rule is both allowed and denied, at any level', () => {
    for (const level of Object.keys(levelled.levels!)) {
      const plan = planPersona(levelled, { level });
      expect(plan.permissions.allow.filter((rule) => plan.permissions.deny.includes(rule))).toEqual([]);
    }
  });

  it('the same answers give the same plan, byte for byte', () => {
    expect(JSON.stringify(planPersona(levelled, { level: last }))).toBe(JSON.stringify(planPersona(levelled, { level: last })));
  });

  it('a persona with levels and no level is refused, naming the flag', () => {
    expect(() => planPersona(levelled, {})).toThrow(`the ${levelled.displayName} persona needs a skill level`);
  });
});
