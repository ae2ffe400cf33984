// dp takes its hook group out of settings.json on disk while the user keeps an identical copy and
// another program writes the file meanwhile (commit/commit.ts re-merges through merge/concurrent.ts):
// exactly dp's copy leaves, the user's copy and the other program's write stay.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPersonas } from '../../shared/merge/apply.js';
import type { DesiredPersona } from '../../shared/merge/model.js';
import { SETTINGS_PATH } from '../../shared/merge/settings-file.js';
import { commitChanges } from '../../shared/commit/commit.js';
import { diskReader, type Snapshot } from '../../shared/commit/read.js';

const GUARD = 'node hooks/guard.mjs';
const guardGroup = { matcher: 'Bash', hooks: [{ type: 'command', command: GUARD, timeout: 10 }] };
const persona: DesiredPersona = {
  id: 'alpha',
  displayName: 'Alpha',
  files: [],
  section: '## Alpha\n',
  permissions: { allow: ['Bash(make test)'], ask: [], deny: ['Read(./.env)'] },
  env: {},
  hooks: [{ event: 'PreToolUse', matcher: 'Bash', command: GUARD, timeout: 10 }],
  workflows: [],
  agents: [],
  commands: [],
  tools: [],
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dp-identical-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const settings = () => JSON.parse(readFileSync(join(dir, SETTINGS_PATH), 'utf8'));
const writeSettings = (value: unknown) => writeFileSync(join(dir, SETTINGS_PATH), `${JSON.stringify(value, null, 2)}\n`);

/** One dp run on disk; `meanwhile` is what another program does between dp's read and its write. */
function dp(personas: DesiredPersona[], meanwhile: () => void = () => {}): void {
  const snapshot: Snapshot = new Map();
  const result = applyPersonas(diskReader(dir, snapshot), personas, { version: '1.0.0', onConflict: 'keep', assistants: ['claude'] });
  meanwhile();
  commitChanges(dir, result.changes, snapshot, '1.0.0');
}

describe("dp's copy beside the user's identical one, with another program writing settings.json meanwhile", () => {
  it("removing the persona takes out dp's hook group once: the user's identical group stays", () => {
    dp([persona]);
    const withCopy = settings();
    withCopy.hooks.PreToolUse.push(guardGroup);
    writeSettings(withCopy);
    dp([], () => writeSettings({ ...settings(), permissions: { ...settings().permissions, allow: [...settings().permissions.allow, 'Bash(npm run lint)'] } }));
    const after = settings();
    expect(after.hooks).toEqual({ PreToolUse: [guardGroup] });
    expect(after.permissions.allow).toEqual(['Bash(npm run lint)']);
  });
});
