// Claude Code's files for a persona's workflows and subagents: `.claude/skills/<name>/SKILL.md` (the folder
// name is the invocation name, `/<name>`) and `.claude/agents/<name>.md`, each with a YAML frontmatter of the
// keys Claude Code reads (research: claude-code-surfaces.md §1-2).
import type { DesiredFile, Subagent, Workflow } from '../merge/model.js';

export function skillPath(name: string): string {
  return `.claude/skills/${name}/SKILL.md`;
}

export function agentPath(name: string): string {
  return `.claude/agents/${name}.md`;
}

/**
 * A YAML scalar: plain when it cannot be read as anything but that string (starts with a letter, no `: `,
 * no ` #`, no quotes, no trailing colon or space, not a YAML 1.1 or 1.2 boolean or null), else double-quoted,
 * where a JSON string is valid YAML.
 */
export function yamlScalar(value: string): string {
  const plain = /^[A-Za-z][^\n"'`]*$/.test(value) && !/: | #|:$|\s$/.test(value) && !/^(true|false|yes|no|on|off|y|n|null)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

function document(fields: Array<[string, string | undefined]>, body: string): string {
  const lines = fields.filter((field): field is [string, string] => field[1] !== undefined).map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

export function skillFile(workflow: Workflow): DesiredFile {
  const content = document(
    [
      ['name', workflow.name],
      ['description', yamlScalar(workflow.description)],
      ['argument-hint', workflow.argumentHint === undefined ? undefined : yamlScalar(workflow.argumentHint)],
      ['allowed-tools', workflow.allowedTools.length > 0 ? yamlScalar(workflow.allowedTools.join(', ')) : undefined],
      ['disable-model-invocation', workflow.userOnly ? 'true' : undefined],
    ],
    workflow.body,
  );
  return { path: skillPath(workflow.name), content, executable: false };
}

export function agentFile(agent: Subagent): DesiredFile {
  const content = document(
    [
      ['name', agent.name],
      ['description', yamlScalar(agent.description)],
      ['tools', agent.tools.join(', ')],
    ],
    agent.body,
  );
  return { path: agentPath(agent.name), content, executable: false };
}
