// Processes that --action never signals: init, kernel threads, this tool, its parents and session leader, another
// user's processes, and any process whose tree holds one of them. Written so that code without these refusals fails
// them safely: whatever such code could signal here is this test's own (spawned here, or PID 1 of a PID namespace
// made for the test), or the kill function is injected.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { performAction } from '../../../shared/tools/process-impact/actions.js';
import { analyze } from '../../../shared/tools/process-impact/analyze.js';
import { startTracked, waitFor } from '../../support/processes.js';
import { useTempDir } from '../../support/tmp.js';
import { TOOL, procState, runTool, settledState } from './fake-run.js';

const temp = useTempDir('dp-impact-guard-');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const start = (command: string, args: string[], options: Parameters<typeof spawn>[2] = {}) => startTracked(children, command, args, options);

const quiet = ['--sample-ms', '0', '--no-gpu'];
const firstLine = (text: string) => text.split('\n')[0];

/** Analyse `pid` in-process and try `action` with a recording kill: nothing can reach a real process. */
async function tryAction(pid: number, action: 'kill' | 'suspend' | 'graceful') {
  const analysis = await analyze({ pid, sampleMs: 0, noGpu: true });
  const sent: Array<[number, string]> = [];
  const outcome = await performAction(action, analysis, { log: () => {}, kill: (p, signal) => void sent.push([p, signal]) }).then(
    () => 'done',
    (error: Error) => error.message,
  );
  return { analysis, sent, outcome };
}

describe('init and kernel threads: no tree listed, [G]/[S]/[K] refused, nothing signalled', () => {
  it('PID 1', async () => {
    const { analysis, sent, outcome } = await tryAction(1, 'kill');
    expect(analysis.json.children).toEqual([]);
    expect(analysis.identities.map((i) => i.pid)).toEqual([1]);
    expect(analysis.json.recommendations.map((r) => [r.key, r.signal])).toEqual([['W', null], ['G', null], ['S', null], ['K', null]]);
    expect(analysis.json.recommendations[3]!.reason).toMatch(/^refused: PID 1 is the init process: every other process descends from it, .*; --action kill signals nothing$/);
    expect(outcome).toBe('refusing to signal PID 1: it is the init process: every other process descends from it, and stopping it stops the machine (or the container)');
    expect(sent).toEqual([]);
  });

  it('--json on PID 1 is small: no children, no signal in any recommendation', async () => {
    const result = await runTool(['1', '--json', ...quiet]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.children).toEqual([]);
    expect(report.recommendations.map((r: { signal: string | null }) => r.signal)).toEqual([null, null, null, null]);
    expect(result.stdout.length).toBeLessThan(4000);
  });

  // PF_KTHREAD (0x00200000) in stat field 9, the flags: read here without the tool's own parser.
  const kernelThread = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && name !== '1')
    .map((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const flags = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[6]);
        return { pid: Number(name), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), kernel: (flags & 0x00200000) !== 0 };
      } catch {
        return null;
      }
    })
    .find((thread) => thread?.kernel);
  if (!kernelThread) process.stderr.write('NOTICE: no kernel thread visible in /proc (a container?): the kernel-thread test is skipped\n');

  it.skipIf(!kernelThread)('a kernel thread', async () => {
    const { analysis, sent, outcome } = await tryAction(kernelThread!.pid, 'suspend');
    expect(analysis.json.children).toEqual([]);
    expect(outcome).toBe(`refusing to signal PID ${kernelThread!.pid}: it is a kernel thread ([${kernelThread!.comm}]): the kernel runs it, it is no program to stop`);
    expect(sent).toEqual([]);
  });
});

const canUnshare = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
if (!canUnshare) process.stderr.write('NOTICE: unshare --pid is not permitted here: the PID-namespace tests are skipped\n');

