// Checkpoint and progress facts for one process, and the estimates derived from them (labelled with their formula):
// work lost since the last checkpoint, the save interval, when the next save is due.
// Facts: impact.md §6.2 (lost work = now - mtime of the newest checkpoint; "next in" only from a known cadence).
import type { OpenFile } from '../lib/proc.js';
import {
  checkpointRoots,
  isBeingWritten,
  medianInterval,
  saveEvents,
  scanCheckpoints,
  writesInProgress,
  type Checkpoint,
  type CheckpointScan,
  type WriteInProgress,
} from './checkpoints.js';
import type { ProcessFacts } from './identity.js';
import { firstTimedProgress } from './estimates.js';
import { readHead, readTail, type LogSource } from './logs.js';
import { parseProgressText, type ParsedProgress } from './progress.js';
import { groupSaves, medianGap, parseSaveLines, timestampOf, type SaveEvent } from './saves.js';
import type { WatchObservation } from './watch.js';
import type { ProgressJson } from './types.js';

export interface ProgressFacts {
  json: ProgressJson | null;
  parsed: ParsedProgress | null;
  source: LogSource | null;
  /** ETA formula, or why progress/ETA is unknown. */
  note: string;
}

export interface CheckpointFacts {
  scan: CheckpointScan;
  writes: WriteInProgress[];
  latest: Checkpoint | null;
  /** Saves since the process started (grouped: files written together count once). */
  savesSinceStart: number;
  intervalSeconds: number | null;
  intervalNote: string;
  /** The save cadence in the job's own units, when save lines give step numbers: e.g. every 500 steps. */
  intervalUnits: { amount: number; unit: string } | null;
  /** The newest save of this run that the log names ("saved checkpoint" lines), when it has any. */
  lastLogSave: SaveEvent | null;
  /** When the work that a kill would lose began: the newest save (file mtime or save line), else the process start. */
  savedAtMs: number | null;
  startMs: number | null;
  lostSeconds(now: number): number | null;
  /** Lost compute and how it was computed: time in state T is not compute. */
  lost(now: number): { seconds: number | null; formula: string };
  next(now: number): { seconds: number | null; formula: string };
  applyProgress(progress: ProgressFacts): void;
}

/** What besides the checkpoint files tells when saves happen and whether the process is computing. */
export interface SaveEvidence {
  /** Saves named by "saved checkpoint" lines in its logs (saves.ts), oldest first. */
  logSaves?: SaveEvent[];
  /** Where those lines were read, for the notes. */
  logPath?: string | null;
  /** A --watch of the process: successive checkpoint mtimes and time stopped. */
  watched?: WatchObservation | null;
  /** State letter now (T: stopped, not computing) and the newest write to its logs. */
  state?: string;
  lastLogWriteMs?: number | null;
}

const tenth = (seconds: number) => Math.round(seconds * 10) / 10;

