// A persona + its answers -> what it should put in the repository (a DesiredPersona for the merge).
import { join } from 'node:path';
import type { DesiredPersona } from '../merge/model.js';
import { resolveLevel } from '../persona/levels.js';
import type { UserWorkflow } from '../persona/resolve.js';
import type { Persona } from '../persona/schema.js';
import { generatorVersion, packageRoot } from '../package-root.js';
import { agentFile, skillFile, skillPath } from './claude-files.js';
import { renderTemplate } from './render.js';
import { hookCommand } from '../hooks/install.js';
import { hookFile } from './hook-files.js';
import { toolFiles } from './tool-files.js';
import { parseSubagent, parseWorkflow } from './workflows.js';

export interface Answers {
  level?: string;
  /** Custom personas: the workflows the user keeps (.claude/commands/sets/<id>/, .claude/skills/). */
  userWorkflows?: UserWorkflow[];
  /** The user opted in to the persona's status line. */
  statusLine?: boolean;
}

/** Custom personas render their CLAUDE.md section from this shared template. */
const CUSTOM_TEMPLATES = join(packageRoot(), 'personas', '_custom');

export function planPersona(persona: Persona, answers: Answers): DesiredPersona {
  const level = resolveLevel(persona, answers.level);
  const levelData = level ? persona.levels![level]! : undefined;
  const permissions = {
    allow: [...new Set([...persona.permissions.allow, ...(levelData?.permissions.allow ?? [])])],
    ask: [...new Set([...persona.permissions.ask, ...(levelData?.permissions.ask ?? [])])],
    deny: [...new Set([...persona.permissions.deny, ...(levelData?.permissions.deny ?? [])])],
  };
  const env = { ...persona.env, ...(levelData?.env ?? {}) };
  const hooks = [...persona.hooks, ...(levelData?.hooks ?? [])];
  const statusLine = answers.statusLine && persona.statusLine ? persona.statusLine.script : undefined;
  const scripts = [...new Set([...hooks.map((hook) => hook.script), ...(statusLine ? [statusLine] : [])])];
  const custom = persona.origin.kind === 'custom';
  // A custom persona's workflows are the user's own files: listed, never written.
  const userWorkflows = custom ? (answers.userWorkflows ?? []) : [];
  const names = custom ? userWorkflows.map((workflow) => workflow.name) : [...new Set([...persona.workflows, ...(levelData?.workflows ?? [])])];
  const data = { persona, level, levelData, permissions, env, commands: names, userWorkflows, version: generatorVersion() };
  const templateDir = custom ? CUSTOM_TEMPLATES : persona.origin.dir;
  const shown = (template: string) => (custom ? `personas/_custom/${template}` : `personas/${persona.id}/${template}`);
  const render = (template: string) => renderTemplate(join(templateDir, template), data, shown(template));

  const workflows = custom ? [] : names.map((name) => parseWorkflow(name, render(`workflows/${name}.md.ejs`), permissions, shown(`workflows/${name}.md.ejs`)));
  const agents = persona.agents.map((name) => parseSubagent(name, render(`agents/${name}.md.ejs`), shown(`agents/${name}.md.ejs`)));
  const files = [
    ...workflows.map(skillFile),
    ...agents.map(agentFile),
    ...persona.tools.flatMap((script) => toolFiles(script)),
    ...persona.files.map((file) => ({ path: file.path, content: render(file.template), executable: false })),
    ...scripts.map(hookFile),
  ];
  return {
    id: persona.id,
    displayName: persona.displayName,
    ...(level ? { level } : {}),
    ...(custom ? { custom: true } : {}),
    files,
    section: render('claude.md.ejs'),
    permissions,
    env,
    hooks: hooks.map(({ event, matcher, script, timeout }) => ({ event, ...(matcher !== undefined ? { matcher } : {}), command: hookCommand(script), timeout })),
    ...(statusLine ? { statusLine: hookCommand(statusLine) } : {}),
    workflows,
    agents,
    commands: custom ? userWorkflows.map((workflow) => workflow.path) : names.map(skillPath),
    tools: persona.tools.map((script) => `scripts/${script}.mjs`),
  };
}
