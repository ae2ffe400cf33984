// How Claude Code matches a Bash permission rule against a command line, as a pure function.
// Facts: ../shared/research/claude-code.md §2 (and the permissions page it cites):
// - `*` matches any characters, spaces included, at any position; a trailing ` *` also matches the
//   bare command (a word boundary: `Bash(ls *)` matches `ls` and `ls -la`, not `lsof`);
// - a trailing `:*` is the legacy spelling of ` *` (only at the end); `Bash` and `Bash(*)` match everything;
// - compound commands (`&&`, `||`, `;`, `|`, `|&`, `&`, newline) are split and every part must match;
// - the wrappers `timeout`, `time`, `nice`, `nohup`, `stdbuf` and a bare `xargs` are stripped first.

/** The specifier of a `Bash(...)` rule; '' for a bare `Bash`; null for any other tool. */
export function bashSpecifier(rule: string): string | null {
  if (rule === 'Bash') return '';
  const match = /^Bash\((.*)\)$/s.exec(rule);
  return match ? match[1]! : null;
}

/** The specifier with a trailing legacy `:*` written as ` *`. */
function normalized(specifier: string): string {
  return specifier.endsWith(':*') ? `${specifier.slice(0, -2)} *` : specifier;
}

/** The literal pieces of a specifier between its `*` wildcards (n wildcards give n + 1 pieces). */
export function specifierPieces(specifier: string): string[] {
  return normalized(specifier).split('*');
}

/** A RegExp for the single (already split and unwrapped) commands a specifier matches. */
export function specifierPattern(specifier: string): RegExp {
  const source = specifierPieces(specifier)
    .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  // A trailing " *" is a word boundary: the prefix alone matches too.
  const bounded = source.endsWith(' .*') ? `${source.slice(0, -3)}( .*)?` : source;
  return new RegExp(`^${bounded}$`, 's');
}

const SEPARATORS = ['&&', '||', '|&', ';', '|', '&', '\n'];

/** A command line split at the shell's command separators (outside quotes), each part trimmed. */
export function splitCompound(commandLine: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < commandLine.length; i++) {
    const char = commandLine[i]!;
    if (quote) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"') current += commandLine[i++] ?? '';
      current += char;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    if (char === '\\') {
      current += char + (commandLine[++i] ?? '');
      continue;
    }
    const separator = SEPARATORS.find((sep) => commandLine.startsWith(sep, i));
    if (separator) {
      parts.push(current.trim());
      current = '';
      i += separator.length - 1;
      continue;
    }
    current += char;
  }
  parts.push(current.trim());
  return parts.filter((part) => part !== '');
}

/** A command without the process wrappers Claude Code strips before matching. */
export function stripWrappers(command: string): string {
  const wrapper = /^(?:timeout(?:\s+(?:-[sk]\s+\S+|-\S+))*\s+\d+(?:\.\d+)?[smhd]?|time|nohup|nice(?:\s+-n\s+-?\d+|\s+-\d+)?|stdbuf(?:\s+-[ioe]\S+)+|xargs(?=\s+[^\s-]))\s+/;
  let rest = command;
  for (let match = wrapper.exec(rest); match; match = wrapper.exec(rest)) rest = rest.slice(match[0].length);
  return rest;
}

/** Whether the Bash rule `rule` lets Claude Code run `commandLine`: every part of it must match. */
export function bashRuleMatches(rule: string, commandLine: string): boolean {
  const specifier = bashSpecifier(rule);
  if (specifier === null) return false;
  if (/^[\s*:]*$/.test(specifier)) return true;
  const pattern = specifierPattern(specifier);
  return splitCompound(commandLine).every((part) => pattern.test(stripWrappers(part)));
}
