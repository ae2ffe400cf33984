// One section per persona in CLAUDE.md, between <!-- dp:begin id --> and <!-- dp:end id -->: the text
// outside them is the user's, byte for byte. Checked first: damaged markers, and a persona section that
// holds marker lines, are refused before any change.
import { DpError } from '../../errors.js';
import { decide } from '../decide.js';
import { sameContent, toLf } from '../eol.js';
import { CLAUDE_MD, sectionDpNewPath, type DesiredPersona, type Status } from '../model.js';
import { sha256, storedBase } from '../record.js';
import { appendSeparator, blankLineBefore, markerLine, parseSections, removeSection, sectionBody, upsertSection } from '../sections.js';
import { conflictDetail, managedEntry, priorBase, type OutputKind, type Run } from './run.js';

export const claudeSections: OutputKind = (read, personas, run) => {
  const claudeText = read(CLAUDE_MD);
  parseSections(claudeText ?? '', CLAUDE_MD);
  for (const persona of personas) {
    const line = markerLine(persona.section);
    if (line !== null) {
      throw new DpError(`the ${persona.displayName} persona's CLAUDE.md section has a dp marker line (line ${line} of the section)`, 'a section must not contain <!-- dp:begin/end --> lines; remove them from the persona definition');
    }
  }
  return () => {
    applySections(claudeText, personas, run);
    return [];
  };
};

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
    // The blank line dp puts before a section it appends, recorded so that removal takes it back.
    const separator = appendSeparator(text);
    const decision = decide(current, priorBase(run, prior, current), persona.section, label);
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
    const appended = current === null && sectionBody(text, persona.id, CLAUDE_MD) !== null;
    // Only a section dp appended added a newline to a last line without one (a deleted one it did not restore added nothing).
    const addedNewline = (prior?.addedNewline ?? false) || (appended && separator.finalNewline);
    // A section dp has no record of is one a run cut short wrote (before its record): the one blank line
    // before it is taken as the one dp put there.
    const addedBlankLine = appended ? separator.blankLine : current !== null && (prior ? prior.addedBlankLine ?? false : blankLineBefore(text, persona.id, CLAUDE_MD));
    record.managed.sections[persona.id] = {
      ...managedEntry(run, persona.id, persona.section),
      file: CLAUDE_MD,
      ...(addedNewline ? { addedNewline } : {}),
      ...(addedBlankLine ? { addedBlankLine } : {}),
    };
  }
  for (const [id, prior] of Object.entries(previous.managed.sections)) {
    if (id in record.managed.sections) continue;
    const current = sectionBody(text, id, CLAUDE_MD);
    if (current === null) continue;
    const base = storedBase(prior, run.bases);
    const edited = base !== null ? !sameContent(current, base) : sha256(toLf(current)) !== prior.sha256;
    text = removeSection(text, id, CLAUDE_MD, { keepBody: edited, dropAddedNewline: prior.addedNewline ?? false, dropBlankLine: prior.addedBlankLine ?? false });
    note(edited ? 'kept-edited' : 'removed', edited ? `section ${id}: you edited it, so its text stays without the markers` : `section ${id} taken out`);
  }

  if (text !== (claudeText ?? '')) {
    // A CLAUDE.md left empty by removing the last section held nothing of the user's.
    changes.push({ path: CLAUDE_MD, content: text === '' ? null : text });
  }
  if (status !== null) outcomes.push({ path: CLAUDE_MD, status, ...(details.length ? { detail: details.join('; ') } : {}) });
  else if (claudeText !== null && personas.length > 0) outcomes.push({ path: CLAUDE_MD, status: 'unchanged' });
}
