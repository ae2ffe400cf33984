// A persona's workflow (what Claude Code gets as a command or skill) as text for the other assistants:
// Agent Skills (SKILL.md, read by Codex, Copilot and Gemini CLI) and plain Markdown commands (Cursor).
// Facts: ../shared/research/assistants.md §2 (skills: YAML `name` and `description` required), §4, §5.

export interface Workflow {
  /** Lower-case letters, digits and dashes (the persona schema's command names). */
  name: string;
  description: string;
  argumentHint?: string;
  /** Only the user starts it (it writes or changes state): the model never invokes it on its own. */
  userOnly?: boolean;
  /** The instructions, Markdown, without frontmatter; `$ARGUMENTS` stands for what the user typed with it. */
  body: string;
}

/** Where the skill of a workflow lives: the cross-tool folder Codex, Copilot and Gemini CLI all read. */
export function skillPath(name: string): string {
  return `.agents/skills/${name}/SKILL.md`;
}

/**
 * Skills and Cursor commands have no argument placeholder: the request that invoked them is in the
 * conversation. One line says what `$ARGUMENTS` stands for, so the body stays the persona's own text.
 */
function argumentsNote(workflow: Workflow): string {
  if (!workflow.body.includes('$ARGUMENTS')) return '';
  const hint = workflow.argumentHint ? ` (${workflow.argumentHint})` : '';
  return `\`$ARGUMENTS\` below stands for what the user asked this for${hint}; it is empty when they gave nothing.\n\n`;
}

/**
 * The frontmatter is written by hand (the generators run unbundled, without a YAML library): the name is
 * a plain scalar by its format, the description a double-quoted scalar, whose escapes JSON's are a subset of.
 */
export function renderSkill(workflow: Workflow): string {
  return `---\nname: ${workflow.name}\ndescription: ${JSON.stringify(workflow.description)}\n---\n${argumentsNote(workflow)}${withFinalNewline(workflow.body)}`;
}

/** A Cursor command: plain Markdown (Cursor reads no frontmatter there), its description first. */
export function renderMarkdownCommand(workflow: Workflow): string {
  return `${workflow.description}\n\n${argumentsNote(workflow)}${withFinalNewline(workflow.body)}`;
}

export function withFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
