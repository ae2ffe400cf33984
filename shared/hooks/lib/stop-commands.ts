// Which simple commands stop processes, and what they name: `kill` (PIDs, process groups), `pkill`/`pgrep`
// and `killall` (name patterns), `docker stop|kill|rm -f|restart` (containers), `scancel` (Slurm jobs),
// `tmux kill-session|kill-server|kill-window|kill-pane` (the processes in its panes). Options are read as
// procps, psmisc, docker, Slurm and tmux define them; a signal that does not stop anything (`kill -0`,
// `-CONT`) is not a stop.

export type StopTarget =
  | { kind: 'pid'; pid: number }
  | { kind: 'group'; pgid: number }
  | { kind: 'match'; pattern: string; full: boolean; exact: boolean; ignoreCase: boolean; regex: boolean }
  | { kind: 'docker'; container: string }
  | { kind: 'slurm'; job: string }
  | { kind: 'tmux'; scope: 'session' | 'server' | 'window' | 'pane'; target: string | null }
  /** What the command line alone cannot name: `$PID`, `%1`, `-1` (every process), `pkill -u me` (all of a user's). */
  | { kind: 'unresolved'; what: string };

export interface StopCommand {
  /** The command as the reason quotes it. */
  text: string;
  /** The signal named on the command line, when one is (e.g. "KILL"). */
  signal: string | null;
  targets: StopTarget[];
}

const HARMLESS_SIGNALS = new Set(['0', 'CONT', 'SIGCONT', '18', 'WINCH', 'SIGWINCH', '28', 'CHLD', 'SIGCHLD', '17', 'URG', 'SIGURG', '23']);
const SIGNAL_NUMBERS: Record<string, string> = { '1': 'HUP', '2': 'INT', '3': 'QUIT', '6': 'ABRT', '9': 'KILL', '15': 'TERM' };

function signalName(raw: string): string {
  const name = raw.toUpperCase().replace(/^SIG/, '');
  return SIGNAL_NUMBERS[name] ?? name;
}

/** Options that take the next word as their value, per command. */
const VALUE_OPTIONS: Record<string, Set<string>> = {
  kill: new Set(['-s', '-n', '--signal', '-q', '--queue']),
  pkill: new Set(['-s', '--signal', '-u', '--euid', '-U', '--uid', '-g', '--pgroup', '-G', '--group', '-P', '--parent', '-t', '--terminal', '-F', '--pidfile', '--session', '--ns', '--nslist', '-q', '--queue']),
  killall: new Set(['-s', '--signal', '-u', '--user', '-y', '--younger-than', '-o', '--older-than', '-n', '--ns', '-Z', '--context']),
  docker: new Set(['-t', '--time', '-s', '--signal', '--timeout']),
  scancel: new Set(['-A', '--account', '-n', '--name', '-p', '--partition', '-q', '--qos', '-R', '--reservation', '-s', '--signal', '-t', '--state', '-u', '--user', '-w', '--nodelist', '-M', '--clusters', '--wckey']),
};

interface Parsed {
  flags: string[];
  values: Map<string, string>;
  operands: string[];
}

/** Options and operands; `-9`/`-KILL` signal shorthands are flags. */
function parseOptions(args: string[], valued: Set<string>): Parsed {
  const parsed: Parsed = { flags: [], values: new Map(), operands: [] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') {
      parsed.operands.push(...args.slice(i + 1));
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq !== -1) parsed.values.set(arg.slice(0, eq), arg.slice(eq + 1));
    else if (valued.has(arg)) parsed.values.set(arg, args[(i += 1)] ?? '');
    else if (arg.startsWith('-') && arg.length > 1) parsed.flags.push(arg);
    else parsed.operands.push(arg);
  }
  return parsed;
}

/** A signal from `-s X`, `--signal X` or a `-X`/`-9` flag. */
function signalOf(parsed: Parsed, shorthand: (flag: string) => boolean): string | null {
  const value = parsed.values.get('-s') ?? parsed.values.get('--signal') ?? parsed.values.get('-n');
  if (value !== undefined) return signalName(value);
  const flag = parsed.flags.find(shorthand);
  return flag ? signalName(flag.slice(1)) : null;
}

