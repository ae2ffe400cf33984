// Slash command names Claude Code itself defines (built-in commands, their aliases and bundled skills), read
// from the Claude Code 2.1.197 binary (`type:"local"|"local-jsx"|"prompt",name:"…"` and `aliases:[…]`) and its
// docs. A persona's workflow with one of these names would be shadowed or would shadow it: refused.
export const CLAUDE_CODE_COMMANDS: ReadonlySet<string> = new Set([
  'add-dir', 'advisor', 'agents', 'autocompact', 'autofix-pr', 'background', 'bashes', 'batch', 'bg', 'branch', 'brief',
  'btw', 'bug', 'cd', 'checkpoint', 'chrome', 'claude-api', 'clear', 'color', 'compact', 'config', 'context', 'continue',
  'copy', 'cost', 'daemon', 'debug', 'design-login', 'desktop', 'diff', 'doctor', 'effort', 'exit', 'export',
  'extra-usage', 'fast', 'feedback', 'focus', 'fork', 'goal', 'heapdump', 'help', 'hooks', 'ide', 'init',
  'init-verifiers', 'insights', 'install', 'install-github-app', 'install-slack-app', 'keybindings', 'login', 'logout',
  'loop', 'loops', 'mcp', 'memory', 'memory-pause', 'mobile', 'model', 'output-style', 'passes', 'pause-memory',
  'permissions', 'plan', 'plugin', 'powerup', 'pr-comments', 'privacy-settings', 'pro-trial-expired', 'quit', 'radio',
  'rate-limit-options', 'recap', 'release-notes', 'reload-plugins', 'reload-skills', 'remote-control', 'remote-env',
  'rename', 'resume', 'review', 'rewind', 'sandbox', 'scroll-speed', 'security-review', 'session', 'setup-bedrock',
  'setup-vertex', 'simplify', 'skills', 'stats', 'status', 'statusline', 'stickers', 'stop', 'tasks', 'team-onboarding',
  'teleport', 'terminal-setup', 'theme', 'todos', 'toggle-memory', 'tui', 'ultraplan', 'ultrareview', 'undo', 'update',
  'update-config', 'upgrade', 'usage', 'usage-credits', 'version', 'vim', 'voice', 'web-setup', 'wellbeing', 'workflows',
]);
