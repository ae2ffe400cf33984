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
import { readTail, type LogSource } from './logs.js';
import { parseProgressText, type ParsedProgress } from './progress.js';
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
  startMs: number | null;
  lostSeconds(now: number): number | null;
  next(now: number): { seconds: number | null; formula: string };
  applyProgress(progress: ProgressFacts): void;
}

export function checkpointFacts(facts: ProcessFacts, cwd: string | null, openFiles: Map<number, OpenFile[] | null>): CheckpointFacts {
  const scan = scanCheckpoints(checkpointRoots(facts.entry.cmdline, cwd));
  const known = new Map<number, OpenFile[]>();
  for (const [pid, files] of openFiles) if (files) known.set(pid, files);
  const writes = writesInProgress(known);
  const complete = scan.checkpoints.filter((c) => !isBeingWritten(c, writes));
  const latest = complete[complete.length - 1] ?? null;
  const startMs = facts.startedAt ? Date.parse(facts.startedAt) : null;
  // Saves of this run: checkpoints left by an earlier run would give a wrong cadence.
  const events = saveEvents(complete.filter((c) => startMs === null || c.mtimeMs >= startMs - 1000).map((c) => c.mtimeMs));
  const intervalSeconds = medianInterval(events);
  const roundedInterval = intervalSeconds === null ? null : Math.round(intervalSeconds * 10) / 10;
  const where = scan.roots.length > 0 ? scan.roots.join(', ') : 'no readable directory (cwd unreadable)';
  let intervalNote: string;
  if (roundedInterval !== null) intervalNote = `median gap between the last ${Math.min(events.length, 6)} saves of this run`;
  else if (!latest) intervalNote = `no checkpoint found under ${where}`;
  else intervalNote = `${events.length === 0 ? 'no checkpoint' : 'only one checkpoint'} saved since the process started: no interval yet`;
  let progress: ProgressFacts | null = null;

  return {
    scan,
    writes,
    latest,
    savesSinceStart: events.length,
    intervalSeconds: roundedInterval,
    intervalNote,
    startMs,
    lostSeconds(now) {
      const since = latest ? Math.max(latest.mtimeMs, startMs ?? latest.mtimeMs) : startMs;
      return since === null ? null : Math.max(0, Math.round((now - since) / 100) / 10);
    },
    next(now) {
      const state = latest?.trainerState;
      const parsed = progress?.parsed;
      if (state?.saveSteps && state.globalStep !== null && parsed?.rate && parsed.unit !== 'epoch' && /^(it|step|steps)$/.test(parsed.rate.unit) && parsed.current >= state.globalStep) {
        const nextStep = (Math.floor(parsed.current / state.saveSteps) + 1) * state.saveSteps;
        const seconds = Math.round((nextStep - parsed.current) / parsed.rate.perSecond);
        return { seconds, formula: `(next multiple of save_steps ${state.saveSteps}: step ${nextStep} - step ${parsed.current}) / ${parsed.rate.perSecond.toFixed(2)} steps/s` };
      }
      if (roundedInterval === null || !latest) return { seconds: null, formula: intervalNote };
      const due = events[events.length - 1]! + roundedInterval * 1000;
      const seconds = Math.round((due - now) / 1000) || 0; // no -0
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
