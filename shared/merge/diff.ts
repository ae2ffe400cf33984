// A unified-style diff for --dry-run: what a write would change, with 2 lines of context.
import { diffComm } from 'node-diff3';
import { splitLines } from './three-way.js';

const CONTEXT = 2;

export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  const header = `--- ${before === null ? '/dev/null' : `a/${path}`}\n+++ ${after === null ? '/dev/null' : `b/${path}`}\n`;
  const chunks = diffComm(splitLines(before ?? ''), splitLines(after ?? ''));
  const out: string[] = [];
  chunks.forEach((chunk, i) => {
    if ('common' in chunk && chunk.common) {
      const lines = chunk.common;
      const first = i === 0;
      const last = i === chunks.length - 1;
      if (lines.length <= CONTEXT * 2 && !first && !last) out.push(...lines.map((l) => ` ${l}`));
      else {
        if (!first) out.push(...lines.slice(0, CONTEXT).map((l) => ` ${l}`));
        if (!first && !last) out.push('@@\n');
        if (!last) out.push(...lines.slice(-CONTEXT).map((l) => ` ${l}`));
      }
    } else {
      const change = chunk as { buffer1: string[]; buffer2: string[] };
      out.push(...change.buffer1.map((l) => `-${l}`), ...change.buffer2.map((l) => `+${l}`));
    }
  });
  return header + out.map((line) => (line.endsWith('\n') ? line : `${line}\n\\ No newline at end of file\n`)).join('');
}
