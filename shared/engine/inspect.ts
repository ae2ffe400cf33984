// What dp wrote (the record) against what is on disk, file by file and section by section: the facts
// `dp status` and `dp doctor` report. Line endings do not count as changes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DpError } from '../errors.js';
import { dpNewPath, sectionDpNewPath } from '../merge/model.js';
import { diskReader } from '../commit/read.js';
import { toLf } from '../merge/eol.js';
import { sha256, type PersonaRecord } from '../merge/record.js';
import { parseSections } from '../merge/sections.js';

export interface ManagedState {
  /** A file path, or `<file> (section <persona>)`. */
  label: string;
  persona: string;
  kind: 'file' | 'section';
  /** The file's path relative to the repository (CLAUDE.md, AGENTS.md, ... for a section). */
  path: string;
  state: 'missing' | 'changed' | 'as-written';
  /** The new version of a conflict waiting beside it, if any. */
  dpNew: string | null;
  /** What is on disk (null when missing). */
  text: string | null;
  executable: boolean;
}

export interface Inspection {
  items: ManagedState[];
  /** Damaged markers: that file's sections could not be inspected. */
  problem: string | null;
}

export function inspectRecord(root: string, record: PersonaRecord): Inspection {
  const read = diskReader(root);
  const waiting = (path: string) => (existsSync(join(root, path)) ? path : null);
  const state = (text: string | null, hash: string) => (text === null ? 'missing' : sha256(toLf(text)) === hash ? 'as-written' : 'changed');
  const items: ManagedState[] = Object.entries(record.managed.files).map(([path, entry]) => {
    const text = read(path);
    return { label: path, persona: entry.persona, kind: 'file', path, state: state(text, entry.sha256), dpNew: waiting(dpNewPath(path)), text, executable: entry.executable };
  });
  // Sections, file by file: damaged markers in one file are reported and its sections left uninspected.
  const problems: string[] = [];
  const files = [...new Set(Object.values(record.managed.sections).map((s) => s.file))];
  for (const file of files) {
    const content = read(file) ?? '';
    let spans;
    try {
      spans = parseSections(content, file);
    } catch (error) {
      if (!(error instanceof DpError)) throw error;
      problems.push(error.message);
      continue;
    }
    for (const entry of Object.values(record.managed.sections).filter((s) => s.file === file)) {
      const id = entry.persona;
      const span = spans.find((s) => s.id === id);
      const text = span ? content.slice(span.bodyStart, span.bodyEnd) : null;
      items.push({ label: `${file} (section ${id})`, persona: id, kind: 'section', path: file, state: state(text, entry.sha256), dpNew: waiting(sectionDpNewPath(file, id)), text, executable: false });
    }
  }
  return { items, problem: problems.length ? problems.join('; ') : null };
}
