// Bad input, processes that vanish, the terminal pick, and a Python run (SIGINT -> KeyboardInterrupt).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../shared/tools/lib/cli.js';
import { main } from '../../../shared/tools/process-impact/main.js';
import { installFakeSmi } from '../../support/fake-nvidia-smi.js';
import { startTracked, waitFor } from '../../support/processes.js';
import { useTempDir } from '../../support/tmp.js';
import { TOOL, killFakeRuns, procState, runTool, settledState, startFakeRun } from './fake-run.js';

const temp = useTempDir('dp-impact-cli-');
const children: ChildProcess[] = [];
const groups: number[] = [];
afterEach(() => {
  killFakeRuns();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }
});

const start = (command: string, args: string[], options: Parameters<typeof spawn>[2] = {}) => startTracked(children, command, args, options);

describe('bad input: one clear line, never a stack trace', () => {
  it.each([
    [[], 2, 'analyze_process_impact: no PID given\n  usage: analyze_process_impact <pid> [--json] (find one with: pgrep -af train)\n'],
    [['12ab'], 2, "analyze_process_impact: '12ab' is not a PID (a positive whole number)\n  find the PID with: pgrep -af <script name>\n"],
    [['1', '2'], 2, 'analyze_process_impact: expected one PID, got 2 arguments: 1 2\n  analyse one process at a time\n'],
    [['99999999'], 1, 'analyze_process_impact: no process with PID 99999999\n  it may have exited already; list candidates with: pgrep -af python\n'],
    [['1', '--action', 'explode'], 2, "analyze_process_impact: --action must be wait, graceful, suspend or kill, got 'explode'\n"],
    [['1', '--sample-ms', 'soon'], 2, "analyze_process_impact: --sample-ms must be an integer between 0 and 60000, got 'soon'\n"],
    // --json is the form the persona allows without asking: no action may ride along on it, in any spelling.
    [['1', '--action', 'kill', '--yes', '--json'], 2, 'analyze_process_impact: --action cannot be combined with --json: run the action without --json so its effect is shown\n'],
    [['1', '--action=kill', '--yes', '--json'], 2, 'analyze_process_impact: --action cannot be combined with --json: run the action without --json so its effect is shown\n'],
    [['1', '--json', '--action=k', '-y'], 2, 'analyze_process_impact: --action cannot be combined with --json: run the action without --json so its effect is shown\n'],
    [['1', '--action', 'wait', '--json'], 2, 'analyze_process_impact: --action cannot be combined with --json: run the action without --json so its effect is shown\n'],
  ])('%j -> exit %i', async (args, code, stderr) => {
    const result = await runTool(args as string[]);
    expect(result.stderr).toBe(stderr);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
  });

  it('rejects unknown options', async () => {
    const result = await runTool(['1', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^analyze_process_impact: unknown option '--bogus'.*\n  run 'analyze_process_impact --help' for the options\n$/);
  });

  it('prints help', async () => {
    const result = await runTool(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: analyze_process_impact <pid> [options]');
    expect(result.stdout).toContain('--action <name>');
    expect(result.stdout).toContain('report only: it cannot be combined with --action');
  });

  it('refuses a zombie and names its parent', async () => {
    // `exec sleep` replaces the shell, and sleep never reaps the background child: it stays a zombie.
    const parent = start('sh', ['-c', 'sleep 0 & exec sleep 30']);
    let zombie: number | null = null;
    await waitFor(() => {
      for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
        try {
          const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
          const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          if (rest[0] === 'Z' && Number(rest[1]) === parent.pid) zombie = Number(name);
        } catch {
          // exited
        }
      }
      return zombie !== null;
    });
    expect(zombie).not.toBeNull();
    const result = await runTool([String(zombie), '--sample-ms', '0', '--no-gpu']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`analyze_process_impact: PID ${zombie} is a zombie: it has already exited and waits for its parent (PID ${parent.pid}) to reap it`);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('says so when the process exits during the analysis', async () => {
    const target = start('sleep', ['30']);
    const bin = join(temp(), 'bin');
    // The fake nvidia-smi is called right after the CPU sample starts: its call log says the analysis is under way.
    const path = installFakeSmi(bin, [{ match: [], stdout: '' }]);
    const pending = runTool([String(target.pid), '--sample-ms', '1500'], { PATH: path });
    expect(await waitFor(() => existsSync(join(bin, 'nvidia-smi.calls.log')))).toBe(true);
    target.kill('SIGKILL');
    const result = await pending;
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`analyze_process_impact: PID ${target.pid} exited during the analysis\n  nothing to stop any more; check its log for how it ended\n`);
  });

  it('reads progress through a `| tee log` pipeline', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'loop.js'), "let i = 0; setInterval(() => console.log('step ' + ++i + '/500 loss=1.0 4.00 it/s'), 20);");
    // A process group of its own, so that the shell, node and tee all go at the end.
    const shell = start('sh', ['-c', `'${process.execPath}' loop.js | tee run.log > /dev/null`], { cwd: dir, detached: true });
    groups.push(shell.pid!);
    expect(await waitFor(() => existsSync(join(dir, 'run.log')) && readFileSync(join(dir, 'run.log'), 'utf8').includes('step 3/500'))).toBe(true);
    const kids = readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, 'utf8').trim().split(' ').map(Number);
    const node = kids.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('loop.js'))!;
    const tee = kids.find((pid) => pid !== node)!;
    const result = await runTool([String(node), '--json', '--sample-ms', '0', '--no-gpu']);
    expect(result.code).toBe(0);
    const progress = JSON.parse(result.stdout).progress;
    expect(progress).toMatchObject({ unit: 'step', total: 500, etaSeconds: expect.any(Number) });
    expect(progress.source).toBe(`'step ${progress.current}/500' line in ${join(dir, 'run.log')} (stdout via tee (PID ${tee}))`);
  });

  it('refuses to run anywhere but Linux', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    try {
      await expect(main(['1'])).rejects.toThrow(UsageError);
      await expect(main(['1'])).rejects.toThrow('this tool reads Linux /proc; this is darwin');
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Run the tool on a pseudo-terminal (util-linux `script`), typing `input`. */
function onTerminal(args: string[], input: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const command = [process.execPath, TOOL, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stdin!.write(input);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!hasScript)('on a terminal', () => {
  it('lets the user pick [S] and confirm, and uses colour unless NO_COLOR', async () => {
    const run = await startFakeRun(temp());
    const { code, output } = await onTerminal([String(run.pid), '--sample-ms', '20', '--no-gpu'], 's\ny\n', { NO_COLOR: '' });
    expect(output).toContain('Choose [W]ait, [G]raceful, [S]uspend, [K]ill, or Enter to leave it running:');
    expect(output).toMatch(/Send SIGSTOP to PID \d+ \(.*\) and its 3 descendant\(s\)\? \[y\/N\]/);
    expect(output).toContain(`Sent SIGSTOP to PID ${run.pid} and 3 descendant(s).`);
    expect(output).toContain('\x1b[1mRecommendations:\x1b[0m');
    expect(code).toBe(0);
    expect(await settledState(run.pid, ['T'])).toBe('T');
  });

  it('does nothing when the user does not confirm, and honours NO_COLOR', async () => {
    const run = await startFakeRun(temp());
    const { code, output } = await onTerminal([String(run.pid), '--sample-ms', '20', '--no-gpu'], 'k\nn\n', { NO_COLOR: '1' });
    expect(output).toContain('Nothing was done.');
    expect(output).not.toContain('\x1b[');
    expect(code).toBe(0);
    expect(procState(run.pid)).toMatch(/[RS]/);
  });
});

const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
const pythonPath = python.status === 0 ? python.stdout.trim() : null;
if (!pythonPath) process.stderr.write('NOTICE: python3 not found: the Python training-run test is skipped\n');

const PY_TRAIN = `
import os, time
print("starting", flush=True)
parent = os.getpid()
worker = os.fork()
if worker == 0:
    while os.getppid() == parent: time.sleep(0.05)  # like a DataLoader worker: exit when the parent is gone
    os._exit(0)
try:
    step = 0
    while True:
        step += 1
        print(f"step {step}/1000 loss=0.5 12.50 it/s", flush=True)
        time.sleep(0.05)
except KeyboardInterrupt:
    with open("interrupted", "w") as f: f.write("KeyboardInterrupt")
    os.kill(worker, 9)
`;

describe.skipIf(!pythonPath)('a Python training run', () => {
  it('is stopped gracefully with SIGINT, which Python turns into KeyboardInterrupt', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'train.py'), PY_TRAIN);
    const log = join(dir, 'train.log');
    const out = openSync(log, 'w');
    const run = start(pythonPath!, ['train.py', 'x'], { cwd: dir, stdio: ['ignore', out, out] });
    closeSync(out);
    expect(await waitFor(() => readFileSync(log, 'utf8').includes('step 3/1000'))).toBe(true);

    const report = await runTool([String(run.pid), '--json', '--sample-ms', '20', '--no-gpu']);
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout);
    expect(json.progress).toMatchObject({ unit: 'step', total: 1000 });
    expect(json.progress.etaSeconds).toBeGreaterThan(0);
    expect(json.children).toEqual([{ pid: expect.any(Number), role: 'forked worker (same command as its parent: DataLoader or multiprocessing worker)', command: `${pythonPath} train.py x` }]);
    const graceful = json.recommendations.find((r: { key: string }) => r.key === 'G');
    expect(graceful.signal).toBe('SIGINT');
    expect(graceful.reason).toContain('KeyboardInterrupt');

    const stop = await runTool([String(run.pid), '--action', 'graceful', '--yes', '--sample-ms', '0', '--no-gpu']);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`Sent SIGINT to PID ${run.pid}. It has a handler for it`);
    expect(await waitFor(() => existsSync(join(dir, 'interrupted')))).toBe(true);
    expect(readFileSync(join(dir, 'interrupted'), 'utf8')).toBe('KeyboardInterrupt');
  });
});
