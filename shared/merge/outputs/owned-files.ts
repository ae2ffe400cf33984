// Files a persona owns. Text a user customises (commands, ADR templates) is decided against the disk and
// its pristine copy (decide.ts: upgraded, kept, merged line by line, or a conflict). A bundled tool is
// kept or replaced by hash, never merged: untouched (the recorded hash) it is replaced, edited it stays
// and the new version is written beside it as <file>.dp-new. Files no active persona produces any more
// are taken back unless the user edited them (legacy-commands.ts says what replaced a command dp wrote).
import { decide, type Decision } from '../decide.js';
import { dominantEol, sameContent, toLf, withEol } from '../eol.js';
import { dpNewPath, type Change, type DesiredFile, type DesiredPersona, type Reader } from '../model.js';
import { sha256, storedBase, type ManagedFile } from '../record.js';
import { keptEditedDetail, removedDetail } from './legacy-commands.js';
import { conflictDetail, managedEntry, priorBase, type OutputKind, type Run } from './run.js';

export const ownedFiles: OutputKind = (read, personas, run) => () => {
  applyFiles(read, personas, run);
  return [];
};

/** A bundled tool against what dp recorded: by hash only. */
function decideByHash(disk: string | null, prior: ManagedFile | undefined, next: string): Decision {
  if (disk === null) return prior ? { action: 'deleted' } : { action: 'create' };
  if (sameContent(disk, next)) return { action: 'unchanged' };
  if (!prior) return { action: 'conflict', markers: disk, reason: 'not-ours' };
  const mine = toLf(disk);
  // Format 1 records inlined a base; its content, like the recorded hash, is what dp wrote.
  const untouched = sha256(mine) === prior.sha256 || (prior.base !== undefined && storedBase(prior, new Map()) === mine);
  if (untouched) return { action: 'upgrade', text: withEol(next, dominantEol(disk)) };
  if (sha256(toLf(next)) === prior.sha256) return { action: 'keep' };
  return { action: 'conflict', markers: disk, reason: 'both-changed' };
}

function applyFiles(read: Reader, personas: DesiredPersona[], run: Run): void {
  const { previous, record, options, label, changes, outcomes } = run;
  // Claude Code's files (the plan) and every other targeted assistant's.
  const owned = [...personas.flatMap((p) => p.files.map((file) => ({ persona: p.id, file }))), ...run.assistants.files.map((file) => ({ persona: file.persona, file }))];
  for (const { persona: personaId, file } of owned) {
    const prior = previous.managed.files[file.path];
    const disk = read(file.path);
    const byHash = file.update === 'replace';
    const decision = byHash ? decideByHash(disk, prior, file.content) : decide(disk, priorBase(run, prior, disk), file.content, label);
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
        if (byHash) toolConflict(file, decision.reason, run, write);
        else {
          if (options.onConflict !== 'keep') write(decision.markers, { prompt: options.onConflict === 'ask' });
          outcomes.push({ path: file.path, status: 'conflict', detail: conflictDetail(decision.reason, dpNewPath(file.path), options.onConflict) });
        }
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
    record.managed.files[file.path] = byHash
      ? { persona: personaId, sha256: sha256(file.content), executable: file.executable, update: 'replace' }
      : { ...managedEntry(run, personaId, file.content), executable: file.executable };
  }
  // Files dp wrote before that no active persona produces now: removed, unless the user edited them.
  for (const [path, prior] of Object.entries(previous.managed.files)) {
    if (path in record.managed.files) continue;
    const disk = read(path);
    if (disk === null) continue;
    const base = prior.update === 'replace' ? null : storedBase(prior, run.bases);
    if (base !== null ? sameContent(disk, base) : sha256(toLf(disk)) === prior.sha256) {
      changes.push({ path, content: null });
      const detail = removedDetail(path, record);
      outcomes.push({ path, status: 'removed', ...(detail ? { detail } : {}) });
    } else {
      outcomes.push({ path, status: 'kept-edited', detail: keptEditedDetail(path, record) });
    }
  }
}

/**
 * A tool the user edited (or one dp did not write) and a new version of it: theirs stays, the new version
 * waits in <file>.dp-new. A three-way merge of a bundled tool helps no one, so `markers` keeps theirs too;
 * `ask` lets the user choose between the two whole files.
 */
function toolConflict(file: DesiredFile, reason: 'both-changed' | 'not-ours', run: Run, write: (content: string, extra?: Partial<Change>) => void): void {
  const dpNew = dpNewPath(file.path);
  const ask = run.options.onConflict === 'ask';
  if (ask) write(file.content, { prompt: true });
  const why = reason === 'not-ours' ? 'a file dp did not write is in the way' : 'you edited this bundled tool and dp has a new version of it';
  run.outcomes.push({ path: file.path, status: 'conflict', detail: `${why}: ${ask ? 'you chose' : 'yours kept'}, the new version is ${ask ? 'also ' : ''}in ${dpNew}` });
}
