// Gemini CLI: AGENTS.md (the persona's section) added to the context files through `context.fileName`
// in .gemini/settings.json, GEMINI.md kept (the top-level `contextFileName` is ignored since v0.3.0);
// the workflows as custom commands (.gemini/commands/<name>.toml); deny rules as `tools.exclude` and
// allows as `tools.allowed` entries, both deprecated in 0.61 (removed in 1.0; their replacement, the
// policy engine, has no project tier). Facts: ../shared/research/assistants.md §3.
import { type AssistantPlan, envNotExpressed, type JsonListEntries, ownedFile, type PlannedPersonaView, ruleList } from './assistant-plan.js';
import { commandPrefixes } from './command-prefixes.js';
import { withFinalNewline, type Workflow } from './workflow-text.js';

export const GEMINI_SETTINGS = '.gemini/settings.json';
/** AGENTS.md first, GEMINI.md kept: naming a list replaces Gemini CLI's default, which is GEMINI.md alone. */
export const GEMINI_CONTEXT_FILES = ['AGENTS.md', 'GEMINI.md'];

export function geminiCommandPath(name: string): string {
  return `.gemini/commands/${name}.toml`;
}

/**
 * The prompt: `$ARGUMENTS` becomes `{{args}}` (Gemini CLI's placeholder). `!{` and `@{` would run a shell
 * command or inject a file when the command is used; in a persona's text they are literal, so a space
 * breaks them.
 */
export function geminiPrompt(workflow: Workflow): string {
  return withFinalNewline(workflow.body.replaceAll('$ARGUMENTS', '{{args}}').replace(/([!@])\{/g, '$1 {'));
}

/** A TOML basic string: JSON's escapes are all TOML's; JSON leaves DEL raw, which TOML refuses. */
function tomlString(text: string): string {
  return JSON.stringify(text).replace(/\x7f/g, '\\u007F');
}

/**
 * The command TOML, written by hand (the generators run unbundled, without a TOML library). The prompt is a
 * multi-line literal string, kept readable for editing, unless it holds `'''` or a control character
 * other than tab and newline, which a literal string cannot; then a basic string.
 */
export function renderGeminiCommand(persona: PlannedPersonaView, workflow: Workflow): string {
  const prompt = geminiPrompt(workflow);
  const literal = !prompt.includes("'''") && !/[\x00-\x08\x0b-\x1f\x7f\r]/.test(prompt);
  const promptToml = literal ? `'''\n${prompt}'''` : tomlString(prompt);
  return `# The ${workflow.name} workflow of the ${persona.displayName} persona, written by dp.\ndescription = ${tomlString(workflow.description)}\nprompt = ${promptToml}\n`;
}

function shellTool(words: string[]): string {
  return `run_shell_command(${words.join(' ')})`;
}

export function planGemini(persona: PlannedPersonaView): AssistantPlan {
  const mapping = commandPrefixes(persona.permissions, 'default');
  const lists: JsonListEntries[] = [{ path: GEMINI_SETTINGS, key: ['context', 'fileName'], values: GEMINI_CONTEXT_FILES }];
  const denied = mapping.rules.filter((rule) => rule.decision === 'deny').map((rule) => shellTool(rule.words));
  const allowed = mapping.rules.filter((rule) => rule.decision === 'allow').map((rule) => shellTool(rule.words));
  if (denied.length > 0) lists.push({ path: GEMINI_SETTINGS, key: ['tools', 'exclude'], values: denied });
  if (allowed.length > 0) lists.push({ path: GEMINI_SETTINGS, key: ['tools', 'allowed'], values: allowed });
  const cannotExpress: string[] = [];
  if (denied.length + allowed.length > 0) {
    cannotExpress.push('Gemini CLI: tools.exclude and tools.allowed are deprecated and removed in Gemini CLI 1.0; their replacement (policy files) cannot be shipped in a repository');
  }
  const notDenied = mapping.notExpressed.filter((entry) => entry.decision === 'deny');
  if (notDenied.length > 0) cannotExpress.push(`Gemini CLI: ${notDenied.length} deny rule(s) are not command prefixes, not written: ${ruleList(notDenied.map((r) => r.rule))}`);
  for (const entry of mapping.narrowed) cannotExpress.push(`Gemini CLI: deny rule \`${entry.rule}\` covers \`${entry.covers}\` only, not longer words starting with it`);
  const notAllowed = mapping.notExpressed.filter((entry) => entry.decision === 'allow');
  if (notAllowed.length > 0) cannotExpress.push(`Gemini CLI: ${notAllowed.length} allow rule(s) not written (Gemini asks for them instead): ${ruleList(notAllowed.map((r) => r.rule))}`);
  const fileRules = [...persona.permissions.deny, ...persona.permissions.allow].filter((rule) => !rule.startsWith('Bash'));
  if (fileRules.length > 0) cannotExpress.push(`Gemini CLI: file and tool rules have no project setting: ${ruleList(fileRules)}`);
  cannotExpress.push(...envNotExpressed('Gemini CLI', persona.env, 'it reads them from .env files, which personas never write'));
  const files = persona.workflows.map((workflow) => ownedFile(geminiCommandPath(workflow.name), renderGeminiCommand(persona, workflow)));
  return { files, lists, cannotExpress };
}
