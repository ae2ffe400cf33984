// settings.json and the record change together, but are two files. To survive a crash between them,
// the record is written twice around settings.json: first an *intent* (the new record, plus the hash of
// the settings about to be written and the ownership before), then settings.json, then the final
// record. The next run reads the intent: settings.json with that hash means it was written (the new
// ownership holds); any other content means it was not (the ownership before holds).
import type { Reader } from './apply.js';
import { SETTINGS_PATH } from './settings-file.js';
import { RECORD_PATH, parseRecordData, serializeRecord, sha256, type PersonaRecord } from './record.js';
import { emptyOwnership, type SettingsOwnership } from './settings-merge.js';

/** The settings ownership that holds for what is on disk now. */
export function effectiveOwnership(record: PersonaRecord, settingsText: string | null): SettingsOwnership {
  const pending = record.pendingSettings;
  if (!pending) return record.managed.settings;
  const current = settingsText === null ? null : sha256(settingsText);
  return current === pending.sha256 ? record.managed.settings : pending.ownershipBefore;
}

/**
 * Insert the intent record before a settings.json write that comes with a record write. `read` sees the
 * repository as it is before these changes (for the ownership that holds now).
 */
export function withSettingsIntent<T extends { path: string; content: string | Buffer | null }>(changes: T[], read: Reader, version: string): Array<T | { path: string; content: string }> {
  const settingsIndex = changes.findIndex((c) => c.path === SETTINGS_PATH);
  const finalRecord = changes.find((c) => c.path === RECORD_PATH);
  if (settingsIndex < 0 || !finalRecord || finalRecord.content === null) return changes;
  const oldText = read(RECORD_PATH);
  const old = oldText === null ? null : parseRecordData(oldText, version);
  const before = old ? effectiveOwnership(old, read(SETTINGS_PATH)) : null;
  const next = parseRecordData(finalRecord.content.toString(), version);
  const settings = changes[settingsIndex]!.content;
  const intent: PersonaRecord = {
    ...next,
    pendingSettings: {
      sha256: settings === null ? null : sha256(settings.toString()),
      ownershipBefore: before ?? emptyOwnership(),
    },
  };
  return [...changes.slice(0, settingsIndex), { path: RECORD_PATH, content: serializeRecord(intent) }, ...changes.slice(settingsIndex)];
}
