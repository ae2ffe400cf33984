// Compare before replace, against another program writing the same file: a save in place caught
// half-way, one that lands between dp's last look and its rename, one that overlaps dp's change, and one
// that never stops. Whatever happens, the other program's text is on disk afterwards.
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useTempDir } from '../support/tmp.js';

/** Runs once, just before the next rename dp makes (an in-place save landing after dp's last look). */
let beforeRename: (() => void) | null = null;
vi.mock('../../shared/commit/disk.js', async (original) => {
  const real = (await original()) as typeof import('../../shared/commit/disk.js');
  return {
    ...real,
    stage: (target: string, content: string | Buffer, mode?: number) => {
      const staged = real.stage(target, content, mode);
      return {
        discard: staged.discard,
        commit: () => {
          const hook = beforeRename;
          beforeRename = null;
          hook?.();
          staged.commit();
        },
      };
    },
  };
});
const { commitChanges } = await import('../../shared/commit/commit.js');

const newDir = useTempDir('dp-replace-');
const slowSave = fileURLToPath(new URL('../fixtures/slow-save.mjs', import.meta.url));
const USER = '# My project\nimportant notes\n';
const SECTION = '<!-- dp:begin pm -->\nPM guidance\n<!-- dp:end pm -->\n';

beforeEach(() => {
  beforeRename = null;
});

function commitSection(dir: string, read = USER, planned = USER + SECTION): unknown {
  try {
    commitChanges(dir, [{ path: 'CLAUDE.md', content: planned }], new Map([['CLAUDE.md', read]]), '9.9.9');
    return null;
  } catch (error) {
    return error;
  }
}

/** Start a save in place that stops half-way for `gapMs`; resolves once it has started (the file is cut short). */
async function startSlowSave(file: string, text: string, gapMs: number, prefix = 0) {
  const saving = execa('node', [slowSave, file, text, String(gapMs), String(prefix)], { reject: false });
  await new Promise<void>((resolve) => saving.stdout!.once('data', () => resolve()));
  return saving;
}

describe('another program saving CLAUDE.md in place while dp replaces it', () => {
  it('caught between its truncate and its write: dp waits for the save, then merges both', async () => {
    const dir = newDir();
    const file = join(dir, 'CLAUDE.md');
    writeFileSync(file, USER);
    const saving = await startSlowSave(file, `${USER}a line the editor added\n`, 200);
    expect(commitSection(dir)).toBeNull();
    await saving;
    expect(readFileSync(file, 'utf8')).toBe(`${USER}a line the editor added\n${SECTION}`);
  });

  it('caught in the middle of a character: dp waits for the save, then merges both', async () => {
    const dir = newDir();
    const file = join(dir, 'CLAUDE.md');
    writeFileSync(file, USER);
    const text = `${USER}Café\n`;
    const saving = await startSlowSave(file, text, 200, Buffer.byteLength(`${USER}Caf`) + 1);
    expect(commitSection(dir)).toBeNull();
    await saving;
    expect(readFileSync(file, 'utf8')).toBe(`${text}${SECTION}`);
  });

  it('emptied and left so: dp refuses and writes nothing over it', () => {
    const dir = newDir();
    const file = join(dir, 'CLAUDE.md');
    writeFileSync(file, '');
    const error = commitSection(dir);
    expect(String(error)).toContain('CLAUDE.md was emptied or cut short while dp was writing it, and stayed so');
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('landing between dp\'s last look and its rename: merged into what dp wrote', () => {
    const dir = newDir();
    const file = join(dir, 'CLAUDE.md');
    writeFileSync(file, USER);
    beforeRename = () => writeFileSync(file, `${USER}their line\n`);
    expect(commitSection(dir)).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe(`${USER}their line\n${SECTION}`);
  });

  it('landing between dp\'s last look and its rename, changing dp\'s lines: theirs is put back, dp refuses', () => {
    const dir = newDir();
    const file = join(dir, 'CLAUDE.md');
    const read = `user\n${SECTION}`;
    writeFileSync(file, read);
    const theirs = `${read.replace('PM guidance', 'THEIRS')}their other line\n`;
    beforeRename = () => writeFileSync(file, theirs);
    const error = commitSection(dir, read, read.replace('PM guidance', 'new guidance'));
    expect(String(error)).toContain("CLAUDE.md changed while dp was writing it, and the change overlaps dp's");
    expect(readFileSync(file, 'utf8')).toBe(theirs);
  });

  it('rewriting dp\'s lines every 150 ms, without end: dp gives up within seconds, their latest text on disk', async () => {
    const dir = newDir();
    const file = join(dir, 'CLAUDE.md');
    const read = `user\n${SECTION}`;
    writeFileSync(file, read);
    const script = `const fs=require('fs');let n=0;setInterval(()=>fs.writeFileSync(${JSON.stringify(file)},${JSON.stringify(read)}.replace('PM guidance','theirs '+(++n))),150)`;
    const writer = execa('node', ['-e', script], { reject: false });
    // Under way once it has written at least once (a loaded machine starts node slowly).
    while (!readFileSync(file, 'utf8').includes('theirs')) await new Promise((resolve) => setTimeout(resolve, 20));
    const error = commitSection(dir, read, read.replace('PM guidance', 'new guidance'));
    writer.kill();
    await writer;
    expect(String(error)).toMatch(/CLAUDE\.md (changed while dp was writing it|kept changing while dp was writing it)/);
    expect(readFileSync(file, 'utf8')).toMatch(/theirs \d+/);
  }, 20_000);
});
