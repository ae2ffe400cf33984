// What the process benches share: a crowd of background processes and a small "job" to analyse, each in a
// process group of its own, killed (exactly those groups) when the bench ends, also on Ctrl-C.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const groups = [];
const cleanups = [];

export function killStarted() {
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const cleanup of cleanups.splice(0)) cleanup();
}
process.on('exit', killStarted);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** Also run when the bench ends (e.g. removing its temporary folder). */
export const atEnd = (cleanup) => cleanups.push(cleanup);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** ~count background processes: one shell starting `sleep` children. */
export async function startCrowd(count) {
  const crowd = spawn('sh', ['-c', `i=0; while [ $i -lt ${count} ]; do sleep 600 & i=$((i+1)); done; echo started; wait`], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  groups.push(crowd.pid);
  await new Promise((resolve) => crowd.stdout.once('data', resolve));
}

/** The analysed process: a shell with two children, once both are running. */
export async function startJob() {
  const job = spawn('sh', ['-c', 'sleep 600 & sleep 600 & wait'], { detached: true, stdio: 'ignore' });
  groups.push(job.pid);
  while (readFileSync(`/proc/${job.pid}/task/${job.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).length < 2) await sleep(10);
  return job;
}
