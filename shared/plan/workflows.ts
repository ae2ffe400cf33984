// A persona's workflows and subagents: each template renders to Markdown that opens with a frontmatter of
// `key: value` lines (a value in double quotes is a JSON string). It is read strictly and checked here,
// because Claude Code drops unknown keys and bad values without a word (research: claude-code-surfaces.md §1-2).
// The result is assistant-neutral (Workflow, Subagent); claude-files.ts writes Claude Code's files from it.
import { DpError } from '../errors.js';
import type { Subagent, Workflow } from '../merge/model.js';
import { isValidRule } from '../persona/rules.js';
import type { PermissionSet } from '../persona/schema.js';

/** Tools that only read the repository: a workflow or subagent may always use them. */
const READ_TOOLS = ['Read', 'Grep', 'Glob'];
/** Tool names a subagent's `tools` may list (each one's use is still governed by the settings' rules). */
const AGENT_TOOLS = [...READ_TOOLS, 'Bash', 'Edit', 'Write'];
/** The Agent Skills standard's limit for a description. */
const MAX_DESCRIPTION = 1024;

const HINT = 'fix the template and run again';

interface Frontmatter {
  fields: Map<string, string>;
  body: string;
}

function parseFrontmatter(text: string, shownAs: string): Frontmatter {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) throw new DpError(`${shownAs}: must start with a frontmatter between --- lines`, HINT);
  const fields = new Map<string, string>();
  for (const line of match[1]!.split('\n')) {
    const pair = /^([a-z-]+): (.+)$/.exec(line);
    if (!pair) throw new DpError(`${shownAs}: frontmatter line ${JSON.stringify(line)} is not "key: value"`, HINT);
    const [, key, raw] = pair as unknown as [string, string, string];
    if (fields.has(key)) throw new DpError(`${shownAs}: frontmatter key ${key} appears twice`, HINT);
    let value = raw.trim();
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        throw new DpError(`${shownAs}: frontmatter ${key}: ${raw} is not a complete double-quoted string`, HINT);
      }
    }
    fields.set(key, value);
  }
  return { fields, body: text.slice(match[0].length) };
}

/** `A, B(x, y), C` -> entries, splitting only at commas outside parentheses. */
export function splitToolList(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of list) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

function takeFields(front: Frontmatter, allowed: readonly string[], shownAs: string): Map<string, string> {
  for (const key of front.fields.keys()) {
    if (!allowed.includes(key)) throw new DpError(`${shownAs}: frontmatter key ${key} is not one dp writes (${allowed.join(', ')})`, HINT);
  }
  const description = front.fields.get('description');
  if (!description) throw new DpError(`${shownAs}: frontmatter description is required (Claude Code lists and picks it by it)`, HINT);
  if (description.length > MAX_DESCRIPTION) throw new DpError(`${shownAs}: frontmatter description has ${description.length} characters; at most ${MAX_DESCRIPTION}`, HINT);
  return front.fields;
}

/**
 * A rendered workflow template -> a Workflow. Its allowed-tools pre-approve tools while it runs (not gated by
 * workspace trust), so each must be a read-only tool or a rule the persona's own settings already allow.
 */
export function parseWorkflow(name: string, text: string, permissions: PermissionSet, shownAs: string): Workflow {
  const front = parseFrontmatter(text, shownAs);
  const fields = takeFields(front, ['description', 'argument-hint', 'allowed-tools', 'disable-model-invocation'], shownAs);
  const allowedTools = splitToolList(fields.get('allowed-tools') ?? '');
  for (const tool of allowedTools) {
    if (!isValidRule(tool)) throw new DpError(`${shownAs}: allowed-tools: ${JSON.stringify(tool)} is not a Claude Code tool or permission rule`, HINT);
    if (!READ_TOOLS.includes(tool) && !permissions.allow.includes(tool)) {
      throw new DpError(`${shownAs}: allowed-tools: ${tool} is not allowed by the persona's settings; a workflow pre-approves only ${READ_TOOLS.join(', ')} and rules the persona allows`, HINT);
    }
  }
  const userOnly = fields.get('disable-model-invocation');
  if (userOnly !== undefined && userOnly !== 'true' && userOnly !== 'false') throw new DpError(`${shownAs}: disable-model-invocation must be true or false`, HINT);
  const argumentHint = fields.get('argument-hint');
  return {
    name,
    description: fields.get('description')!,
    ...(argumentHint ? { argumentHint } : {}),
    allowedTools,
    userOnly: userOnly === 'true',
    body: front.body,
  };
}

/** A rendered subagent template -> a Subagent with a minimal tool list (tool names; the settings' rules still apply). */
export function parseSubagent(name: string, text: string, shownAs: string): Subagent {
  const front = parseFrontmatter(text, shownAs);
  const fields = takeFields(front, ['description', 'tools'], shownAs);
  const tools = splitToolList(fields.get('tools') ?? '');
  if (tools.length === 0) throw new DpError(`${shownAs}: frontmatter tools is required: without it a subagent gets every tool`, HINT);
  for (const tool of tools) {
    if (!AGENT_TOOLS.includes(tool)) throw new DpError(`${shownAs}: tools: ${JSON.stringify(tool)} is not one of ${AGENT_TOOLS.join(', ')}`, HINT);
  }
  return { name, description: fields.get('description')!, tools, body: front.body };
}
