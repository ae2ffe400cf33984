// Hooks and the status line in settings.json: merged like permissions (recorded per entry, never
// duplicated, removed exactly, the user's own kept in their order and format), a concurrent writer's
// change kept, the record round-trips what dp owns, and every result is valid against the settings schema.
import { describe, expect, it } from 'vitest';
import { parseRecordData, serializeRecord, emptyRecord } from '../../shared/merge/record.js';
import { editSettingsText, mergeSettingsThreeWay } from '../../shared/merge/settings-edit.js';
import { parseSettings } from '../../shared/merge/settings-file.js';
import { emptyOwnership, mergeSettings, type SettingsContribution, type SettingsOwnership } from '../../shared/merge/settings-merge.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';

const FILE = '.claude/settings.json';
const GUARD = 'node "$CLAUDE_PROJECT_DIR"/.claude/hooks/kill-guard.mjs';
const STATUS = 'node "$CLAUDE_PROJECT_DIR"/.claude/hooks/gpu-status.mjs';
const ds: SettingsContribution = {
  persona: 'data-scientist',
  permissions: { allow: [], ask: [], deny: [] },
  env: {},
  hooks: [{ event: 'PreToolUse', matcher: 'Bash', command: GUARD, timeout: 10 }],
  statusLine: STATUS,
};
const dpGroup = { matcher: 'Bash', hooks: [{ type: 'command', command: GUARD, timeout: 10 }] };
const userGroup = { matcher: 'Edit|Write', hooks: [{ type: 'command', command: 'npx prettier --write', timeout: 30 }] };

/** One dp run on a settings text: the text it leaves and what it records. */
function run(text: string, contributions: SettingsContribution[], ownership: SettingsOwnership) {
  const merged = mergeSettings(parseSettings(text, FILE), contributions, ownership);
  const out = editSettingsText(text, merged.settings);
  if (hasShared) expect(settingsSchemaErrors(JSON.parse(out))).toEqual([]);
  return { text: out, ownership: merged.ownership, notes: merged.notes };
}

const userFile = `{\n    "hooks": {\n        "PostToolUse": [${JSON.stringify(userGroup)}],\n        "PreToolUse": [\n            {"matcher": "Read", "hooks": [{"type": "command", "command": "audit.sh"}]}\n        ]\n    },\n    "model": "opus"\n}\n`;

