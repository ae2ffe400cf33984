// Marked sections in Markdown instruction files (CLAUDE.md, AGENTS.md, ...), between
// <!-- dp:begin id --> and <!-- dp:end id -->: the text outside them is the user's, byte for byte. The
// sections come from the assistants' plans (run.assistants). Checked first: damaged markers, and a section
// that holds marker lines, are refused before any change.
import { DpError } from '../../errors.js';
import { decide } from '../decide.js';
import { sameContent, toLf } from '../eol.js';
import { sectionDpNewPath, type Reader, type Status } from '../model.js';
import { sectionKey, sha256, storedBase, type ManagedSection } from '../record.js';
import { appendSeparator, blankLineBefore, markerLine, parseSections, removeSection, sectionBody, upsertSection } from '../sections.js';
import { conflictDetail, managedEntry, priorBase, type OutputKind, type Run } from './run.js';

export const markdownSections: OutputKind = (read, _personas, run) => {
  const files = sectionFiles(run);
  const texts = new Map(files.map((file) => [file, read(file)]));
  for (const [file, text] of texts) parseSections(text ?? '', file);
  for (const section of run.assistants.sections) {
    const line = markerLine(section.body);
    if (line !== null) {
      throw new DpError(`${section.owner}'s ${section.file} section has a dp marker line (line ${line} of the section)`, 'a section must not contain <!-- dp:begin/end --> lines; remove them from the persona definition');
    }
  }
  return () => {
    for (const file of files) applySections(file, texts.get(file) ?? null, run);
    return [];
  };
};

/** Every file that has or had a section of dp's, in the order first planned. */
function sectionFiles(run: Run): string[] {
  return [...new Set([...run.assistants.sections.map((s) => s.file), ...Object.values(run.previous.managed.sections).map((s) => s.file)])];
}

function previousIn(run: Run, file: string): Array<[string, ManagedSection]> {
  return Object.entries(run.previous.managed.sections).filter(([, s]) => s.file === file);
}

function applySections(file: string, fileText: string | null, run: Run): void {
  const { record, options, label, changes, outcomes } = run;
  const planned = run.assistants.sections.filter((s) => s.file === file);
  const prior = new Map(previousIn(run, file).map(([, s]) => [s.persona, s]));
  let text = fileText ?? '';
  const details: string[] = [];
  let status: Status | null = null;
  const note = (s: Status, detail?: string) => {
    if (s === 'unchanged') return;
    status = status === null || s === 'conflict' ? s : status;
    if (detail) details.push(detail);
  };

  const kept = new Set(planned.map((s) => s.id));
  // Sections no longer planned go first, last first: a section that is last when its turn comes takes back
  // the final newline it added, before a new section is appended after it.
  const spans = parseSections(text, file);
  const position = (id: string) => spans.find((s) => s.id === id)?.start ?? -1;
  const leaving = [...prior].filter(([id]) => !kept.has(id)).sort(([a], [b]) => position(b) - position(a));
  // The final newline dp added to the user's last line, recorded on a section that leaves without taking it
  // back (gone already, after a run cut short; or not last): it passes to the section that ends the file.
  let newlineOwed = false;
  for (const [id, before] of leaving) {
    const current = sectionBody(text, id, file);
    const last = parseSections(text, file).at(-1);
    if (before.addedNewline && (current === null || last?.id !== id || last.end !== text.length)) newlineOwed = true;
    if (current === null) continue;
    const base = storedBase(before, run.bases);
    const edited = base !== null ? !sameContent(current, base) : sha256(toLf(current)) !== before.sha256;
    text = removeSection(text, id, file, { keepBody: edited, dropAddedNewline: before.addedNewline ?? false, dropBlankLine: before.addedBlankLine ?? false });
    note(edited ? 'kept-edited' : 'removed', edited ? `section ${id}: you edited it, so its text stays without the markers` : `section ${id} taken out`);
  }

  // Section conflicts never prompt: one file holds every persona's section, and declining the whole
  // file would drop the others' updates too. `ask` resolves them like `keep`.
  const markers = options.onConflict === 'markers';
  for (const section of planned) {
    const { id, body } = section;
    const before = prior.get(id);
    const current = sectionBody(text, id, file);
    // The blank line dp puts before a section it appends, recorded so that removal takes it back.
    const separator = appendSeparator(text);
    const decision = decide(current, priorBase(run, before, current), body, label);
    switch (decision.action) {
      case 'create':
      case 'upgrade':
        text = upsertSection(text, id, body, file);
        note(decision.action === 'create' && fileText === null ? 'created' : 'updated');
        break;
      case 'merge':
        text = upsertSection(text, id, decision.text, file);
        note('merged', `section ${id}: your edits and the new version merged`);
        break;
      case 'keep':
        note('kept', `section ${id}: your edits kept`);
        break;
      case 'conflict': {
        const dpNew = sectionDpNewPath(file, id);
        changes.push({ path: dpNew, content: body });
        if (markers) text = upsertSection(text, id, decision.markers, file);
        note('conflict', `section ${id}: ${conflictDetail(decision.reason, dpNew, markers ? 'markers' : 'keep')}`);
        break;
      }
      case 'deleted':
        if (options.restoreDeleted) {
          text = upsertSection(text, id, body, file);
          note('restored', `section ${id} restored`);
        } else {
          note('deleted', `section ${id}: you deleted it; dp doctor --fix restores it`);
        }
        break;
      case 'unchanged':
        break;
    }
    const appended = current === null && sectionBody(text, id, file) !== null;
    // Only a section dp appended added a newline to a last line without one (a deleted one it did not restore added nothing).
    const addedNewline = (before?.addedNewline ?? false) || (appended && separator.finalNewline);
    // A section dp has no record of is one a run cut short wrote (before its record): the one blank line
    // before it is taken as the one dp put there.
    const addedBlankLine = appended ? separator.blankLine : current !== null && (before ? before.addedBlankLine ?? false : blankLineBefore(text, id, file));
    record.managed.sections[sectionKey(file, id)] = {
      ...managedEntry(run, id, body),
      file,
      ...(addedNewline ? { addedNewline } : {}),
      ...(addedBlankLine ? { addedBlankLine } : {}),
      ...(section.fileWasDps ? { fileWasDps: true } : {}),
    };
  }
  const last = parseSections(text, file).at(-1);
  const endingKey = last && last.end === text.length ? sectionKey(file, last.id) : undefined;
  const ending = endingKey === undefined ? undefined : record.managed.sections[endingKey];
  if (newlineOwed && ending && !ending.addedNewline) {
    // In the record's own key order, as an entry that added the newline itself is written.
    const { addedBlankLine, fileWasDps, ...entry } = ending;
    record.managed.sections[endingKey!] = { ...entry, addedNewline: true, ...(addedBlankLine ? { addedBlankLine } : {}), ...(fileWasDps ? { fileWasDps } : {}) };
  }

  if (text !== (fileText ?? '')) {
    // A file left empty by removing the last section held nothing of the user's.
    changes.push({ path: file, content: text === '' ? null : text });
  }
  if (status !== null) outcomes.push({ path: file, status, ...(details.length ? { detail: details.join('; ') } : {}) });
  else if (fileText !== null && planned.length > 0) outcomes.push({ path: file, status: 'unchanged' });
}

/** The text a run leaves in a file of sections (for size limits): the planned write, else the disk. */
export function finalText(run: Run, read: Reader, file: string): string | null {
  const change = [...run.changes].reverse().find((c) => c.path === file);
  return change ? change.content : read(file);
}
