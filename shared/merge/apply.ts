// The merge-aware writer as one pure function: given what is on disk (a reader), what dp recorded last
// time, and the personas that should be active, it returns the writes to make and a report per path.
// Nothing is written here. Each output kind (outputs/) reads and checks what it needs before any kind
// plans a change, so a refusal leaves the repository untouched; the record, built from them all, comes last.
import type { ApplyOptions, ApplyResult, Change, DesiredPersona, Outcome, Reader } from './model.js';
import { RECORD_PATH, emptyRecord, parseRecord, serializeRecord } from './record.js';
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
  const run: Run = { previous, record, options, label, changes, outcomes };
  const steps = OUTPUT_KINDS.map((kind) => kind(read, personas, run));
  const notes = steps.flatMap((plan) => plan());

  record.active = personas.map((p) => ({ id: p.id, displayName: p.displayName, ...(p.level ? { level: p.level } : {}), ...(p.custom ? { custom: true } : {}) }));
  record.configuration = {
    permissions: {
      allow: unique(personas.flatMap((p) => p.permissions.allow)),
      ask: unique(personas.flatMap((p) => p.permissions.ask)),
      deny: unique(personas.flatMap((p) => p.permissions.deny)),
    },
    env: Object.assign({}, ...[...personas].reverse().map((p) => p.env)) as Record<string, string>,
    commands: unique(personas.flatMap((p) => p.commands)),
    tools: unique(personas.flatMap((p) => p.tools)),
  };

  const nothingManaged = personas.length === 0 && Object.keys(record.managed.files).length === 0 && Object.keys(record.managed.sections).length === 0;
  const recordOut = nothingManaged ? null : serializeRecord(record);
  if (recordOut !== recordText) changes.push({ path: RECORD_PATH, content: recordOut });
  return { changes, outcomes, record, notes };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
