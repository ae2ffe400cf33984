// Questions on a terminal, without Yeoman: a confirmation and a choice. Never asked without a TTY.
import { createInterface } from 'node:readline/promises';

export function interactive(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

async function question(text: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(text)).trim();
  } finally {
    rl.close();
  }
}

export async function confirm(text: string): Promise<boolean> {
  return /^y(es)?$/i.test(await question(`${text} [y/N] `));
}

export async function choose(text: string, choices: Array<{ value: string; label: string }>): Promise<string> {
  for (;;) {
    process.stdout.write(`${text}\n${choices.map((c, i) => `  ${i + 1}) ${c.label}`).join('\n')}\n`);
    const answer = await question('> ');
    const picked = choices[Number(answer) - 1] ?? choices.find((c) => c.value === answer);
    if (picked) return picked.value;
  }
}
