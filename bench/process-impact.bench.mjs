// Benchmark: one analysis by scripts/analyze_process_impact.mjs on a machine with ~1000 extra processes, against
// `node -e 1` and against a ps/pgrep-based shell approach, all measured in the same run (issue 4: goal <= 2x node -e 1,
// excluding the CPU-sampling window, i.e. --sample-ms 0).
// It builds first (node build.mjs), starts the processes in two process groups of its own, and kills exactly those
// groups at the end (also on Ctrl-C).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atEnd, killStarted, startCrowd, startJob } from './processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const tool = join(root, 'dist', 'scripts', 'analyze_process_impact.mjs');
const EXTRA = Number(process.env.BENCH_PROCESSES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const build = spawnSync(process.execPath, [join(root, 'build.mjs')], { cwd: root, encoding: 'utf8' });
if (build.status !== 0 || !existsSync(tool)) {
  console.error(`build failed:\n${build.stderr}`);
  process.exit(1);
}

const countProcesses = () => readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;

await startCrowd(EXTRA);
const target = await startJob();

const psApproach = [
  `ps -o pid,ppid,lstart,etime,stat,rss,nlwp,args -p ${target.pid}`,
  'ps -eo pid,ppid,stat,rss,args > /dev/null',
  `for c in $(pgrep -P ${target.pid}); do echo $c; pgrep -P $c; done`,
  `cat /proc/${target.pid}/status > /dev/null`,
  `ls -l /proc/${target.pid}/fd > /dev/null`,
].join('; ');

/** Whether an executable `name` is on PATH (what the analysis finds before it would run nvidia-smi). */
function onPath(name) {
  return (process.env.PATH ?? '').split(':').filter(Boolean).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

// Without nvidia-smi the GPU case measures the not-found path (a PATH lookup, no process started): say so.
const gpuCase = onPath('nvidia-smi') ? 'analysis (--sample-ms 0, nvidia-smi on PATH)' : 'analysis (--sample-ms 0, nvidia-smi missing: the not-found path)';
const cases = {
  'node -e 1': [process.execPath, ['-e', '1']],
  'analysis (--sample-ms 0 --no-gpu)': [process.execPath, [tool, String(target.pid), '--json', '--sample-ms', '0', '--no-gpu']],
  [gpuCase]: [process.execPath, [tool, String(target.pid), '--json', '--sample-ms', '0']],
  'ps/pgrep approach (bash)': ['bash', ['-c', psApproach]],
};
const labelWidth = Math.max(...Object.keys(cases).map((name) => name.length));

function time(command, args) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

// Sanity: the analysis sees the target and its two children.
const report = JSON.parse(time(...cases['analysis (--sample-ms 0 --no-gpu)']).stdout);
if (report.pid !== target.pid || report.children.length !== 2) throw new Error(`unexpected analysis: ${JSON.stringify(report.children)}`);

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let run = 0; run < RUNS + 2; run += 1) {
  for (const [name, [command, args]] of Object.entries(cases)) {
    const { ms } = time(command, args);
    if (run >= 2) samples[name].push(ms); // two warm-up rounds
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const baseline = median(samples['node -e 1']);
const ps = median(samples['ps/pgrep approach (bash)']);
console.log(`processes on the machine: ${countProcesses()} (${EXTRA} started by this bench); ${RUNS} timed runs each, interleaved, medians`);
for (const [name, values] of Object.entries(samples)) {
  const m = median(values);
  console.log(`  ${name.padEnd(labelWidth)} ${m.toFixed(1).padStart(7)} ms  (min ${Math.min(...values).toFixed(1)})  ${(m / baseline).toFixed(2)}x node -e 1  ${(m / ps).toFixed(2)}x ps/pgrep`);
}
const analysis = median(samples['analysis (--sample-ms 0 --no-gpu)']);
console.log(`goal (issue 4): analysis <= 2x node -e 1 -> ${(analysis / baseline).toFixed(2)}x ${analysis / baseline <= 2 ? 'met' : 'NOT met'}`);
killStarted();