export function checkpointFacts(facts: ProcessFacts, cwd: string | null, openFiles: Map<number, OpenFile[] | null>, evidence: SaveEvidence = {}): CheckpointFacts {
  const scan = scanCheckpoints(checkpointRoots(facts.entry.cmdline, cwd));
  const known = new Map<number, OpenFile[]>();
  for (const [pid, files] of openFiles) if (files) known.set(pid, files);
  const writes = writesInProgress(known);
  const complete = scan.checkpoints.filter((c) => !isBeingWritten(c, writes));
  const latest = complete[complete.length - 1] ?? null;
  const startMs = facts.startedAt ? Date.parse(facts.startedAt) : null;
  const ofThisRun = (ms: number) => startMs === null || ms >= startMs - 1000;
  // Saves of this run: checkpoints left by an earlier run would give a wrong cadence.
  const events = saveEvents(complete.filter((c) => ofThisRun(c.mtimeMs)).map((c) => c.mtimeMs));
  const logSaves = (evidence.logSaves ?? []).filter((e) => e.atMs === null || ofThisRun(e.atMs));
  const timedLogSaves = logSaves.filter((e) => e.atMs !== null).map((e) => e.atMs!);
  const lastLogSave = logSaves[logSaves.length - 1] ?? null;
  const lastLogSaveMs = timedLogSaves.length > 0 ? timedLogSaves[timedLogSaves.length - 1]! : null;
  const savedAtMs = latest || lastLogSaveMs !== null ? Math.max(latest?.mtimeMs ?? 0, lastLogSaveMs ?? 0, startMs ?? 0) : startMs;
  const where = scan.roots.length > 0 ? scan.roots.join(', ') : 'no readable directory (cwd unreadable)';
  const logName = evidence.logPath ?? 'its log';

  // The cadence, from the best evidence at hand (docs: "Checkpoint interval").
  let interval: number | null = null;
  let intervalNote: string;
  let intervalUnits: { amount: number; unit: string } | null = null;
  let cadenceEvents = events;
  const watchedTimes = evidence.watched ? saveEvents([...evidence.watched.history.values()].flat().filter(ofThisRun)) : [];
  const stepGap = medianGap(logSaves.filter((e) => e.step !== null).map((e) => e.step!));
  if (events.length >= 2) {
    interval = medianInterval(events);
    intervalNote = `median gap between the last ${Math.min(events.length, 6)} saves of this run (file modification times)`;
  } else if (watchedTimes.length >= 2) {
    interval = medianInterval(watchedTimes);
    cadenceEvents = watchedTimes;
    intervalNote = `median gap between successive modification times of its checkpoints while watching ${evidence.watched!.seconds} s (overwritten in place)`;
  } else if (timedLogSaves.length >= 2) {
    interval = medianGap(timedLogSaves)! / 1000;
    cadenceEvents = timedLogSaves;
    intervalNote = `median gap between the timestamps of the last ${Math.min(timedLogSaves.length, 6)} "saved checkpoint" lines (${lastLogSave!.framework}) in ${logName}`;
  } else if (!latest && logSaves.length === 0) intervalNote = `no checkpoint found under ${where}${evidence.logPath ? ` and no save line in ${logName}` : ''}`;
  else intervalNote = `${events.length === 0 && logSaves.length === 0 ? 'no checkpoint' : 'only one save'} seen since the process started: no interval yet${evidence.watched ? '' : ' (--watch SECONDS sees a file overwritten in place)'}`;
  if (stepGap !== null) intervalUnits = { amount: stepGap, unit: 'step' };
  const roundedInterval = interval === null ? null : tenth(interval);
  let progress: ProgressFacts | null = null;

  const lost = (now: number): { seconds: number | null; formula: string } => {
    if (savedAtMs === null) return { seconds: null, formula: 'start time unreadable' };
    const from = latest || lastLogSaveMs !== null ? 'the last save' : 'the process start (no save found)';
    let end = now;
    let formula = `now - ${from}`;
    if (evidence.state === 'T') {
      // Stopped: no compute since it stopped. Its last log write bounds when that was; without one, now is an upper bound.
      if (evidence.lastLogWriteMs != null && evidence.lastLogWriteMs < now) {
        end = Math.max(savedAtMs, evidence.lastLogWriteMs);
        formula = `its last log write - ${from}: it is stopped (state T), and the time since is not compute`;
      } else formula = `now - ${from}; an upper bound: it is stopped (state T) and when it stopped is unknown (no log)`;
    }
    let seconds = Math.max(0, (end - savedAtMs) / 1000);
    // Stops seen while watching, the part of them after the last save and before the end counted above.
    const stopped = tenth((evidence.watched?.stoppedSpans ?? []).reduce((sum, span) => sum + Math.max(0, Math.min(span.toMs, end) - Math.max(span.fromMs, savedAtMs)), 0) / 1000);
    if (stopped > 0) {
      seconds = Math.max(0, seconds - stopped);
      formula += ` - ${stopped} s seen stopped (state T) while watching`;
    }
    return { seconds: tenth(seconds), formula };
  };

  return {
    scan,
    writes,
    latest,
    savesSinceStart: Math.max(events.length, logSaves.length, watchedTimes.length),
    intervalSeconds: roundedInterval,
    intervalNote,
    intervalUnits,
    lastLogSave,
    savedAtMs,
    startMs,
    lostSeconds: (now) => lost(now).seconds,
    lost,
    next(now) {
      const state = latest?.trainerState;
      const parsed = progress?.parsed;
      const stepsLike = parsed?.rate && parsed.unit !== 'epoch' && /^(it|step|steps|global_step|iter|iteration)$/.test(parsed.rate.unit);
      const every = state?.saveSteps ?? intervalUnits?.amount ?? null;
      if (every && stepsLike && parsed && (state?.globalStep == null || parsed.current >= state.globalStep)) {
        const nextStep = (Math.floor(parsed.current / every) + 1) * every;
        const seconds = Math.round((nextStep - parsed.current) / parsed.rate!.perSecond);
        const why = state?.saveSteps ? `save_steps ${every}` : `every ${every} steps from the save lines`;
        return { seconds, formula: `(next multiple of ${why}: step ${nextStep} - step ${parsed.current}) / ${parsed.rate!.perSecond.toFixed(2)} steps/s` };
      }
      if (roundedInterval === null || savedAtMs === null) return { seconds: null, formula: intervalNote };
      const lastSave = Math.max(cadenceEvents[cadenceEvents.length - 1] ?? 0, savedAtMs);
      const seconds = Math.round((lastSave + roundedInterval * 1000 - now) / 1000) || 0; // no -0
      if (seconds < 0) return { seconds: 0, formula: `last save + interval ${roundedInterval} s passed ${-seconds} s ago: overdue` };
      return { seconds, formula: `last save + interval ${roundedInterval} s` };
    },
    applyProgress(p) {
      progress = p;
    },
  };
}

