// What every command file and permission set of a built-in persona must satisfy, as small checks the
// persona tests share. Facts: ../shared/research/claude-code.md §2 (rule matching), §3 (commands).
import { specifierPattern } from '../../shared/persona/bash-rule.js';

/** The frontmatter of a command file as key -> raw value, or null when the file has none. */
export function frontmatter(text: string): Record<string, string> | null {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) return null;
  const fields: Record<string, string> = {};
  for (const line of match[1]!.split('\n')) {
    const field = /^([a-z][a-z-]*): (.+)$/.exec(line);
    if (!field) throw new Error(`frontmatter line is not "key: value": ${JSON.stringify(line)}`);
    fields[field[1]!] = field[2]!;
  }
  return fields;
}

/**
 * Why a frontmatter value would not read back as the plain string it looks like in YAML, or null.
 * A plain scalar must not contain ": " or " #", nor start with an indicator character; a quoted one
 * must be closed and must not contain its own quote.
 */
export function yamlProblem(value: string): string | null {
  if (value.startsWith('"')) return /^"[^"\\]*"$/.test(value) ? null : 'a double-quoted value must end with its quote and hold no other "';
  if (value.startsWith("'")) return /^'[^']*'$/.test(value) ? null : "a single-quoted value must end with its quote and hold no other '";
  if (/^[[\]{}&*!|>%@`,?:-]/.test(value)) return `starts with ${JSON.stringify(value[0])}, a YAML indicator: quote it`;
  if (value.includes(': ')) return 'contains ": " (YAML would read a mapping): rephrase or quote it';
  if (value.includes(' #')) return 'contains " #" (YAML would read a comment): rephrase or quote it';
  return null;
}

/** A rule as its tool and specifier (undefined for a bare tool name). */
function ruleParts(rule: string): { tool: string; specifier: string | undefined } {
  const match = /^([A-Za-z]+)(?:\((.*)\))?$/s.exec(rule);
  return match ? { tool: match[1]!, specifier: match[2] } : { tool: rule, specifier: undefined };
}

/** The rules in a command file's `allowed-tools` value ("Read, Grep, Bash(git log *)"), split at top-level commas. */
export function allowedTools(value: string): string[] {
  const rules: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of value) {
    if (char === ',' && depth === 0) {
      rules.push(current.trim());
      current = '';
      continue;
    }
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    current += char;
  }
  if (current.trim() !== '') rules.push(current.trim());
  return rules;
}

/**
 * The first rule of `rules` (ask or deny) that matches a command the allow rule `allow` was written
 * for: deny and ask are checked before allow in Claude Code, so such an allow never takes effect
 * for that command. The allow's own `*` is tried as nothing and as a word.
 */
export function shadowingRule(allow: string, rules: string[]): string | undefined {
  const allowed = ruleParts(allow);
  const spec = allowed.specifier;
  const samples = spec === undefined ? [] : ['', 'x', 'x y'].map((filler) => spec.replaceAll('*', filler).trim());
  return rules.find((rule) => {
    const other = ruleParts(rule);
    if (other.tool !== allowed.tool) return false;
    if (other.specifier === undefined) return true;
    const pattern = specifierPattern(other.specifier);
    return samples.some((sample) => pattern.test(sample));
  });
}

/**
 * Whether the path rule `rule` (Edit(...) or Read(...), gitignore syntax as Claude Code reads it:
 * ../shared/research/claude-code.md §2) covers `path`, relative to the project root, when Claude Code
 * runs from that root: `/x` is the root, `./x` and `x` the working directory, `**` any depth, `*` one name.
 */
export function pathRuleCovers(rule: string, tool: 'Edit' | 'Read', path: string): boolean {
  const { tool: ruleTool, specifier } = ruleParts(rule);
  if (ruleTool !== tool) return false;
  if (specifier === undefined) return true;
  if (specifier.startsWith('//') || specifier.startsWith('~')) return false;
  const relative = specifier.replace(/^\.?\//, '');
  const anyDepth = !relative.includes('/') ? '(?:.*/)?' : '';
  const source = relative
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) => (part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${anyDepth}${source}$`).test(path);
}
