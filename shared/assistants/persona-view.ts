// A persona as planned (DesiredPersona, its workflows as the plan read them) as the other assistants'
// renderers take it, and their plans back as the framework's outputs (files owned per persona, "cannot be
// expressed" lines).
import type { DesiredPersona } from '../merge/model.js';
import type { AssistantOutputs } from './adapter.js';
import type { AssistantPlan, PlannedPersonaView } from './assistant-plan.js';

export function viewOf(persona: DesiredPersona): PlannedPersonaView {
  return { id: persona.id, displayName: persona.displayName, workflows: persona.workflows, permissions: persona.permissions, env: persona.env };
}

/** A renderer's plan as the framework's outputs, owned by the persona. */
export function toOutputs(persona: DesiredPersona, plan: AssistantPlan): AssistantOutputs {
  return {
    sections: [],
    files: plan.files.map((file) => ({ ...file, persona: persona.id })),
    lists: plan.lists.map((list) => ({ ...list, persona: persona.id })),
    cannotExpress: plan.cannotExpress.map((text) => ({ persona: persona.id, text })),
  };
}

/** Several personas' outputs as one. */
export function merged(outputs: AssistantOutputs[]): AssistantOutputs {
  return {
    sections: outputs.flatMap((o) => o.sections),
    files: outputs.flatMap((o) => o.files),
    lists: outputs.flatMap((o) => o.lists),
    cannotExpress: outputs.flatMap((o) => o.cannotExpress),
  };
}
