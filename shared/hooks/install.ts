// Where an installed hook script lives and the command Claude Code runs for it. Claude Code runs hook and
// status line commands through a shell from whatever directory the session is in, and sets
// $CLAUDE_PROJECT_DIR to the project root (../shared/research/claude-code-surfaces.md §3), so the command
// names the script from there; the quotes keep a project path with spaces one word.
export const HOOKS_DIR = '.claude/hooks';

/** The repository path of an installed hook script. */
export function hookScriptPath(script: string): string {
  return `${HOOKS_DIR}/${script}.mjs`;
}

/** The settings `command` that runs an installed hook script. */
export function hookCommand(script: string): string {
  return `node "$CLAUDE_PROJECT_DIR"/${hookScriptPath(script)}`;
}
