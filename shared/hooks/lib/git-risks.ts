// Git commands that rewrite history or throw work away, each with what it does in words a beginner can
// act on: the developer persona's beginner level asks before them (scripts/git-guard.ts).

/** git's global options that take a value in the next word. */
const GLOBAL_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

function subcommand(args: string[]): { name: string; rest: string[] } | null {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += GLOBAL_VALUE_OPTIONS.has(args[i]!) ? 2 : 1;
  return args[i] === undefined ? null : { name: args[i]!, rest: args.slice(i + 1) };
}

const has = (rest: string[], ...options: string[]) => rest.some((arg) => options.includes(arg) || options.some((o) => o.startsWith('--') && arg.startsWith(`${o}=`)));
/** A short option inside a cluster: `-fd` has -f. */
const hasShort = (rest: string[], letter: string) => rest.some((arg) => /^-[a-zA-Z]+$/.test(arg) && arg.includes(letter));

/** Why `git <args>` needs a second look, or null when it does not. */
export function gitRisk(args: string[]): string | null {
  const sub = subcommand(args);
  if (!sub) return null;
  const { name, rest } = sub;
  switch (name) {
    case 'push':
      if (has(rest, '--force', '--force-with-lease', '--force-if-includes', '--mirror') || hasShort(rest, 'f') || rest.some((arg) => /^\+/.test(arg))) {
        return 'a force push replaces the branch on the remote with yours: commits others pushed meanwhile are lost from it, and everyone who pulled must repair their copy. Prefer a new commit on top; if you must rewrite, --force-with-lease at least refuses when the remote moved.';
      }
      if (has(rest, '--delete', '--prune') || hasShort(rest, 'd') || rest.some((arg) => /^:[^:]/.test(arg))) {
        return 'this deletes branches or tags on the remote, for everyone.';
      }
      return null;
    case 'reset':
      return has(rest, '--hard', '--merge', '--keep') ? 'git reset --hard throws away every uncommitted change in tracked files, with no way to get it back. Commit or `git stash` first if you might want it.' : null;
    case 'rebase':
      return has(rest, '--abort', '--continue', '--skip', '--quit', '--show-current-patch', '--edit-todo')
        ? null
        : 'a rebase rewrites the commits of this branch (they get new hashes): fine for commits only you have, but if the branch is pushed it then needs a force push and breaks others\' copies. A merge keeps history as it is.';
    case 'filter-branch':
    case 'filter-repo':
      return `git ${name} rewrites the whole history of the repository: every commit hash changes and every clone must be replaced. Make a backup clone first.`;
    case 'commit':
      return has(rest, '--amend') ? 'git commit --amend replaces the last commit: if it was already pushed, the branch then needs a force push. A new commit is safer.' : null;
    case 'clean':
      return has(rest, '--force') || hasShort(rest, 'f') ? 'git clean deletes untracked files for good (they are not in git, so git cannot bring them back). Run `git clean -n` first to see the list.' : null;
    case 'checkout':
      return rest.includes('--') || rest.includes('.') || has(rest, '--force') || hasShort(rest, 'f') ? 'this checkout overwrites uncommitted changes in your files with the committed version; they cannot be recovered.' : null;
    case 'restore':
      return has(rest, '--staged') && !has(rest, '--worktree') && !hasShort(rest, 'W') ? null : 'git restore overwrites uncommitted changes in your files with the committed version; they cannot be recovered.';
    case 'branch':
      return (has(rest, '--delete') && has(rest, '--force')) || rest.includes('-D') ? 'git branch -D deletes the branch even if its commits are merged nowhere: they become hard to find (git reflog) and are eventually removed.' : null;
    case 'stash':
      return rest[0] === 'drop' || rest[0] === 'clear' ? `git stash ${rest[0]} deletes stashed work; it cannot easily be recovered.` : null;
    default:
      return null;
  }
}