const isSignalFlag = (flag: string) => /^-(\d+|[A-Z][A-Z0-9+-]*)$/.test(flag);
/** A word the shell expands before the command runs (a variable, a substitution left in quotes, a job spec). */
const isExpanded = (word: string) => /\$[A-Za-z_{(0-9!@#?*$-]|`|^%/.test(word);
const unresolved = (what: string): StopTarget => ({ kind: 'unresolved', what });

function kill(args: string[]): StopTarget[] | null {
  const parsed = parseOptions(args, VALUE_OPTIONS.kill!);
  if (parsed.flags.some((f) => f === '-l' || f === '-L' || f === '--list' || f === '--table')) return null;
  const targets: StopTarget[] = [];
  // `kill -9 -1234` reads -1234 as a signal only when it is the first option; after it (or after `--`) it is a group.
  const signalGiven = parsed.values.has('-s') || parsed.values.has('--signal') || parsed.values.has('-n');
  const negativeFlags = parsed.flags.filter((flag, k) => /^-\d+$/.test(flag) && (signalGiven || k > 0));
  for (const operand of [...negativeFlags, ...parsed.operands]) {
    if (/^\d+$/.test(operand)) targets.push({ kind: 'pid', pid: Number(operand) });
    else if (operand === '-1') targets.push(unresolved('-1 (every process you may signal)'));
    else if (/^-\d+$/.test(operand)) targets.push({ kind: 'group', pgid: -Number(operand) });
    else if (isExpanded(operand)) targets.push(unresolved(operand));
  }
  return targets;
}

function pkill(args: string[]): StopTarget[] {
  const parsed = parseOptions(args, VALUE_OPTIONS.pkill!);
  const has = (...names: string[]) => parsed.flags.some((f) => names.includes(f) || (/^-[a-z]+$/.test(f) && names.some((n) => n.length === 2 && f.includes(n[1]!))));
  const pattern = parsed.operands[0];
  // Without a pattern, the selection options alone choose: `pkill -u me` stops every process of the user.
  if (pattern === undefined) return parsed.values.size > 0 ? [unresolved(`every process matching ${[...parsed.values].map(([o, v]) => `${o} ${v}`).join(' ')}`)] : [];
  if (isExpanded(pattern)) return [unresolved(pattern)];
  return [{ kind: 'match', pattern, full: has('-f', '--full'), exact: has('-x', '--exact'), ignoreCase: has('-i', '--ignore-case'), regex: true }];
}

function killall(args: string[]): StopTarget[] {
  const parsed = parseOptions(args, VALUE_OPTIONS.killall!);
  const has = (...names: string[]) => parsed.flags.some((f) => names.includes(f));
  const regex = has('-r', '--regexp');
  // `killall -u me` with no name stops every process of the user.
  if (parsed.operands.length === 0) return parsed.values.has('-u') || parsed.values.has('--user') ? [unresolved(`every process of user ${parsed.values.get('-u') ?? parsed.values.get('--user')}`)] : [];
  return parsed.operands.map((name) => ({ kind: 'match' as const, pattern: name, full: false, exact: !regex, ignoreCase: has('-I', '--ignore-case'), regex }));
}

const DOCKER_STOPS = new Set(['stop', 'kill', 'restart', 'rm']);

function docker(args: string[]): { targets: StopTarget[]; signal: string | null } | null {
  let rest = args;
  while (rest[0]?.startsWith('-')) rest = rest.slice(rest[0] === '-H' || rest[0] === '--host' || rest[0] === '--context' || rest[0] === '-c' ? 2 : 1);
  if (rest[0] === 'compose') return compose(rest.slice(1));
  if (rest[0] === 'container') rest = rest.slice(1);
  const verb = rest[0];
  if (verb === undefined || !DOCKER_STOPS.has(verb)) return null;
  const parsed = parseOptions(rest.slice(1), VALUE_OPTIONS.docker!);
  // `docker rm` refuses a running container without --force.
  if (verb === 'rm' && !parsed.flags.some((f) => f === '-f' || f === '--force' || /^-[a-z]*f/.test(f))) return null;
  const signal = verb === 'kill' ? signalName(parsed.values.get('-s') ?? parsed.values.get('--signal') ?? 'KILL') : null;
  // `docker stop $(docker ps -q)`: the containers come from a substitution.
  const targets = parsed.operands.length === 0 ? [unresolved('containers listed by a substitution')] : parsed.operands.map((container): StopTarget => (isExpanded(container) ? unresolved(container) : { kind: 'docker', container }));
  return { targets, signal };
}

const COMPOSE_STOPS = new Set(['down', 'stop', 'kill', 'restart', 'rm']);
/** Compose's options that take a value in the next word. */
const COMPOSE_VALUE_OPTIONS = new Set(['-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--ansi', '--parallel', '--progress']);

/** `docker compose down|stop|kill|restart` (and `docker-compose ...`): the project's containers, which only Compose can list. */
function compose(args: string[]): { targets: StopTarget[]; signal: string | null } | null {
  let i = 0;
  while (args[i]?.startsWith('-')) i += COMPOSE_VALUE_OPTIONS.has(args[i]!) ? 2 : 1;
  const verb = args[i];
  if (verb === undefined || !COMPOSE_STOPS.has(verb)) return null;
  const rest = args.slice(i + 1);
  // `compose rm` stops running containers only with -s/--stop.
  if (verb === 'rm' && !rest.some((a) => a === '--stop' || /^-[a-z]*s/.test(a))) return null;
  const services = rest.filter((a) => !a.startsWith('-'));
  return { targets: [unresolved(`the containers of ${services.length > 0 ? `services ${services.join(', ')}` : 'the Compose project'}`)], signal: verb === 'kill' ? 'KILL' : null };
}

const SYSTEMCTL_STOPS = new Set(['stop', 'kill', 'restart', 'try-restart', 'reload-or-restart', 'isolate']);

/** `systemctl [--user] stop <unit>`, `service <unit> stop`: the unit's processes, which only systemd can list. */
function systemctl(args: string[]): StopTarget[] | null {
  const words = args.filter((a) => !a.startsWith('-'));
  const verb = words.findIndex((w) => SYSTEMCTL_STOPS.has(w));
  if (verb === -1) return null;
  const units = words.slice(verb + 1);
  return [unresolved(`the processes of ${units.length > 0 ? units.join(', ') : 'the unit'}`)];
}

function scancel(args: string[]): StopTarget[] {
  const parsed = parseOptions(args, VALUE_OPTIONS.scancel!);
  // 1234, 1234_7 (array task), 1234.0 (step): the job's processes are found by SLURM_JOB_ID.
  const jobs: StopTarget[] = parsed.operands.filter((op) => /^\d+([_.][\d\w[\]-]+)?$/.test(op)).map((op) => ({ kind: 'slurm', job: /^\d+/.exec(op)![0] }));
  // `scancel -u me`, `scancel --me`, `scancel $JOB`: the jobs are chosen by Slurm, not named here.
  const named = parsed.operands.length > 0 && parsed.operands.every((op) => !isExpanded(op));
  return named ? jobs : [...jobs, unresolved(parsed.operands.find(isExpanded) ?? 'jobs chosen by its filters')];
}

const TMUX_SCOPES: Record<string, 'session' | 'server' | 'window' | 'pane'> = {
  'kill-session': 'session',
  'kill-server': 'server',
  'kill-window': 'window',
  killw: 'window',
  'kill-pane': 'pane',
  killp: 'pane',
};

function tmux(args: string[]): StopTarget[] | null {
  let i = 0;
  while (args[i]?.startsWith('-')) i += ['-L', '-S', '-f', '-c', '-T'].includes(args[i]!) ? 2 : 1;
  const scope = TMUX_SCOPES[args[i] ?? ''];
  if (!scope) return null;
  const t = args.indexOf('-t', i + 1);
  return [{ kind: 'tmux', scope, target: t === -1 ? null : (args[t + 1] ?? null) }];
}

/** What one simple command stops, or null when it stops nothing. */
export function stopCommand(argv: string[]): StopCommand | null {
  const name = argv[0]!.replace(/^.*\//, '');
  const args = argv.slice(1);
  const text = argv.join(' ');
  switch (name) {
    case 'kill': {
      const parsed = parseOptions(args, VALUE_OPTIONS.kill!);
      const signal = signalOf(parsed, isSignalFlag);
      const targets = kill(args);
      return targets && !(signal && HARMLESS_SIGNALS.has(signal)) ? { text, signal, targets } : null;
    }
    case 'pkill':
    case 'killall': {
      const parsed = parseOptions(args, VALUE_OPTIONS[name]!);
      const signal = signalOf(parsed, (f) => isSignalFlag(f) && f !== '-I' && f !== '-U');
      if (signal && HARMLESS_SIGNALS.has(signal)) return null;
      return { text, signal, targets: name === 'pkill' ? pkill(args) : killall(args) };
    }
    case 'docker': {
      const found = docker(args);
      return found ? { text, ...found } : null;
    }
    case 'docker-compose': {
      const found = compose(args);
      return found ? { text, ...found } : null;
    }
    case 'systemctl': {
      const targets = systemctl(args);
      return targets ? { text, signal: null, targets } : null;
    }
    case 'service': {
      const targets = args[0] !== undefined && /^(stop|restart|force-reload)$/.test(args[1] ?? '') ? [unresolved(`the processes of ${args[0]}`)] : null;
      return targets ? { text, signal: null, targets } : null;
    }
    case 'scancel':
      return { text, signal: null, targets: scancel(args) };
    case 'tmux': {
      const targets = tmux(args);
      return targets ? { text, signal: null, targets } : null;
    }
    default:
      return null;
  }
}

/** `kill $(pgrep -f train)`: the processes pgrep or pidof would print, as targets of the kill beside it. */
export function listedTargets(argv: string[]): StopTarget[] {
  const name = argv[0]!.replace(/^.*\//, '');
  if (name === 'pgrep') return pkill(argv.slice(1));
  if (name === 'pidof') return argv.slice(1).filter((a) => !a.startsWith('-')).map((pattern) => ({ kind: 'match', pattern, full: false, exact: true, ignoreCase: false, regex: false }));
  return [];
}
