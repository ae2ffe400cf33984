// planSettled (shared/engine/plan-run.ts): a refusal that rests on a file another program is saving at
// that moment is planned again once the file changes; a refusal on a file that stays the same stands.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { diskReader, type Snapshot } from '../../shared/commit/read.js';
import { planSettled } from '../../shared/engine/plan-run.js';
import { parseSettings } from '../../shared/merge/settings-file.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-settled-');
const SETTINGS = '.claude/settings.json';

function planSettings(dir: string, snapshot: Snapshot): unknown {
  const text = diskReader(dir, snapshot)('settings.json');
  return parseSettings(text ?? '{}', SETTINGS);
}

describe('planSettled', () => {
  it('a settings.json caught half-saved is read again once the save completes', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'settings.json'), '');
    const snapshot: Snapshot = new Map();
    // The plan blocks this thread while it waits: the save runs in another process.
    // It says when it has started (Node's own start-up may take longer than the plan waits on a loaded machine).
    const saver = execa('node', ['-e', `process.stdout.write('started'); setTimeout(()=>require('fs').writeFileSync(${JSON.stringify(join(dir, 'settings.json'))}, '{"env": {"A": "1"}}'), 100)`]);
    await new Promise((resolve) => saver.stdout.once('data', resolve));
    const planned = planSettled(dir, snapshot, () => planSettings(dir, snapshot));
    await saver;
    expect(planned).toEqual({ env: { A: '1' } });
    expect(snapshot.get('settings.json')).toBe('{"env": {"A": "1"}}');
  });

  it('a refusal on a file that stays the same stands, with its own message', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'settings.json'), '{"env": {"A": 1}}');
    const snapshot: Snapshot = new Map();
    expect(() => planSettled(dir, snapshot, () => planSettings(dir, snapshot))).toThrow('.claude/settings.json: env.A: must be a string');
  });
});
