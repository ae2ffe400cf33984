// Gemini CLI: the personas' AGENTS.md sections through an import in GEMINI.md (`@AGENTS.md`, a section of
// dp's), which Gemini CLI follows: no `context.fileName` in .gemini/settings.json is needed (the old
// top-level `contextFileName` is ignored since v0.3.0), and Copilot CLI, which reads GEMINI.md too but
// follows no import, reads each persona once. The workflows become custom commands
// (.gemini/commands/<name>.toml). Deny rules map onto `tools.exclude` and allows onto `tools.allowed`
// entries, both deprecated in 0.61 (removed in 1.0; their replacement, the policy engine, has no project
// tier). Facts: ../shared/research/assistants.md §3.
import { parseSections } from '../merge/sections.js';
import type { AssistantAdapter } from './adapter.js';
import { ALLOWS_NAMED, type AssistantPlan, envNotExpressed, type JsonListEntries, ownedFile, type PlannedPersonaView, ruleList } from './assistant-plan.js';
import { AGENTS_MD } from './claude.js';
import { checkGeminiCommand, checkJsonLists } from './file-checks.js';
import { merged, toOutputs, viewOf } from './persona-view.js';
import { commandPrefixes, narrowedLine, WRAPPED_DENY_LINE } from './command-prefixes.js';
import { withFinalNewline, type Workflow } from './workflow-text.js';

export const GEMINI_SETTINGS = '.gemini/settings.json';

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
  const mapping = commandPrefixes(persona.permissions, 'default', { editDenies: false });
  const lists: JsonListEntries[] = [];
  const denied = mapping.rules.filter((rule) => rule.decision === 'deny').map((rule) => shellTool(rule.words));
  const allowed = mapping.rules.filter((rule) => rule.decision === 'allow').map((rule) => shellTool(rule.words));
  if (denied.length > 0) lists.push({ path: GEMINI_SETTINGS, key: ['tools', 'exclude'], values: denied });
  if (allowed.length > 0) lists.push({ path: GEMINI_SETTINGS, key: ['tools', 'allowed'], values: allowed });
  const cannotExpress: string[] = [];
  if (denied.length + allowed.length > 0) {
    cannotExpress.push('tools.exclude and tools.allowed are deprecated (removed in Gemini CLI 1.0), and their replacement, policy files, cannot be expressed in a repository (no project tier)');
  }
  const notDenied = mapping.notExpressed.filter((entry) => entry.decision === 'deny');
  if (notDenied.length > 0) cannotExpress.push(`${notDenied.length} deny rule(s) cannot be expressed as run_shell_command prefixes: ${ruleList(notDenied.map((r) => r.rule))}`);
  for (const entry of mapping.narrowed) cannotExpress.push(narrowedLine(entry));
  if (denied.length > 0) cannotExpress.push(WRAPPED_DENY_LINE);
  const notAllowed = mapping.notExpressed.filter((entry) => entry.decision === 'allow');
  if (notAllowed.length > 0) cannotExpress.push(`${notAllowed.length} allow rule(s) cannot be expressed without allowing more (Gemini CLI asks for them): ${ruleList(notAllowed.map((r) => r.rule), ALLOWS_NAMED)}`);
  const fileRules = [...persona.permissions.deny, ...persona.permissions.allow].filter((rule) => !rule.startsWith('Bash'));
  if (fileRules.length > 0) cannotExpress.push(`file and tool rules cannot be expressed: Gemini CLI has no project setting for them: ${ruleList(fileRules)}`);
  cannotExpress.push(...envNotExpressed(persona.env, 'it reads them from .env files, which personas never write'));
  const files = persona.workflows.map((workflow) => ownedFile(geminiCommandPath(workflow.name), renderGeminiCommand(persona, workflow)));
  return { files, lists, cannotExpress };
}

export const GEMINI_MD = 'GEMINI.md';
/** The import's section id: upper-case, so no persona id can take it; not Claude Code's, so each file's import is its own. */
export const GEMINI_IMPORT_ID = 'gemini-import-AGENTS.md';
/** An import of AGENTS.md in the user's own text: `@AGENTS.md` or `@./AGENTS.md`. */
const USER_IMPORT = /(^|\s)@(\.\/)?AGENTS\.md(?![\w.-])/m;

/** GEMINI.md's text outside dp's sections: the user's. */
function usersText(text: string): string {
  let users = '';
  let offset = 0;
  for (const span of parseSections(text, GEMINI_MD)) {
    users += text.slice(offset, span.start);
    offset = span.end;
  }
  return users + text.slice(offset);
}

/** Whether the user's `context.fileName` (a string or a list) has Gemini CLI read AGENTS.md itself: an import would read it twice. */
function readsAgentsMd(settings: string | null): boolean {
  let fileName: unknown;
  try {
    fileName = (JSON.parse(settings ?? '{}') as { context?: { fileName?: unknown } })?.context?.fileName;
  } catch {
    return false; // not strict JSON: the settings check refuses the run
  }
  return (Array.isArray(fileName) ? fileName : [fileName]).includes(AGENTS_MD);
}

export const geminiAdapter: AssistantAdapter = {
  id: 'gemini',
  displayName: 'Gemini CLI',
  detect: [GEMINI_MD, '.gemini'],
  requires: ['agents'],
  reads: () => [GEMINI_MD, AGENTS_MD],
  plan(personas, { read }) {
    const outputs = merged(personas.map((p) => toOutputs(p, planGemini(viewOf(p)))));
    const gemini = read(GEMINI_MD);
    const importedByUser = (gemini !== null && USER_IMPORT.test(usersText(gemini))) || readsAgentsMd(read(GEMINI_SETTINGS));
    if (personas.length > 0 && !importedByUser) {
      outputs.sections.push({ file: GEMINI_MD, id: GEMINI_IMPORT_ID, owner: 'the AGENTS.md import', body: '@AGENTS.md\n', ...(gemini === null || usersText(gemini).trim() === '' ? { fileWasDps: true } : {}) });
    }
    return outputs;
  },
  check(path, text) {
    if (path.startsWith('.gemini/commands/')) return checkGeminiCommand(text)[0] ?? null;
    if (path === GEMINI_SETTINGS) return checkJsonLists(text, [['tools', 'exclude'], ['tools', 'allowed']])[0] ?? null;
    return null;
  },
};
