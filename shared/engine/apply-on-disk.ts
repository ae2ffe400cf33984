// The dp CLI's way to apply personas: the same plan and merge as the generators, read from and written
// to the repository directly (no Yeoman start-up). Everything the run decides from (the record, the
// active personas, answers, files) is read after the repository's lock is held, so runs started together
// each build on the one before.
import { generatorVersion } from '../package-root.js';
import type { ApplyResult, ConflictPolicy } from '../merge/model.js';
import { unifiedDiff } from '../merge/diff.js';
import { commitChanges } from '../commit/commit.js';
import { diskReader, type Snapshot } from '../commit/read.js';
import { holdLock, releaseLock } from '../commit/lock.js';
import { preflight } from '../commit/preflight.js';
import { RECORD_PATH, parseRecord, type PersonaRecord } from '../merge/record.js';
import { activeRequests, type PersonaRequest } from './plan-active.js';
import { planRun, planSettled, type AssistantSelection } from './plan-run.js';

export interface DiskRunOptions {
  onConflict: Exclude<ConflictPolicy, 'ask'>;
  dryRun?: boolean;
  restoreDeleted?: boolean;
  /** Which assistants to write for; without it, those the record names. */
  assistants?: AssistantSelection;
}

export interface DiskRunResult extends ApplyResult {
  /** With dryRun: a diff per change. */
  diffs: string[];
  /** What the run read, as it was before the run: which files existed. */
  before: Snapshot;
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

export function applyOnDisk(root: string, select: Selection, options: DiskRunOptions): DiskRunResult {
  holdLock(root);
  try {
    const snapshot: Snapshot = new Map();
    const result = planSettled(root, snapshot, () => planOnDisk(root, select, options, snapshot));
    if (options.dryRun) {
      preflight(root, result.changes);
      const read = diskReader(root, snapshot);
      return { ...result, before: snapshot, diffs: result.changes.map((c) => unifiedDiff(c.path, read(c.path), c.content)) };
    }
    commitChanges(root, result.changes, snapshot, generatorVersion());
    return { ...result, before: snapshot, diffs: [] };
  } finally {
    releaseLock(root);
  }
}
