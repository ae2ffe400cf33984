// The analysis pipeline: one pass over /proc gives the table, the process groups and the relatives; the text is
// rendered from what the analysis found, not from facts worked out again.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcEntry } from '../../../shared/tools/lib/proc.js';
import { stylist } from '../../../shared/tools/lib/term.js';
import { analyze, processTable } from '../../../shared/tools/process-impact/analyze.js';
import { renderText } from '../../../shared/tools/process-impact/render.js';
import { useTempDir } from '../../support/tmp.js';

const temp = useTempDir('dp-analyze-');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

interface Fake {
  pid: number;
  ppid: number;
  pgrp: number;
  startTicks: number;
  cmdline: string[];
}

/** A fake /proc with a stat line (ppid = field 4, pgrp = 5, starttime = 22) and a cmdline per process. */
function fakeProc(processes: Fake[]): string {
  const root = temp();
  for (const p of processes) {
    mkdirSync(join(root, String(p.pid)), { recursive: true });
    const fields = ['S', String(p.ppid), String(p.pgrp), String(p.pgrp), '0', '-1', '0', '0', '0', '0', '0', '50', '20', '0', '0', '20', '0', '1', '0', String(p.startTicks), '1000', '100'];
    writeFileSync(join(root, String(p.pid), 'stat'), `${p.pid} (proc ${p.pid}) ${fields.join(' ')}\n`);
    writeFileSync(join(root, String(p.pid), 'cmdline'), `${p.cmdline.join('\0')}\0`);
  }
  return root;
}

describe('processTable', () => {
  it('gives every process its group, the descendants breadth first, the ancestors nearest first, from one pass', () => {
    const root = fakeProc([
      { pid: 1, ppid: 0, pgrp: 1, startTicks: 1, cmdline: ['/sbin/init'] },
      { pid: 50, ppid: 1, pgrp: 50, startTicks: 100, cmdline: ['bash'] },
      { pid: 60, ppid: 50, pgrp: 100, startTicks: 400, cmdline: ['tee', 'train.log'] },
      { pid: 101, ppid: 100, pgrp: 100, startTicks: 600, cmdline: ['python', 'worker'] },
      { pid: 102, ppid: 101, pgrp: 100, startTicks: 700, cmdline: ['python', 'grandchild'] },
      { pid: 103, ppid: 100, pgrp: 100, startTicks: 650, cmdline: ['python', 'worker 2'] },
      { pid: 200, ppid: 1, pgrp: 200, startTicks: 10, cmdline: ['sshd'] },
    ]);
    const target: ProcEntry = { pid: 100, ppid: 50, pgrp: 100, session: 50, flags: 0, comm: 'python', state: 'S', cpuTicks: 0, threads: 1, startTicks: 500, rssPages: 0, uid: 1000, cmdline: ['python', 'train.py'] };
    const table = processTable(target, root);
    expect(table.descendants.map((d) => [d.entry.pid, d.depth])).toEqual([[101, 1], [103, 1], [102, 2]]);
    expect(table.ancestors.map((a) => a.pid)).toEqual([50, 1]);
    const byPid = new Map(table.entries.map((e) => [e.pid, e]));
    expect(byPid.get(100)).toBe(target);
    // The process group comes from the same read of stat: a `| tee` reader shares the target's.
    expect([60, 200, 101].map((pid) => byPid.get(pid)!.pgrp)).toEqual([100, 200, 100]);
    // Command lines only where they can matter: relatives and processes started after the target.
    expect(byPid.get(102)!.cmdline).toEqual(['python', 'grandchild']);
    expect(byPid.get(50)!.cmdline).toEqual(['bash']);
    expect(byPid.get(60)!.cmdline).toEqual([]);
    expect(byPid.get(200)!.cmdline).toEqual([]);
    // The relatives are the table's own entries.
    expect(table.descendants[0]!.entry).toBe(byPid.get(101));
    expect(table.ancestors[0]).toBe(byPid.get(50));
  });
});

describe('analyze, then render', () => {
  it('renders the next-checkpoint estimate the analysis made, without asking again later', async () => {
    const dir = temp();
    const child = spawn('sleep', ['30'], { cwd: dir, stdio: 'ignore' });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    const analysis = await analyze({ pid: child.pid!, sampleMs: 0, noGpu: true });
    expect(analysis.next).toEqual({ seconds: analysis.json.checkpoints.nextInSeconds, formula: expect.any(String) });
    analysis.checkpoints.next = () => ({ seconds: 1, formula: 'worked out again at render time' });
    const text = renderText(analysis, stylist(false));
    expect(text).toContain(`Next due:   unknown (${analysis.next.formula})`);
    expect(text).not.toContain('worked out again');
  });
});
