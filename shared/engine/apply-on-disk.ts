// The dp CLI's way to apply personas: the same plan and merge as the generators, read from and written
// to the repository directly (no Yeoman start-up). Everything the run decides from (the record, the
// active personas, answers, files) is read after the repository's lock is held, so runs started together
// each build on the one before.
import { generatorVersion } from '../package-root.js';
import type { ApplyResult, ConflictPolicy } from '../merge/model.js';
import { unifiedDiff } from '../merge/diff.js';
import { commitChanges } from '../commit/commit.js';
import { diskReader, readRepositoryFile, type Snapshot } from '../commit/read.js';
import { sleepSync } from '../commit/sleep.js';
import { DpError } from '../errors.js';
import { holdLock, releaseLock } from '../commit/lock.js';
import { preflight } from '../commit/preflight.js';
import { RECORD_PATH, parseRecord, type PersonaRecord } from '../merge/record.js';
import { activeRequests, type PersonaRequest } from './plan-active.js';
import { planRun } from './plan-run.js';

export interface DiskRunOptions {
  onConflict: Exclude<ConflictPolicy, 'ask'>;
  dryRun?: boolean;
  restoreDeleted?: boolean;
}

export interface DiskRunResult extends ApplyResult {
  /** With dryRun: a diff per change. */
  diffs: string[];
}

/**
 * Which personas a run makes active, given those active now: a run says "add these", "all but these" or
 * "only this" and learns what is active only once it holds the lock. May throw (a persona not active).
 */
export type Selection = (active: PersonaRequest[]) => PersonaRequest[];

export function readRecordOnDisk(root: string): PersonaRecord | null {
  return parseRecord(diskReader(root)(RECORD_PATH), generatorVersion());
}

/** Compute what the selection would change (nothing is written); `snapshot` collects what was read. */
export function planOnDisk(root: string, select: Selection, options: DiskRunOptions, snapshot?: Snapshot): ApplyResult {
  const read = diskReader(root, snapshot);
  const requests = select(activeRequests(parseRecord(read(RECORD_PATH), generatorVersion())));
  return planRun(root, read, requests, options);
}

/** Whether a file the run read is no longer what it read. */
function changedSince(root: string, snapshot: Snapshot): boolean {
  for (const [path, text] of snapshot) {
    try {
      if (readRepositoryFile(root, path) !== text) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** How long a refusal's files must stay the same before the refusal stands (a writer descheduled mid-save). */
const SETTLE_MS = 200;

/**
 * Plan under the lock. A refusal that rests on a file another program was writing at that moment (Claude
 * Code saves settings.json in place, so it can be read half-written) is planned again once it changes,
 * and stands once its files stayed the same for SETTLE_MS.
 */
function planSettled(root: string, select: Selection, options: DiskRunOptions): { result: ApplyResult; snapshot: Snapshot } {
  for (let replans = 0; ; replans += 1) {
    const snapshot: Snapshot = new Map();
    try {
      return { result: planOnDisk(root, select, options, snapshot), snapshot };
    } catch (error) {
      if (!(error instanceof DpError) || replans === 20) throw error;
      const settled = Date.now() + SETTLE_MS;
      while (!changedSince(root, snapshot)) {
        if (Date.now() >= settled) throw error;
        sleepSync(10);
      }
    }
  }
}

export function applyOnDisk(root: string, select: Selection, options: DiskRunOptions): DiskRunResult {
  holdLock(root);
  try {
    const { result, snapshot } = planSettled(root, select, options);
    if (options.dryRun) {
      preflight(root, result.changes);
      const read = diskReader(root, snapshot);
      return { ...result, diffs: result.changes.map((c) => unifiedDiff(c.path, read(c.path), c.content)) };
    }
    commitChanges(root, result.changes, snapshot, generatorVersion());
    return { ...result, diffs: [] };
  } finally {
    releaseLock(root);
  }
}