describe('hooks in settings.json', () => {
  it("appends dp's group after the user's, in the file's style; a re-run writes nothing; removal gives back the bytes", () => {
    const added = run(userFile, [ds], emptyOwnership());
    const hooks = JSON.parse(added.text).hooks;
    expect(hooks.PreToolUse).toEqual([{ matcher: 'Read', hooks: [{ type: 'command', command: 'audit.sh' }] }, dpGroup]);
    expect(hooks.PostToolUse).toEqual([userGroup]);
    expect(added.text).toContain(`\n            {\n                "matcher": "Bash",\n                "hooks": [`);
    expect(added.ownership.hooks).toEqual([{ event: 'PreToolUse', entry: dpGroup, personas: ['data-scientist'] }]);

    const again = run(added.text, [ds], added.ownership);
    expect(again.text).toBe(added.text);
    expect(again.ownership).toEqual(added.ownership);

    const removed = run(added.text, [], again.ownership);
    expect(removed.text).toBe(userFile);
    expect(removed.ownership.hooks).toBeUndefined();
  });

  it('creates hooks and the event list in a file without them, and takes both away again', () => {
    const original = '{\n  "model": "opus"\n}\n';
    const added = run(original, [ds], emptyOwnership());
    expect(JSON.parse(added.text).hooks).toEqual({ PreToolUse: [dpGroup] });
    expect(added.ownership.created).toEqual(['hooks', 'hooks.PreToolUse']);
    expect(added.text.indexOf('"hooks"')).toBeLessThan(added.text.indexOf('"statusLine"'));
    expect(run(added.text, [], added.ownership).text).toBe(original);
  });

  it("does not claim an identical hook the user already has, and leaves it on removal", () => {
    const original = JSON.stringify({ hooks: { PreToolUse: [dpGroup] } }, null, 2) + '\n';
    const added = run(original, [ds], emptyOwnership());
    expect(JSON.parse(added.text).hooks.PreToolUse).toEqual([dpGroup]);
    expect(added.ownership.hooks).toBeUndefined();
    expect(run(added.text, [], added.ownership).text).toBe(original);
  });

  it("does not add back a hook the user deleted, and says so", () => {
    const added = run('{}\n', [ds], emptyOwnership());
    const deleted = JSON.stringify({ ...JSON.parse(added.text), hooks: { PreToolUse: [] } }, null, 2) + '\n';
    const again = run(deleted, [ds], added.ownership);
    // The list and the hooks object were dp's: left empty, they go too.
    expect(JSON.parse(again.text).hooks).toBeUndefined();
    expect(again.notes).toContain(`hook PreToolUse(Bash) ${GUARD}: you removed it, so dp does not add it back`);
    expect(again.ownership.declined.hooks).toEqual([{ event: 'PreToolUse', entry: dpGroup }]);
    // Still declined on the next run; once no persona wants it, forgotten.
    expect(run(again.text, [ds], again.ownership).ownership.declined.hooks).toEqual([{ event: 'PreToolUse', entry: dpGroup }]);
    expect(run(again.text, [], again.ownership).ownership.declined.hooks).toBeUndefined();
  });

  it('an upgraded hook replaces the one dp wrote; one the user edited keeps their values and leaves with its persona', () => {
    const guard = { ...ds, statusLine: undefined };
    const added = run('{}\n', [guard], emptyOwnership());
    const newer = { ...guard, hooks: [{ event: 'PreToolUse', matcher: 'Bash', command: GUARD, timeout: 20 }] };
    const upgraded = run(added.text, [newer], added.ownership);
    expect(JSON.parse(upgraded.text).hooks.PreToolUse).toEqual([{ ...dpGroup, hooks: [{ ...dpGroup.hooks[0], timeout: 20 }] }]);
    const edited = upgraded.text.replace('"timeout": 20', '"timeout": 45');
    const kept = run(edited, [newer], upgraded.ownership);
    expect(kept.text).toBe(edited);
    expect(kept.notes).toEqual([]);
    // Removed with its persona (its script goes too): a hook left behind would fail on every Bash call.
    expect(run(kept.text, [], kept.ownership).text).toBe('{}\n');
  });

  it("a hook the user added to dp's group keeps dp's hook there on re-runs, and alone stays on removal", () => {
    const guard = { ...ds, statusLine: undefined };
    const added = run(userFile, [guard], emptyOwnership());
    const settings = JSON.parse(added.text);
    settings.hooks.PreToolUse[1].hooks.push({ type: 'command', command: 'echo mine' });
    const edited = `${JSON.stringify(settings, null, 4)}\n`;
    const again = run(edited, [guard], added.ownership);
    expect(again.text).toBe(edited);
    expect(again.notes).toEqual([]);
    expect(again.ownership.hooks).toEqual(added.ownership.hooks);
    const removed = run(again.text, [], again.ownership);
    expect(JSON.parse(removed.text).hooks.PreToolUse).toEqual([
      { matcher: 'Read', hooks: [{ type: 'command', command: 'audit.sh' }] },
      { matcher: 'Bash', hooks: [{ type: 'command', command: 'echo mine' }] },
    ]);
    expect(removed.text).not.toContain('kill-guard');
    expect(removed.notes).toEqual([`hook PreToolUse(Bash) ${GUARD}: taken out of the hook group you edited; your hooks in it stay`]);
    expect(removed.ownership.hooks).toBeUndefined();
  });

  it('two personas wanting the same hook write it once, owned by both', () => {
    const other = { ...ds, persona: 'other', statusLine: undefined };
    const added = run('{}\n', [ds, other], emptyOwnership());
    expect(JSON.parse(added.text).hooks.PreToolUse).toEqual([dpGroup]);
    expect(added.ownership.hooks![0]!.personas).toEqual(['data-scientist', 'other']);
    const one = run(added.text, [other], added.ownership);
    expect(JSON.parse(one.text).hooks.PreToolUse).toEqual([dpGroup]);
  });

  it('a concurrent writer that added a hook meanwhile keeps it beside dp\'s', () => {
    const base = '{\n  "model": "opus"\n}\n';
    const ours = run(base, [ds], emptyOwnership()).text;
    const theirs = JSON.stringify({ model: 'opus', hooks: { PostToolUse: [userGroup], PreToolUse: [{ hooks: [{ type: 'command', command: 'log.sh' }] }] } }, null, 2) + '\n';
    const merged = JSON.parse(mergeSettingsThreeWay(base, ours, theirs));
    expect(merged.hooks).toEqual({ PostToolUse: [userGroup], PreToolUse: [{ hooks: [{ type: 'command', command: 'log.sh' }] }, dpGroup] });
    expect(merged.statusLine).toEqual({ type: 'command', command: STATUS, refreshInterval: 5 });
    // dp removing its hook while the writer added one to the same list: only dp's goes.
    const removal = JSON.parse(mergeSettingsThreeWay(ours, base, JSON.stringify({ ...JSON.parse(ours), hooks: { PreToolUse: [dpGroup, userGroup] } })));
    expect(removal.hooks).toEqual({ PreToolUse: [userGroup] });
    expect(removal.statusLine).toBeUndefined();
  });

  it("dp taking its hook out beside the user's identical copy while another program writes: the user's copy stays", () => {
    const guard = { ...ds, statusLine: undefined };
    const added = run('{}\n', [guard], emptyOwnership());
    const withCopy = JSON.parse(added.text);
    withCopy.hooks.PreToolUse.push(dpGroup);
    const base = `${JSON.stringify(withCopy, null, 2)}\n`;
    const ours = run(base, [], added.ownership).text;
    expect(JSON.parse(ours).hooks.PreToolUse).toEqual([dpGroup]);
    const theirs = `${JSON.stringify({ ...withCopy, permissions: { allow: ['Bash(make test)'] } }, null, 2)}\n`;
    const merged = JSON.parse(mergeSettingsThreeWay(base, ours, theirs));
    expect(merged.hooks).toEqual({ PreToolUse: [dpGroup] });
    expect(merged.permissions).toEqual({ allow: ['Bash(make test)'] });
  });

  it('a concurrent writer that set its own status line meanwhile wins', () => {
    const base = '{}\n';
    const ours = run(base, [ds], emptyOwnership()).text;
    const theirs = JSON.stringify({ statusLine: { type: 'command', command: 'mine.sh' } });
    expect(JSON.parse(mergeSettingsThreeWay(base, ours, theirs)).statusLine).toEqual({ type: 'command', command: 'mine.sh' });
  });

  it('refuses a hooks value dp cannot add to, saying where', () => {
    expect(() => parseSettings('{"hooks": {"PreToolUse": {"matcher": "Bash"}}}', FILE)).toThrow(/hooks\.PreToolUse: must be a list of matcher groups/);
  });
});

