// Processes for analyze_process_impact's refusals in the catalogue (docs/errors.md E60-E65), each run as a user meets
// it and each safe on code without the refusal: what such code could signal is a process started here, or the run
// carries an --expect-started-at that no process matches, so that it stops before any signal.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Ran } from './cli.js';

const SCRIPT = fileURLToPath(new URL('../../dist/scripts/analyze_process_impact.mjs', import.meta.url));
const ENV = { NO_COLOR: '1', PATH: '/usr/bin:/bin' };
/** No process started in 2000: code that would signal stops at the PID-reuse check first. */
export const NEVER_STARTED = ['--expect-started-at', '2000-01-01T00:00:00.000Z'];
const QUIET = ['--sample-ms', '0', '--no-gpu'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function impact(cwd: string, args: string[]): Promise<Ran> {
  return execa(process.execPath, [SCRIPT, ...args, ...QUIET], { cwd, reject: false, stdin: 'ignore', env: ENV }) as unknown as Promise<Ran>;
}

const readText = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // exited
  }
};

/** Kernel threads: PF_KTHREAD (0x00200000) in field 9 of stat, read here without the tool's own parser. */
function kernelThreads(): Set<number> {
  const found = new Set<number>();
  for (const name of readdirSync('/proc')) {
    const stat = /^\d+$/.test(name) ? readText(`/proc/${name}/stat`) : '';
    if (stat && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[6]) & 0x00200000) found.add(Number(name));
  }
  return found;
}

/** Why no kernel thread can be targeted here (a PID namespace shows none), or null. */
export function noKernelThread(): string | null {
  return kernelThreads().size > 0 ? null : 'no kernel thread is visible here (a PID namespace)';
}

/** PID 2 (kthreadd) where visible, else another kernel thread. Containers show none: then 2, which fails. */
export function kernelThread(): number {
  const found = kernelThreads();
  return found.has(2) ? 2 : ([...found][0] ?? 2);
}

/** The tool run by a shell, on that shell's PID (`; exit` keeps sh from exec'ing the tool in its place). */
export function onItsShell(cwd: string): Promise<Ran> {
  const line = `'${process.execPath}' '${SCRIPT}' $$ --action kill --yes ${QUIET.join(' ')}; exit $?`;
  return execa('sh', ['-c', line], { cwd, reject: false, stdin: 'ignore', env: ENV }) as unknown as Promise<Ran>;
}

/** As root, a `sleep 60` started as nobody; otherwise a process of another user that is neither init nor a kernel thread. */
export function anotherUsersProcess(): { pid: number; stop: () => void } {
  if (process.getuid?.() === 0) {
    const child = spawn('sleep', ['60'], { uid: 65534, gid: 65534, stdio: 'ignore' });
    return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
  }
  const kernel = kernelThreads();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || name === '1' || kernel.has(Number(name))) continue;
    const uid = /^Uid:\s+(\d+)/m.exec(readText(`/proc/${name}/status`))?.[1];
    if (uid !== undefined && Number(uid) !== process.getuid?.()) return { pid: Number(name), stop: () => {} };
  }
  throw new Error('no process of another user is visible here');
}

/** Why no process of another user can be targeted here (not root, and none visible), or null. */
export function noOtherUser(): string | null {
  if (process.getuid?.() === 0) return null;
  try {
    anotherUsersProcess();
    return null;
  } catch {
    return 'not root, and no process of another user is visible here';
  }
}

/**
 * The tool started by the leader of a new session through a subshell that exits at once, so the leader is no parent
 * of it, acting on the leader itself or on the shell that started the leader (whose tree holds it).
 */
export async function inNewSession(work: string, target: 'leader' | 'its parent'): Promise<Ran> {
  writeFileSync(
    join(work, 'leader.sh'),
    `echo $$ > leader
( sh -c 'while [ ! -s target ]; do sleep 0.02; done; "$0" "$1" "$(cat target)" --action kill --yes ${QUIET.join(' ')} > out 2> err; echo $? > code' "$1" "$2" & )
exec sleep 60
`,
  );
  const parent = execa('sh', ['-c', 'setsid sh leader.sh "$0" "$1"; true', process.execPath, SCRIPT], { cwd: work, reject: false, stdin: 'ignore', env: ENV });
  const read = (name: string) => (existsSync(join(work, name)) ? readFileSync(join(work, name), 'utf8') : '');
  const written = async (name: string) => {
    for (let i = 0; i < 1000 && !read(name).endsWith('\n'); i += 1) await sleep(10);
  };
  await written('leader');
  const leader = Number(read('leader'));
  writeFileSync(join(work, 'target'), String(target === 'leader' ? leader : parent.pid));
  await written('code');
  try {
    process.kill(leader, 'SIGKILL');
  } catch {
    // already gone
  }
  await parent;
  return { exitCode: Number(read('code')), stdout: read('out'), stderr: read('err') };
}
