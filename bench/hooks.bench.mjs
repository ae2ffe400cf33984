// Benchmark: the hook scripts as Claude Code runs them (the PreToolUse JSON on stdin), against `node -e 1` in the
// same run. The kill guard is timed on a command that stops nothing (the path every other Bash call takes), on a
// kill of a harmless process (resolved and analysed, silent) and on a pkill pattern matched over ~BENCH_PROCESSES
// extra processes; the git guard on a force push; the status line on a cached snapshot. Goal: each within 3x
// `node -e 1` (Node's own start-up, ~40 ms on an idle machine: well under a second).
// It builds first (node build.mjs), starts its processes in process groups of its own and kills exactly those.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atEnd, killStarted, startCrowd, startJob } from './processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const hook = (name) => join(root, 'dist', 'hooks', `${name}.mjs`);
const EXTRA = Number(process.env.BENCH_PROCESSES ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const build = spawnSync(process.execPath, [join(root, 'build.mjs')], { cwd: root, encoding: 'utf8' });
if (build.status !== 0 || !existsSync(hook('kill-guard'))) {
  console.error(`build failed:\n${build.stderr}`);
  process.exit(1);
}

const state = mkdtempSync(join(tmpdir(), 'dp-hooks-bench-'));
atEnd(() => rmSync(state, { recursive: true, force: true }));

await startCrowd(EXTRA);
const target = await startJob();

const payload = (command) =>
  JSON.stringify({ session_id: 's', transcript_path: '/tmp/t.jsonl', cwd: root, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command, description: 'bench' }, tool_use_id: 't' });
const env = { ...process.env, XDG_STATE_HOME: state };
const cases = {
  'node -e 1': [['-e', '1'], ''],
  'kill-guard, no stop (npm test)': [[hook('kill-guard')], payload('npm test && git status')],
  'kill-guard, kill of a harmless job': [[hook('kill-guard')], payload(`kill -TERM ${target.pid}`)],
  [`kill-guard, pkill -f over ${EXTRA} processes`]: [[hook('kill-guard')], payload('pkill -f no-such-training-run')],
  'git-guard, git push --force': [[hook('git-guard')], payload('git push --force origin main')],
  'gpu-status, cached snapshot': [[hook('gpu-status')], '{}'],
};

function time(args, input) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', input, env });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

// Sanity: silent where nothing would be lost, asking where the git guard should.
if (time(...cases['kill-guard, kill of a harmless job']).stdout !== '') throw new Error('the kill guard spoke about a harmless job');
if (!time(...cases['git-guard, git push --force']).stdout.includes('"ask"')) throw new Error('the git guard did not ask');

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let run = 0; run < RUNS + 2; run += 1) {
  for (const [name, [args, input]] of Object.entries(cases)) {
    const { ms } = time(args, input);
    if (run >= 2) samples[name].push(ms);
  }
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const baseline = median(samples['node -e 1']);
const width = Math.max(...Object.keys(cases).map((n) => n.length));
console.log(`${RUNS} timed runs each, interleaved, medians; ${EXTRA} extra processes`);
for (const [name, values] of Object.entries(samples)) {
  const m = median(values);
  console.log(`  ${name.padEnd(width)} ${m.toFixed(1).padStart(7)} ms  (min ${Math.min(...values).toFixed(1)})  ${(m / baseline).toFixed(2)}x node -e 1`);
}
const slowest = Math.max(...Object.entries(samples).filter(([n]) => n !== 'node -e 1').map(([, v]) => median(v)));
console.log(`goal: every hook <= 3x node -e 1 -> slowest ${(slowest / baseline).toFixed(2)}x ${slowest / baseline <= 3 ? 'met' : 'NOT met'}`);
killStarted();
