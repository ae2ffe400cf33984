// What every output kind shares while one run is planned: the record before and the one being built,
// the options, the changes and the report; and the pieces they all use. An output kind is a function
// that reads and checks what it needs (a refusal comes before any change is planned) and returns the
// step that plans its changes (outputs/*.ts; apply.ts runs every kind's checks, then every kind's step).
import type { AssistantPlan } from '../../assistants/plan.js';
import { toLf } from '../eol.js';
import type { ApplyOptions, Change, ConflictPolicy, DesiredPersona, Outcome, Reader } from '../model.js';
import { sha256, storedBase, type PersonaRecord } from '../record.js';

export interface Run {
  previous: PersonaRecord;
  record: PersonaRecord;
  options: ApplyOptions;
  /** How conflict markers name the new version. */
  label: string;
  changes: Change[];
  outcomes: Outcome[];
  /** The bases file as read: pristine copies by sha256. */
  bases: Map<string, string>;
  /** The bases the new record needs, by sha256 (what dp generates now). */
  newBases: Map<string, string>;
  /** What the targeted assistants write besides Claude Code's plan: sections, owned files. */
  assistants: AssistantPlan;
}

/** Reads and checks; returns the step that plans the changes, which returns notes for the report. */
export type OutputKind = (read: Reader, personas: DesiredPersona[], run: Run) => () => string[];

/** The record entry for generated content, its base kept for the next three-way merge. */
export function managedEntry(run: Run, persona: string, content: string) {
  const hash = sha256(content);
  run.newBases.set(hash, content);
  return { persona, sha256: hash };
}

/**
 * What dp generated last time for an entry of the previous record. Without a stored base (the bases file
 * lost), content that still has the recorded hash is its own base: it is what dp wrote.
 * (A file gone from disk needs no base: it is reported deleted.)
 */
export function priorBase(run: Run, prior: { sha256: string; base?: string } | undefined, disk: string | null): string | null {
  if (!prior) return null;
  const stored = storedBase(prior, run.bases);
  if (stored !== null) return stored;
  if (disk === null) return '';
  return sha256(toLf(disk)) === prior.sha256 ? disk : null;
}

export function conflictDetail(reason: 'both-changed' | 'not-ours', dpNew: string, policy: ConflictPolicy): string {
  const why = reason === 'not-ours' ? 'a file dp did not write is in the way' : 'your edits and the new version change the same lines';
  const what =
    policy === 'keep' ? `yours kept, the new version is in ${dpNew}` : policy === 'markers' ? `conflict markers written, the new version is also in ${dpNew}` : `you chose; the new version is also in ${dpNew}`;
  return `${why}: ${what}`;
}
