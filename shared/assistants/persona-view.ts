// A persona as planned for Claude Code (DesiredPersona) as the other assistants' renderers take it, and
// their plans back as the framework's outputs (files owned per persona, "cannot be expressed" lines).
import type { DesiredPersona } from '../merge/model.js';
import type { AssistantOutputs } from './adapter.js';
import type { AssistantPlan, PlannedPersonaView } from './assistant-plan.js';
import type { Workflow } from './workflow-text.js';

/** One frontmatter value of a command template: plain, or double-quoted (JSON's escapes are YAML's). */
function frontmatterValue(frontmatter: string, key: string): string | undefined {
  const raw = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(frontmatter)?.[1]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (raw.startsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw;
    }
  }
  return raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
}

/**
 * The persona's workflows: the command files it writes for Claude Code (`.claude/commands/<set>/<name>.md`),
 * their description and argument hint from the frontmatter, the rest as body. A custom persona's commands
 * are the user's own files, not planned: it has none here.
 */
export function workflowsOf(persona: DesiredPersona): Workflow[] {
  return persona.files
    .filter((file) => persona.commands.includes(file.path))
    .flatMap((file) => {
      const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(file.content);
      const description = match ? frontmatterValue(match[1]!, 'description') : undefined;
      if (!match || description === undefined) return [];
      const argumentHint = frontmatterValue(match[1]!, 'argument-hint');
      const userOnly = frontmatterValue(match[1]!, 'disable-model-invocation') === 'true';
      const name = file.path.split('/').at(-1)!.replace(/\.md$/, '');
      return [{ name, description, ...(argumentHint ? { argumentHint } : {}), ...(userOnly ? { userOnly } : {}), body: match[2]! }];
    });
}

export function viewOf(persona: DesiredPersona): PlannedPersonaView {
  return { id: persona.id, displayName: persona.displayName, workflows: workflowsOf(persona), permissions: persona.permissions, env: persona.env };
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
