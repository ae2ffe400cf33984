// The built-in personas as a Claude Code plugin marketplace (written by the build to dist/claude-plugins/,
// shipped in the npm package): one plugin per persona (per level for a persona with levels, whose workflows
// differ by level) with its skills, its subagents and its guard hooks, exactly the files dp writes into a
// repository. What a plugin cannot carry (claude-code-surfaces.md §5: permissions and env are ignored in a
// plugin; CLAUDE.md at a plugin root is not loaded) stays dp's: the README says so.
import { agentFile, skillFile } from '../plan/claude-files.js';
import { planPersona } from '../plan/plan.js';
import { HOOKS_DIR } from '../hooks/install.js';
import { generatorVersion } from '../package-root.js';
import { loadBuiltinPersona } from '../persona/load.js';
import { builtinMenu } from '../persona/registry.js';
import type { DesiredPersona } from '../merge/model.js';

export const MARKETPLACE_NAME = 'generator-dp';

export interface PluginFile {
  /** Relative to the marketplace folder. */
  path: string;
  content: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The project hook command (`node "$CLAUDE_PROJECT_DIR"/.claude/hooks/x.mjs`) run from the plugin's own copy. */
function pluginCommand(command: string): string {
  return command.replace(`"$CLAUDE_PROJECT_DIR"/${HOOKS_DIR}/`, '"${CLAUDE_PLUGIN_ROOT}"/hooks/');
}

function hooksJson(plan: DesiredPersona): string {
  const events: Record<string, Array<{ matcher?: string; hooks: Array<{ type: 'command'; command: string; timeout: number }> }>> = {};
  for (const hook of plan.hooks) {
    (events[hook.event] ??= []).push({ ...(hook.matcher ? { matcher: hook.matcher } : {}), hooks: [{ type: 'command', command: pluginCommand(hook.command), timeout: hook.timeout }] });
  }
  return json({ hooks: events });
}

function pluginFiles(name: string, description: string, version: string, plan: DesiredPersona): PluginFile[] {
  const hookScripts = plan.files.filter((file) => file.path.startsWith(`${HOOKS_DIR}/`));
  return [
    { path: `${name}/.claude-plugin/plugin.json`, content: json({ name, version, description, author: { name: 'generator-dp' }, license: 'MIT', keywords: ['generator-dp', 'persona', plan.id] }) },
    ...plan.workflows.map((workflow) => ({ path: `${name}/skills/${workflow.name}/SKILL.md`, content: skillFile(workflow).content })),
    ...plan.agents.map((agent) => ({ path: `${name}/agents/${agent.name}.md`, content: agentFile(agent).content })),
    ...(plan.hooks.length > 0 ? [{ path: `${name}/hooks/hooks.json`, content: hooksJson(plan) }] : []),
    ...hookScripts.map((file) => ({ path: `${name}/hooks/${file.path.split('/').at(-1)!}`, content: file.content })),
  ];
}

/** Every file of the marketplace: .claude-plugin/marketplace.json and each plugin's folder. */
export function marketplaceFiles(): PluginFile[] {
  const version = generatorVersion();
  const files: PluginFile[] = [];
  const entries: Array<{ name: string; source: string; description: string; version: string }> = [];
  for (const entry of builtinMenu()) {
    const persona = loadBuiltinPersona(entry.id);
    const levels: Array<string | undefined> = persona.levels ? Object.keys(persona.levels) : [undefined];
    for (const level of levels) {
      const plan = planPersona(persona, level ? { level } : {});
      const name = level ? `${persona.id}-${level}` : persona.id;
      const description = level ? `${persona.description} Level: ${persona.levels![level]!.displayName} (${persona.levels![level]!.description}).` : persona.description;
      files.push(...pluginFiles(name, description, version, plan));
      entries.push({ name, source: `./${name}`, description, version });
    }
  }
  const marketplace = {
    name: MARKETPLACE_NAME,
    owner: { name: 'generator-dp' },
    description: "generator-dp's personas as Claude Code plugins: skills, subagents and guard hooks. Permissions, env, the CLAUDE.md guidance and the tools come with `dp persona add` only.",
    plugins: entries,
  };
  return [{ path: '.claude-plugin/marketplace.json', content: json(marketplace) }, ...files];
}
