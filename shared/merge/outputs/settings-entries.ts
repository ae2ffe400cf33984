// Entries in .claude/settings.json: the personas' allow/ask/deny rules, env, hooks and status line, merged entry by entry with
// what is there (settings-merge.ts) and written as in-place edits of the user's text (settings-edit.ts).
// Checked first: a file Claude Code would reject is refused before any change.
import { effectiveOwnership } from '../intent.js';
import type { DesiredPersona } from '../model.js';
import { SETTINGS_PATH, parseSettings, serializeSettings, type Settings } from '../settings-file.js';
import { editSettingsText } from '../settings-edit.js';
import { emptyOwnership, mergeSettings, type SettingsContribution } from '../settings-merge.js';
import type { OutputKind, Run } from './run.js';

export const settingsEntries: OutputKind = (read, personas, run) => {
  const settingsText = read(SETTINGS_PATH);
  const settings = settingsText === null ? null : parseSettings(settingsText, SETTINGS_PATH);
  return () => applySettings(settingsText, settings, personas, run);
};

/**
 * settings.json: the personas' rules and env merged entry by entry with what is there (settings-merge.ts),
 * written as in-place edits of the user's text. Returns the notes for the report (entries declined).
 */
function applySettings(settingsText: string | null, settings: Settings | null, personas: DesiredPersona[], run: Run): string[] {
  const { previous, record, changes, outcomes } = run;
  const contributions: SettingsContribution[] = personas.map((p) => ({
    persona: p.id,
    permissions: p.permissions,
    env: p.env,
    hooks: p.hooks,
    ...(p.statusLine !== undefined ? { statusLine: p.statusLine } : {}),
  }));
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
