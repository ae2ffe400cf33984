// The lines a user sees after a run: one per path that changed or needs attention, in one vocabulary for
// dp, yo dp:* and create-dp-project (the README lists it under "What a run reports").
import type { Snapshot } from '../commit/read.js';
import type { Change, Outcome, Status } from '../merge/model.js';
import { RECORD_PATH } from '../merge/record.js';

/** The word for each outcome. One word per outcome: the detail says whose edits and why. */
const WORDS: Record<Status, string> = {
  created: 'created',
  updated: 'updated',
  merged: 'merged',
  kept: 'kept',
  'kept-edited': 'kept',
  conflict: 'conflict',
  removed: 'removed',
  deleted: 'deleted',
  restored: 'restored',
  unchanged: 'unchanged',
};

const QUIET = new Set(['unchanged']);

/** Which paths the run deletes: a "removed" outcome for a file that stays (a section taken out of CLAUDE.md) is an update. */
export type Deleted = ReadonlySet<string>;

export function deletedPaths(changes: readonly Change[]): Deleted {
  return new Set(changes.filter((c) => c.content === null).map((c) => c.path));
}

function word(o: Outcome, deleted: Deleted | undefined): string {
  if (o.status === 'removed' && deleted !== undefined && !deleted.has(o.path)) return WORDS.updated;
  return WORDS[o.status];
}

/** A detail is shown in parentheses, so its own parentheses become a colon: never nested. */
function flat(detail: string): string {
  return detail.replace(/\s*\(([^()]*)\)/g, ': $1');
}

export function formatOutcomes(outcomes: Outcome[], notes: string[], deleted?: Deleted): string[] {
  const shown = outcomes.filter((o) => !QUIET.has(o.status));
  const width = Math.max(0, ...shown.map((o) => word(o, deleted).length));
  const lines = shown.map((o) => `${word(o, deleted).padEnd(width)}  ${o.path}${o.detail ? `  (${flat(o.detail)})` : ''}`);
  for (const note of notes) lines.push(`note  ${note}`);
  return lines;
}

export function summarize(outcomes: Outcome[], deleted?: Deleted): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) if (!QUIET.has(o.status)) counts.set(word(o, deleted), (counts.get(word(o, deleted)) ?? 0) + 1);
  if (counts.size === 0) return 'nothing to do: everything is up to date';
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

/**
 * dp's own files that a run writes besides the personas' (the record, the bases beside it, the answers in
 * .yo-rc.json), so that the list names every file written; the record last, as it is written last.
 * `before`: what the run read, as it was before the run (null: the file did not exist).
 */
export function ownFiles(outcomes: readonly Outcome[], changes: readonly Change[], before: Snapshot): Outcome[] {
  const listed = new Set(outcomes.map((o) => o.path));
  return changes
    .filter((change) => !listed.has(change.path))
    .map((change): Outcome => ({ path: change.path, status: change.content === null ? 'removed' : (before.get(change.path) ?? null) === null ? 'created' : 'updated' }))
    .sort((a, b) => Number(a.path === RECORD_PATH) - Number(b.path === RECORD_PATH));
}
