// settings.json and the record change together, but are two files. To survive a crash between them,
// the record is written twice around settings.json: first an *intent* (the new record, plus the hash of
// the settings about to be written and the ownership before), then settings.json, then the final
// record. The next run reads the intent: settings.json with that hash means it was written (the new
// ownership holds); any other content means it was not (the ownership before holds).
import type { Reader } from './model.js';
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
 * The intent record written just before settings.json: the final record, plus the hash of the settings
 * text about to be written and the ownership that holds if it never is. `read` sees the repository as the
 * run read it (the record and settings.json before this run).
 */
export function settingsIntent(finalRecord: string, settings: string | null, read: Reader, version: string): string {
  const oldText = read(RECORD_PATH);
  const old = oldText === null ? null : parseRecordData(oldText, version);
  const before = old ? effectiveOwnership(old, read(SETTINGS_PATH)) : null;
  const intent: PersonaRecord = {
    ...parseRecordData(finalRecord, version),
    pendingSettings: { sha256: settings === null ? null : sha256(settings), ownershipBefore: before ?? emptyOwnership() },
  };
  return serializeRecord(intent);
}
