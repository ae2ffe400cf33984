// The merge-aware writer as one pure function: given what is on disk (a reader), what dp recorded last
// time, and the personas that should be active, it returns the writes to make and a report per path.
// Nothing is written here. Each output kind (outputs/) reads and checks what it needs before any kind
// plans a change, so a refusal leaves the repository untouched; the record, built from them all, comes last.
import { forClaudeCode, planAssistants } from '../assistants/plan.js';
import { DEFAULT_ASSISTANTS } from '../assistants/registry.js';
import type { ApplyOptions, ApplyResult, Change, DesiredPersona, Outcome, Reader } from './model.js';
import { BASES_PATH, RECORD_PATH, emptyRecord, parseBases, parseRecord, serializeBases, serializeRecord, type PersonaRecord } from './record.js';
import { finalText, markdownSections } from './outputs/markdown-sections.js';
import { jsonLists } from './outputs/json-lists.js';
import { ownedFiles } from './outputs/owned-files.js';
import type { OutputKind, Run } from './outputs/run.js';
import { settingsEntries } from './outputs/settings-entries.js';

/** What a persona writes, by kind. A new kind of output is one module here. */
const OUTPUT_KINDS: OutputKind[] = [ownedFiles, markdownSections, settingsEntries, jsonLists];

/**
 * `planned`: the personas as planned for Claude Code; every targeted assistant (options.assistants, Claude
 * Code alone by default) maps them onto its files.
 */
export function applyPersonas(read: Reader, planned: DesiredPersona[], options: ApplyOptions): ApplyResult {
  const recordText = read(RECORD_PATH);
  const previous = parseRecord(recordText, options.version) ?? emptyRecord(options.version);
  const targets = options.assistants ?? DEFAULT_ASSISTANTS;
  const assistants = planAssistants(read, planned, targets, previous);
  const personas = planned.map((p) => forClaudeCode(p, assistants.targets));
  const label = `generator-dp ${options.version}`;
  const changes: Change[] = [];
  const outcomes: Outcome[] = [];
  const record = emptyRecord(options.version);

  // Every kind reads and checks first: a refusal must come before any change is planned.
  const basesText = read(BASES_PATH);
  const run: Run = { previous, record, options, label, changes, outcomes, bases: parseBases(basesText), newBases: new Map(), assistants };
  const steps = OUTPUT_KINDS.map((kind) => kind(read, personas, run));
  const notes = [...steps.flatMap((plan) => plan()), ...newlyInexpressible(run), ...overLimits(run, read)];

  if (!sameList(assistants.targets, DEFAULT_ASSISTANTS)) record.assistants = assistants.targets;
  record.active = personas.map((p) => ({ id: p.id, displayName: p.displayName, ...(p.level ? { level: p.level } : {}), ...(p.custom ? { custom: true } : {}), ...(p.statusLine !== undefined ? { statusLine: true } : {}) }));
  record.configuration = {
    env: Object.assign({}, ...[...personas].reverse().map((p) => p.env)) as Record<string, string>,
    commands: unique(personas.flatMap((p) => p.commands)),
    tools: unique(personas.flatMap((p) => p.tools)),
  };

  const nothingManaged = personas.length === 0 && Object.keys(record.managed.files).length === 0 && Object.keys(record.managed.sections).length === 0 && Object.keys(record.managed.lists ?? {}).length === 0;
  const recordOut = nothingManaged ? null : serializeRecord(record);
  const basesOut = nextBases(run, recordOut === recordText, recordOut === null, basesText);
  // The bases first: whenever the record on disk is the old one or the new one, its bases are there.
  if (basesOut !== basesText) changes.unshift({ path: BASES_PATH, content: basesOut });
  if (recordOut !== recordText) changes.push({ path: RECORD_PATH, content: recordOut });
  return { changes, outcomes, record, notes, cannotExpress: assistants.cannotExpress.map(inexpressible) };
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

/**
 * What a targeted assistant cannot express of a persona, said once: in the run that adds the persona or
 * the assistant (`dp assistants` lists it any time).
 */
function newlyInexpressible(run: Run): string[] {
  const before = new Set(run.previous.active.map((a) => a.id));
  const assistantsBefore = run.previous.assistants ?? DEFAULT_ASSISTANTS;
  return run.assistants.cannotExpress
    .filter((c) => !before.has(c.persona) || !assistantsBefore.includes(c.assistantId))
    .map(inexpressible);
}

function inexpressible(c: { assistant: string; persona: string; text: string }): string {
  return `${c.assistant}: ${c.persona}: ${c.text}`;
}

/** A file past a size an assistant reads (Codex reads 32 KiB of AGENTS.md): said every run it stays past it. */
function overLimits(run: Run, read: Reader): string[] {
  return run.assistants.limits.flatMap((limit) => {
    const text = finalText(run, read, limit.file);
    const bytes = text === null ? 0 : Buffer.byteLength(text, 'utf8');
    return bytes > limit.bytes ? [`${limit.file} is ${bytes} bytes, over ${limit.bytes}: ${limit.consequence}; keep it shorter or target fewer personas`] : [];
  });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
