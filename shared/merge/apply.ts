// The merge-aware writer as one pure function: given what is on disk (a reader), what dp recorded last
// time, and the personas that should be active, it returns the writes to make and a report per path.
// Nothing is written here; every check (markers, settings, record) runs before any write is returned,
// so a refusal leaves the repository untouched. The caller writes `changes` in order: the record last.
import { CLAUDE_MD, dpNewPath, sectionDpNewPath, type ApplyOptions, type ApplyResult, type Change, type ConflictPolicy, type DesiredPersona, type Outcome, type Reader, type Status } from './model.js';
import { decide } from './decide.js';
import { RECORD_PATH, emptyRecord, packBase, parseRecord, serializeRecord, sha256, unpackBase, type PersonaRecord } from './record.js';
import { sameContent } from './eol.js';
import { markerLine, parseSections, removeSection, sectionBody, upsertSection } from './sections.js';
import { DpError } from '../errors.js';
import { effectiveOwnership } from './intent.js';
import { SETTINGS_PATH, parseSettings, serializeSettings, type Settings } from './settings-file.js';
import { editSettingsText } from './settings-edit.js';
import { emptyOwnership, mergeSettings, type SettingsContribution } from './settings-merge.js';

export function applyPersonas(read: Reader, personas: DesiredPersona[], options: ApplyOptions): ApplyResult {
  const recordText = read(RECORD_PATH);
  const previous = parseRecord(recordText, options.version) ?? emptyRecord(options.version);
  const label = `generator-dp ${options.version}`;
  const changes: Change[] = [];
  const outcomes: Outcome[] = [];
  const record = emptyRecord(options.version);

  // Read and check the shared files first: a refusal must come before any change is planned.
  const claudeText = read(CLAUDE_MD);
  parseSections(claudeText ?? '', CLAUDE_MD);
  const settingsText = read(SETTINGS_PATH);
  const settings = settingsText === null ? null : parseSettings(settingsText, SETTINGS_PATH);
  for (const persona of personas) {
    const line = markerLine(persona.section);
    if (line !== null) {
      throw new DpError(`the ${persona.displayName} persona's CLAUDE.md section has a dp marker line (line ${line} of the section)`, 'a section must not contain <!-- dp:begin/end --> lines; remove them from the persona definition');
    }
  }

  const run: Run = { previous, record, options, label, changes, outcomes };
  applyFiles(read, personas, run);
  applySections(claudeText, personas, run);

  const notes = applySettings(settingsText, settings, personas, run);

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

/**
 * settings.json: the personas' rules and env merged entry by entry with what is there (settings-merge.ts),
 * written as in-place edits of the user's text. Returns the notes for the report (entries declined).
 */
function applySettings(settingsText: string | null, settings: Settings | null, personas: DesiredPersona[], run: Run): string[] {
  const { previous, record, changes, outcomes } = run;
  const contributions: SettingsContribution[] = personas.map((p) => ({ persona: p.id, permissions: p.permissions, env: p.env }));
  // A settings.json that is gone is recreated in full: nothing in it was declined.
  const ownership = settings === null ? emptyOwnership() : effectiveOwnership(previous, settingsText);
  const merged = mergeSettings(settings, contributions, ownership);
  const empty = Object.keys(merged.settings).length === 0;
  const createdByDp = settings === null ? !empty : ownership.createdFile === true;
  record.managed.settings = { ...merged.ownership, ...(createdByDp && !empty ? { createdFile: true } : {}) };
  if (settings === null || settingsText === null) {
    if (!empty) {
      changes.push({ path: SETTINGS_PATH, content: serializeSettings(merged.settings) });
      outcomes.push({ path: SETTINGS_PATH, status: 'created' });
    }
  } else if (empty && createdByDp) {
    // dp created it and nothing of anyone's is left in it.
    changes.push({ path: SETTINGS_PATH, content: null });
    outcomes.push({ path: SETTINGS_PATH, status: 'removed' });
  } else {
    // Edited in place: the user's bytes stay; unchanged means the very same text.
    const edited = editSettingsText(settingsText, merged.settings);
    if (edited !== settingsText) changes.push({ path: SETTINGS_PATH, content: edited });
    outcomes.push({ path: SETTINGS_PATH, status: edited !== settingsText ? 'updated' : 'unchanged' });
  }
  return merged.notes;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** The record entry for generated content; an unchanged base is reused, not compressed again (every run records every file). */
function managedEntry(persona: string, content: string, prior: { sha256: string; base: string } | undefined) {
  const hash = sha256(content);
  return { persona, sha256: hash, base: prior?.sha256 === hash ? prior.base : packBase(content) };
}

/** What one run reads (the previous record, the options) and builds (the new record, changes, outcomes). */
interface Run {
  previous: PersonaRecord;
  record: PersonaRecord;
  options: ApplyOptions;
  /** How conflict markers name the new version. */
  label: string;
  changes: Change[];
  outcomes: Outcome[];
}

function applyFiles(read: Reader, personas: DesiredPersona[], run: Run): void {
  const { previous, record, options, label, changes, outcomes } = run;
  for (const persona of personas) {
    for (const file of persona.files) {
      const prior = previous.managed.files[file.path];
      const disk = read(file.path);
      const decision = decide(disk, prior ? unpackBase(prior.base) : null, file.content, label);
      const write = (content: string, extra: Partial<Change> = {}) => changes.push({ path: file.path, content, executable: file.executable, ...extra });
      switch (decision.action) {
        case 'create':
          write(file.content);
          outcomes.push({ path: file.path, status: 'created' });
          break;
        case 'unchanged':
          outcomes.push({ path: file.path, status: 'unchanged' });
          break;
        case 'upgrade':
          write(decision.text);
          outcomes.push({ path: file.path, status: 'updated' });
          break;
        case 'keep':
          outcomes.push({ path: file.path, status: 'kept', detail: 'your edits kept; nothing new from dp' });
          break;
        case 'merge':
          write(decision.text);
          outcomes.push({ path: file.path, status: 'merged', detail: 'your edits and the new version merged' });
          break;
        case 'conflict':
          changes.push({ path: dpNewPath(file.path), content: file.content, executable: false });
          if (options.onConflict !== 'keep') write(decision.markers, { prompt: options.onConflict === 'ask' });
          outcomes.push({ path: file.path, status: 'conflict', detail: conflictDetail(decision.reason, dpNewPath(file.path), options.onConflict) });
          break;
        case 'deleted':
          if (options.restoreDeleted) {
            write(file.content);
            outcomes.push({ path: file.path, status: 'restored' });
          } else {
            outcomes.push({ path: file.path, status: 'deleted', detail: 'you deleted it; dp doctor --fix restores it' });
          }
          break;
      }
      record.managed.files[file.path] = { ...managedEntry(persona.id, file.content, prior), executable: file.executable };
    }
  }
  // Files dp wrote before that no active persona produces now: removed, unless the user edited them.
  for (const [path, prior] of Object.entries(previous.managed.files)) {
    if (path in record.managed.files) continue;
    const disk = read(path);
    if (disk === null) continue;
    if (sameContent(disk, unpackBase(prior.base))) {
      changes.push({ path, content: null });
      outcomes.push({ path, status: 'removed' });
    } else {
      outcomes.push({ path, status: 'kept-edited', detail: 'you edited it, so it stays (it is yours now)' });
    }
  }
}

function conflictDetail(reason: 'both-changed' | 'not-ours', dpNew: string, policy: ConflictPolicy): string {
  const why = reason === 'not-ours' ? 'a file dp did not write is in the way' : 'your edits and the new version change the same lines';
  const what =
    policy === 'keep' ? `yours kept, the new version is in ${dpNew}` : policy === 'markers' ? `conflict markers written, the new version is also in ${dpNew}` : `you chose; the new version is also in ${dpNew}`;
  return `${why}: ${what}`;
}

function applySections(claudeText: string | null, personas: DesiredPersona[], run: Run): void {
  const { previous, record, options, label, changes, outcomes } = run;
  let text = claudeText ?? '';
  const details: string[] = [];
  let status: Status | null = null;
  const note = (s: Status, detail?: string) => {
    if (s === 'unchanged') return;
    status = status === null || s === 'conflict' ? s : status;
    if (detail) details.push(detail);
  };

  // Section conflicts never prompt: one CLAUDE.md holds every persona's section, and declining the
  // whole file would drop the others' updates too. `ask` resolves them like `keep`.
  const markers = options.onConflict === 'markers';
  for (const persona of personas) {
    const prior = previous.managed.sections[persona.id];
    const current = sectionBody(text, persona.id, CLAUDE_MD);
    const appendsNewline = current === null && text !== '' && !text.endsWith('\n');
    const decision = decide(current, prior ? unpackBase(prior.base) : null, persona.section, label);
    switch (decision.action) {
      case 'create':
      case 'upgrade':
        text = upsertSection(text, persona.id, persona.section, CLAUDE_MD);
        note(decision.action === 'create' && claudeText === null ? 'created' : 'updated');
        break;
      case 'merge':
        text = upsertSection(text, persona.id, decision.text, CLAUDE_MD);
        note('merged', `section ${persona.id}: your edits and the new version merged`);
        break;
      case 'keep':
        note('kept', `section ${persona.id}: your edits kept`);
        break;
      case 'conflict': {
        const dpNew = sectionDpNewPath(persona.id);
        changes.push({ path: dpNew, content: persona.section });
        if (markers) text = upsertSection(text, persona.id, decision.markers, CLAUDE_MD);
        note('conflict', `section ${persona.id}: ${conflictDetail(decision.reason, dpNew, markers ? 'markers' : 'keep')}`);
        break;
      }
      case 'deleted':
        if (options.restoreDeleted) {
          text = upsertSection(text, persona.id, persona.section, CLAUDE_MD);
          note('restored', `section ${persona.id} restored`);
        } else {
          note('deleted', `section ${persona.id}: you deleted it; dp doctor --fix restores it`);
        }
        break;
      case 'unchanged':
        break;
    }
    const addedNewline = (prior?.addedNewline ?? false) || appendsNewline;
    record.managed.sections[persona.id] = { ...managedEntry(persona.id, persona.section, prior), file: CLAUDE_MD, ...(addedNewline ? { addedNewline } : {}) };
  }
  for (const [id, prior] of Object.entries(previous.managed.sections)) {
    if (id in record.managed.sections) continue;
    const current = sectionBody(text, id, CLAUDE_MD);
    if (current === null) continue;
    const edited = !sameContent(current, unpackBase(prior.base));
    text = removeSection(text, id, CLAUDE_MD, { keepBody: edited, dropAddedNewline: prior.addedNewline ?? false });
    note(edited ? 'kept-edited' : 'removed', edited ? `section ${id}: you edited it, so its text stays without the markers` : `section ${id} taken out`);
  }

  if (text !== (claudeText ?? '')) {
    // A CLAUDE.md left empty by removing the last section held nothing of the user's.
    changes.push({ path: CLAUDE_MD, content: text === '' ? null : text });
  }
  if (status !== null) outcomes.push({ path: CLAUDE_MD, status, ...(details.length ? { detail: details.join('; ') } : {}) });
  else if (claudeText !== null && personas.length > 0) outcomes.push({ path: CLAUDE_MD, status: 'unchanged' });
}
