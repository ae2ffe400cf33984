// Codex CLI: the persona's workflows as skills (.agents/skills/<name>/SKILL.md) and its command rules as
// allow/prompt/forbidden prefix rules (.codex/rules/dp-<persona>.rules). Its instructions reach Codex
// through the persona's AGENTS.md section. No .codex/config.toml: the sandbox and approval defaults of a
// trusted project already ask before anything outside the workspace, and a project config.toml is the
// user's. Facts: ../shared/research/assistants.md §2.
import type { AssistantAdapter } from './adapter.js';
import { ALLOWS_NAMED, type AssistantPlan, envNotExpressed, ownedFile, type PlannedPersonaView, ruleList } from './assistant-plan.js';
import { commandPrefixes, type Decision, narrowedLine, type PrefixRule, WRAPPED_DENY_LINE } from './command-prefixes.js';
import { AGENTS_MD } from './claude.js';
import { checkCodexRules, checkCodexSkillPolicy, checkSkill } from './file-checks.js';
import { merged, toOutputs, viewOf } from './persona-view.js';
import { renderSkill, skillPath } from './workflow-text.js';

const CODEX_DECISION: Record<Decision, string> = { allow: 'allow', ask: 'prompt', deny: 'forbidden' };

export function codexRulesPath(persona: string): string {
  return `.codex/rules/dp-${persona}.rules`;
}

/** A Starlark string of printable ASCII (prefix words are, by command-prefixes.ts's word format). */
function starlarkString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function prefixRuleLine(rule: PrefixRule): string {
  const pattern = `[${rule.words.map(starlarkString).join(', ')}]`;
  // The justification names the Claude rules; one with other characters goes without (no escapes to trust).
  const sources = rule.sources.join(', ');
  const justification = /^[\x20-\x7e]*$/.test(sources) ? `, justification = ${starlarkString(`Claude Code ${rule.sources.length > 1 ? 'rules' : 'rule'} ${sources}`)}` : '';
  return `prefix_rule(pattern = ${pattern}, decision = "${CODEX_DECISION[rule.decision]}"${justification})`;
}

export function renderCodexRules(persona: PlannedPersonaView, rules: PrefixRule[]): string {
  const header = [
    `# Command rules of the ${persona.displayName} persona, written by dp (dp persona remove ${persona.id} takes them back).`,
    '# Codex reads a project\'s .codex/rules only once you trust the project; the strictest matching rule wins.',
  ];
  return `${[...header, ...rules.map(prefixRuleLine)].join('\n')}\n`;
}

/** Beside a skill only its user starts: Codex lists it to the model no more, `$<name>` still runs it. */
export function codexSkillPolicyPath(name: string): string {
  return `.agents/skills/${name}/agents/openai.yaml`;
}
const USER_ONLY_POLICY = 'policy:\n  allow_implicit_invocation: false\n';

export function planCodex(persona: PlannedPersonaView): AssistantPlan {
  const mapping = commandPrefixes(persona.permissions, 'rules', { editDenies: false });
  const files = persona.workflows.flatMap((workflow) => [
    ownedFile(skillPath(workflow.name), renderSkill(workflow)),
    ...(workflow.userOnly ? [ownedFile(codexSkillPolicyPath(workflow.name), USER_ONLY_POLICY)] : []),
  ]);
  if (mapping.rules.length > 0) files.push(ownedFile(codexRulesPath(persona.id), renderCodexRules(persona, mapping.rules)));
  const cannotExpress: string[] = [];
  for (const decision of ['deny', 'ask', 'allow'] as const) {
    const rules = mapping.notExpressed.filter((entry) => entry.decision === decision);
    const listed = ruleList(rules.map((r) => r.rule), decision === 'allow' ? ALLOWS_NAMED : Infinity);
    if (rules.length > 0) cannotExpress.push(`${rules.length} ${decision} rule(s) cannot be expressed as prefix rules (they match whole leading words): ${listed}`);
  }
  for (const entry of mapping.narrowed) cannotExpress.push(narrowedLine(entry));
  if (mapping.rules.some((rule) => rule.decision === 'deny')) cannotExpress.push(WRAPPED_DENY_LINE);
  const fileRules = [...persona.permissions.deny, ...persona.permissions.ask, ...persona.permissions.allow].filter((rule) => !rule.startsWith('Bash'));
  if (fileRules.length > 0) cannotExpress.push(`file and tool rules cannot be expressed: Codex has no project rule for them (its sandbox decides what commands may write): ${ruleList(fileRules)}`);
  cannotExpress.push(...envNotExpressed(persona.env, 'its environment settings live in .codex/config.toml, which dp leaves to you'));
  return { files, lists: [], cannotExpress };
}

export const codexAdapter: AssistantAdapter = {
  id: 'codex',
  displayName: 'Codex CLI',
  detect: ['.codex', '.agents/skills'],
  requires: ['agents'],
  reads: () => [AGENTS_MD],
  plan: (personas) => merged(personas.map((p) => toOutputs(p, planCodex(viewOf(p))))),
  check(path, text) {
    if (/^\.agents\/skills\/[^/]+\/SKILL\.md$/.test(path)) return checkSkill(path, text)[0] ?? null;
    if (path.startsWith('.codex/rules/')) return checkCodexRules(text)[0] ?? null;
    if (/^\.agents\/skills\/[^/]+\/agents\/openai\.yaml$/.test(path)) return checkCodexSkillPolicy(text)[0] ?? null;
    return null;
  },
};
