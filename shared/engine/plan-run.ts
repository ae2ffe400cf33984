// Planning one run, the same for both front ends: the requested personas rendered with this version's
// templates, merged against what the reader sees (the disk, or Yeoman's mem-fs over it), plus the
// answers to keep in .yo-rc.json. Nothing is written; the commit step (shared/commit) orders and writes.
import { changedSince, type Snapshot } from '../commit/read.js';
import { sleepSync } from '../commit/sleep.js';
import { DpError } from '../errors.js';
import { recordedTargets } from '../assistants/plan.js';
import { applyPersonas } from '../merge/apply.js';
import { RECORD_PATH, parseRecord } from '../merge/record.js';
import type { ApplyResult, ConflictPolicy, Reader } from '../merge/model.js';
import { generatorVersion } from '../package-root.js';
import { answersChange } from './answers.js';
import { planRequests, type PersonaRequest } from './plan-active.js';

export interface PlanOptions {
  onConflict: ConflictPolicy;
  /** Recreate files and sections the user deleted (dp doctor --fix, --restore-deleted). */
  restoreDeleted?: boolean;
  /** Which assistants to write for, given those the record names; without it, re-runs keep the record's. */
  assistants?: AssistantSelection;
}

/** The assistants a run writes for, given those recorded (Claude Code alone where none are): may throw. */
export type AssistantSelection = (recorded: string[]) => string[];

export function planRun(root: string, read: Reader, requests: PersonaRequest[], options: PlanOptions): ApplyResult {
  const version = generatorVersion();
  const recorded = recordedTargets(parseRecord(read(RECORD_PATH), version));
  const result = applyPersonas(read, planRequests(root, requests), {
    version,
    onConflict: options.onConflict,
    restoreDeleted: options.restoreDeleted ?? false,
    assistants: options.assistants ? options.assistants(recorded) : recorded,
  });
  // Answers (the developer's level) go to .yo-rc.json, so that re-runs, yo and dp alike, do not ask again.
  const answers = answersChange(read, requests);
  return answers ? { ...result, changes: [...result.changes, answers] } : result;
}

/** How long a refusal's files must stay the same before the refusal stands (a writer descheduled mid-save). */
const SETTLE_MS = 300;

/**
 * Plan under the lock. A refusal that rests on a file another program was writing at that moment (Claude
 * Code saves settings.json in place, so it can be read half-written, even mid-character) is planned
 * again once that file changes, and stands once the files read stayed the same for SETTLE_MS. What the
 * failed attempt read is dropped from the snapshot, so the next attempt records what it reads.
 */
export function planSettled<T>(root: string, snapshot: Snapshot, plan: () => T): T {
  for (let replans = 0; ; replans += 1) {
    const known = new Set(snapshot.keys());
    try {
      return plan();
    } catch (error) {
      if (!(error instanceof DpError) || replans === 20 || !changesSoon(root, snapshot)) throw error;
      for (const path of [...snapshot.keys()]) if (!known.has(path)) snapshot.delete(path);
    }
  }
}

/** Whether a file the run read changes within SETTLE_MS. */
function changesSoon(root: string, snapshot: Snapshot): boolean {
  for (const settled = Date.now() + SETTLE_MS; Date.now() < settled; sleepSync(10)) {
    if (changedSince(root, snapshot)) return true;
  }
  return false;
}
