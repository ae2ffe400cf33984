// PreToolUse hook on Bash (data scientist): before a command that stops processes (kill, pkill, killall,
// scancel, docker stop|kill, tmux kill-session, ... also after sudo, in chains and in bash -c), find the
// processes it would stop and run analyze_process_impact's analysis on them. When something would be
// lost (work since the last checkpoint, GPU-hours, a checkpoint being written, the other ranks of a
// distributed job), answer "ask" with those facts as the reason; otherwise say nothing.
import { analyze } from '../../tools/process-impact/analyze.js';
import { impactLines, losesWork } from '../lib/impact-reason.js';
import { resolveTargets } from '../lib/resolve-targets.js';
import { ask, runHook, type HookInput } from '../lib/run-hook.js';
import { simpleCommands } from '../lib/shell-words.js';
import { listedTargets, stopCommand, type StopCommand } from '../lib/stop-commands.js';

/** At most this many processes are analysed per command: the hook must answer in well under a second. */
const MAX_ANALYSED = 16;
/** A hung driver must not hold the session: the GPU facts are left out after this long (Claude Code's limit is the hook's 10 s). */
const SMI_TIMEOUT_MS = 2000;

async function decide(input: HookInput) {
  const command = input.tool_input?.command;
  if (input.tool_name !== 'Bash' || typeof command !== 'string') return null;
  const commands = simpleCommands(command);
  const stops = commands.map(stopCommand).filter((stop): stop is StopCommand => stop !== null);
  if (stops.length === 0) return null;
  // `kill $(pgrep -f train.py)`, `pgrep train | xargs kill`: a stop without targets of its own stops what pgrep lists.
  const bare = stops.filter((stop) => stop.targets.length === 0);
  const listed = bare.length > 0 ? commands.flatMap(listedTargets) : [];
  // What the line alone cannot name (`kill $PID`, `cat pids | xargs kill`, `pkill -u me`) cannot be checked: ask.
  const unnamed = stops.flatMap((stop) => stop.targets.flatMap((target) => (target.kind === 'unresolved' ? [target.what] : [])));
  if (bare.length > 0 && listed.length === 0) unnamed.push(...bare.map((stop) => `the processes piped or substituted into \`${stop.text}\``));
  if (unnamed.length > 0) {
    return ask(`\`${stops.map((stop) => stop.text).join('; ')}\` stops processes this check cannot name before the command runs: ${unnamed.join(', ')}. Find the PIDs first and check them with scripts/analyze_process_impact.mjs <pid>, or stop them by PID.`);
  }
  const pids = resolveTargets([...stops.flatMap((stop) => stop.targets), ...listed]);
  const signal = stops.find((stop) => stop.signal !== null)?.signal ?? null;
  if (pids.length > MAX_ANALYSED) {
    return ask(`\`${stops.map((stop) => stop.text).join('; ')}\` would stop ${pids.length} of your processes (PIDs ${pids.slice(0, 8).join(', ')}, ...): too many to check each for unsaved work. Name the PIDs to stop, or check them with scripts/analyze_process_impact.mjs <pid>`);
  }
  const analyses = await Promise.all(
    pids.slice(0, MAX_ANALYSED).map((pid) =>
      analyze({ pid, sampleMs: 0, smi: { timeoutMs: SMI_TIMEOUT_MS } }).catch(() => null), // exited meanwhile, or not readable: nothing to report
    ),
  );
  const losing = analyses.filter((a) => a !== null && losesWork(a.json));
  if (losing.length === 0) return null;
  const pidList = losing.map((a) => a!.json.pid).join(' ');
  const reason = [
    `\`${stops.map((stop) => stop.text).join('; ')}\` would stop work that is not saved:`,
    ...losing.flatMap((a) => impactLines(a!.json, signal)),
    `Details and safer options: scripts/analyze_process_impact.mjs ${losing[0]!.json.pid}${losing.length > 1 ? ` (also ${pidList})` : ''}`,
  ].join('\n');
  return ask(reason);
}

await runHook('kill-guard', decide);
