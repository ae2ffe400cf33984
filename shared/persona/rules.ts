// Claude Code permission rules: syntax (from the settings JSON schema) and the policy dp applies.
// Facts: ../shared/research/claude-code.md §2 and §7.
import { bashSpecifier } from './bash-rule.js';

/** Tool names accepted by the Claude Code settings schema's permissionRule pattern. */
const TOOLS = [
  'Agent', 'Artifact', 'Bash', 'Cd', 'Edit', 'EnterWorktree', 'ExitPlanMode', 'Glob', 'Grep', 'KillShell', 'LSP',
  'Monitor', 'MultiEdit', 'NotebookEdit', 'PowerShell', 'Read', 'ShareOnboardingGuide', 'Skill', 'TaskCreate',
  'TaskGet', 'TaskList', 'TaskOutput', 'TaskStop', 'TaskUpdate', 'TodoWrite', 'ToolSearch', 'WebFetch',
  'WebSearch', 'Workflow', 'Write',
];

const RULE_PATTERN = new RegExp(`^((${TOOLS.join('|')})(\\([^)]+\\))?|mcp__.*)$`);

export function isValidRule(rule: string): boolean {
  return RULE_PATTERN.test(rule);
}

/**
 * Allows that grant every command of a tool: refused outright. In a Bash specifier `*` matches any
 * characters (spaces too) and a trailing `:*` is the legacy ` *`, so a specifier made only of `*`, `:`
 * and spaces (`*`, `*:*`, `**`, `:*`, ` * `) matches every command.
 */
export function isBlanketAllow(rule: string): boolean {
  return /^(Bash|PowerShell)(\([\s*:]*\))?$/.test(rule);
}

/**
 * Programs that run arbitrary code (interpreters, package runners, shells, git with its hooks and -c,
 * network fetchers, signal senders): an allow for all their arguments is broad.
 */
const BROAD_PROGRAMS = [
  'python', 'python3', 'node', 'npx', 'npm', 'pnpm', 'yarn', 'bun', 'deno', 'pip', 'pip3', 'uv', 'uvx', 'pipx', 'ruby',
  'perl', 'php', 'java', 'dotnet', 'go', 'cargo', 'bash', 'sh', 'zsh', 'powershell', 'pwsh', 'docker', 'kubectl', 'git',
  'curl', 'wget', 'kill', 'pkill', 'killall', 'sudo', 'eval', 'ssh', 'make', 'env', 'xargs', 'rm', 'chmod',
  // Not interpreters, but their arguments run or write anything: find -exec/-delete, awk system(), sed -i and
  // its e/w commands, tar --to-command/-C.
  'find', 'awk', 'gawk', 'sed', 'tar',
];

/**
 * File rules over the whole file system, the whole home directory or the whole project (`//` absolute,
 * `~/` home, `/` the settings file's project): `Edit(//**)`, `Read(~/**)`, `Edit(/**)`; and edits of every
 * file under the working directory: `Edit(./**)`, `Edit(*)`.
 */
const PATH_AT_LARGE = [/^(Edit|Read|Write|MultiEdit)\((\/\/|~\/|\/|~)[*/]*\)$/, /^(Edit|Write|MultiEdit)\((\.\/)?[*/]+\)$/];

/**
 * Allow rules that are valid but broad: a whole interpreter or runner, unscoped web access,
 * unscoped edits. Custom personas may use them with a warning; built-in personas never do.
 */
export function isBroadAllow(rule: string): boolean {
  if (rule === 'WebFetch' || rule === 'WebFetch(domain:*)' || rule === 'Edit' || rule === 'Write' || rule === 'Edit(**)') return true;
  if (PATH_AT_LARGE.some((pattern) => pattern.test(rule))) return true;
  const specifier = bashSpecifier(rule);
  if (!specifier) return false;
  const command = specifier.trim();
  if (command.startsWith('*')) return true;
  const match = /^([\w.+-]+)(?:\s+(?:run|exec|x|dlx|-c|-m|-e|-i|-jar|\.))?\s*:?\s*\*$/.exec(command);
  return match !== null && BROAD_PROGRAMS.includes(match[1]!);
}

/**
 * Environment variables that change what an allowed command executes (a pager, an editor, a preloaded
 * library, interpreter start-up code, git's external diff or ssh command, the search PATH) or where
 * data goes (the API endpoint). Settings `env` reaches every command Claude Code runs.
 */
const RISKY_ENV_NAMES = new Set([
  'PAGER', 'EDITOR', 'VISUAL', 'NODE_OPTIONS', 'NODE_PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'BASH_ENV', 'ENV',
  'PROMPT_COMMAND', 'ZDOTDIR', 'SHELLOPTS', 'PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PERL5OPT', 'PERL5LIB', 'RUBYOPT',
  'RUBYLIB', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'PATH', 'ANTHROPIC_BASE_URL',
]);
const RISKY_ENV_PREFIXES = ['GIT_', 'DYLD_', 'BASH_FUNC_'];

/** Names that hold secrets: settings files are committed, and their `env` goes to every subprocess. */
export function isSecretEnvName(name: string): boolean {
  return /(^|_)(API_KEY|TOKEN|SECRET|SECRET_KEY|SECRET_ACCESS_KEY|PASSWORD|PRIVATE_KEY)$/.test(name);
}

/**
 * The names in `env` that can change what allowed commands execute or where data goes, and those that
 * look like secrets (which do not belong in committed settings), in `env`'s order.
 */
export function riskyEnvNames(env: Record<string, string>): string[] {
  return Object.keys(env).filter((name) => RISKY_ENV_NAMES.has(name) || RISKY_ENV_PREFIXES.some((prefix) => name.startsWith(prefix)) || isSecretEnvName(name));
}
