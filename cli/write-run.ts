// The common end of every dp command that writes: plan, let a terminal user choose how conflicts are
// resolved, apply (or with --dry-run show the diffs), and report one line per file.
import { DpError } from '../shared/errors.js';
import { applyOnDisk, planOnDisk, type Selection } from '../shared/engine/apply-on-disk.js';
import type { AssistantSelection } from '../shared/engine/plan-run.js';
import { deletedPaths, formatOutcomes, ownFiles, summarize } from '../shared/engine/report.js';
import { choose, interactive } from './prompt.js';

export interface WriteRunOptions {
  title: string;
  dryRun?: boolean;
  onConflict?: 'keep' | 'markers';
  restoreDeleted?: boolean;
  /** Which assistants to write for; without it, those the record names. */
  assistants?: AssistantSelection;
}

export async function writeRun(root: string, select: Selection, options: WriteRunOptions): Promise<number> {
  let onConflict = options.onConflict ?? 'keep';
  if (options.onConflict === undefined && !options.dryRun && interactive()) {
    const planned = planOnDisk(root, select, { onConflict, restoreDeleted: options.restoreDeleted, assistants: options.assistants });
    const conflicts = planned.outcomes.filter((o) => o.status === 'conflict');
    if (conflicts.length > 0) {
      process.stdout.write(`Your edits and the new version change the same lines in:\n${conflicts.map((c) => `  ${c.path}`).join('\n')}\n`);
      onConflict = (await choose('How should they be resolved? (nothing is lost either way)', [
        { value: 'keep', label: 'keep yours as it is; the new version goes beside it as <file>.dp-new' },
        { value: 'markers', label: 'write git-style conflict markers into the file (the new version also goes to <file>.dp-new)' },
      ])) as 'keep' | 'markers';
    }
  }
  const result = applyOnDisk(root, select, { onConflict, dryRun: options.dryRun, restoreDeleted: options.restoreDeleted, assistants: options.assistants });
  if (options.dryRun) for (const diff of result.diffs) process.stdout.write(diff);
  const deleted = deletedPaths(result.changes);
  const outcomes = [...result.outcomes, ...ownFiles(result.outcomes, result.changes, result.before)];
  for (const line of formatOutcomes(outcomes, result.notes, deleted)) process.stdout.write(`  ${line}\n`);
  const summary = summarize(outcomes, deleted);
  process.stdout.write(options.dryRun ? `dp: ${options.title} (dry run, nothing written): ${summary}\n` : `dp: ${options.title}: ${summary}\n`);
  return 0;
}

export function notActive(ids: string[], active: string[]): DpError {
  return new DpError(`${ids.join(', ')} ${ids.length > 1 ? 'are' : 'is'} not active here`, `active personas: ${active.join(', ') || 'none'}`, 2);
}
