// Git commands that rewrite history or throw work away, each with what it does in words a beginner can
// act on: the developer persona's beginner level asks before them (scripts/git-guard.ts).
import { execFileSync } from 'node:child_process';

/** git's global options that take a value in the next word. */
const GLOBAL_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

function subcommand(args: string[]): { name: string; rest: string[]; global: string[] } | null {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += GLOBAL_VALUE_OPTIONS.has(args[i]!) ? 2 : 1;
  return args[i] === undefined ? null : { name: args[i]!, rest: args.slice(i + 1), global: args.slice(0, i) };
}

/** git's own commands, which an alias cannot replace (git ignores such aliases): no need to ask git's config. */
const BUILTINS = new Set('add am apply bisect blame branch bundle checkout cherry-pick clean clone commit config describe diff fetch format-patch fsck gc grep help init log ls-files ls-remote merge mv notes pull push range-diff rebase reflog remote reset restore rev-list rev-parse revert rm shortlog show sparse-checkout stash status submodule switch tag worktree'.split(' '));

/** How long `git config` may take to name an alias. */
const ALIAS_QUERY_TIMEOUT_MS = 500;

/**
 * What `git <args>` runs when its subcommand is an alias: from `-c alias.<name>=...` on the line, else from
 * git's config in `cwd`. Null when it is no alias. `!`-aliases come back as the shell command they run.
 */
export function aliasExpansion(args: string[], cwd: string | undefined): { shell: string } | { args: string[] } | null {
  const sub = subcommand(args);
  if (!sub || BUILTINS.has(sub.name) || !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(sub.name)) return null;
  const prefix = `alias.${sub.name.toLowerCase()}=`;
  let value: string | undefined;
  sub.global.forEach((option, k) => {
    const setting = option === '-c' ? sub.global[k + 1] : option.startsWith('-c') && option.length > 2 ? option.slice(2) : undefined;
    if (setting?.toLowerCase().startsWith(prefix)) value = setting.slice(prefix.length);
  });
  if (value === undefined) {
    try {
      value = execFileSync('git', ['config', '--get', `alias.${sub.name}`], { cwd, encoding: 'utf8', timeout: ALIAS_QUERY_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null; // no such alias, no git, or not answering in time
    }
  }
  if (value === '') return null;
  return value.startsWith('!') ? { shell: value.slice(1) } : { args: [...sub.global, ...value.split(/\s+/), ...sub.rest] };
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
