// analyze_process_impact: what is lost if this process is killed now, and the safe way to stop it.
// Usage and options: docs/tools/process-impact.md. Facts and sources: ../shared/research/impact.md.
import { DpError, isMain, numberOption, parseToolArgs, runMain, UsageError } from '../lib/cli.js';
import { readProcess } from '../lib/proc.js';
import { colorEnabled, escapeControl, stylist } from '../lib/term.js';
import { performAction } from './actions.js';
import { analyze, assertLinux, type Analysis } from './analyze.js';
import { assertMaySignal } from './guard.js';
import { parsePid } from './identity.js';
import { renderText } from './render.js';
import type { ActionName } from './types.js';

const TOOL = 'analyze_process_impact';

export const HELP = `Usage: analyze_process_impact <pid> [options]

What is lost if this process is killed now, and the safe way to stop it: identity, progress and ETA,
CPU/RAM/GPUs, checkpoints, the work lost, child processes, distributed-training impact, and
recommendations [W]ait / [G]raceful / [S]uspend / [K]ill. On a terminal you may pick one.

Options:
  --json                     print one JSON object (the shape is in docs/tools/process-impact.md);
                             report only: it cannot be combined with --action
  --action <name>            wait | graceful | suspend | kill: do it after the analysis (not with --json,
                             so that what was done is shown)
  -y, --yes                  confirm --action without asking (needed when not on a terminal)
  --other-user               let --action signal processes of another user (refused without it)
  --sample-ms <ms>           CPU sampling window (default 1000; 0 = no sample)
  --expect-started-at <iso>  refuse to act unless the process started at this instant
                             (the startedAt of an earlier --json run): guards against PID reuse
  --wait <s>                 --action graceful: wait up to this many seconds for the process to exit and
                             report what it saved while stopping (default 60; 0 = return at once)
  --watch <s>                watch it this long before reporting: successive checkpoint modification
                             times (a file overwritten in place) and time spent stopped (default 0)
  --wait-timeout <s>         --action wait: give up after this many seconds (default: no limit)
  --poll-ms <ms>             --action wait: how often to look for a new checkpoint (default 2000)
  --no-gpu                   do not run nvidia-smi
  -h, --help                 this help

Never signalled: PID 1 (and the init of this PID namespace), kernel threads, this tool, its parents and its
session leader, nor a process whose tree holds one of them.

Exit codes: 0 ok, 1 failure (process gone, refused, action failed), 2 bad usage or not Linux.`;

const OPTIONS = {
  json: { type: 'boolean' },
  action: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'other-user': { type: 'boolean' },
  'sample-ms': { type: 'string' },
  'expect-started-at': { type: 'string' },
  'wait-timeout': { type: 'string' },
  wait: { type: 'string' },
  watch: { type: 'string' },
  'poll-ms': { type: 'string' },
  'no-gpu': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Why --action and --json are refused together. */
const ACTION_WITH_JSON = '--action cannot be combined with --json: run the action without --json so its effect is shown';

const ACTIONS: Record<string, ActionName> = { wait: 'wait', w: 'wait', graceful: 'graceful', g: 'graceful', suspend: 'suspend', s: 'suspend', kill: 'kill', k: 'kill' };

function parseAction(raw: string | undefined): ActionName | undefined {
  if (raw === undefined) return undefined;
  const action = ACTIONS[raw.toLowerCase()];
  if (!action) throw new UsageError(`--action must be wait, graceful, suspend or kill, got '${raw}'`);
  return action;
}

/** Questions on the terminal. One reader for the whole run: answers typed ahead are kept, not lost. */
async function terminalPrompter() {
  // Loaded only when a question is asked: most runs (--json, scripts) never need readline.
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question: string): Promise<string> {
      process.stdout.write(question);
      const next = await lines.next();
      return next.done ? '' : String(next.value).trim();
    },
    close: () => rl.close(),
  };
}

