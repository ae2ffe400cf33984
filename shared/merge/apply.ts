// The merge-aware writer as one pure function: given what is on disk (a reader), what dp recorded last
// time, and the personas that should be active, it returns the writes to make and a report per path.
// Nothing is written here. Each output kind (outputs/) reads and checks what it needs before any kind
// plans a change, so a refusal leaves the repository untouched; the record, built from them all, comes last.
import type { ApplyOptions, ApplyResult, Change, DesiredPersona, Outcome, Reader } from './model.js';
import { BASES_PATH, RECORD_PATH, emptyRecord, parseBases, parseRecord, serializeBases, serializeRecord, type PersonaRecord } from './record.js';
import { claudeSections } from './outputs/claude-sections.js';
import { ownedFiles } from './outputs/owned-files.js';
import type { OutputKind, Run } from './outputs/run.js';
import { settingsEntries } from './outputs/settings-entries.js';

/** What a persona writes, by kind. A new kind of output is one module here. */
const OUTPUT_KINDS: OutputKind[] = [ownedFiles, claudeSections, settingsEntries];

export function applyPersonas(read: Reader, personas: DesiredPersona[], options: ApplyOptions): ApplyResult {
  const recordText = read(RECORD_PATH);
  const previous = parseRecord(recordText, options.version) ?? emptyRecord(options.version);
  const label = `generator-dp ${options.version}`;
  const changes: Change[] = [];
  const outcomes: Outcome[] = [];
  const record = emptyRecord(options.version);

  // Every kind reads and checks first: a refusal must come before any change is planned.
  const basesText = read(BASES_PATH);
  const run: Run = { previous, record, options, label, changes, outcomes, bases: parseBases(basesText), newBases: new Map() };
  const steps = OUTPUT_KINDS.map((kind) => kind(read, personas, run));
  const notes = steps.flatMap((plan) => plan());

  record.active = personas.map((p) => ({ id: p.id, displayName: p.displayName, ...(p.level ? { level: p.level } : {}), ...(p.custom ? { custom: true } : {}) }));
  record.configuration = {
    env: Object.assign({}, ...[...personas].reverse().map((p) => p.env)) as Record<string, string>,
    commands: unique(personas.flatMap((p) => p.commands)),
    tools: unique(personas.flatMap((p) => p.tools)),
  };

  const nothingManaged = personas.length === 0 && Object.keys(record.managed.files).length === 0 && Object.keys(record.managed.sections).length === 0;
  const recordOut = nothingManaged ? null : serializeRecord(record);
  const basesOut = nextBases(run, recordOut === recordText, recordOut === null, basesText);
  // The bases first: whenever the record on disk is the old one or the new one, its bases are there.
  if (basesOut !== basesText) changes.unshift({ path: BASES_PATH, content: basesOut });
  if (recordOut !== recordText) changes.push({ path: RECORD_PATH, content: recordOut });
  return { changes, outcomes, record, notes };
}

/**
 * The bases file after this run: the bases the new record needs, and those the previous record needs (a run
 * cut short leaves the previous record in place). Rewritten only with the record, so that a re-run with
 * nothing new writes nothing, or when a base the record needs is missing from it.
 */
function nextBases(run: Run, recordUnchanged: boolean, noRecord: boolean, basesText: string | null): string | null {
  if (noRecord) return null;
  const missing = [...run.newBases.keys()].some((hash) => !run.bases.has(hash));
  if (recordUnchanged && !missing) return basesText;
  const bases = new Map(run.newBases);
  // Unchanged record: only what is missing is added. Changed: the previous record's bases stay one run more.
  const keep = recordUnchanged ? [...run.bases.keys()] : referenced(run.previous);
  for (const hash of keep) {
    const base = run.bases.get(hash);
    if (base !== undefined && !bases.has(hash)) bases.set(hash, base);
  }
  return bases.size === 0 ? null : serializeBases(bases);
}

function referenced(record: PersonaRecord): string[] {
  return [
    ...Object.values(record.managed.files).filter((f) => f.update !== 'replace' && f.base === undefined).map((f) => f.sha256),
    ...Object.values(record.managed.sections).filter((s) => s.base === undefined).map((s) => s.sha256),
  ];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
