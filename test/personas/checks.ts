// What every command file and permission set of a built-in persona must satisfy, as small checks the
// persona tests share. Facts: ../shared/research/claude-code.md §2 (rule matching), §3 (commands).

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

/** Slash commands built into Claude Code: a project command with the same name would be shadowed or shadow it. */
export const BUILT_IN_COMMANDS = [
  'add-dir', 'agents', 'bug', 'clear', 'compact', 'config', 'context', 'cost', 'doctor', 'exit', 'export', 'help', 'hooks',
  'ide', 'init', 'install-github-app', 'login', 'logout', 'mcp', 'memory', 'model', 'permissions', 'plan', 'plugin',
  'pr-comments', 'release-notes', 'resume', 'review', 'rewind', 'security-review', 'skills', 'status', 'terminal-setup',
  'todos', 'upgrade', 'usage', 'vim',
];

/** `Bash(git log *)` -> a RegExp for the commands it matches (`*` = any characters, spaces included). */
function ruleMatcher(rule: string): { tool: string; pattern: RegExp | null } {
  const match = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(rule);
  if (!match) return { tool: rule, pattern: null };
  const specifier = match[2];
  if (specifier === undefined) return { tool: match[1]!, pattern: null };
  const legacy = specifier.endsWith(':*') ? `${specifier.slice(0, -2)} *` : specifier;
  const source = legacy.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  // Whether `Bash(ls *)` also matches a bare `ls` is not documented: assume it does (the cautious reading here).
  const bare = source.endsWith(' .*') ? `${source.slice(0, -3)}( .*)?` : source;
  return { tool: match[1]!, pattern: new RegExp(`^${bare}$`) };
}

/**
 * The first rule of `rules` (ask or deny) that matches a command the allow rule `allow` was written
 * for: deny and ask are checked before allow in Claude Code, so such an allow never takes effect
 * for that command. The allow's own `*` is tried as nothing and as a word.
 */
export function shadowingRule(allow: string, rules: string[]): string | undefined {
  const allowed = ruleMatcher(allow);
  const spec = /^[A-Za-z]+\((.*)\)$/.exec(allow)?.[1];
  const samples = spec === undefined ? [] : [spec.replaceAll('*', ''), spec.replaceAll('*', 'x'), spec.replaceAll('*', 'x y')].map((s) => s.trim());
  return rules.find((rule) => {
    const other = ruleMatcher(rule);
    if (other.tool !== allowed.tool) return false;
    if (other.pattern === null) return true;
    return samples.some((sample) => other.pattern!.test(sample));
  });
}