describe.skipIf(!canUnshare)('in a PID namespace of its own (unshare)', () => {
  it('refuses its PID 1 (the shell that runs the tool); that shell and a sibling live on', () => {
    const script = `sleep 30 & '${process.execPath}' '${TOOL}' 1 --action kill --yes ${quiet.join(' ')}; echo "exit $?"; kill -0 $! && echo "sibling alive"; kill $!`;
    const result = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(firstLine(result.stderr)).toBe(
      'analyze_process_impact: refusing to signal PID 1: it is the init process: every other process descends from it, and stopping it stops the machine (or the container)',
    );
    expect(result.stdout).toBe('exit 1\nsibling alive\n');
  });

  it("acts on nothing when /proc is another namespace's (its PIDs are not the ones kill() takes), and lists no tree for this namespace's init", async () => {
    const script = `read target; '${process.execPath}' '${TOOL}' "$target" --json ${quiet.join(' ')} > report.json; '${process.execPath}' '${TOOL}' "$target" --action kill --yes ${quiet.join(' ')}; echo "exit $?"`;
    const dir = temp();
    const unshare = spawn('unshare', ['--pid', '--fork', 'sh', '-c', script], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    children.push(unshare);
    const childrenFile = `/proc/${unshare.pid}/task/${unshare.pid}/children`;
    expect(await waitFor(() => existsSync(childrenFile) && readFileSync(childrenFile, 'utf8').trim() !== '')).toBe(true);
    const init = Number(readFileSync(childrenFile, 'utf8').trim());
    let stdout = '';
    let stderr = '';
    unshare.stdout!.on('data', (chunk) => (stdout += chunk));
    unshare.stderr!.on('data', (chunk) => (stderr += chunk));
    const closed = new Promise((resolve) => unshare.on('close', resolve));
    unshare.stdin!.end(`${init}\n`);
    await closed;
    expect(firstLine(stderr)).toMatch(
      /^analyze_process_impact: refusing to signal anything: \/proc belongs to another PID namespace \(it numbers this tool \d+, its own PID is \d+\), so a PID read there would signal a different process$/,
    );
    expect(stdout).toBe('exit 1\n');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.children).toEqual([]);
    expect(report.recommendations[3].reason).toBe(
      `refused: PID ${init} is the init process of this tool's PID namespace (sh, PID 1 inside it): stopping it stops every process in the container; --action kill signals nothing`,
    );
  });
});

