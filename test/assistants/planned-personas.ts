// Every built-in persona at every level, planned, as the assistants' renderers take it: the workflows
// as the plan reads them from the persona's templates (DesiredPersona.workflows).
import type { PlannedPersonaView } from '../../shared/assistants/assistant-plan.js';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { builtinMenu } from '../../shared/persona/registry.js';
import { planPersona } from '../../shared/plan/plan.js';

export function plannedPersonas(): Array<{ label: string; view: PlannedPersonaView }> {
  return builtinMenu().flatMap((entry) => {
    const persona = loadBuiltinPersona(entry.id);
    const levels: Array<string | undefined> = persona.levels ? Object.keys(persona.levels) : [undefined];
    return levels.map((level) => {
      const plan = planPersona(persona, level ? { level } : {});
      return { label: level ? `${entry.id} (${level})` : entry.id, view: { id: plan.id, displayName: plan.displayName, workflows: plan.workflows, permissions: plan.permissions, env: plan.env } };
    });
  });
}

/** Each built-in persona once, at its last level (the most workflows): their workflow names never collide. */
export function onePlanPerPersona(): PlannedPersonaView[] {
  const byId = new Map<string, PlannedPersonaView>();
  for (const { view } of plannedPersonas()) byId.set(view.id, view);
  return [...byId.values()];
}
