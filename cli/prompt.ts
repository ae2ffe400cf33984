// Questions on a terminal, without Yeoman: free text, a confirmation and a choice. Never asked without
// a TTY. Lines are queued as they arrive, so answers typed ahead (or pasted) are not lost.
import type { Interface } from 'node:readline';
import { DpError } from '../shared/errors.js';

let rl: Interface | undefined;
const lines: string[] = [];
const waiting: Array<(line: string | null) => void> = [];
let closed = false;

function input(): Interface {
  if (!rl) {
    // node:readline is loaded when a question is asked, not by every command that might ask one.
    rl = process.getBuiltinModule('node:readline').createInterface({ input: process.stdin, output: process.stdout, terminal: false });
    rl.on('line', (line) => {
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    });
    rl.on('close', () => {
      closed = true;
      for (const next of waiting.splice(0)) next(null);
    });
  }
  return rl;
}

export function interactive(): boolean {
  // stdout first: without a terminal there, process.stdin (a stream set up on first use) is never created.
  return process.stdout.isTTY === true && process.stdin.isTTY === true;
}

export async function ask(text: string, fallback = ''): Promise<string> {
  input();
  process.stdout.write(fallback ? `${text} (${fallback}) ` : `${text} `);
  const line = lines.length > 0 ? lines.shift()! : closed ? null : await new Promise<string | null>((resolve) => waiting.push(resolve));
  if (line === null) throw new DpError('the input ended before an answer was given', 'answer the question, or pass the answer as an option', 2);
  return line.trim() || fallback;
}

export function closePrompts(): void {
  rl?.close();
  rl = undefined;
}

export async function confirm(text: string): Promise<boolean> {
  return /^y(es)?$/i.test(await ask(`${text} [y/N]`));
}

export async function choose(text: string, choices: Array<{ value: string; label: string }>): Promise<string> {
  for (;;) {
    process.stdout.write(`${text}\n${choices.map((c, i) => `  ${i + 1}) ${c.label}`).join('\n')}\n`);
    const answer = await ask('>');
    const picked = choices[Number(answer) - 1] ?? choices.find((c) => c.value === answer);
    if (picked) return picked.value;
  }
}
