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

/**
 * `Bash(git log *)` -> a RegExp for the commands it matches, as Claude Code matches Bash rules
 * (../shared/research/claude-code.md §2): `*` matches any characters, spaces included, at any position;
 * a trailing `:*` is the legacy spelling of ` *`; `Bash` and `Bash(*)` match every command.
 * Whether `Bash(ls *)` also matches a bare `ls` is not documented: `bare` says whether to assume it does
 * (assume it for allow rules and not for ask/deny rules, and a check errs on the cautious side).
 */
function ruleMatcher(rule: string, { bare = true } = {}): { tool: string; pattern: RegExp | null } {
  const match = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(rule);
  if (!match) return { tool: rule, pattern: null };
  const specifier = match[2];
  if (specifier === undefined) return { tool: match[1]!, pattern: null };
  const legacy = specifier.endsWith(':*') ? `${specifier.slice(0, -2)} *` : specifier;
  const source = legacy.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const trailing = bare && source.endsWith(' .*') ? `${source.slice(0, -3)}( .*)?` : source;
  return { tool: match[1]!, pattern: new RegExp(`^${trailing}$`, 's') };
}

/** Whether the Bash rule `rule` matches the (simple, already unwrapped) command line `command`. */
export function bashRuleMatches(rule: string, command: string, options: { bare?: boolean } = {}): boolean {
  const { tool, pattern } = ruleMatcher(rule, options);
  return tool === 'Bash' && (pattern === null || pattern.test(command));
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
 * Commands that write files outside what they were allowed for, change device state, send signals or
 * delete directories, each spelt the way an allow rule with a `*` lets through. Every built-in persona
 * must stop each of them with an ask or deny rule wherever one of its allow rules matches it.
 */
export const ESCAPE_COMMANDS = [
  // analyze_process_impact: an action riding on the read-only --json report (the tool also refuses it).
  'scripts/analyze_process_impact.sh 1 --action=kill --yes --json',
  'scripts/analyze_process_impact.mjs 1 --action=kill --yes --json',
  'scripts/analyze_process_impact.sh 1 --action kill --yes --json',
  'scripts/analyze_process_impact.sh 1 --yes --action=k --json',
  // gpu_monitor: --log appends to any path, --plot -o writes one, --prometheus opens a port.
  'scripts/gpu_monitor.sh --once --log /tmp/x',
  'scripts/gpu_monitor.mjs --once --json --log=/tmp/x',
  'scripts/gpu_monitor.sh --once --plot run.csv -o /tmp/x.svg',
  'scripts/gpu_monitor.sh --once --prometheus 9400 --host 0.0.0.0',
  // git's diff options: --output=<file> (or --output <file>) writes the output to that file.
  'git log --output=/tmp/x',
  'git log -p --output /tmp/x',
  'git diff --output=/tmp/x',
  'git diff HEAD~1 --output=/tmp/x',
  'git show HEAD --output=/tmp/x',
  'git show --stat HEAD --output=/tmp/x',
  'git shortlog -sn HEAD --output=/tmp/x',
  // nvidia-smi: -f/--filename writes a file; the device modification options change GPU state.
  'nvidia-smi -q -f /tmp/x',
  'nvidia-smi -q --filename=/tmp/x',
  'nvidia-smi -q -d MEMORY -f /tmp/x',
  'nvidia-smi --query-gpu=name --format=csv -f /tmp/x',
  'nvidia-smi --query-compute-apps=pid --format=csv --filename=/tmp/x',
  'nvidia-smi -q -pm 0',
  'nvidia-smi -q -pl 100',
  'nvidia-smi -q -r',
  'nvidia-smi -q -c 2',
  'nvidia-smi -q -e 0',
  'nvidia-smi -q -lgc 300,300',
  'nvidia-smi -q -rac',
  'nvidia-smi --query-gpu=name --format=csv --persistence-mode=0',
  // rocm-smi: fans, clocks, resets.
  'rocm-smi --json --setfan 255',
  'rocm-smi --json --resetclocks',
  'rocm-smi --json --gpureset -d 0',
  // pytest: --basetemp deletes that directory first; @file reads arguments (--basetemp too) from a file;
  // --junitxml and --debug write to any path.
  'pytest --basetemp=/home/user',
  'pytest tests --basetemp /tmp/x',
  'pytest @args.txt',
  'pytest --junitxml=/tmp/x.xml',
  'pytest --debug=/tmp/x.log',
];

/**
 * The commands of `commands` that an allow rule (of `allow`, e.g. the persona's allows plus its command
 * files' `allowed-tools`) matches while no ask or deny rule does: Claude Code would run them without asking.
 */
export function unguarded(permissions: { allow: string[]; ask: string[]; deny: string[] }, commands: string[]): Array<{ command: string; allowedBy: string }> {
  const found: Array<{ command: string; allowedBy: string }> = [];
  for (const command of commands) {
    const allowedBy = permissions.allow.find((rule) => bashRuleMatches(rule, command, { bare: true }));
    if (allowedBy === undefined) continue;
    const guarded = [...permissions.deny, ...permissions.ask].some((rule) => bashRuleMatches(rule, command, { bare: false }));
    if (!guarded) found.push({ command, allowedBy });
  }
  return found;
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
