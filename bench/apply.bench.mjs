// Cold start: applying the data-scientist persona to a fresh git repository in a new process, and the
// no-op re-run, each against `node -e 1` measured in the same run: each round times the baseline right
// before each command, and the ratio printed is the median of those paired ratios over BENCH_ROUNDS (a
// machine whose speed drifts during the run moves both sides of a pair alike).
//   - dp persona add data-scientist   (the CLI: the engine without Yeoman start-up)
//   - yo-style run through yeoman-environment (what `yo dp:data-scientist` and composing generators pay)
// The no-op re-run must write no file: checked here by comparing mtimes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from '../build.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
// BENCH_YEOMAN=0 leaves out the yeoman-environment rows (a quicker loop while working on dp's start-up).
const YEOMAN = process.env.BENCH_YEOMAN !== '0';
const dp = fileURLToPath(new URL('../dist/cli/dp.js', import.meta.url));
const generator = fileURLToPath(new URL('../dist/generators/data-scientist/index.js', import.meta.url));
const yeomanRun = `
const { createEnv } = await import(${JSON.stringify(import.meta.resolve('yeoman-environment'))});
const env = createEnv({ skipInstall: true });
env.register(${JSON.stringify(generator)}, { namespace: 'dp:data-scientist' });
await env.run(['dp:data-scientist'], { onConflict: 'keep' });
`;

function timeMs(args, cwd) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function mtimes(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[full] = statSync(full).mtimeMs;
    }
  };
  walk(dir);
  return JSON.stringify(out);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A new empty git repository, as a user's fresh clone. */
function freshRepository() {
  const dir = mkdtempSync(join(tmpdir(), 'dp-bench-'));
  const git = spawnSync('git', ['init', '-q'], { cwd: dir });
  if (git.status !== 0) throw new Error(`git init failed: ${git.stderr}`);
  return dir;
}

await buildAll();
/** Per row: [command ms, baseline ms] pairs. */
const samples = { base: [], dpCold: [], dpRerun: [], yoCold: [], yoRerun: [] };
const paired = (row, args, cwd) => {
  const base = timeMs(['-e', '1'], cwd);
  samples.base.push(base);
  samples[row].push([timeMs(args, cwd), base]);
};
let rerunWrote = 0;
for (let i = 0; i < ROUNDS; i += 1) {
  const a = freshRepository();
  const b = freshRepository();
  try {
    paired('dpCold', [dp, 'persona', 'add', 'data-scientist'], a);
    const before = mtimes(a);
    paired('dpRerun', [dp, 'persona', 'add', 'data-scientist'], a);
    if (mtimes(a) !== before) rerunWrote += 1;
    if (YEOMAN) {
      paired('yoCold', ['--input-type=module', '-e', yeomanRun], b);
      const beforeYo = mtimes(b);
      paired('yoRerun', ['--input-type=module', '-e', yeomanRun], b);
      if (mtimes(b) !== beforeYo) rerunWrote += 1;
    }
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
}
const row = (label, pairs) => {
  const ratios = pairs.map(([ms, base]) => ms / base);
  const ms = median(pairs.map(([value]) => value));
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${median(ratios).toFixed(2).padStart(5)}x  (pairs ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`);
};
console.log(`median of ${ROUNDS} rounds, new process each; ratio = median over rounds of time / (node -e 1 run just before it)`);
console.log(`${'node -e 1 (baseline)'.padEnd(44)} ${median(samples.base).toFixed(0).padStart(6)} ms`);
row('dp persona add data-scientist (cold)', samples.dpCold);
row('dp persona add data-scientist (no-op re-run)', samples.dpRerun);
if (YEOMAN) {
  row('yeoman-environment run (cold)', samples.yoCold);
  row('yeoman-environment run (no-op re-run)', samples.yoRerun);
}
console.log(`no-op re-runs that wrote a file: ${rerunWrote} of ${ROUNDS * (YEOMAN ? 2 : 1)}`);
process.exitCode = rerunWrote === 0 ? 0 : 1;
