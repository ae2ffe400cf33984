// Estimates derived from the facts, each with the formula that produced it (docs/tools/process-impact.md "Estimates"):
// the work a kill loses in the job's own units, the run's total runtime, and how long a restart takes to get back to
// where it is now (start-up to first progress + replaying the work since the last save).
import { basename } from 'node:path';
import type { Checkpoint } from './checkpoints.js';
import type { ParsedProgress } from './progress.js';
import type { SaveEvent } from './saves.js';
import { roundSeconds } from './numbers.js';

export interface Estimate {
  seconds: number | null;
  formula: string;
}

export interface LostWork {
  amount: number;
  unit: string;
  formula: string;
}

export interface SavedPosition {
  step: number | null;
  epoch: number | null;
  /** Where the position was read. */
  from: string;
}

const STEP_NAME = /(?:^|[^a-z])(?:global_step|step|checkpoint)[-_=]?(\d+)/i;
const EPOCH_NAME = /(?:^|[^a-z])epoch[-_=]?(\d+)/i;

/** The step/epoch of the newest save: trainer_state.json, a Lightning name, a "saved checkpoint" line, or a name like model_epoch_44.pt. */
export function savedPosition(latest: Checkpoint | null, lastLogSave: SaveEvent | null): SavedPosition | null {
  const logIsNewer = lastLogSave && (lastLogSave.atMs === null || !latest || lastLogSave.atMs >= latest.mtimeMs - 1000);
  if (lastLogSave && logIsNewer && (lastLogSave.step !== null || lastLogSave.epoch !== null)) {
    return { step: lastLogSave.step, epoch: lastLogSave.epoch, from: `the last "saved checkpoint" line (${lastLogSave.framework})` };
  }
  if (!latest) return null;
  if (latest.trainerState?.globalStep != null) return { step: latest.trainerState.globalStep, epoch: null, from: `${basename(latest.path)}/trainer_state.json` };
  if (latest.lightning) return { step: latest.lightning.step, epoch: latest.lightning.epoch, from: `the name ${basename(latest.path)}` };
  const name = basename(latest.path);
  const step = STEP_NAME.exec(name);
  const epoch = EPOCH_NAME.exec(name);
  if (!step && !epoch) return null;
  return { step: step ? Number(step[1]) : null, epoch: epoch ? Number(epoch[1]) : null, from: `the name ${name}` };
}

const STEP_UNITS = /^(it|step|steps|global_step|iter|iteration|batch)$/;

/**
 * Work since the last save in the job's units. Steps: live step - saved step. Epochs ("Epoch e/N" + a bar in epoch e):
 * the saved epoch number is taken as the count of completed epochs (model_epoch_44.pt after epoch 44), so the loss is
 * (e - 1 - saved) whole epochs + the bar's position in epoch e.
 */
export function lostWork(progress: ParsedProgress | null, saved: SavedPosition | null, lostSeconds: number | null): LostWork | null {
  if (progress && saved) {
    if (progress.unit !== 'epoch' && STEP_UNITS.test(progress.unit) && saved.step !== null && progress.current >= saved.step) {
      return { amount: progress.current - saved.step, unit: 'step', formula: `live step ${progress.current} - step ${saved.step} of ${saved.from}` };
    }
    if (progress.unit === 'epoch' && saved.epoch !== null && progress.current - 1 >= saved.epoch) {
      const whole = progress.current - 1 - saved.epoch;
      const part = progress.epochPart;
      const tail = part ? ` + ${part.n}/${part.total} ${part.unit} of epoch ${progress.current}` : '';
      const amount = Math.round((whole + (part ? part.n / part.total : 0)) * 100) / 100;
      return { amount, unit: 'epoch', formula: `(epoch ${progress.current} - 1 - epoch ${saved.epoch} of ${saved.from}) whole epochs${tail}; assumes the saved number counts completed epochs` };
    }
  }
  // No saved position: the rate turns lost time into steps.
  if (progress?.rate && lostSeconds !== null && progress.unit !== 'epoch' && STEP_UNITS.test(progress.rate.unit)) {
    const amount = Math.round(lostSeconds * progress.rate.perSecond);
    return { amount, unit: progress.rate.unit === 'it' ? 'step' : progress.rate.unit, formula: `lost compute ${lostSeconds} s x ${progress.rate.perSecond.toFixed(2)} ${progress.rate.unit}/s (the current rate)` };
  }
  return null;
}

