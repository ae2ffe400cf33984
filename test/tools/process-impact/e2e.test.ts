// End-to-end: the built dist/scripts/analyze_process_impact.mjs (the file users get) against a real fake training run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/tmp.js';
import { fakeSmiFor, killFakeRuns, procState, runTool, settledState, startFakeRun } from './fake-run.js';

const temp = useTempDir('dp-impact-');
afterEach(() => killFakeRuns());

describe('analyze_process_impact against a running fake training run', () => {
  it('reports every fact in --json', async () => {
    const run = await startFakeRun(temp());
    const path = fakeSmiFor(join(temp(), 'bin'), run);
    const result = await runTool([String(run.pid), '--json', '--sample-ms', '50'], { PATH: path });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual([
      'pid', 'command', 'user', 'state', 'startedAt', 'runtimeSeconds', 'progress', 'resources', 'checkpoints', 'ifKilledNow', 'children', 'distributed', 'recommendations', 'estimates', 'slurm',
    ]);
    expect(report.pid).toBe(run.pid);
    expect(report.command).toBe(`${process.execPath} train.mjs --epochs 60 --output_dir checkpoints`);
    expect(report.user).toEqual(expect.any(String));
    expect(report.state).toMatch(/^[RS] \((running|sleeping)\)$/);
    expect(Date.parse(report.startedAt)).toBeGreaterThan(Date.now() - 120_000);
    expect(report.runtimeSeconds).toBeGreaterThanOrEqual(0);

    expect(Object.keys(report.progress)).toEqual(['current', 'total', 'unit', 'percent', 'source', 'etaSeconds']);
    expect(report.progress).toMatchObject({ unit: 'epoch', total: 60 });
    expect(report.progress.current).toBeGreaterThanOrEqual(46);
    expect(report.progress.source).toContain(run.logPath);
    expect(report.progress.source).toContain('tqdm bar');
    expect(report.progress.etaSeconds).toEqual(expect.any(Number));

    expect(Object.keys(report.resources)).toEqual(['cpuPercent', 'threads', 'rssBytes', 'peakRssBytes', 'gpus']);
    expect(report.resources.cpuPercent).toEqual(expect.any(Number));
    expect(report.resources.threads).toBeGreaterThanOrEqual(1);
    expect(report.resources.rssBytes).toBeGreaterThan(0);
    expect(report.resources.peakRssBytes).toBeGreaterThanOrEqual(report.resources.rssBytes);
    expect(report.resources.gpus).toEqual([
      { index: 0, uuid: 'GPU-aaaa-0000', usedMemoryMiB: 20480 },
      { index: 1, uuid: 'GPU-bbbb-1111', usedMemoryMiB: 20992 },
    ]);

    const latest = report.checkpoints.latest;
    expect(Object.keys(latest)).toEqual(['path', 'modifiedAt', 'ageSeconds', 'sizeBytes']);
    expect(latest.path).toMatch(new RegExp(`^${run.dir}/checkpoints/model_epoch_\\d+\\.pt$`));
    expect(latest.sizeBytes).toBe(4096);
    expect(latest.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(report.checkpoints.intervalSeconds).toBeGreaterThan(0);
    expect(report.checkpoints.nextInSeconds).toBeGreaterThanOrEqual(0);

    const killed = report.ifKilledNow;
    expect(killed.resumeFrom).toBe(latest.path);
    expect(killed.writesInProgress).toEqual([join(run.dir, 'checkpoints', 'in_progress.pt')]);
    expect(killed.lostSeconds).toBeGreaterThanOrEqual(0);
    // GPU-hours = lost seconds / 3600 x 2 GPUs, rounded once to three decimals.
    expect(killed.gpuHoursLost).toBe(Math.round((killed.lostSeconds / 3600) * 2 * 1000) / 1000);

    const role = (pid: number) => report.children.find((c: { pid: number }) => c.pid === pid)?.role;
    expect(role(run.workers[0]!)).toBe('DataLoader worker');
    expect(role(run.workers[1]!)).toBe('DataLoader worker');
    expect(role(run.tensorboard)).toBe('TensorBoard');
    expect(role(run.wandb)).toBe(`W&B service, a child in its own session (serves this process via --pid ${run.pid}; not signalled: it exits by itself when the process ends)`);
    expect(report.children.find((c: { pid: number }) => c.pid === run.wandb).command).toContain(`--pid ${run.pid}`);

    // TORCHELASTIC_* variables but no torchrun process above it: the launcher is not named, its behaviour is hedged.
    expect(report.distributed).toMatchObject({ launcher: null, launcherEvidence: null, rank: 0, localRank: 0, worldSize: 4, masterAddr: '127.0.0.1', masterPort: 29500 });
    expect(report.distributed.peers.count).toBe(3);
    expect(report.distributed.peers.ifKilled).toMatch(/^if it runs under torchrun, as TORCHELASTIC_RUN_ID in its environment suggests .*2 of 3 restarts left/);
    expect(report.distributed.peers.ifSuspended).toContain('10 min by default for NCCL');

    expect(report.recommendations.map((r: { key: string; action: string; signal: string | null }) => [r.key, r.action, r.signal])).toEqual([
      ['W', 'wait', null],
      ['G', 'graceful', 'SIGTERM'],
      ['S', 'suspend', 'SIGSTOP'],
      ['K', 'kill', 'SIGKILL'],
    ]);
    expect(report.recommendations[0].reason).toContain('in_progress.pt');
    // The run must still be alive: analysing never signals.
    expect(procState(run.pid)).not.toBeNull();
  });

  it('prints the text report with every section', async () => {
    const run = await startFakeRun(temp());
    const path = fakeSmiFor(join(temp(), 'bin'), run);
    const { code, stdout } = await runTool([String(run.pid), '--sample-ms', '50'], { PATH: path });
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Process Impact Analysis - PID: ${run.pid} \\(node train\\.mjs\\)\\n═+\\n`));
    const sections = ['Current State:', 'Resources:', 'Checkpoints:', 'If Killed Now:', 'Estimates:', 'Child Processes', 'Distributed Training Impact:', 'Recommendations:'];
    const positions = sections.map((s) => stdout.indexOf(`\n${s}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(stdout).toMatch(/Progress: {3}Epoch \d+\/60 \(\d+%\)/);
    expect(stdout).toMatch(/GPU 0: {6}95% util \(whole GPU\), 20\.0 GiB used by this tree/);
    expect(stdout).toMatch(/GPU 1: {6}93% util \(whole GPU\), 20\.5 GiB used by this tree/);
    expect(stdout).toMatch(/Location: {3}checkpoints\/model_epoch_\d+\.pt/);
    expect(stdout).toContain('Being written right now: checkpoints/in_progress.pt');
    expect(stdout).toMatch(/GPU-hours lost: [\d.]+ \(2 GPUs × /);
    // The same GPU-hours, rounded once, in the kill recommendation; the loss in epochs; the whole job (world size 4).
    const flat = stdout.replace(/\s+/g, ' ');
    const hours = /GPU-hours lost: ([\d.]+) /.exec(stdout)![1]!;
    if (Number(hours) > 0) expect(flat).toContain(`(${hours} GPU-hours)`);
    expect(flat).toMatch(/In its own units: [\d.]+ epochs? since the last save \(estimate: \(epoch \d+ - 1 - epoch \d+ of the name model_epoch_\d+\.pt\)/);
    expect(flat).toMatch(/Whole job: [\d.]+ GPU-hours \(estimate: this process's [\d.]+ GPU-hours x world size 4/);
    expect(flat).toMatch(/Total run: [\d.]+s \(runtime so far \d+ s \+ ETA/);
    expect(stdout).toContain(`- DataLoader worker (PID ${run.workers[0]})`);
    expect(stdout).toContain(`- TensorBoard (PID ${run.tensorboard})`);
    expect(stdout).toContain(`- W&B service (PID ${run.wandb}, via --pid ${run.pid}; a child in its own session)`);
    expect(stdout).toContain('Rank:       0 of 4 (local rank 0) - the master rank');
    expect(stdout).toContain('Master:     127.0.0.1:29500');
    expect(stdout).toContain('[W] Wait');
    expect(stdout).toContain('[G] Graceful shutdown (SIGTERM)');
    expect(stdout).toContain('[S] Suspend (SIGSTOP)');
    expect(stdout).toContain('[K] Kill now (SIGKILL)');
    expect(stdout).toMatch(/Caught signals \(SigCgt\): .*SIGTERM/);
    expect(stdout).not.toContain('\x1b[');
  });

  it('[G] sends the graceful signal, which the run handles', async () => {
    const run = await startFakeRun(temp());
    const result = await runTool([String(run.pid), '--action', 'graceful', '--yes', '--sample-ms', '0', '--no-gpu']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Sent SIGTERM to PID ${run.pid}`);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(readFileSync(join(run.dir, 'signals.log'), 'utf8')).toBe('SIGTERM\n');
  });

  it('[S] stops the process and its descendants', async () => {
    const run = await startFakeRun(temp());
    const result = await runTool([String(run.pid), '--action', 'suspend', '--yes', '--sample-ms', '0', '--no-gpu']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Sent SIGSTOP to PID ${run.pid} and 3 descendant(s). Resume with: kill -CONT ${run.pid}`);
    for (const pid of [run.pid, ...run.workers, run.tensorboard]) expect(await settledState(pid, ['T'])).toBe('T');
    expect(procState(run.wandb)).not.toBe('T'); // a helper outside the tree is left alone
    expect(existsSync(join(run.dir, 'signals.log'))).toBe(false);
  });

  it('[K] kills the process tree but not the helper outside it', async () => {
    const run = await startFakeRun(temp());
    const result = await runTool([String(run.pid), '--action', 'kill', '--yes', '--sample-ms', '0', '--no-gpu']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Sent SIGKILL to PID ${run.pid} and 3 descendant(s).`);
    expect(result.stdout).toContain(`Left running: W&B service (PID ${run.wandb}): it exits by itself once PID ${run.pid} is gone.`);
    expect(result.stderr).toBe('');
    expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
    for (const pid of [...run.workers, run.tensorboard]) {
      expect(['Z', null]).toContain(await settledState(pid, ['Z', null]));
    }
  });

  it('signals nothing when --action comes with --json (the form the persona allows without asking)', async () => {
    const run = await startFakeRun(temp());
    for (const args of [['--action=kill', '--yes', '--json'], ['--action', 'graceful', '--yes', '--json'], ['--json', '--action=s', '-y']]) {
      const result = await runTool([String(run.pid), ...args, '--sample-ms', '0', '--no-gpu']);
      expect(result, args.join(' ')).toEqual({ code: 2, stdout: '', stderr: 'analyze_process_impact: --action cannot be combined with --json: run the action without --json so its effect is shown\n' });
    }
    expect(['T', 'Z', null]).not.toContain(procState(run.pid)); // still running: neither stopped, killed nor gone
    expect(existsSync(join(run.dir, 'signals.log'))).toBe(false);
  });

  it('[W] waits for the next complete checkpoint', async () => {
    const run = await startFakeRun(temp());
    const result = await runTool([String(run.pid), '--action', 'wait', '--poll-ms', '100', '--wait-timeout', '15', '--sample-ms', '0', '--no-gpu']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/New checkpoint: .*model_epoch_\d+\.pt \(4\.0 KiB/);
    expect(procState(run.pid)).not.toBeNull();
  });

  it('refuses to signal a PID whose start time is not the analysed one', async () => {
    const run = await startFakeRun(temp());
    const { stdout } = await runTool([String(run.pid), '--json', '--sample-ms', '0', '--no-gpu']);
    const startedAt = JSON.parse(stdout).startedAt as string;
    const earlier = new Date(Date.parse(startedAt) - 1000).toISOString();
    const result = await runTool([String(run.pid), '--action', 'kill', '--yes', '--expect-started-at', earlier, '--sample-ms', '0', '--no-gpu']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`analyze_process_impact: PID ${run.pid} started at ${startedAt}, not at ${earlier}: it is not the process you analysed (PID reused); nothing was signalled`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(procState(run.pid)).not.toBeNull();
    // The same identity is accepted.
    const again = await runTool([String(run.pid), '--action', 'suspend', '--yes', '--expect-started-at', startedAt, '--sample-ms', '0', '--no-gpu']);
    expect(again.code).toBe(0);
    expect(await settledState(run.pid, ['T'])).toBe('T');
  });

  it('needs --yes to signal when there is no terminal', async () => {
    const run = await startFakeRun(temp());
    const result = await runTool([String(run.pid), '--action', 'kill', '--sample-ms', '0', '--no-gpu']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--action kill signals the process: add --yes to confirm');
    expect(procState(run.pid)).not.toBeNull();
  });

  it('names what it cannot read in another user\'s process', async () => {
    if (process.getuid?.() !== 0) {
      // Not root: analyse PID 1 when another user owns it.
      const owner = (await import('node:fs')).statSync('/proc/1').uid;
      if (owner === process.getuid?.()) return void process.stderr.write('NOTICE: no process of another user to analyse: test skipped\n');
      const result = await runTool(['1', '--json', '--sample-ms', '0', '--no-gpu']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).pid).toBe(1);
      return;
    }
    const run = await startFakeRun(temp());
    const nobody = { uid: 65534, gid: 65534 };
    const json = await runTool([String(run.pid), '--json', '--sample-ms', '20', '--no-gpu'], {}, nobody);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.pid).toBe(run.pid);
    expect(report.resources.rssBytes).toBeGreaterThan(0);
    expect(report.resources.gpus).toBeNull();
    expect(report.distributed).toBeNull();
    expect(report.progress).toBeNull();
    const text = await runTool([String(run.pid), '--sample-ms', '20', '--no-gpu'], {}, nobody);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Not readable (process of');
    expect(text.stdout).toContain('environment (environ): permission denied');
    expect(text.stdout).toContain('open files (fd/, fdinfo/): permission denied');
    expect(text.stdout).toContain('GPUs:       unknown (GPU query skipped (--no-gpu); its open files are not readable either');
  });
});
