// A fake `nvidia-smi` (or `rocm-smi`) on PATH that replays recorded output.
// Each rule matches when every `match` string occurs in the joined arguments; the first match answers.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeSmiRule {
  /** Substrings that must all appear in the space-joined argv. Empty = any call. */
  match: string[];
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Sleep this long before answering (simulates a hung driver when larger than the caller's timeout). */
  delayMs?: number;
  /** For -l/-lms streams: print `stdout` once, then `repeat` each period until killed. */
  repeat?: { text: string; everyMs: number };
  /**
   * Answer only once a call whose arguments contain this string has started (then wait `delayMs`): a caller that makes
   * that call only after this one has answered gets no answer (its timeout fires). Gives up waiting after 30 s.
   */
  afterCall?: string;
}

const SCRIPT = `#!/usr/bin/env node
const fs = require('node:fs');
const rules = JSON.parse(fs.readFileSync(__dirname + '/rules.json', 'utf8'));
const log = __dirname + '/calls.log';
const argv = process.argv.slice(2).join(' ');
fs.appendFileSync(log, argv + '\\n');
const rule = rules.find((r) => r.match.every((m) => argv.includes(m)));
if (!rule) { process.stderr.write('fake nvidia-smi: no rule for: ' + argv + '\\n'); process.exit(2); }
const answer = () => setTimeout(() => {
  if (rule.stdout) process.stdout.write(rule.stdout);
  if (rule.stderr) process.stderr.write(rule.stderr);
  if (rule.repeat) { setInterval(() => process.stdout.write(rule.repeat.text), rule.repeat.everyMs); return; }
  process.exitCode = rule.exitCode ?? 0;
}, rule.delayMs ?? 0);
const giveUpAt = Date.now() + 30000;
const waitForCall = () => {
  if (!rule.afterCall || fs.readFileSync(log, 'utf8').includes(rule.afterCall) || Date.now() > giveUpAt) answer();
  else setTimeout(waitForCall, 20);
};
waitForCall();
`;

/**
 * Write a fake executable `name` into `binDir` (CommonJS: binDir must be outside any "type": "module" package,
 * e.g. under os.tmpdir()).
 * Returns a PATH value with binDir first. Calls are appended to binDir/<name>.calls.log.
 */
export function installFakeSmi(binDir: string, rules: FakeSmiRule[], name = 'nvidia-smi'): string {
  mkdirSync(binDir, { recursive: true });
  const script = join(binDir, name);
  writeFileSync(script, SCRIPT.replace('/rules.json', `/${name}.rules.json`).replace('/calls.log', `/${name}.calls.log`));
  writeFileSync(join(binDir, `${name}.rules.json`), JSON.stringify(rules));
  chmodSync(script, 0o755);
  return `${binDir}:${process.env.PATH ?? ''}`;
}