describe('the status line', () => {
  const statusLine = { type: 'command', command: STATUS, refreshInterval: 5 };

  it('is set where there is none, kept on re-run, taken back on removal', () => {
    const added = run('{\n  "model": "opus"\n}\n', [ds], emptyOwnership());
    expect(JSON.parse(added.text).statusLine).toEqual(statusLine);
    expect(run(added.text, [ds], added.ownership).text).toBe(added.text);
    expect(run(added.text, [], added.ownership).text).toBe('{\n  "model": "opus"\n}\n');
  });

  it("never replaces the user's own, and says in one line how to switch", () => {
    const original = '{"statusLine": {"type": "command", "command": "~/.claude/statusline.sh"}}';
    const added = run(original, [{ ...ds, hooks: [] }], emptyOwnership());
    expect(added.text).toBe(original);
    expect(added.ownership.statusLine).toBeUndefined();
    expect(added.notes).toEqual([`statusLine: you have your own, so dp kept it; to show the GPU status line instead, set "statusLine" in .claude/settings.json to ${JSON.stringify(statusLine)}`]);
  });

  it('one the user changed after dp wrote it is theirs: removal leaves it', () => {
    const added = run('{}\n', [{ ...ds, hooks: [] }], emptyOwnership());
    const changed = added.text.replace('"refreshInterval": 5', '"refreshInterval": 2');
    const removed = run(changed, [], added.ownership);
    expect(removed.text).toBe(changed);
    expect(removed.notes).toEqual(['statusLine: you changed it; it is yours now']);
  });

  it('one the user deleted is not set again', () => {
    const added = run('{}\n', [ds], emptyOwnership());
    const again = run('{"hooks": ' + JSON.stringify(JSON.parse(added.text).hooks) + '}', [ds], added.ownership);
    expect(JSON.parse(again.text).statusLine).toBeUndefined();
    expect(again.ownership.declined.statusLine).toBe(true);
  });
});

describe('the record', () => {
  it('writes hook groups one per line and reads them back', () => {
    const added = run('{}\n', [ds], emptyOwnership());
    const record = { ...emptyRecord('1.0.0'), managed: { settings: added.ownership, sections: {}, files: {} } };
    const text = serializeRecord(record);
    expect(text).toContain(`      ${JSON.stringify({ event: 'PreToolUse', entry: dpGroup, personas: ['data-scientist'] })}\n`);
    expect(parseRecordData(text, '1.0.0').managed.settings).toEqual(added.ownership);
  });

  it('refuses a hook entry that is not one dp writes', () => {
    const record = serializeRecord(emptyRecord('1.0.0')).replace('"declined"', '"hooks": [{"event": "PreToolUse", "entry": {"hooks": [{"type": "http"}]}, "personas": []}],\n    "declined"');
    expect(() => parseRecordData(record, '1.0.0')).toThrow(/managed\.settings\.hooks\[0\]\.entry\.hooks\[0\]\.type: expected "command"/);
  });
});