/** Progress from the freshest log that has any, else from the latest checkpoint (HF trainer_state.json, Lightning name). */
export function progressFacts(sources: LogSource[], checkpoints: Pick<CheckpointFacts, 'latest'>): ProgressFacts {
  let best: { parsed: ParsedProgress; source: LogSource } | null = null;
  for (const source of sources) {
    const text = readTail(source.readPath);
    const parsed = text === null ? null : parseProgressText(text);
    if (parsed && (!best || (source.mtimeMs ?? 0) > (best.source.mtimeMs ?? 0))) best = { parsed, source };
  }
  if (best) {
    const { parsed, source } = best;
    return {
      json: {
        current: parsed.current,
        total: parsed.total,
        unit: parsed.unit,
        percent: parsed.percent,
        source: `${parsed.kind} in ${source.path} (${source.via})`,
        etaSeconds: parsed.etaSeconds,
      },
      parsed,
      source,
      note: parsed.etaSeconds === null ? `no ETA: ${parsed.etaFormula}` : `estimate: ${parsed.etaFormula}`,
    };
  }
  const latest = checkpoints.latest;
  const state = latest?.trainerState;
  if (latest && state?.globalStep != null) {
    return {
      json: {
        current: state.globalStep,
        total: state.maxSteps,
        unit: 'step',
        percent: state.maxSteps ? Math.round((1000 * state.globalStep) / state.maxSteps) / 10 : null,
        source: `${latest.path}/trainer_state.json (written with the latest checkpoint: progress as of that save, not the live step)`,
        etaSeconds: null,
      },
      parsed: null,
      source: null,
      note: 'no ETA: trainer_state.json holds no timing',
    };
  }
  if (latest?.lightning) {
    return {
      json: { current: latest.lightning.step, total: null, unit: 'step', percent: null, source: `checkpoint name ${latest.path} (epoch ${latest.lightning.epoch}; as of that save)`, etaSeconds: null },
      parsed: null,
      source: null,
      note: 'no ETA: a checkpoint name holds no timing',
    };
  }
  const why = sources.length === 0 ? 'no log file found' : `no progress line in ${sources.map((s) => s.path).join(', ')}`;
  return { json: null, parsed: null, source: null, note: why };
}

/** What the logs say about saves and start-up: "saved checkpoint" lines, the newest write, the first timed progress line. */
export interface LogEvidence {
  saves: SaveEvent[];
  /** The log the save lines were read from (the first log when none has any). */
  path: string | null;
  lastWriteMs: number | null;
  firstProgress: { atMs: number; line: string } | null;
}

/** Save lines are looked for in the last MiB of each log (a tqdm log redraws its bar thousands of times between saves). */
const SAVE_TAIL_BYTES = 1024 * 1024;

export function logEvidence(sources: LogSource[], startMs: number | null): LogEvidence {
  let best: { saves: SaveEvent[]; path: string } | null = null;
  let firstProgress: LogEvidence['firstProgress'] = null;
  let lastWriteMs: number | null = null;
  for (const source of sources) {
    if (source.mtimeMs !== null) lastWriteMs = Math.max(lastWriteMs ?? 0, source.mtimeMs);
    const tail = readTail(source.readPath, SAVE_TAIL_BYTES);
    const saves = tail === null ? [] : groupSaves(parseSaveLines(tail));
    if (saves.length > (best?.saves.length ?? 0)) best = { saves, path: source.path };
    if (startMs !== null) {
      const head = readHead(source.readPath);
      const first = head === null ? null : firstTimedProgress(head, timestampOf, startMs);
      if (first && (!firstProgress || first.atMs < firstProgress.atMs)) firstProgress = first;
    }
  }
  return { saves: best?.saves ?? [], path: best?.path ?? sources[0]?.path ?? null, lastWriteMs, firstProgress };
}
