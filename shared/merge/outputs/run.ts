// What every output kind shares while one run is planned: the record before and the one being built,
// the options, the changes and the report; and the pieces they all use. An output kind is a function
// that reads and checks what it needs (a refusal comes before any change is planned) and returns the
// step that plans its changes (outputs/*.ts; apply.ts runs every kind's checks, then every kind's step).
import type { ApplyOptions, Change, ConflictPolicy, DesiredPersona, Outcome, Reader } from '../model.js';
import { packBase, sha256, type PersonaRecord } from '../record.js';

export interface Run {
  previous: PersonaRecord;
  record: PersonaRecord;
  options: ApplyOptions;
  /** How conflict markers name the new version. */
  label: string;
  changes: Change[];
  outcomes: Outcome[];
}

/** Reads and checks; returns the step that plans the changes, which returns notes for the report. */
export type OutputKind = (read: Reader, personas: DesiredPersona[], run: Run) => () => string[];

/** The record entry for generated content; an unchanged base is reused, not compressed again (every run records every file). */
export function managedEntry(persona: string, content: string, prior: { sha256: string; base: string } | undefined) {
  const hash = sha256(content);
  return { persona, sha256: hash, base: prior?.sha256 === hash ? prior.base : packBase(content) };
}


export function conflictDetail(reason: 'both-changed' | 'not-ours', dpNew: string, policy: ConflictPolicy): string {
  const why = reason === 'not-ours' ? 'a file dp did not write is in the way' : 'your edits and the new version change the same lines';
  const what =
    policy === 'keep' ? `yours kept, the new version is in ${dpNew}` : policy === 'markers' ? `conflict markers written, the new version is also in ${dpNew}` : `you chose; the new version is also in ${dpNew}`;
  return `${why}: ${what}`;
}
