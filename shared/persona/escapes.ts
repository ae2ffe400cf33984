// The rule policy as data: for each program a persona may allow, the options and arguments that turn it
// into a read of arbitrary paths, a write, code execution, a signal, a device change or a network
// service. An allow rule must not match any of them (escape-check.ts tries each against every `*` of a
// rule, the way Claude Code's wildcard would let it through). Each entry carries a sample command line
// that demonstrates it; test/personas/escapes.test.ts checks the table and every built-in rule against it.

/**
 * What the escape does. `project`: the command runs the project's own code (scripts, tests, build
 * files, hooks), which the assistant edits; allowed only spelt exactly, at the developer levels whose
 * workflow runs the tests (docs/personas/developer.md says why).
 */
export type Effect = 'read' | 'write' | 'exec' | 'signal' | 'device' | 'network' | 'project';

/** How an escape is spelt on the command line (before the program's end-of-options word, unless said). */
export type Spelling =
  /** `--long`, `--long=value`, an abbreviation `--lo`; `-x` alone, in a cluster or with its value attached. */
  | { options: readonly string[] }
  /** git's options before the command name (`git -c k=v log`). */
  | { global: readonly string[] }
  /** A non-option argument: any (`any`), or a path leaving the repository (`/`, `~`, a `..` segment). */
  | { operand: 'any' | 'outside' }
  /** A dashless BSD-style option word holding this letter (`ps e`, `ps auxe`). */
  | { letter: string }
  /** Any word containing this text, wherever it is. */
  | { word: string }
  /** Any argument after the end-of-options word (it goes to another program). */
  | { afterOptions: true }
  /** The command itself, whatever its arguments. */
  | { always: true }
  /** git: a command name that is not one of git's own. */
  | { notBuiltin: true };

export interface Escape {
  /** The program, as escape-check.ts names it: the command's base name without .sh/.mjs; `python -m pytest` is pytest. */
  program: string;
  /** The subcommands it applies to (git diff, npm run); all when absent. */
  commands?: readonly string[];
  spelling: Spelling;
  effect: Effect;
  why: string;
  /** A command line that demonstrates it. */
  sample: string;
  /** Overrides the program's end-of-options words (git diff looks for --no-index up to `--` only). */
  endOfOptions?: readonly string[];
  /** A word that makes the program refuse the escape wherever it appears (a dp tool's own guard). */
  unless?: string;
}

export interface ProgramSyntax {
  /** Words after which no word is an option. */
  endOfOptions: readonly string[];
  /** The first argument (after global options) names a subcommand. */
  subcommands?: boolean;
  /** Options are whole single-dash words (`-exec`, `-pm`), never clusters; go also takes `--name`. */
  wholeWords?: boolean;
  /** Options whose value is the next word: that word is no operand (`ps -o pid,user`, `git -C dir`). */
  withValue?: readonly string[];
}

const DEFAULT_SYNTAX: ProgramSyntax = { endOfOptions: ['--'] };

