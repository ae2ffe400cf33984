// What `dp persona add` installs for each persona's guardrails, on real files: the settings.json hook entry
// (valid against the settings schema, beside the user's own hooks), the bundled script under .claude/hooks
// (byte for byte the file the hook tests run), the deny rule that keeps the assistant from editing it; a
// re-run writes nothing and a removal gives the user's settings back byte for byte.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { dp } from '../support/cli.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { useTempDir } from '../support/tmp.js';
import { hookScript } from './run-hook.js';

const newDir = useTempDir('dp-hooks-');
const USER_SETTINGS = '{\n    "hooks": {\n        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./audit.sh"}]}]\n    }\n}\n';

describe.each([
  ['data-scientist', [], 'kill-guard', 'Bash'],
  ['developer', ['--level', 'beginner'], 'git-guard', 'Bash'],
  ['software-architect', [], 'adr-guard', 'Edit|Write|MultiEdit'],
])('%s', (persona, options, script, matcher) => {
  it(`installs ${script} as a PreToolUse hook after the user's, once; removal gives the settings back`, async () => {
    const dir = newDir();
    mkdirSync(join(dir, '.claude'));
    writeFileSync(join(dir, '.claude/settings.json'), USER_SETTINGS);
    const added = await dp(dir, ['persona', 'add', persona, ...options]);
    expect(added.exitCode, added.stderr).toBe(0);
    const text = readFileSync(join(dir, '.claude/settings.json'), 'utf8');
    const settings = JSON.parse(text);
    expect(settings.hooks.PreToolUse).toEqual([
      { matcher: 'Bash', hooks: [{ type: 'command', command: './audit.sh' }] },
      { matcher, hooks: [{ type: 'command', command: `node "$CLAUDE_PROJECT_DIR"/.claude/hooks/${script}.mjs`, timeout: 10 }] },
    ]);
    expect(settings.permissions.deny).toContain('Edit(**/.claude/hooks/**)');
    if (hasShared) expect(settingsSchemaErrors(settings)).toEqual([]);
    expect(readFileSync(join(dir, `.claude/hooks/${script}.mjs`), 'utf8')).toBe(readFileSync(hookScript(script), 'utf8'));
    const record = JSON.parse(readFileSync(join(dir, '.claude/persona.json'), 'utf8'));
    expect(record.managed.files[`.claude/hooks/${script}.mjs`]).toMatchObject({ persona, update: 'replace' });

    // The command exactly as written, run as Claude Code runs it: through a shell, from another directory.
    const command = settings.hooks.PreToolUse[1].hooks[0].command as string;
    const ran = await execa('sh', ['-c', command], { cwd: tmpdir(), env: { CLAUDE_PROJECT_DIR: dir }, input: JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: 'x' } }), reject: false });
    expect({ code: ran.exitCode, stdout: ran.stdout, stderr: ran.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    const wrongDir = await execa('sh', ['-c', command], { cwd: tmpdir(), env: { CLAUDE_PROJECT_DIR: tmpdir() }, input: '{}', reject: false });
    expect(wrongDir.exitCode).not.toBe(0);

    const again = await dp(dir, ['persona', 'add', persona, ...options]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe(text);

    const removed = await dp(dir, ['persona', 'remove', persona]);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe(USER_SETTINGS);
    expect(existsSync(join(dir, `.claude/hooks/${script}.mjs`))).toBe(false);
  }, 60_000);
});

it('the developer above the beginner level has no git guard', async () => {
  const dir = newDir();
  expect((await dp(dir, ['persona', 'add', 'developer', '--level', 'beginner'])).exitCode).toBe(0);
  expect((await dp(dir, ['persona', 'add', 'developer', '--level', 'expert'])).exitCode).toBe(0);
  const settings = JSON.parse(readFileSync(join(dir, '.claude/settings.json'), 'utf8'));
  expect(settings.hooks).toBeUndefined();
  expect(existsSync(join(dir, '.claude/hooks/git-guard.mjs'))).toBe(false);
}, 60_000);

