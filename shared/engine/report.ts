// The lines a user sees after a run: one per path that changed or needs attention.
import type { Outcome } from '../merge/apply.js';

const QUIET = new Set(['unchanged']);

export function formatOutcomes(outcomes: Outcome[], notes: string[]): string[] {
  const width = Math.max(0, ...outcomes.map((o) => o.status.length));
  const lines = outcomes
    .filter((o) => !QUIET.has(o.status))
    .map((o) => `${o.status.padEnd(width)}  ${o.path}${o.detail ? `  (${o.detail})` : ''}`);
  for (const note of notes) lines.push(`note  ${note}`);
  return lines;
}

export function summarize(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  if ([...counts.keys()].every((status) => QUIET.has(status))) return 'nothing to do: everything is up to date';
  return [...counts].filter(([status]) => !QUIET.has(status)).map(([status, n]) => `${n} ${status}`).join(', ');
}
