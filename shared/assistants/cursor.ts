// Cursor: its instructions come from the persona's AGENTS.md section (Cursor reads it as an always-applied
// rule; a .cursor/rules/<persona>.mdc beside it would be read a second time). The workflows are commands
// (.cursor/commands/<name>.md, plain Markdown); the rules Cursor CLI can hold go into .cursor/cli.json
// `permissions.allow` / `permissions.deny`: Shell(<program>) names the first word only, Read/Write take
// globs. Facts: ../shared/research/assistants.md §5.
import type { AssistantAdapter } from './adapter.js';
import { ALLOWS_NAMED, type AssistantPlan, envNotExpressed, type JsonListEntries, ownedFile, type PlannedPersonaView, ruleList } from './assistant-plan.js';
import { commandPrefixes, narrowedLine, WRAPPED_DENY_LINE } from './command-prefixes.js';
import { AGENTS_MD } from './claude.js';
import { checkJsonLists } from './file-checks.js';
import { merged, toOutputs, viewOf } from './persona-view.js';
import { renderMarkdownCommand } from './workflow-text.js';

export const CURSOR_CLI_SETTINGS = '.cursor/cli.json';

export function cursorCommandPath(name: string): string {
  return `.cursor/commands/${name}.md`;
}

const FILE_TOOLS: Record<string, 'Read' | 'Write'> = { Read: 'Read', Edit: 'Write', Write: 'Write', MultiEdit: 'Write' };

/**
 * A Claude file rule as Cursor's: `./p` and `/p` (the project's) become `p`, `//p` (absolute) `/p`;
 * `~/` has no documented meaning in Cursor's patterns: null.
 */
export function cursorFileRule(rule: string): string | null {
  const match = /^(Read|Edit|Write|MultiEdit)\((.+)\)$/s.exec(rule);
  if (!match) return null;
  const [, tool, path] = match as unknown as [string, string, string];
  if (path.startsWith('~')) return null;
  const cursorPath = path.startsWith('//') ? path.slice(1) : path.startsWith('./') ? path.slice(2) : path.startsWith('/') ? path.slice(1) : path;
  return cursorPath === '' ? null : `${FILE_TOOLS[tool]}(${cursorPath})`;
}

export function planCursor(persona: PlannedPersonaView): AssistantPlan {
  // Cursor CLI asks before any command not allowed: asks are its default.
  const mapping = commandPrefixes(persona.permissions, 'default');
  const allow: string[] = [];
  const deny: string[] = [];
  const notExpressed: Array<{ rule: string; decision: string }> = mapping.notExpressed.map(({ rule, decision }) => ({ rule, decision }));
  // A deny about some of a program's arguments is not written: allowing the whole program would run
  // what Claude Code denies without asking, so that allow goes unwritten too.
  const partlyDenied = new Set(mapping.rules.filter((rule) => rule.decision === 'deny' && rule.words.length > 1).map((rule) => rule.words[0]));
  for (const rule of mapping.rules) {
    // Shell() names the program only: a rule about some of a program's arguments would cover all of them.
    const wholeProgram = rule.words.length === 1 && !(rule.decision === 'allow' && partlyDenied.has(rule.words[0]));
    if (wholeProgram) (rule.decision === 'deny' ? deny : allow).push(`Shell(${rule.words[0]})`);
    else notExpressed.push(...rule.sources.map((source) => ({ rule: source, decision: rule.decision })));
  }
  // Cursor has no ask list: a file allow beside an ask for the same tool could cover what Claude Code asks for.
  const askedTools = new Set(persona.permissions.ask.map((rule) => /^(Read|Edit|Write|MultiEdit)\(/.exec(rule)?.[1]).filter((tool) => tool !== undefined).map((tool) => FILE_TOOLS[tool]));
  for (const decision of ['deny', 'allow'] as const) {
    for (const rule of persona.permissions[decision].filter((r) => !r.startsWith('Bash'))) {
      const cursorRule = cursorFileRule(rule);
      if (cursorRule && decision === 'allow' && askedTools.has(FILE_TOOLS[/^\w+/.exec(rule)![0]]!)) notExpressed.push({ rule, decision });
      else if (cursorRule) (decision === 'deny' ? deny : allow).push(cursorRule);
      else notExpressed.push({ rule, decision });
    }
  }
  const lists: JsonListEntries[] = [];
  if (allow.length > 0) lists.push({ path: CURSOR_CLI_SETTINGS, key: ['permissions', 'allow'], values: [...new Set(allow)] });
  if (deny.length > 0) lists.push({ path: CURSOR_CLI_SETTINGS, key: ['permissions', 'deny'], values: [...new Set(deny)] });
  const cannotExpress: string[] = [];
  for (const decision of ['deny', 'allow'] as const) {
    const rules = notExpressed.filter((entry) => entry.decision === decision).map((entry) => entry.rule);
    const why = decision === 'deny' ? 'Shell() names a whole program, and denying all of it would deny more' : 'Shell() names a whole program and Cursor has no ask list: allowing it would allow more than Claude Code does';
    if (rules.length > 0) cannotExpress.push(`${rules.length} ${decision} rule(s) cannot be expressed in .cursor/cli.json (${why}): ${ruleList(rules, decision === 'allow' ? ALLOWS_NAMED : Infinity)}`);
  }
  for (const entry of mapping.narrowed.filter((narrowed) => !narrowed.covers.includes(' '))) cannotExpress.push(narrowedLine(entry));
  if (deny.some((rule) => rule.startsWith('Shell('))) cannotExpress.push(WRAPPED_DENY_LINE);
  if (allow.length + deny.length > 0) cannotExpress.push('the editor\'s permissions cannot be expressed: .cursor/cli.json applies to Cursor CLI only; the editor takes its auto-run settings from your user settings');
  cannotExpress.push(...envNotExpressed(persona.env, 'it has no project setting for them'));
  const files = persona.workflows.map((workflow) => ownedFile(cursorCommandPath(workflow.name), renderMarkdownCommand(workflow)));
  return { files, lists, cannotExpress };
}

export const cursorAdapter: AssistantAdapter = {
  id: 'cursor',
  displayName: 'Cursor',
  detect: ['.cursor', '.cursorrules'],
  requires: ['agents'],
  reads: () => [AGENTS_MD],
  plan: (personas) => merged(personas.map((p) => toOutputs(p, planCursor(viewOf(p))))),
  check: (path, text) => (path === CURSOR_CLI_SETTINGS ? checkJsonLists(text, [['permissions', 'allow'], ['permissions', 'deny']])[0] ?? null : null),
};
