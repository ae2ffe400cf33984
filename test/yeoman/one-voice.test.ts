// Through Yeoman (yo dp:<persona>, dp profile, composing generators), a run speaks once, in dp's words: dp's list
// of outcomes and its summary, or dp's one-line error and hint. No second list from Yeoman's conflicter
// (create/force/identical), no "No change to package.json", no "An error occured while running ...".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { yoProcess } from '../support/yo-process.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-voice-');

const YEOMAN_NOISE = [/^\s*(create|force|identical|skip|conflict)\s+\S/m, /No change to package\.json/, /An error occured/, /deprecated/i];

function quiet(output: string): void {
  for (const noise of YEOMAN_NOISE) expect(output).not.toMatch(noise);
}

describe('one voice through Yeoman', () => {
  it("yo dp:pm beside the user's CLAUDE.md: dp's list once, the user's file reported as updated", async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'CLAUDE.md'), '# Ours\n');
    const result = await yoProcess(dir, 'pm');
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.exitCode, output).toBe(0);
    quiet(output);
    expect(output).toMatch(/^ {2}updated {2}CLAUDE\.md$/m);
    expect(output).toMatch(/^ {2}created {2}\.claude\/skills\/generate-prd\/SKILL\.md$/m);
    expect(output.match(/generate-prd\/SKILL\.md/g)).toHaveLength(1);
    // dp's own files too, as dp's list names them: the record last.
    const listed = output.split('\n').filter((line) => /^ {2}(created|updated) {2}/.test(line));
    expect(listed.slice(-2)).toEqual(['  created  .claude/persona.bases.json', '  created  .claude/persona.json']);
    expect(output).toMatch(/dp: pm: \d+ created, 1 updated/);

    const again = await yoProcess(dir, 'pm');
    quiet(`${again.stdout}\n${again.stderr}`);
    // Yeoman's log writes to stderr.
    expect(`${again.stdout}\n${again.stderr}`).toContain('dp: pm: nothing to do: everything is up to date');
  });

  it("a refusal is dp's one line and hint, without Yeoman's task name after it", async () => {
    const dir = newDir();
    const result = await yoProcess(dir, 'remove');
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.exitCode).toBe(2);
    expect(output).toContain('dp: name the persona to remove: yo dp:remove <id>');
    quiet(output);
  });
});
