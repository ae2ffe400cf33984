// dp profile: the interactive menu (yo dp) on a real pseudo-terminal, driven with the arrow keys.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { dpBin } from '../support/cli.js';
import { read } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-profile-');

describe('dp profile', () => {
  it('shows the numbered menu and applies the persona picked with the arrow keys (3 = Data Scientist)', async () => {
    const dir = newDir();
    const terminal = execa('script', ['-qec', `node ${dpBin} profile`, '/dev/null'], { cwd: dir, reject: false });
    // Wait for the menu, then: down, down, enter; then the assistants (Claude Code pre-selected): enter.
    let seen = '';
    const shown = (text: string) =>
      new Promise<void>((resolve) => {
        const look = () => seen.includes(text) && resolve();
        terminal.stdout!.on('data', look);
        look();
      });
    terminal.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
    });
    await shown('Designer');
    terminal.stdin!.write('\x1b[B\x1b[B\r');
    await shown('Which AI assistants');
    terminal.stdin!.write('\r');
    terminal.stdin!.end();
    const result = await terminal;
    const screen = result.stdout.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
    expect(screen).toContain('1) Software Developer');
    expect(screen).toContain('3) Data Scientist');
    expect(screen).toContain('6) Several at once');
    expect(screen).toContain('Which AI assistants should the personas reach?');
    expect(screen).toMatch(/dp: data-scientist: \d+ created/);
    // One voice: no deprecation line for the prompt, no second list of files from Yeoman.
    expect(screen).not.toMatch(/deprecated/i);
    expect(screen).not.toMatch(/^\s*(create|force)\s+\S/m);
    expect(screen).not.toContain('No change to package.json');
    expect(result.exitCode).toBe(0);
    expect(read(dir, 'CLAUDE.md')).toContain('<!-- dp:begin data-scientist -->');
  }, 30_000);

  it('without a terminal, says what to pass instead', async () => {
    const dir = newDir();
    const result = await execa('node', [dpBin, 'profile'], { cwd: dir, reject: false, stdin: 'ignore' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('dp: no answer for "persona" and no terminal to ask it on');
  });
});
