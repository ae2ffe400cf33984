// Planning one run, the same for both front ends: the requested personas rendered with this version's
// templates, merged against what the reader sees (the disk, or Yeoman's mem-fs over it), plus the
// answers to keep in .yo-rc.json. Nothing is written; the commit step (shared/commit) orders and writes.
import { applyPersonas } from '../merge/apply.js';
import type { ApplyResult, ConflictPolicy, Reader } from '../merge/model.js';
import { generatorVersion } from '../package-root.js';
import { answersChange } from './answers.js';
import { planRequests, type PersonaRequest } from './plan-active.js';

export interface PlanOptions {
  onConflict: ConflictPolicy;
  /** Recreate files and sections the user deleted (dp doctor --fix, --restore-deleted). */
  restoreDeleted?: boolean;
}

export function planRun(root: string, read: Reader, requests: PersonaRequest[], options: PlanOptions): ApplyResult {
  const result = applyPersonas(read, planRequests(root, requests), {
    version: generatorVersion(),
    onConflict: options.onConflict,
    restoreDeleted: options.restoreDeleted ?? false,
  });
  // Answers (the developer's level) go to .yo-rc.json, so that re-runs, yo and dp alike, do not ask again.
  const answers = answersChange(read, requests);
  return answers ? { ...result, changes: [...result.changes, answers] } : result;
}