function describeAction(action: ActionName, analysis: Analysis): string {
  const rec = analysis.json.recommendations.find((r) => r.action === action)!;
  const others = analysis.identities.length - 1;
  const scope = action === 'graceful' ? '' : others > 0 ? ` and its ${others} descendant(s)` : '';
  return `Send ${rec.signal} to PID ${analysis.json.pid} (${analysis.json.command.slice(0, 60)})${scope}?`;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseToolArgs(TOOL, argv, OPTIONS);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`expected one PID, got ${positionals.length} arguments: ${positionals.join(' ')}`, 'analyse one process at a time');
  const pid = parsePid(positionals[0]);
  const action = parseAction(values.action);
  // --json is the read-only report (the data-scientist persona allows it without asking); an action is
  // never taken silently behind it.
  if (action && values.json) throw new UsageError(ACTION_WITH_JSON);
  const sampleMs = numberOption('sample-ms', values['sample-ms'], { min: 0, max: 60_000, integer: true }) ?? 1000;
  const waitTimeoutSeconds = numberOption('wait-timeout', values['wait-timeout'], { min: 0, max: 31_536_000 }) ?? 0;
  const pollMs = numberOption('poll-ms', values['poll-ms'], { min: 50, max: 600_000, integer: true }) ?? 2000;
  const gracefulWaitSeconds = numberOption('wait', values.wait, { min: 0, max: 86_400 }) ?? 60;
  if (values.wait !== undefined && action && action !== 'graceful') {
    throw new UsageError(`--wait applies to --action graceful, not --action ${action}`, action === 'wait' ? 'for --action wait, give up after a time with --wait-timeout' : 'leave --wait out');
  }
  const watchSeconds = numberOption('watch', values.watch, { min: 0, max: 3600 }) ?? 0;
  const expected = values['expect-started-at'];
  if (expected !== undefined && Number.isNaN(Date.parse(expected))) throw new UsageError(`--expect-started-at must be an ISO time such as 2025-01-31T12:00:00.000Z, got '${expected}'`);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (action && action !== 'wait' && !values.yes && !interactive) {
    throw new UsageError(`--action ${action} signals the process: add --yes to confirm (there is no terminal to ask on)`);
  }

  const otherUsers = values['other-user'] === true;
  // A refused target is refused before the analysis; its descendants are checked again before the first signal.
  assertLinux();
  const early = action ? readProcess(pid) : null;
  if (action && early) assertMaySignal(action, [{ pid, startTicks: early.startTicks }], { otherUsers });

  const analysis = await analyze({ pid, sampleMs, noGpu: values['no-gpu'] === true, watchSeconds });
  if (expected !== undefined && analysis.json.startedAt !== new Date(expected).toISOString()) {
    throw new DpError(
      `PID ${pid} started at ${analysis.json.startedAt ?? 'an unknown time'}, not at ${new Date(expected).toISOString()}: it is not the process you analysed (PID reused); nothing was signalled`,
      'run the analysis again to see what this PID is now',
    );
  }
  if (values.json) process.stdout.write(`${JSON.stringify(analysis.json, null, 2)}\n`);
  else process.stdout.write(renderText(analysis, stylist(colorEnabled()), Math.max(60, Math.min(process.stdout.columns ?? 100, 120))));

  // Under --json there is no action (refused above) and no question: stdout stays one JSON object.
  if (values.json) return 0;
  // Action lines hold paths and log text from the process: control characters are shown escaped.
  const log = (line: string) => process.stdout.write(`${escapeControl(line)}\n`);
  let chosen = action;
  if (!chosen && !interactive) return 0;
  const needsConfirm = (name: ActionName) => name !== 'wait' && !values.yes;
  if (!chosen || needsConfirm(chosen)) {
    const prompter = await terminalPrompter();
    try {
      if (!chosen) {
        const answer = (await prompter.ask('\nChoose [W]ait, [G]raceful, [S]uspend, [K]ill, or Enter to leave it running: ')).toLowerCase();
        if (answer === '') return 0;
        chosen = ACTIONS[answer];
        if (!chosen) throw new UsageError(`'${answer}' is not one of W, G, S, K: nothing was done`);
      }
      if (needsConfirm(chosen)) {
        assertMaySignal(chosen, analysis.identities, { otherUsers });
        const confirm = (await prompter.ask(`${describeAction(chosen, analysis)} [y/N] `)).toLowerCase();
        if (confirm !== 'y' && confirm !== 'yes') {
          log('Nothing was done.');
          return 0;
        }
      }
    } finally {
      prompter.close();
    }
  }
  const result = await performAction(chosen, analysis, { log, waitTimeoutSeconds, pollMs, otherUsers, gracefulWaitSeconds });
  return result.code;
}

if (isMain(import.meta.url)) void runMain(TOOL, main);
