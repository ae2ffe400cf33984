// Another program writing .claude/settings.json while dp adds or removes the data scientist's hook and
// status line (Claude Code approving a command, the user adding a hook of their own): dp merges what was
// written meanwhile, so the other program's approval and hook stay, and dp's hook is added or taken back.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { dpBin } from '../support/cli.js';
import { read } from '../support/generators.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-hooks-writer-');
const preload = fileURLToPath(new URL('../fixtures/write-during-renames.cjs', import.meta.url));
const USER_SETTINGS = `${JSON.stringify({ permissions: { allow: ['Bash(make)'] }, hooks: { PreToolUse: [{ matcher: 'Read', hooks: [{ type: 'command', command: 'audit.sh' }] }] } }, null, 2)}\n`;
const GUARD = { matcher: 'Bash', hooks: [{ type: 'command', command: 'node "$CLAUDE_PROJECT_DIR"/.claude/hooks/kill-guard.mjs', timeout: 10 }] };
const THEIRS = { matcher: 'Bash', hooks: [{ type: 'command', command: 'added-during-run.sh' }] };
const MINE = { matcher: 'Read', hooks: [{ type: 'command', command: 'audit.sh' }] };

/** The order the merge gives: the user's, then the other program's (written meanwhile), then dp's. */
const byCommand = (a: { hooks: Array<{ command: string }> }, b: { hooks: Array<{ command: string }> }) => rank(a) - rank(b);
const rank = (group: { hooks: Array<{ command: string }> }) => ['audit.sh', 'added-during-run.sh'].indexOf(group.hooks[0]!.command) + 1 || 3;

function runWithWriter(dir: string, args: string[], at: number, mode: string) {
  return execa('node', ['--require', preload, dpBin, ...args], { cwd: dir, reject: false, env: { DP_WRITE_AT_RENAME: String(at), DP_WRITE_MODE: mode, DP_WRITE_HOOK: '1' } });
}

function settings(dir: string) {
  const data = JSON.parse(read(dir, '.claude/settings.json'));
  if (hasShared) expect(settingsSchemaErrors(data)).toEqual([]);
  return data;
}

describe.each(['inplace', 'rename'])('a hook written by another program (%s) during dp\'s run', (mode) => {
  it.each([1, 2, 3])('before rename %i: adding ds keeps it beside dp\'s; removing ds takes only dp\'s', async (at) => {
    const dir = newDir();
    mkdirSync(join(dir, '.claude'));
    writeFileSync(join(dir, '.claude/settings.json'), USER_SETTINGS);
    const added = await runWithWriter(dir, ['persona', 'add', 'ds', '--status-line'], at, mode);
    expect(added.exitCode, added.stderr).toBe(0);
    // In rename mode a write aimed at the file dp is renaming at that moment is left out (see the fixture).
    const wrote = added.stderr.includes('other program wrote: settings.json');
    let data = settings(dir);
    expect(data.hooks.PreToolUse).toEqual(wrote ? [MINE, THEIRS, GUARD].sort(byCommand) : [MINE, GUARD]);
    expect(data.permissions.allow.includes('Bash(approved-during-run)')).toBe(wrote);
    expect(data.statusLine.command).toContain('gpu-status.mjs');

    // The approval is taken back by hand first, so the writer's second approval is not a duplicate.
    writeFileSync(join(dir, '.claude/settings.json'), `${JSON.stringify({ ...data, permissions: { ...data.permissions, allow: data.permissions.allow.filter((r: string) => r !== 'Bash(approved-during-run)') } }, null, 2)}\n`);
    const removed = await runWithWriter(dir, ['persona', 'remove', 'ds'], at, mode);
    expect(removed.exitCode, removed.stderr).toBe(0);
    const wroteAgain = removed.stderr.includes('other program wrote: settings.json');
    data = settings(dir);
    expect(data.hooks.PreToolUse).toEqual([MINE, ...(wrote ? [THEIRS] : []), ...(wroteAgain ? [THEIRS] : [])]);
    expect(data.statusLine).toBeUndefined();
    expect(data.permissions.allow).toEqual(['Bash(make)', ...(wroteAgain ? ['Bash(approved-during-run)'] : [])]);
    expect(wrote || wroteAgain).toBe(true);
  }, 60_000);
});