describe('this tool, its parents and its session', () => {
  it('refuses the shell running it, and itself', () => {
    const run = (script: string) => spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const parent = run(`'${process.execPath}' '${TOOL}' $$ --action kill --yes ${quiet.join(' ')}; echo "exit $?"`);
    expect(firstLine(parent.stderr)).toMatch(/^analyze_process_impact: refusing to signal PID \d+: it is a parent of this tool \(sh\): stopping it stops this tool too$/);
    expect(parent.stderr.split('\n')[1]).toBe('  nothing was signalled; run the tool from another terminal');
    expect(parent.stdout).toBe('exit 1\n');
    const itself = run(`exec '${process.execPath}' '${TOOL}' $$ --action suspend --yes ${quiet.join(' ')}`);
    expect(firstLine(itself.stderr)).toMatch(/^analyze_process_impact: refusing to signal PID \d+: it is this tool itself$/);
    expect(itself.status).toBe(1);
  });

  /**
   * A session whose leader is no parent of the tool: the leader starts it through a subshell that exits at once, so
   * the tool is re-parented (to init or a subreaper). `target` is the PID to act on, written once known.
   */
  async function sessionRun(pick: (pids: { wrapper: number; leader: number }) => number) {
    const dir = temp();
    writeFileSync(
      join(dir, 'leader.sh'),
      `echo $$ > leader
( sh -c 'while [ ! -s target ]; do sleep 0.02; done; "$0" "$1" "$(cat target)" --action kill --yes --sample-ms 0 --no-gpu > out 2> err; echo $? > code' "$1" "$2" & )
exec sleep 30
`,
    );
    // `; true` keeps sh from exec'ing setsid: the wrapper stays a parent of the leader.
    const wrapper = start('sh', ['-c', 'setsid sh leader.sh "$0" "$1"; true', process.execPath, TOOL], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    expect(await waitFor(() => existsSync(join(dir, 'leader')) && readFileSync(join(dir, 'leader'), 'utf8').endsWith('\n'))).toBe(true);
    const leader = Number(readFileSync(join(dir, 'leader'), 'utf8'));
    writeFileSync(join(dir, 'target'), String(pick({ wrapper: wrapper.pid!, leader })));
    expect(await waitFor(() => existsSync(join(dir, 'code')) && readFileSync(join(dir, 'code'), 'utf8').endsWith('\n'))).toBe(true);
    const result = { code: Number(readFileSync(join(dir, 'code'), 'utf8')), stderr: readFileSync(join(dir, 'err'), 'utf8'), wrapper: wrapper.pid!, leader };
    expect(procState(leader)).toMatch(/^[RS]$/);
    expect(procState(wrapper.pid!)).toMatch(/^[RS]$/);
    process.kill(leader, 'SIGKILL');
    return result;
  }

  it('refuses its session leader when it is no parent of the tool', async () => {
    const { code, stderr, leader } = await sessionRun(({ leader }) => leader);
    expect(firstLine(stderr)).toBe(`analyze_process_impact: refusing to signal PID ${leader}: it leads this tool's session (sleep): its terminal would hang up and stop this tool too`);
    expect(code).toBe(1);
  });

  it('refuses a process whose tree holds its session leader', async () => {
    const { code, stderr, wrapper, leader } = await sessionRun(({ wrapper }) => wrapper);
    expect(firstLine(stderr)).toBe(
      `analyze_process_impact: refusing to kill PID ${wrapper}: its descendant PID ${leader} leads this tool's session (sleep): its terminal would hang up and stop this tool too`,
    );
    expect(code).toBe(1);
  });
});

const root = process.getuid?.() === 0;
if (!root) process.stderr.write('NOTICE: not root: the other-user tests (which start processes as nobody) are skipped\n');

describe.skipIf(!root)("another user's processes", () => {
  const nobody = 65534;
  const who = `${spawnSync('id', ['-nu', String(nobody)], { encoding: 'utf8' }).stdout.trim() || 'uid'} (uid ${nobody}), not to you (root (uid 0))`;

  it('are refused without --other-user, and acted on with it', async () => {
    const sleeper = start('sleep', ['30'], { uid: nobody, gid: nobody });
    expect(await waitFor(() => procState(sleeper.pid!) === 'S')).toBe(true);
    const refused = await runTool([String(sleeper.pid), '--action', 'suspend', '--yes', ...quiet]);
    expect(refused.stderr).toBe(`analyze_process_impact: refusing to signal PID ${sleeper.pid}: it belongs to ${who}\n  nothing was signalled; add --other-user to act on another user's process\n`);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(procState(sleeper.pid!)).toBe('S');

    const done = await runTool([String(sleeper.pid), '--action', 'suspend', '--yes', '--other-user', ...quiet]);
    expect(done.code).toBe(0);
    expect(await settledState(sleeper.pid!, ['T'])).toBe('T');
  });

  it('are refused as descendants of our own process', async () => {
    const parent = start(process.execPath, ['-e', `require('child_process').spawn('sleep', ['30'], { uid: ${nobody}, gid: ${nobody}, stdio: 'ignore' }); setInterval(() => {}, 1000);`]);
    const childrenFile = `/proc/${parent.pid}/task/${parent.pid}/children`;
    expect(await waitFor(() => existsSync(childrenFile) && readFileSync(childrenFile, 'utf8').trim() !== '')).toBe(true);
    const sleeper = Number(readFileSync(childrenFile, 'utf8').trim());
    const result = await runTool([String(parent.pid), '--action', 'kill', '--yes', ...quiet]);
    expect(firstLine(result.stderr)).toBe(`analyze_process_impact: refusing to kill PID ${parent.pid}: its descendant PID ${sleeper} belongs to ${who}`);
    expect(result.code).toBe(1);
    expect(procState(parent.pid!)).toMatch(/^[RS]$/);
    expect(procState(sleeper)).toBe('S');
    process.kill(sleeper, 'SIGKILL');
  });
});