const SYNTAX: Record<string, ProgramSyntax> = {
  git: { endOfOptions: ['--', '--end-of-options'], subcommands: true, withValue: ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--super-prefix'] },
  npm: { endOfOptions: ['--'], subcommands: true },
  pnpm: { endOfOptions: ['--'], subcommands: true },
  yarn: { endOfOptions: ['--'], subcommands: true },
  cargo: { endOfOptions: ['--'], subcommands: true },
  go: { endOfOptions: ['--'], subcommands: true, wholeWords: true },
  alembic: { endOfOptions: ['--'], subcommands: true, withValue: ['-c', '--config', '-n', '--name', '-x'] },
  'nvidia-smi': { endOfOptions: [], subcommands: true, wholeWords: true, withValue: ['-i', '-d', '-f', '--filename'] },
  find: { endOfOptions: [], wholeWords: true },
  ps: { endOfOptions: [], withValue: ['-o', '-O', 'o', 'O', '--format', '-p', 'p', '--pid', '-u', 'U', '-U', '--user', '-C', '-t', 't', '--sort', '-g', '-G', '--ppid'] },
  pytest: { endOfOptions: ['--'], withValue: ['-k', '-m', '-n', '-W', '-r', '--maxfail', '--tb', '--durations', '--deselect', '--ignore', '--ignore-glob', '--log-level', '--import-mode'] },
  ruff: { endOfOptions: ['--'], subcommands: true },
};

export function syntaxOf(program: string): ProgramSyntax {
  return SYNTAX[program] ?? DEFAULT_SYNTAX;
}

/** git's own commands: any other name runs an alias or a git-<name> program. */
export const GIT_COMMANDS = new Set(
  ('add am annotate apply archive bisect blame branch bundle cat-file check-attr check-ignore check-mailmap check-ref-format checkout ' +
    'checkout-index cherry cherry-pick clean clone column commit commit-graph commit-tree config count-objects credential describe diff ' +
    'diff-files diff-index diff-tree difftool fetch filter-branch for-each-ref format-patch fsck gc grep hash-object help hook init ' +
    'instaweb interpret-trailers log ls-files ls-remote ls-tree merge merge-base merge-file merge-tree mergetool mv name-rev notes ' +
    'prune pull push range-diff read-tree rebase reflog remote repack replace rerere reset restore rev-list rev-parse revert rm ' +
    'send-pack shortlog show show-branch show-ref sparse-checkout stash status stripspace submodule switch symbolic-ref tag ' +
    'update-index update-ref var verify-commit verify-tag version whatchanged worktree write-tree').split(' '),
);

const DIFF_COMMANDS = ['diff', 'log', 'show', 'format-patch', 'shortlog', 'whatchanged', 'range-diff', 'diff-tree', 'diff-index', 'diff-files'];

const GPU_SETTINGS = [
  '-pm', '--persistence-mode', '-e', '--ecc-config', '-p', '--reset-ecc-errors', '-c', '--compute-mode', '-dm', '--driver-model',
  '-fdm', '--force-driver-model', '-r', '--gpu-reset', '-vm', '--virt-mode', '-ac', '--applications-clocks', '-rac',
  '--reset-applications-clocks', '-acp', '--applications-clocks-permission', '-pl', '--power-limit', '-cc', '--cuda-clocks', '-am',
  '--accounting-mode', '-caa', '--clear-accounted-apps', '--auto-boost-default', '--auto-boost-permission', '-lgc', '--lock-gpu-clocks',
  '-rgc', '--reset-gpu-clocks', '-lmc', '--lock-memory-clocks', '-rmc', '--reset-memory-clocks', '-mig', '--multi-instance-gpu',
];

const ROCM_SETTINGS = [
  '--setfan', '--setsclk', '--setmclk', '--setpcie', '--setslevel', '--setmlevel', '--setvc', '--setsrange', '--setmrange', '--setperflevel',
  '--setoverdrive', '--setmemoverdrive', '--setpoweroverdrive', '--setprofile', '--setperfdeterminism', '--setcomputepartition',
  '--setmemorypartition', '--resetclocks', '--resetfans', '--resetprofile', '--resetpoweroverdrive', '--resetxgmierr',
  '--resetperfdeterminism', '--gpureset', '--rasenable', '--rasdisable', '--rasinject', '--load', '-r',
];

export const ESCAPES: readonly Escape[] = [
  // git, before the command name
  { program: 'git', spelling: { global: ['-c', '--config-env'] }, effect: 'exec', why: 'sets any configuration for the run: core.pager, core.fsmonitor, diff.external and alias.* name programs git runs', sample: 'git -c core.fsmonitor=./x.sh status' },
  { program: 'git', spelling: { global: ['-C', '--git-dir', '--work-tree'] }, effect: 'read', why: 'works on another directory or repository: reads its files and runs the programs its configuration names', sample: 'git -C /tmp/other log -p' },
  { program: 'git', spelling: { global: ['--exec-path'] }, effect: 'exec', why: "runs git's helper programs from any directory", sample: 'git --exec-path=/tmp/x status' },
  { program: 'git', spelling: { notBuiltin: true }, effect: 'exec', why: 'not a git command: an alias (a !alias is a shell command) or a git-<name> program on PATH', sample: 'git lg' },
  // git commands
  // git diff looks for --no-index in its leading options past --end-of-options, up to `--` only.
  { program: 'git', commands: ['diff'], spelling: { options: ['--no-index'] }, effect: 'read', endOfOptions: ['--'], why: 'compares any two files outside git: prints .env whole', sample: 'git diff --no-index /dev/null .env' },
  { program: 'git', commands: DIFF_COMMANDS, spelling: { options: ['--output'] }, effect: 'write', why: 'writes the output to any file', sample: 'git log --output=/tmp/x' },
  { program: 'git', commands: DIFF_COMMANDS, spelling: { options: ['--ext-diff', '--textconv'] }, effect: 'exec', why: 'runs the external diff or text-conversion program the configuration names', sample: 'git log -p --ext-diff' },
  { program: 'git', commands: ['format-patch'], spelling: { options: ['-o', '--output-directory'] }, effect: 'write', why: 'writes the patches into any directory', sample: 'git format-patch -o /tmp/x HEAD~1' },
  { program: 'git', commands: ['blame', 'annotate'], spelling: { options: ['--contents'] }, effect: 'read', why: 'blames the lines of any file: prints it, .env included', sample: 'git blame --contents .env -- README.md' },
  { program: 'git', commands: ['blame', 'annotate'], spelling: { options: ['--ignore-revs-file', '-S'] }, effect: 'read', why: 'reads revisions from any file: its lines come back in the error ("invalid object name: SECRET=...")', sample: 'git blame --ignore-revs-file .env -- README.md' },
  { program: 'git', commands: ['add', 'commit', 'reset', 'restore', 'checkout', 'rm', 'stash'], spelling: { options: ['--pathspec-from-file'] }, effect: 'read', why: 'reads paths from any file: its lines come back in the error ("pathspec \'SECRET=...\' did not match")', sample: 'git add --pathspec-from-file=.env' },
  { program: 'git', commands: ['add'], spelling: { options: ['-f', '--force'] }, effect: 'read', why: 'stages ignored files such as .env: git diff --cached then prints them', sample: 'git add -f .env' },
  { program: 'git', commands: ['commit', 'tag', 'notes', 'merge'], spelling: { options: ['-F', '--file', '-t', '--template'] }, effect: 'read', why: 'takes the message from any file: .env ends up in the history, where git log shows it', sample: 'git commit -F .env' },
  { program: 'git', commands: ['commit'], spelling: { always: true }, effect: 'project', why: "runs the repository's commit hooks, which hook managers read from files the assistant edits (.pre-commit-config.yaml)", sample: 'git commit -m x' },
  { program: 'git', commands: ['rebase'], spelling: { options: ['-x', '--exec'] }, effect: 'exec', why: 'runs any shell command after each commit', sample: 'git rebase -x ./x.sh HEAD~1' },
  { program: 'git', commands: ['fetch', 'pull', 'clone', 'ls-remote'], spelling: { options: ['--upload-pack'] }, effect: 'exec', why: "runs any program as the remote's upload-pack", sample: 'git fetch --upload-pack=./x.sh origin' },
  { program: 'git', commands: ['clone'], spelling: { options: ['-u'] }, effect: 'exec', why: "runs any program as the remote's upload-pack", sample: 'git clone -u ./x.sh origin /tmp/x' },
  { program: 'git', commands: ['push', 'send-pack', 'archive'], spelling: { options: ['--receive-pack', '--exec'] }, effect: 'exec', why: 'runs any program as the remote end of the transfer', sample: 'git push --receive-pack=./x.sh origin' },
  { program: 'git', commands: ['archive'], spelling: { options: ['-o', '--output'] }, effect: 'write', why: 'writes the archive to any file', sample: 'git archive -o /tmp/x.tar HEAD' },
  { program: 'git', commands: ['grep'], spelling: { options: ['-O', '--open-files-in-pager'] }, effect: 'exec', why: 'opens the matching files with any program', sample: 'git grep --open-files-in-pager=./x.sh TODO' },
  { program: 'git', commands: ['grep'], spelling: { options: ['--no-index', '--untracked', '--no-exclude-standard'] }, effect: 'read', why: 'searches files git does not track or ignores: prints the matching lines of .env', sample: 'git grep --no-index SECRET' },
  { program: 'git', commands: ['switch', 'checkout'], spelling: { options: ['-f', '--force', '--discard-changes'] }, effect: 'write', why: 'throws away uncommitted changes', sample: 'git switch -c x --discard-changes' },
  { program: 'git', commands: ['config', 'credential', 'hook', 'bisect', 'submodule', 'difftool', 'mergetool', 'filter-branch', 'worktree'], spelling: { always: true }, effect: 'exec', why: 'sets the programs git runs or prints credentials (config, credential fill), runs commands (hook run, bisect run, submodule foreach, difftool, mergetool, filter-branch) or checks out anywhere (worktree add)', sample: 'git config core.pager ./x.sh' },
  // find
  { program: 'find', spelling: { options: ['-exec', '-execdir', '-ok', '-okdir'] }, effect: 'exec', why: 'runs any program on every file found', sample: 'find . -name x -exec ./x.sh {} +' },
  { program: 'find', spelling: { options: ['-delete'] }, effect: 'write', why: 'deletes every file found', sample: 'find . -delete' },
  { program: 'find', spelling: { options: ['-fprint', '-fprint0', '-fprintf', '-fls'] }, effect: 'write', why: 'writes the list of files to any path', sample: 'find . -fprint /tmp/x' },
  // pytest (and python -m pytest)
  { program: 'pytest', spelling: { always: true }, effect: 'project', why: "collects and runs the project's tests and conftest.py files", sample: 'pytest' },
  { program: 'pytest', spelling: { operand: 'any' }, effect: 'exec', why: 'runs any Python file or directory given as a path, in the repository or outside it', sample: 'pytest /tmp/x.py' },
  { program: 'pytest', spelling: { word: '@' }, effect: 'read', why: 'reads more arguments from any file (--basetemp included); its lines come back in errors', sample: 'pytest @args.txt' },
  { program: 'pytest', spelling: { options: ['-p', '-c', '--config-file', '-o', '--override-ini', '--confcutdir', '--rootdir'] }, effect: 'exec', why: 'imports any module as a plugin, or takes settings (addopts, pythonpath, conftest.py files above the repository) from anywhere', sample: 'pytest -p x' },
  { program: 'pytest', spelling: { options: ['--basetemp'] }, effect: 'write', why: 'deletes and recreates any directory', sample: 'pytest --basetemp=/home/user' },
  { program: 'pytest', spelling: { options: ['--junitxml', '--junit-xml', '--debug', '--log-file', '--report-log', '--result-log'] }, effect: 'write', why: 'writes a report to any path', sample: 'pytest --junitxml=/tmp/x.xml' },
  { program: 'pytest', spelling: { options: ['--pastebin'] }, effect: 'network', why: 'uploads the test output to a public paste service', sample: 'pytest --pastebin=all' },
  // npm, pnpm, yarn, npx
  { program: 'npm', commands: ['test', 't', 'tst', 'start', 'stop', 'restart', 'run', 'run-script', 'rum', 'urn'], spelling: { always: true }, effect: 'project', why: "runs a script of package.json, code the assistant edits (package.json and what the script runs)", sample: 'npm test' },
  { program: 'npm', spelling: { afterOptions: true }, effect: 'exec', why: "passes any arguments to whatever the script runs (a test runner's --outputFile, --config, --require)", sample: 'npm test -- --outputFile=/tmp/x' },
  { program: 'npm', commands: ['install', 'i', 'ci', 'add', 'update', 'up', 'rebuild', 'exec', 'x', 'explore', 'init', 'create'], spelling: { always: true }, effect: 'exec', why: 'installs or runs packages and their install scripts (the lockfile, which the assistant edits, can name any tarball or git URL)', sample: 'npm ci' },
  { program: 'npm', commands: ['audit'], spelling: { operand: 'any' }, effect: 'exec', why: 'npm audit fix installs and upgrades packages, running their install scripts', sample: 'npm audit fix' },
  { program: 'npm', spelling: { options: ['--prefix', '-C', '--script-shell', '--userconfig', '--globalconfig', '--node-options'] }, effect: 'exec', why: "runs another directory's scripts, through any shell, or with npm settings from any file", sample: 'npm test --prefix /tmp/other' },
  { program: 'npx', spelling: { always: true }, effect: 'exec', why: "runs any package's program, downloading it first", sample: 'npx x' },
  { program: 'pnpm', spelling: { always: true }, effect: 'project', why: 'runs a script of package.json (pnpm <name> is pnpm run <name>)', sample: 'pnpm test' },
  { program: 'pnpm', commands: ['install', 'i', 'add', 'update', 'up', 'dlx', 'exec', 'create', 'rebuild'], spelling: { always: true }, effect: 'exec', why: 'installs or runs packages and their install scripts', sample: 'pnpm dlx x' },
  { program: 'pnpm', spelling: { options: ['--dir', '-C'] }, effect: 'exec', why: "runs another directory's scripts", sample: 'pnpm --dir /tmp/other test' },
  { program: 'pnpm', spelling: { afterOptions: true }, effect: 'exec', why: 'passes any arguments to whatever the script runs', sample: 'pnpm test -- --outputFile=/tmp/x' },
  { program: 'yarn', spelling: { always: true }, effect: 'project', why: 'runs a script of package.json (yarn <name> is yarn run <name>)', sample: 'yarn test' },
  { program: 'yarn', commands: ['install', 'add', 'up', 'upgrade', 'dlx', 'exec', 'create', 'node', 'workspace', 'workspaces'], spelling: { always: true }, effect: 'exec', why: 'installs or runs packages, or runs any command in a workspace', sample: 'yarn dlx x' },
  { program: 'yarn', spelling: { options: ['--cwd'] }, effect: 'exec', why: "runs another directory's scripts", sample: 'yarn --cwd /tmp/other test' },
  { program: 'yarn', spelling: { afterOptions: true }, effect: 'exec', why: 'passes any arguments to whatever the script runs', sample: 'yarn test -- --outputFile=/tmp/x' },
  // cargo, go, make, alembic
  { program: 'cargo', commands: ['test', 'bench', 'build', 'check', 'clippy', 'run', 'doc'], spelling: { always: true }, effect: 'project', why: "builds the crate, running its build.rs and procedural macros, and runs its tests or binaries", sample: 'cargo test' },
  { program: 'cargo', commands: ['install'], spelling: { always: true }, effect: 'exec', why: 'downloads and builds any crate, running its build script', sample: 'cargo install x' },
  { program: 'cargo', spelling: { options: ['--manifest-path', '--config', '-Z', '--target-dir'] }, effect: 'exec', why: 'builds a crate anywhere, takes any configuration (target.<triple>.runner runs any program) or writes the build anywhere', sample: 'cargo test --manifest-path /tmp/x/Cargo.toml' },
  { program: 'cargo', spelling: { afterOptions: true }, effect: 'write', why: 'passes arguments to the test binary: --logfile writes any path', sample: 'cargo test -- --logfile /tmp/x' },
  { program: 'go', commands: ['test', 'run', 'generate'], spelling: { always: true }, effect: 'project', why: "builds and runs the module's code and its tests (go generate runs the commands its sources name)", sample: 'go test ./...' },
  { program: 'go', spelling: { options: ['-exec', '-toolexec', '-ldflags', '-modfile', '-overlay'] }, effect: 'exec', why: 'runs the test binary or the build tools through any program (-ldflags=-extld too), or builds from another go.mod or replaced source files', sample: 'go test -exec ./x.sh ./...' },
  { program: 'go', spelling: { options: ['-o', '-outputdir', '-coverprofile', '-cpuprofile', '-memprofile', '-blockprofile', '-mutexprofile', '-trace'] }, effect: 'write', why: 'writes a binary or a profile to any path', sample: 'go test -coverprofile=/tmp/x ./...' },
  { program: 'make', spelling: { always: true }, effect: 'project', why: "runs the Makefile's recipes, which the assistant edits", sample: 'make test' },
  { program: 'make', spelling: { options: ['-f', '--file', '--makefile', '-C', '--directory', '--eval', '-E'] }, effect: 'exec', why: 'runs the recipes of any makefile or directory, or any make code', sample: 'make -f /tmp/x.mk' },
  { program: 'alembic', spelling: { always: true }, effect: 'project', why: "loads the project's migrations/env.py, which connects to the database", sample: 'alembic current' },
  { program: 'alembic', spelling: { options: ['-c', '--config'] }, effect: 'exec', why: 'takes its script_location from any ini file: that env.py runs', sample: 'alembic -c /tmp/x.ini current' },
  // ruff
  { program: 'ruff', spelling: { operand: 'outside' }, effect: 'read', why: 'lints files outside the repository: its diagnostics quote their lines', sample: 'ruff check /etc' },
  { program: 'ruff', spelling: { options: ['--fix', '--unsafe-fixes', '-o', '--output-file'] }, effect: 'write', why: "rewrites files without Claude Code's edit prompt (denied ones too) or writes a report to any path", sample: 'ruff check --fix .' },
  // ps
  { program: 'ps', spelling: { letter: 'e' }, effect: 'read', why: "BSD option e prints every process's environment: tokens and keys exported in the user's shells", sample: 'ps e' },
  { program: 'ps', spelling: { word: 'environ' }, effect: 'read', why: 'the environ output column: the same environments', sample: 'ps -o pid,environ' },
  // nvidia-smi, rocm-smi
  { program: 'nvidia-smi', spelling: { options: ['-f', '--filename'] }, effect: 'write', why: 'writes the report to any file', sample: 'nvidia-smi -q -f /tmp/x' },
  { program: 'nvidia-smi', spelling: { options: GPU_SETTINGS }, effect: 'device', why: 'changes or resets GPU settings for every user of the GPU', sample: 'nvidia-smi -pl 100' },
  { program: 'nvidia-smi', commands: ['mig', 'drain', 'vgpu', 'conf-compute', 'clocks'], spelling: { always: true }, effect: 'device', why: 'creates or destroys GPU instances, drains GPUs or changes their settings', sample: 'nvidia-smi mig -dgi' },
  { program: 'rocm-smi', spelling: { options: ROCM_SETTINGS }, effect: 'device', why: 'changes or resets fans, clocks, power and partitions of the GPU', sample: 'rocm-smi --setfan 255' },
  { program: 'rocm-smi', spelling: { options: ['--save'] }, effect: 'write', why: 'writes the settings to any file', sample: 'rocm-smi --save /tmp/x' },
  // dp's own tools
  { program: 'gpu_monitor', spelling: { options: ['--log', '--plot', '-o', '--output'] }, effect: 'write', why: 'appends the CSV log to any path, or writes the SVG plot to any path', sample: 'scripts/gpu_monitor.sh --once --log /tmp/x' },
  { program: 'gpu_monitor', spelling: { options: ['--cluster-config', '--out'] }, effect: 'write', why: 'writes Prometheus, Grafana, Slurm and Kubernetes files into any directory (--out), creating it', sample: 'scripts/gpu_monitor.sh --cluster-config all --out /tmp/x' },
  { program: 'gpu_monitor', spelling: { options: ['--prometheus', '--host'] }, effect: 'network', why: 'serves metrics on a port (--host 0.0.0.0: to every machine that reaches it)', sample: 'scripts/gpu_monitor.sh --prometheus 9400 --host 0.0.0.0' },
  { program: 'analyze_process_impact', spelling: { options: ['--action'] }, effect: 'signal', unless: '--json', why: 'signals the process and its descendants; the tool refuses --action with --json (a --json after -- is a second PID: refused too)', sample: 'scripts/analyze_process_impact.sh 1234 --action kill --yes' },
  { program: 'analyze_architecture', spelling: { operand: 'outside' }, effect: 'read', why: 'maps any directory it is given: names, manifests and routes of ~/.ssh or another user\'s project', sample: 'scripts/analyze_architecture.sh ~/.ssh --json' },
];

/**
 * Programs the personas allow that were checked and have no escape in the spellings dp allows, with why.
 * A program a built-in persona allows must be in ESCAPES or here (test/personas/escapes.test.ts).
 */
export const CLEARED: Readonly<Record<string, string>> = {
  parallel_optimizer: '--model and --config read a safetensors header or a config.json and print only model-shape numbers, or one line saying the file is not one: never its content (tested); it has no option that writes, runs or signals',
  free: 'prints memory totals; no option reads or writes files',
  nproc: 'prints the CPU count',
  rm: 'allowed only spelt exactly, for build folders inside the repository (expert)',
};
