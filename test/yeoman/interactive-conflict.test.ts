// On a terminal (--on-conflict ask), a conflict goes through Yeoman's conflicter: the user sees the file
// with conflict markers and decides. Either way the new version is also written to <file>.dp-new.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packBase, sha256 } from '../../shared/merge/record.js';
import { read, runIn } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-ask-');
const impact = '.claude/skills/process-impact/SKILL.md';

async function conflicted(): Promise<{ dir: string; mine: string; current: string }> {
  const dir = newDir();
  await runIn(dir, 'data-scientist');
  const current = read(dir, impact);
  const old = current.replace(/^# (.*)$/m, '# old title');
  const mine = current.replace(/^# (.*)$/m, '# my title');
  const record = JSON.parse(read(dir, '.claude/persona.json'));
  record.managed.files[impact] = { ...record.managed.files[impact], sha256: sha256(old), base: packBase(old) };
  writeFileSync(join(dir, '.claude/persona.json'), JSON.stringify(record));
  writeFileSync(join(dir, impact), mine);
  return { dir, mine, current };
}

describe('conflicts through Yeoman’s conflicter (--on-conflict ask)', () => {
  it('the user accepts: the file gets conflict markers', async () => {
    const { dir, current } = await conflicted();
    await runIn(dir, 'data-scientist', { options: { onConflict: 'ask' }, env: { force: false }, answers: { action: 'write' } });
    expect(read(dir, impact)).toMatch(/<<<<<<< yours\n# my title\n=======\n# Process impact: PID \$ARGUMENTS\n>>>>>>> generator-dp /);
    expect(read(dir, `${impact}.dp-new`)).toBe(current);
  });

  it('the user declines: their file stays, the new version waits beside it', async () => {
    const { dir, mine, current } = await conflicted();
    await runIn(dir, 'data-scientist', { options: { onConflict: 'ask' }, env: { force: false }, answers: { action: 'skip' } });
    expect(read(dir, impact)).toBe(mine);
    expect(read(dir, `${impact}.dp-new`)).toBe(current);
  });
});
