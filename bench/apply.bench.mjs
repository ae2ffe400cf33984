// Cold time of applying the data-scientist persona to a fresh repository in a new process, and of the
// no-op re-run, against `node -e 1` measured in the same run. Prints medians and ratios.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from '../build.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const generator = fileURLToPath(new URL('../dist/generators/data-scientist/index.js', import.meta.url));
const envUrl = import.meta.resolve('yeoman-environment');
const applyScript = `
const { createEnv } = await import(${JSON.stringify(envUrl)});
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

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

await buildAll();
const baseline = [];
const cold = [];
const rerun = [];
for (let i = 0; i < ROUNDS; i += 1) {
  const dir = mkdtempSync(join(tmpdir(), 'dp-bench-'));
  try {
    baseline.push(timeMs(['-e', '1'], dir));
    cold.push(timeMs(['--input-type=module', '-e', applyScript], dir));
    rerun.push(timeMs(['--input-type=module', '-e', applyScript], dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const base = median(baseline);
console.log(`rounds: ${ROUNDS} (median wall time, new process each)`);
console.log(`node -e 1                          ${base.toFixed(0).padStart(6)} ms   1.0x`);
console.log(`apply data-scientist (cold)        ${median(cold).toFixed(0).padStart(6)} ms  ${(median(cold) / base).toFixed(1)}x`);
console.log(`re-run, nothing to do              ${median(rerun).toFixed(0).padStart(6)} ms  ${(median(rerun) / base).toFixed(1)}x`);
