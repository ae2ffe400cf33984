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
}

const SCRIPT = `#!/usr/bin/env node
const rules = JSON.parse(require('node:fs').readFileSync(__dirname + '/rules.json', 'utf8'));
const argv = process.argv.slice(2).join(' ');
require('node:fs').appendFileSync(__dirname + '/calls.log', argv + '\\n');
const rule = rules.find((r) => r.match.every((m) => argv.includes(m)));
if (!rule) { process.stderr.write('fake nvidia-smi: no rule for: ' + argv + '\\n'); process.exit(2); }
setTimeout(() => {
  if (rule.stdout) process.stdout.write(rule.stdout);
  if (rule.stderr) process.stderr.write(rule.stderr);
  if (rule.repeat) { setInterval(() => process.stdout.write(rule.repeat.text), rule.repeat.everyMs); return; }
  process.exitCode = rule.exitCode ?? 0;
}, rule.delayMs ?? 0);
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
