// PreToolUse hook on Bash (developer, beginner level): asks before git commands that rewrite history or
// throw work away (force push, reset --hard, rebase, filter-branch, commit --amend, clean -f, ...), with
// what the command does, so the user decides knowingly. Other commands pass silently.
import { aliasExpansion, gitRisk } from '../lib/git-risks.js';
import { ask, runHook, type HookInput } from '../lib/run-hook.js';
import { simpleCommands } from '../lib/shell-words.js';

const isGit = (argv: string[]) => argv[0]!.replace(/^.*\//, '') === 'git';

/** The git commands a line runs, with an alias (`git pf`, `git -c alias.pf='push -f' pf`) replaced by what it runs. */
function gitCommands(line: string, cwd: string | undefined): string[][] {
  return simpleCommands(line)
    .filter(isGit)
    .flatMap((argv) => {
      if (gitRisk(argv.slice(1)) !== null) return [argv];
      const alias = aliasExpansion(argv.slice(1), cwd);
      if (alias === null) return [argv];
      return 'shell' in alias ? simpleCommands(alias.shell).filter(isGit) : [[argv[0]!, ...alias.args]];
    });
}

function decide(input: HookInput) {
  const command = input.tool_input?.command;
  if (input.tool_name !== 'Bash' || typeof command !== 'string') return null;
  const risks = gitCommands(command, typeof input.cwd === 'string' ? input.cwd : undefined)
    .map((argv) => ({ text: argv.join(' '), risk: gitRisk(argv.slice(1)) }))
    .filter((found): found is { text: string; risk: string } => found.risk !== null);
  if (risks.length === 0) return null;
  return ask(
    [...risks.map(({ text, risk }) => `\`${text}\`: ${risk}`), '(Asked at the beginner level; `dp graduate` moves to a level without this check.)'].join('\n'),
  );
}

await runHook('git-guard', decide);
