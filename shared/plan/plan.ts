// A persona + its answers -> what it should put in the repository (a DesiredPersona for the merge).
import { join } from 'node:path';
import type { DesiredPersona } from '../merge/model.js';
import { resolveLevel } from '../persona/levels.js';
import type { Persona } from '../persona/schema.js';
import { generatorVersion, packageRoot } from '../package-root.js';
import { renderTemplate } from './render.js';
import { hookCommand } from '../hooks/install.js';
import { hookFile } from './hook-files.js';
import { toolFiles } from './tool-files.js';

export interface Answers {
  level?: string;
  /** Custom personas: the command files the user keeps in .claude/commands/sets/<id>/ (names without .md). */
  userCommands?: string[];
  /** The user opted in to the persona's status line. */
  statusLine?: boolean;
}

/** Custom personas render their CLAUDE.md section from this shared template. */
const CUSTOM_TEMPLATES = join(packageRoot(), 'personas', '_custom');

function commandPath(persona: Persona, name: string): string {
  return `.claude/commands/${persona.commandSet}/${name}.md`;
}

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
  // A custom persona's commands are the user's own files: listed, never written.
  const commands = custom ? [...new Set([...persona.commands, ...(answers.userCommands ?? [])])].sort() : [...persona.commands, ...(levelData?.commands ?? [])];
  const data = { persona, level, levelData, permissions, env, commands, userCommands: custom ? commands : [], version: generatorVersion(), commandPath: (name: string) => commandPath(persona, name) };
  const templateDir = custom ? CUSTOM_TEMPLATES : persona.origin.dir;
  const render = (template: string) => renderTemplate(join(templateDir, template), data, custom ? `personas/_custom/${template}` : `personas/${persona.id}/${template}`);

  const files = [
    ...(custom ? [] : commands.map((name) => ({ path: commandPath(persona, name), content: render(`commands/${name}.md.ejs`), executable: false }))),
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
    commands: commands.map((name) => commandPath(persona, name)),
    tools: persona.tools.map((script) => `scripts/${script}.mjs`),
  };
}