/** Total runtime of the run: the runtime so far + the ETA; without an ETA, runtime / fraction done. */
export function totalRuntime(runtimeSeconds: number | null, progress: ParsedProgress | null, stoppedSeconds = 0): Estimate {
  if (runtimeSeconds === null) return { seconds: null, formula: 'start time unreadable' };
  if (!progress) return { seconds: null, formula: 'no progress found' };
  const active = Math.max(0, runtimeSeconds - stoppedSeconds);
  const less = stoppedSeconds > 0 ? ` (less ${stoppedSeconds} s stopped)` : '';
  if (progress.etaSeconds !== null) {
    return { seconds: Math.round(active + progress.etaSeconds), formula: `runtime so far ${Math.round(active)} s${less} + ETA ${progress.etaSeconds} s (${progress.etaFormula})` };
  }
  if (progress.percent !== null && progress.percent > 0 && progress.percent <= 100) {
    return {
      seconds: Math.round(active / (progress.percent / 100)),
      formula: `runtime so far ${Math.round(active)} s${less} / ${progress.percent}% done; assumes this process started the run at 0% and progresses at a steady rate`,
    };
  }
  return { seconds: null, formula: 'progress has no total to measure against' };
}

/** Start-up: process start to first progress, from this run's log (a timestamped progress line, else the bar's elapsed time). */
export function startup(options: { startMs: number | null; firstProgressAtMs: number | null; firstProgressLine: string | null; progress: ParsedProgress | null; logWrittenMs: number | null }): Estimate {
  const { startMs, firstProgressAtMs, progress, logWrittenMs } = options;
  if (startMs === null) return { seconds: null, formula: 'start time unreadable' };
  if (firstProgressAtMs !== null && firstProgressAtMs >= startMs - 1000) {
    return { seconds: Math.max(0, roundSeconds((firstProgressAtMs - startMs) / 1000)), formula: `timestamp of the first progress line in its log (${options.firstProgressLine}) - process start` };
  }
  if (progress?.sinceFirstProgress != null && logWrittenMs !== null) {
    const first = logWrittenMs - progress.sinceFirstProgress * 1000;
    if (first >= startMs - 1000) {
      return { seconds: Math.max(0, roundSeconds((first - startMs) / 1000)), formula: `(last log write - the bar's elapsed ${progress.sinceFirstProgress} s) - process start: the bar runs from the first step` };
    }
  }
  return { seconds: null, formula: 'its log shows neither a timestamped progress line nor a bar that runs from the first step' };
}

/**
 * Recovery: start-up again + redoing the work since the last save at today's speed. The replay is the lost compute
 * itself, already at its one rounding (a tenth), so that it reads the same as "Work lost".
 */
export function recovery(startupEstimate: Estimate, lostSeconds: number | null): Estimate & { replaySeconds: number | null } {
  if (lostSeconds === null) return { seconds: null, replaySeconds: null, formula: 'the work lost is unknown' };
  const replay = lostSeconds;
  if (startupEstimate.seconds === null) return { seconds: null, replaySeconds: replay, formula: `start-up unknown (${startupEstimate.formula}); replay of the lost work ${replay} s` };
  return {
    seconds: roundSeconds(startupEstimate.seconds + replay),
    replaySeconds: replay,
    formula: `start-up ${startupEstimate.seconds} s (this run's) + replay ${replay} s (the compute lost since the last save, redone at the same speed); queue wait not included`,
  };
}

const PROGRESS_LINE = /\d+%\||\b(epoch|step|iter(ation)?|global_step)\b\s*[:=]?\s*\[?\s*\d+|Running training|'loss':/i;

/** The first line of the log head that shows progress and carries a timestamp at or after `sinceMs` (this run's). */
export function firstTimedProgress(head: string, timestampOf: (line: string) => number | null, sinceMs: number): { atMs: number; line: string } | null {
  for (const line of head.split(/[\r\n]+/)) {
    if (!PROGRESS_LINE.test(line)) continue;
    const atMs = timestampOf(line);
    if (atMs !== null && atMs >= sinceMs - 1000) return { atMs, line: line.trim().slice(0, 80) };
  }
  return null;
}
