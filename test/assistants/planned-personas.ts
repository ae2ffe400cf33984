// Every built-in persona at every level, planned, as the assistants' renderers take it: the workflows
// are the persona's commands (frontmatter description and argument hint, the rest as body).
import { parse } from 'yaml';
import type { PlannedPersonaView } from '../../shared/assistants/assistant-plan.js';
import type { Workflow } from '../../shared/assistants/workflow-text.js';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { builtinMenu } from '../../shared/persona/registry.js';
import { planPersona } from '../../shared/plan/plan.js';

function workflowOf(path: string, content: string): Workflow {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(content);
  if (!match) throw new Error(`${path} has no frontmatter`);
  const data = parse(match[1]!) as Record<string, string>;
  const name = path.split('/').at(-1)!.replace(/\.md$/, '');
  return { name, description: data.description!, ...(data['argument-hint'] ? { argumentHint: data['argument-hint'] } : {}), body: match[2]! };
}

export function plannedPersonas(): Array<{ label: string; view: PlannedPersonaView }> {
  return builtinMenu().flatMap((entry) => {
    const persona = loadBuiltinPersona(entry.id);
    const levels: Array<string | undefined> = persona.levels ? Object.keys(persona.levels) : [undefined];
    return levels.map((level) => {
      const plan = planPersona(persona, level ? { level } : {});
      const workflows = plan.files.filter((file) => plan.commands.includes(file.path)).map((file) => workflowOf(file.path, file.content));
      return { label: level ? `${entry.id} (${level})` : entry.id, view: { id: plan.id, displayName: plan.displayName, workflows, permissions: plan.permissions, env: plan.env } };
    });
  });
}

/** Each built-in persona once, at its last level (the most workflows): their workflow names never collide. */
export function onePlanPerPersona(): PlannedPersonaView[] {
  const byId = new Map<string, PlannedPersonaView>();
  for (const { view } of plannedPersonas()) byId.set(view.id, view);
  return [...byId.values()];
}
