// The lines a user sees after a run: one per path that changed or needs attention.
import type { Outcome } from '../merge/model.js';

const QUIET = new Set(['unchanged']);

/** How a status reads in a report (dp upgrade says "upgraded" and "kept (yours)"). */
export type Labels = Partial<Record<Outcome['status'], string>>;

export const UPGRADE_LABELS: Labels = { updated: 'upgraded', kept: 'kept (yours)', 'kept-edited': 'kept (yours)', deleted: 'deleted (by you)' };

export function formatOutcomes(outcomes: Outcome[], notes: string[], labels: Labels = {}): string[] {
  const shown = outcomes.filter((o) => !QUIET.has(o.status));
  const label = (o: Outcome) => labels[o.status] ?? o.status;
  const width = Math.max(0, ...shown.map((o) => label(o).length));
  const lines = shown.map((o) => `${label(o).padEnd(width)}  ${o.path}${o.detail ? `  (${o.detail})` : ''}`);
  for (const note of notes) lines.push(`note  ${note}`);
  return lines;
}

export function summarize(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  if ([...counts.keys()].every((status) => QUIET.has(status))) return 'nothing to do: everything is up to date';
  return [...counts].filter(([status]) => !QUIET.has(status)).map(([status, n]) => `${n} ${status}`).join(', ');
}
