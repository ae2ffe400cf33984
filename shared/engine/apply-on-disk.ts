// The dp CLI's way to apply personas: the same plan and merge as the generators, read from and written
// to the repository directly (no Yeoman start-up), under the repository's lock, atomically, record last.
import { generatorVersion } from '../package-root.js';
import { applyPersonas, type ApplyResult, type ConflictPolicy } from '../merge/apply.js';
import { unifiedDiff } from '../merge/diff.js';
import { diskReader, writeChanges } from '../commit/disk.js';
import { withSettingsIntent } from '../merge/intent.js';
import { holdLock, releaseLock } from '../commit/lock.js';
import { preflight } from '../commit/preflight.js';
import { RECORD_PATH, parseRecord, type PersonaRecord } from '../merge/record.js';
import { answersChange } from './answers.js';
import { planRequests, type PersonaRequest } from './plan-active.js';

export interface DiskRunOptions {
  onConflict: Exclude<ConflictPolicy, 'ask'>;
  dryRun?: boolean;
  restoreDeleted?: boolean;
}

export interface DiskRunResult extends ApplyResult {
  /** With dryRun: a diff per change. */
  diffs: string[];
}

export function readRecordOnDisk(root: string): PersonaRecord | null {
  return parseRecord(diskReader(root)(RECORD_PATH), generatorVersion());
}

/** Compute what making `requests` the active personas would change (nothing is written). */
export function planOnDisk(root: string, requests: PersonaRequest[], options: DiskRunOptions): ApplyResult {
  const read = diskReader(root);
  const result = applyPersonas(read, planRequests(root, requests), {
    version: generatorVersion(),
    onConflict: options.onConflict,
    restoreDeleted: options.restoreDeleted ?? false,
  });
  const answers = answersChange(read, requests);
  if (answers) {
    // Before the record, which stays the last write.
    const recordIndex = result.changes.findIndex((c) => c.path === RECORD_PATH);
    if (recordIndex < 0) result.changes.push(answers);
    else result.changes.splice(recordIndex, 0, answers);
  }
  return result;
}

export function applyOnDisk(root: string, requests: PersonaRequest[], options: DiskRunOptions): DiskRunResult {
  holdLock(root);
  try {
    const result = planOnDisk(root, requests, options);
    const read = diskReader(root);
    if (options.dryRun) {
      preflight(root, result.changes);
      return { ...result, diffs: result.changes.map((c) => unifiedDiff(c.path, read(c.path), c.content)) };
    }
    writeChanges(root, withSettingsIntent(result.changes, read, generatorVersion()));
    return { ...result, diffs: [] };
  } finally {
    releaseLock(root);
  }
}
