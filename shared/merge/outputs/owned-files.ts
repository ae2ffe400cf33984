// Files a persona owns (its commands, tools, ADR templates): each decided on its own against the disk and
// its pristine copy in the record (decide.ts); files no active persona produces any more are taken back
// unless the user edited them.
import { decide } from '../decide.js';
import { sameContent } from '../eol.js';
import { dpNewPath, type Change, type DesiredPersona, type Reader } from '../model.js';
import { unpackBase } from '../record.js';
import { conflictDetail, managedEntry, type OutputKind, type Run } from './run.js';

export const ownedFiles: OutputKind = (read, personas, run) => () => {
  applyFiles(read, personas, run);
  return [];
};

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

