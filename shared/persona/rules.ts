// Claude Code permission rules: syntax (from the settings JSON schema) and the policy dp applies.
// Facts: ../shared/research/claude-code.md §2 and §7.

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

/** Allows that grant every command of a tool: refused outright. */
export function isBlanketAllow(rule: string): boolean {
  return /^(Bash|PowerShell)(\((\*|\*:\*|\s*)\))?$/.test(rule);
}

/**
 * Programs that run arbitrary code (interpreters, package runners, shells, git with its hooks and -c,
 * network fetchers, signal senders): an allow for all their arguments is broad.
 */
const BROAD_PROGRAMS = [
  'python', 'python3', 'node', 'npx', 'npm', 'pnpm', 'yarn', 'bun', 'deno', 'pip', 'pip3', 'uv', 'ruby', 'perl',
  'bash', 'sh', 'zsh', 'docker', 'kubectl', 'git', 'curl', 'wget', 'kill', 'pkill', 'killall', 'sudo', 'eval',
  'ssh', 'make', 'env', 'xargs', 'rm', 'chmod',
];

/**
 * Allow rules that are valid but broad: a whole interpreter or runner, unscoped web access,
 * unscoped edits. Custom personas may use them with a warning; built-in personas never do.
 */
export function isBroadAllow(rule: string): boolean {
  if (rule === 'WebFetch' || rule === 'WebFetch(domain:*)' || rule === 'Edit' || rule === 'Write' || rule === 'Edit(**)') return true;
  const bash = /^Bash\((.+)\)$/.exec(rule);
  if (!bash) return false;
  const command = bash[1]!.trim();
  if (command.startsWith('*')) return true;
  const match = /^([\w.+-]+)(?:\s+(?:run|exec|x|dlx|-c|-m|-e))?\s*:?\s*\*$/.exec(command);
  return match !== null && BROAD_PROGRAMS.includes(match[1]!);
}