describe('the status line (opt-in)', () => {
  const ours = { type: 'command', command: 'node "$CLAUDE_PROJECT_DIR"/.claude/hooks/gpu-status.mjs', refreshInterval: 5 };

  it('--status-line sets it; a re-run without the option keeps it; removal takes it back', async () => {
    const dir = newDir();
    const added = await dp(dir, ['persona', 'add', 'ds', '--status-line']);
    expect(added.exitCode, added.stderr).toBe(0);
    const text = readFileSync(join(dir, '.claude/settings.json'), 'utf8');
    expect(JSON.parse(text).statusLine).toEqual(ours);
    if (hasShared) expect(settingsSchemaErrors(JSON.parse(text))).toEqual([]);
    expect(readFileSync(join(dir, '.claude/hooks/gpu-status.mjs'), 'utf8')).toBe(readFileSync(hookScript('gpu-status'), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir, '.claude/persona.json'), 'utf8')).active[0]).toMatchObject({ id: 'data-scientist', statusLine: true });

    expect((await dp(dir, ['persona', 'add', 'ds'])).exitCode).toBe(0);
    expect((await dp(dir, ['upgrade'])).exitCode).toBe(0);
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe(text);

    expect((await dp(dir, ['persona', 'remove', 'ds'])).exitCode).toBe(0);
    expect(existsSync(join(dir, '.claude/settings.json'))).toBe(false);
    expect(existsSync(join(dir, '.claude/hooks/gpu-status.mjs'))).toBe(false);
  }, 60_000);

  it('--no-status-line turns it off: exactly what dp wrote is taken back, the record says so, re-runs keep it off', async () => {
    const dir = newDir();
    expect((await dp(dir, ['persona', 'add', 'ds'])).exitCode).toBe(0);
    const without = readFileSync(join(dir, '.claude/settings.json'), 'utf8');
    const record = () => JSON.parse(readFileSync(join(dir, '.claude/persona.json'), 'utf8')).active[0];
    for (const off of [['persona', 'add', 'ds', '--no-status-line'], ['upgrade', '--no-status-line']]) {
      expect((await dp(dir, ['persona', 'add', 'ds', '--status-line'])).exitCode).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).statusLine).toEqual(ours);
      const turnedOff = await dp(dir, off);
      expect(turnedOff.exitCode, turnedOff.stderr).toBe(0);
      expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe(without);
      expect(existsSync(join(dir, '.claude/hooks/gpu-status.mjs'))).toBe(false);
      expect(record()).toMatchObject({ id: 'data-scientist' });
      expect(record().statusLine).toBeUndefined();
      expect((await dp(dir, ['persona', 'add', 'ds'])).exitCode).toBe(0);
      expect((await dp(dir, ['upgrade'])).exitCode).toBe(0);
      expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe(without);
    }
  }, 120_000);

  it("--no-status-line keeps a status line that is the user's: their own, or dp's after they changed it", async () => {
    const dir = newDir();
    mkdirSync(join(dir, '.claude'));
    const mine = { type: 'command', command: '~/.claude/statusline.sh' };
    writeFileSync(join(dir, '.claude/settings.json'), `${JSON.stringify({ statusLine: mine })}\n`);
    expect((await dp(dir, ['persona', 'add', 'ds', '--status-line'])).exitCode).toBe(0);
    expect((await dp(dir, ['persona', 'add', 'ds', '--no-status-line'])).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).statusLine).toEqual(mine);

    const other = newDir();
    expect((await dp(other, ['persona', 'add', 'ds', '--status-line'])).exitCode).toBe(0);
    const settings = JSON.parse(readFileSync(join(other, '.claude/settings.json'), 'utf8'));
    const edited = { ...ours, refreshInterval: 30 };
    writeFileSync(join(other, '.claude/settings.json'), `${JSON.stringify({ ...settings, statusLine: edited }, null, 2)}\n`);
    const off = await dp(other, ['upgrade', '--no-status-line']);
    expect(off.exitCode, off.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(other, '.claude/settings.json'), 'utf8')).statusLine).toEqual(edited);
    expect(off.stdout + off.stderr).toContain('statusLine: you changed it; it is yours now');
  }, 120_000);

  it.each([
    [['persona', 'add', 'ds', '--status-line', '--no-status-line'], 'dp: --status-line and --no-status-line contradict each other: give one'],
    [['persona', 'add', 'pm', '--no-status-line'], 'dp: --no-status-line applies to a persona with a status line, and none of pm has one'],
  ])('dp %j: one line, exit 2, nothing written', async (args, line) => {
    const dir = newDir();
    const ran = await dp(dir, args);
    expect(ran.exitCode).toBe(2);
    expect(ran.stderr.split('\n')[0]).toBe(line);
    expect(existsSync(join(dir, '.claude'))).toBe(false);
  });

  it("never replaces the user's own status line, and says how to switch", async () => {
    const dir = newDir();
    mkdirSync(join(dir, '.claude'));
    const mine = '{"statusLine": {"type": "command", "command": "~/.claude/statusline.sh"}}\n';
    writeFileSync(join(dir, '.claude/settings.json'), mine);
    const added = await dp(dir, ['persona', 'add', 'ds', '--status-line']);
    expect(added.exitCode, added.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).statusLine).toEqual({ type: 'command', command: '~/.claude/statusline.sh' });
    expect(added.stdout + added.stderr).toContain(`statusLine: you have your own, so dp kept it; to show the GPU status line instead, set "statusLine" in .claude/settings.json to ${JSON.stringify(ours)}`);
    expect((await dp(dir, ['persona', 'remove', 'ds'])).exitCode).toBe(0);
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe(mine);
  }, 60_000);
});
