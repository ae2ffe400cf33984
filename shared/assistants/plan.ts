// Every targeted assistant's outputs for one run, planned from the personas as planned for Claude Code,
// and what the output kinds get to write for Claude Code itself.
import type { DesiredPersona, Reader } from '../merge/model.js';
import type { PlannedFile, PlannedList, PlannedSection, SizeLimit } from './adapter.js';
import { DpError } from '../errors.js';
import { RECORD_PATH, type PersonaRecord } from '../merge/record.js';
import { generatorVersion } from '../package-root.js';
import { ADAPTERS, DEFAULT_ASSISTANTS, adapterFor } from './registry.js';

export interface AssistantPlan {
  /** The assistants written for, in ADAPTERS order. */
  targets: string[];
  sections: PlannedSection[];
  files: PlannedFile[];
  lists: PlannedList[];
  /** "<assistant>: <persona>: ... cannot be expressed: <why>", one per part. */
  cannotExpress: Array<{ assistant: string; assistantId: string; persona: string; text: string }>;
  limits: SizeLimit[];
}

export function planAssistants(read: Reader, personas: DesiredPersona[], targets: readonly string[], previous: PersonaRecord): AssistantPlan {
  const targeted = ADAPTERS.filter((a) => targets.includes(a.id));
  const context = { read, targets: new Set(targeted.map((a) => a.id)), previous };
  const plan: AssistantPlan = { targets: targeted.map((a) => a.id), sections: [], files: [], lists: [], cannotExpress: [], limits: [] };
  for (const adapter of targeted) {
    const outputs = adapter.plan(personas, context);
    plan.sections.push(...outputs.sections);
    plan.files.push(...outputs.files);
    plan.lists.push(...outputs.lists);
    plan.cannotExpress.push(...outputs.cannotExpress.map((c) => ({ assistant: adapter.displayName, assistantId: adapter.id, ...c })));
    plan.limits.push(...(adapter.limits ?? []));
  }
  for (const adapter of targeted) loadedOnce(adapter.displayName, adapter.reads(context.targets), plan.sections);
  return plan;
}

/** An assistant that would load one section twice (the same persona in two files it reads) is a defect of the adapters. */
function loadedOnce(assistant: string, reads: string[], sections: PlannedSection[]): void {
  const seen = new Map<string, string>();
  for (const section of sections) {
    if (!reads.includes(section.file)) continue;
    const first = seen.get(section.id);
    if (first !== undefined && first !== section.file) throw new Error(`${assistant} would load the section ${section.id} twice: from ${first} and ${section.file}`);
    seen.set(section.id, section.file);
  }
}

/**
 * What the output kinds write for Claude Code from a persona: all of it when Claude Code is targeted.
 * Otherwise only what no assistant owns (the tools, files outside .claude/): every field that only Claude
 * Code reads is emptied here, by name, so that a field added to DesiredPersona must be decided on.
 */
export function forClaudeCode(persona: DesiredPersona, targets: readonly string[]): DesiredPersona {
  if (targets.includes('claude')) return persona;
  return {
    id: persona.id,
    displayName: persona.displayName,
    ...(persona.level ? { level: persona.level } : {}),
    ...(persona.custom ? { custom: true } : {}),
    files: persona.files.filter((f) => !f.path.startsWith('.claude/')),
    section: '',
    permissions: { allow: [], ask: [], deny: [] },
    env: {},
    hooks: [],
    workflows: [],
    agents: [],
    commands: [],
    tools: persona.tools,
  };
}

/** The assistants the record names (Claude Code alone where it names none); one this dp does not know is refused. */
export function recordedTargets(record: PersonaRecord | null): string[] {
  const recorded = record?.assistants ?? DEFAULT_ASSISTANTS;
  const unknown = recorded.find((id) => !adapterFor(id));
  if (unknown !== undefined) {
    throw new DpError(`${RECORD_PATH} names the assistant "${unknown}", which this generator-dp ${generatorVersion()} does not write for`, `upgrade generator-dp (npm install -D generator-dp@latest); dp changed nothing`);
  }
  return [...recorded];
}
