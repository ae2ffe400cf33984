// Whether a file written for another assistant still reads as that assistant's format: what dp doctor
// reports for a file edited by hand, and what the tests check every generated file against. Each check
// returns problems, one line each without the path (the caller names the file), empty when the file is
// fine. Facts: ../shared/research/assistants.md.
import { parse as parseJsonc, type ParseError, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

/** A parser's message, its first line without a trailing colon. */
function firstLine(error: unknown): string {
  return (error as Error).message.split('\n')[0]!.replace(/:\s*$/, '');
}

/** Agent Skills: `name` (the folder's name, lower-case letters, digits, dashes, up to 64) and `description` (up to 1024). */
export function checkSkill(path: string, text: string): string[] {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(text);
  if (!match) return [`no frontmatter: a skill starts with --- and its name and description`];
  let data: unknown;
  try {
    data = parseYaml(match[1]!);
  } catch (error) {
    return [`frontmatter is not YAML: ${firstLine(error)}`];
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [`frontmatter is not a mapping of name and description`];
  const { name, description } = data as Record<string, unknown>;
  const folder = path.split('/').at(-2);
  const problems: string[] = [];
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) problems.push(`name must be lower-case letters, digits and dashes (up to 64)`);
  else if (name !== folder) problems.push(`name "${name}" differs from its folder "${folder}"`);
  if (typeof description !== 'string' || description.trim() === '' || description.length > 1024) problems.push(`description must be text of 1 to 1024 characters`);
  return problems;
}

/** A Gemini CLI custom command: TOML with a `prompt` string and an optional `description` string. */
export function checkGeminiCommand(text: string): string[] {
  let data: Record<string, unknown>;
  try {
    data = parseToml(text);
  } catch (error) {
    return [`not TOML: ${firstLine(error)}`];
  }
  const problems: string[] = [];
  if (typeof data.prompt !== 'string') problems.push(`prompt must be a string`);
  if (data.description !== undefined && typeof data.description !== 'string') problems.push(`description must be a string`);
  return problems;
}

/** A Codex skill's agents/openai.yaml: YAML whose policy.allow_implicit_invocation, where given, is true or false. */
export function checkCodexSkillPolicy(text: string): string[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    return [`not YAML: ${firstLine(error)}`];
  }
  const policy = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).policy : undefined;
  const allow = typeof policy === 'object' && policy !== null ? (policy as Record<string, unknown>).allow_implicit_invocation : undefined;
  return allow === undefined || typeof allow === 'boolean' ? [] : [`policy.allow_implicit_invocation must be true or false`];
}

const PREFIX_RULE = /^prefix_rule\(pattern = (\[.*?\]), decision = "(allow|prompt|forbidden)"(?:, justification = "(?:[^"\\]|\\.)*")?\)$/;

/** Codex command rules as dp writes them: comments and one `prefix_rule(...)` a line, with a non-empty pattern of strings. */
export function checkCodexRules(text: string): string[] {
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = PREFIX_RULE.exec(trimmed);
    let pattern: unknown;
    try {
      pattern = match ? JSON.parse(match[1]!) : undefined;
    } catch {
      pattern = undefined;
    }
    if (!Array.isArray(pattern) || pattern.length === 0 || !pattern.every((word) => typeof word === 'string' && word !== '')) {
      problems.push(`line ${index + 1}: not a prefix_rule(pattern = [...], decision = "allow|prompt|forbidden") line`);
    }
  });
  return problems;
}

/** A JSON settings file (comments allowed, as both Gemini CLI and Cursor read them): parses, and each named member is a list of strings. */
export function checkJsonLists(text: string, keys: string[][]): string[] {
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) return [`not JSON (${printParseErrorCode(errors[0]!.error)} at offset ${errors[0]!.offset})`];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [`not a JSON object`];
  const problems: string[] = [];
  for (const key of keys) {
    let value: unknown = data;
    for (const part of key) value = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
    if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
      problems.push(`${key.join('.')} must be a list of strings`);
    }
  }
  return problems;
}
