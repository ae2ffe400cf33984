// The judgements the report makes from facts: roles, helpers, launcher behaviour, the graceful signal,
// recommendations, and the identity check before signalling (on a fake /proc tree).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DpError } from '../../../shared/tools/lib/cli.js';
import { commandString, type ProcEntry } from '../../../shared/tools/lib/proc.js';
import { signalIdentities } from '../../../shared/tools/process-impact/actions.js';
import { childTree, helperRole, isLauncher, pidArgument, relativesOf, roleOf } from '../../../shared/tools/process-impact/children.js';
import { analyzeDistributed, launcherOfCommand } from '../../../shared/tools/process-impact/distributed.js';
import { checkIdentity, parsePid, readProcessFacts } from '../../../shared/tools/process-impact/identity.js';
import { recommend, type RecommendationInput } from '../../../shared/tools/process-impact/recommendations.js';
import { chooseGraceful, signalMasks } from '../../../shared/tools/process-impact/signals.js';
import { parseStatus } from '../../../shared/tools/lib/proc.js';
import { useTempDir } from '../../support/tmp.js';

const temp = useTempDir('dp-decide-');

function entry(pid: number, ppid: number, cmdline: string[], comm = 'python'): ProcEntry {
  return { pid, ppid, pgrp: pid, session: pid, flags: 0, comm, state: 'S', cpuTicks: 0, threads: 1, startTicks: pid * 10, rssPages: 0, uid: 1000, cmdline };
}

/** A fake /proc/<pid> with a stat line (starttime = field 22) and cmdline. */
function fakeProc(root: string, pid: number, startTicks: number, state = 'S', cmdline = ['python', 'train.py']): void {
  mkdirSync(join(root, String(pid)), { recursive: true });
  const fields = [state, '1', String(pid), String(pid), '0', '-1', '0', '0', '0', '0', '0', '50', '20', '0', '0', '20', '0', '4', '0', String(startTicks), '1000', '100'];
  writeFileSync(join(root, String(pid), 'stat'), `${pid} (python) ${fields.join(' ')}\n`);
  writeFileSync(join(root, String(pid), 'cmdline'), `${cmdline.join('\0')}\0`);
  writeFileSync(join(root, String(pid), 'status'), `Name:\tpython\nState:\t${state} (${state === 'Z' ? 'zombie' : 'sleeping'})\nUid:\t0\t0\t0\t0\nThreads:\t4\n`);
}

describe('roles and helpers', () => {
  const trainer = entry(100, 1, ['python', 'train.py']);
  it('names DataLoader workers by comm and by start method, trackers and monitors', () => {
    expect(roleOf(entry(101, 100, ['python', 'train.py'], 'pt_data_worker'), trainer)).toBe('DataLoader worker');
    expect(roleOf(entry(102, 100, ['python', 'train.py']), trainer)).toBe('forked worker (same command as its parent: DataLoader or multiprocessing worker)');
    expect(roleOf(entry(103, 100, ['python', '-B', '-c', 'from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7)', '--multiprocessing-fork']), trainer)).toBe(
      'multiprocessing worker (spawn; e.g. DataLoader)',
    );
    expect(roleOf(entry(104, 100, ['python', '-c', 'from multiprocessing.resource_tracker import main;main(4)']), trainer)).toBe('multiprocessing resource tracker');
    expect(roleOf(entry(105, 100, ['python', '/usr/bin/tensorboard', '--logdir', 'runs']), trainer)).toBe('TensorBoard');
    expect(roleOf(entry(106, 100, ['mlflow', 'ui']), trainer)).toBe('MLflow helper');
    expect(roleOf(entry(107, 100, ['nvidia-smi', 'dmon']), trainer)).toBe('monitor');
    expect(roleOf(entry(108, 100, ['bash', 'scripts/gpu_monitor.sh']), trainer)).toBe('monitor');
    expect(roleOf(entry(109, 100, ['rsync', '-a', 'x', 'y']), trainer)).toBe('other');
  });

  it('finds --pid helpers outside the tree and takes in-tree ones (with their children) out of it', () => {
    const table = [
      trainer,
      entry(101, 100, ['python', 'train.py'], 'pt_data_worker'),
      entry(102, 100, ['/venv/bin/wandb-core', '--port-filename', '/tmp/w/port-100.txt', '--pid', '100'], 'wandb-core'),
      entry(103, 102, ['wandb-helper-child']),
      entry(200, 1, ['/venv/bin/wandb-core', '--pid=101'], 'wandb-core'),
      entry(300, 1, ['other', '--pid', '999']),
    ];
    const { tree, helpers } = childTree(trainer, { entries: table, ...relativesOf(trainer, table) });
    expect(tree.map((m) => [m.entry.pid, m.role])).toEqual([[101, 'DataLoader worker']]);
    expect(helpers.map((h) => [h.entry.pid, h.link, h.descendant])).toEqual([
      [102, '--pid 100', true],
      [200, '--pid=101', false],
    ]);
    expect(helperRole(helpers[1]!)).toBe('W&B service, not a descendant (serves this process via --pid=101; keeps running)');
    expect(pidArgument(['wandb', 'service', '/tmp/x/port-77.txt'])).toEqual({ pid: 77, link: 'port-77.txt' });
  });
});

describe('distributed', () => {
  const worker = entry(500, 400, ['python', '-u', 'train.py']);
  const agent = entry(400, 1, ['/usr/bin/python', '/usr/bin/torchrun', '--nproc-per-node', '8', 'train.py'], 'pt_elastic');
  const env = (value: Record<string, string>) => ({ ok: true as const, value });

  it('torchrun without restarts left: the job fails', () => {
    const facts = analyzeDistributed(worker, env({ RANK: '3', LOCAL_RANK: '3', WORLD_SIZE: '16', MASTER_ADDR: 'node1', MASTER_PORT: '29400', TORCHELASTIC_RUN_ID: 'x', TORCHELASTIC_RESTART_COUNT: '0', TORCHELASTIC_MAX_RESTARTS: '0' }), [agent])!;
    expect(facts.json).toMatchObject({ launcher: 'torchrun', rank: 3, localRank: 3, worldSize: 16, masterAddr: 'node1', masterPort: 29400 });
    expect(facts.agent?.pid).toBe(400);
    expect(facts.json.peers.count).toBe(15);
    expect(facts.json.peers.ifKilled).toContain('the job fails: no restarts left (--max-restarts 0, 0 used)');
    expect(facts.details.join('\n')).not.toContain('TCPStore (TORCHELASTIC_USE_AGENT_STORE is not True)');
  });

  it('Slurm: other tasks keep running unless kill-on-bad-exit', () => {
    const slurm = { SLURM_JOB_ID: '77', SLURM_PROCID: '1', SLURM_NTASKS: '4', SLURM_LOCALID: '1' };
    const keep = analyzeDistributed(worker, env(slurm), [entry(300, 1, ['slurmstepd: [77.0]'], 'slurmstepd')])!;
    expect(keep.json).toMatchObject({ launcher: 'slurm', rank: 1, localRank: 1, worldSize: 4 });
    expect(keep.json.peers.ifKilled).toContain('Slurm keeps the other tasks running (SLURM_KILL_BAD_EXIT not set: slurm.conf KillOnBadExit decides, default 0)');
    const kill = analyzeDistributed(worker, env({ ...slurm, SLURM_KILL_BAD_EXIT: '1' }), [entry(300, 1, ['slurmstepd: [77.0]'], 'slurmstepd')])!;
    expect(kill.json.peers.ifKilled).toContain('terminates the whole step');
  });

  it('names a launcher only from a launcher process, never from variables alone', () => {
    const deepspeed = analyzeDistributed(worker, env({ RANK: '0', WORLD_SIZE: '2', CROSS_RANK: '0', LOCAL_SIZE: '2' }), [])!;
    expect(deepspeed.json).toMatchObject({ launcher: null, launcherEvidence: null, rank: 0, worldSize: 2 });
    expect(deepspeed.json.peers.ifKilled).toMatch(/^if it runs under deepspeed, as CROSS_RANK\/LOCAL_SIZE in its environment suggests \(no deepspeed process was found among its ancestors, so none is named\): the DeepSpeed launcher/);
    expect(deepspeed.details).toContain('launcher not named: CROSS_RANK/LOCAL_SIZE suggests deepspeed, but no launcher process runs above it (a variable alone is no evidence: it is inherited and copied)');
    const launcher = entry(400, 1, ['/usr/bin/python', '-u', '-m', 'deepspeed.launcher.launch', '--world_info=e30=', 'train.py'], 'python');
    const named = analyzeDistributed(worker, env({ RANK: '0', WORLD_SIZE: '2', CROSS_RANK: '0', LOCAL_SIZE: '2' }), [launcher])!;
    expect(named.json).toMatchObject({ launcher: 'deepspeed', launcherEvidence: 'ancestor PID 400: /usr/bin/python -u -m deepspeed.launcher.launch --world_info=e30= train.py' });
    expect(named.json.peers.ifKilled).toMatch(/^the DeepSpeed launcher/);
    const accelerate = analyzeDistributed(worker, env({ RANK: '0', WORLD_SIZE: '2', ACCELERATE_MIXED_PRECISION: 'bf16', TORCHELASTIC_RUN_ID: 'x' }), [])!;
    expect(accelerate.json.launcher).toBeNull();
    expect(accelerate.json.peers.ifKilled).toContain('as ACCELERATE_MIXED_PRECISION in its environment suggests');
    expect(analyzeDistributed(worker, env({ RANK: '0', WORLD_SIZE: '2', ACCELERATE_MIXED_PRECISION: 'bf16' }), [entry(401, 1, ['/venv/bin/accelerate', 'launch', 'train.py'])])!.json.launcher).toBe('accelerate');
    expect(analyzeDistributed(worker, env({ OMPI_COMM_WORLD_RANK: '2', OMPI_COMM_WORLD_SIZE: '8' }), [])!.json).toMatchObject({ launcher: null, rank: 2, worldSize: 8 });
    expect(analyzeDistributed(worker, env({ OMPI_COMM_WORLD_RANK: '2', OMPI_COMM_WORLD_SIZE: '8' }), [entry(402, 1, ['mpirun', '-np', '8', 'python', 'train.py'], 'mpirun')])!.json).toMatchObject({ launcher: 'mpi', rank: 2, worldSize: 8 });
    const plain = analyzeDistributed(worker, env({ RANK: '0', WORLD_SIZE: '2', MASTER_ADDR: 'h' }), [])!;
    expect(plain.json.launcher).toBeNull();
    expect(plain.json.peers.ifKilled).toContain('10 min by default for NCCL');
    expect(analyzeDistributed(worker, env({ PATH: '/bin' }), [])).toBeNull();
  });

  it('knows when the analysed process is the launcher itself', () => {
    const facts = analyzeDistributed(agent, env({ PATH: '/bin' }), [])!;
    expect(facts.json.launcher).toBe('torchrun');
    expect(facts.details.join('\n')).toContain('this process is the torchrun launcher itself: its worker ranks are its descendants');
  });

  it('uses ancestors and --local_rank when the environment is unreadable', () => {
    const ds = entry(600, 550, ['python', 'train.py', '--local_rank=1']);
    const facts = analyzeDistributed(ds, { ok: false, reason: 'permission', message: 'permission denied' }, [entry(550, 1, ['python', '-u', '-m', 'deepspeed.launcher.launch', '--world_info=x'])])!;
    expect(facts.json).toMatchObject({ launcher: 'deepspeed', localRank: 1, rank: null });
    expect(facts.details.join('\n')).toContain('environment unreadable (permission denied)');
  });
});

describe('launchers', () => {
  const launchers = [
    ['/usr/bin/python', '/usr/bin/torchrun', '--nproc-per-node', '8', 'train.py'],
    ['python', '-m', 'torch.distributed.run', '--nproc_per_node=2', 'train.py'],
    ['/usr/bin/python', '/usr/local/bin/deepspeed', '--num_gpus', '8', 'train.py'],
    ['python', '-u', '-m', 'deepspeed.launcher.launch', '--world_info=x'],
    ['/usr/bin/python', '/usr/local/bin/accelerate', 'launch', 'train.py'],
    ['srun', '-n', '4', 'python', 'train.py'],
    ['mpirun', '-np', '4', 'python', 'train.py'],
  ];
  const workers = [
    // Hugging Face Trainer: --deepspeed names a config file; the script is a worker, not a launcher.
    ['python', 'train.py', '--deepspeed', 'ds.json'],
    ['python', 'train.py', '--deepspeed=ds_zero3.json', '--output_dir', 'out'],
    ['python', 'train.py', '--torchrun-style'],
    ['accelerate', 'config'],
  ];

  it('is one decision: isLauncher says what launcherOfCommand names', () => {
    for (const argv of [...launchers, ...workers]) expect(isLauncher({ cmdline: argv }), argv.join(' ')).toBe(launcherOfCommand(argv) !== null);
    for (const argv of launchers) expect(isLauncher({ cmdline: argv }), argv.join(' ')).toBe(true);
    for (const argv of workers) expect(isLauncher({ cmdline: argv }), argv.join(' ')).toBe(false);
  });

  it('a Hugging Face Trainer run with --deepspeed ds.json: no "forwards the signal", and its children are not training workers', () => {
    const root = temp();
    const trainer = entry(700, 1, ['python', 'train.py', '--deepspeed', 'ds.json']);
    expect(roleOf(entry(701, 700, ['python', 'eval.py']), trainer, root)).toBe('other');
    const [, graceful] = recommend({ ...base, isLauncher: isLauncher(trainer) });
    expect(graceful!.reason).not.toContain('as a launcher it forwards the signal');
    // Under a real launcher, Python children are its ranks.
    const torchrun = entry(800, 1, ['/usr/bin/python', '/usr/bin/torchrun', '--nproc-per-node', '8', 'train.py']);
    expect(roleOf(entry(801, 800, ['python', 'train.py']), torchrun, root)).toBe('training worker (started by the launcher)');
    expect(recommend({ ...base, isLauncher: isLauncher(torchrun) })[1]!.reason).toContain('as a launcher it forwards the signal to its worker ranks');
  });
});

describe('graceful signal from the caught-signal mask', () => {
  const masks = (sigCgt: string, sigIgn = '0') => signalMasks(parseStatus(`SigCgt:\t${sigCgt}\nSigIgn:\t${sigIgn}\n`));
  const py = { python: true, node: false, slurm: false };
  it('plain Python: SIGINT (KeyboardInterrupt), because SIGTERM has no handler', () => {
    const choice = chooseGraceful(masks('0000000000000002'), py);
    expect(choice).toMatchObject({ signal: 'SIGINT', handled: true });
    expect(choice.reason).toContain('KeyboardInterrupt');
  });
  it('a SIGTERM handler wins; under Slurm a SIGUSR1 handler wins (Lightning requeue)', () => {
    expect(chooseGraceful(masks('0000000000004002'), py).signal).toBe('SIGTERM');
    expect(chooseGraceful(masks('0000000000004202'), { ...py, slurm: true }).signal).toBe('SIGUSR1');
    expect(chooseGraceful(masks('0000000000004202'), py).signal).toBe('SIGTERM');
  });
  it('no handler: SIGTERM, stated as no better than a kill; says when SIGINT is ignored', () => {
    const choice = chooseGraceful(masks('0', '0000000000000006'), py);
    expect(choice).toMatchObject({ signal: 'SIGTERM', handled: false });
    expect(choice.reason).toContain('the same loss as [K]');
    expect(choice.reason).toContain('SIGINT is ignored');
  });
});

const base: RecommendationInput = {
  pid: 10, state: 'S', descendants: [11, 12], helpers: 0, latestCheckpoint: '/r/ckpt.pt', nextInSeconds: 900, nextFormula: 'last save + interval 1800 s',
  lostSeconds: 600, gpuHoursLost: 0.333, writesInProgress: [], graceful: { signal: 'SIGTERM', handled: true, reason: 'handler' }, distributed: null, agent: null, isLauncher: false, refused: null,
};

describe('recommendations', () => {
  it('states the wait, the cost of a kill and the tree', () => {
    const [w, g, s, k] = recommend(base);
    expect(w!.reason).toBe('the next checkpoint is due in ~15m 00s (estimate: last save + interval 1800 s); stopping right after it loses almost nothing');
    expect(g).toMatchObject({ key: 'G', action: 'graceful', signal: 'SIGTERM' });
    expect(s!.reason).toContain('SIGSTOP to PID 10 and its 2 descendants; resume later with SIGCONT (kill -CONT 10 11 12)');
    expect(k!.reason).toBe('SIGKILL to PID 10 and its 2 descendants (cannot be caught): loses 10m 00s of work since the last checkpoint (0.333 GPU-hours)');
  });
  it('warns about writes in progress, stopped and D-state processes, and torchrun workers', () => {
    const recs = recommend({ ...base, state: 'D', writesInProgress: ['/r/next.pt'], agent: { pid: 5, launcher: 'torchrun' } });
    expect(recs[0]!.reason).toContain('a checkpoint is being written right now (/r/next.pt)');
    expect(recs[1]!.reason).toContain('signal the agent instead');
    expect(recs[3]!.reason).toContain('uninterruptible sleep (D)');
    expect(recommend({ ...base, state: 'T' })[1]!.reason).toContain('SIGCONT follows');
  });
});

describe('identity', () => {
  it('parses PIDs strictly', () => {
    expect(parsePid('42')).toBe(42);
    for (const bad of ['abc', '-1', '0', '12x', '1.5', '']) expect(() => parsePid(bad), bad).toThrow(DpError);
    expect(() => parsePid(undefined)).toThrow('no PID given');
  });

  it('quotes arguments with spaces in the command', () => {
    expect(commandString(['python', 'train.py', '--name', 'my run'], 'python', { quote: true })).toBe('python train.py --name "my run"');
    expect(commandString([], 'kworker/0:1', { quote: true })).toBe('[kworker/0:1]');
  });

  it('refuses a zombie with the parent to look at', () => {
    const root = temp();
    fakeProc(root, 300, 5000, 'Z', []);
    writeFileSync(join(root, 'stat'), 'btime 1700000000\n');
    writeFileSync(join(root, 'uptime'), '100000.00 1.00\n');
    expect(() => readProcessFacts(300, root)).toThrow(/PID 300 is a zombie: it has already exited and waits for its parent \(PID 1\)/);
  });

  it('never signals a PID whose start time changed; skips descendants that changed', () => {
    const root = temp();
    fakeProc(root, 300, 5000);
    fakeProc(root, 301, 5100);
    fakeProc(root, 302, 5200);
    const kill = vi.fn();
    const log = vi.fn();
    expect(checkIdentity({ pid: 300, startTicks: 5000 }, root)).toBe('same');
    // 302 was reused by another process since the analysis (it had start time 5150 then).
    expect(signalIdentities([{ pid: 300, startTicks: 5000 }, { pid: 301, startTicks: 5100 }, { pid: 302, startTicks: 5150 }], 'SIGKILL', { root, log, kill })).toEqual([300, 301]);
    expect(kill.mock.calls).toEqual([[300, 'SIGKILL'], [301, 'SIGKILL']]);
    expect(log).toHaveBeenCalledWith('  skipped PID 302: its PID now belongs to another process');
    // The analysed process itself was replaced: nothing at all is signalled.
    kill.mockClear();
    fakeProc(root, 300, 9999);
    expect(checkIdentity({ pid: 300, startTicks: 5000 }, root)).toBe('changed');
    expect(() => signalIdentities([{ pid: 300, startTicks: 5000 }, { pid: 301, startTicks: 5100 }], 'SIGTERM', { root, log, kill })).toThrow(
      'PID 300 now belongs to a different process (its start time changed since the analysis): nothing was signalled',
    );
    expect(kill).not.toHaveBeenCalled();
    expect(() => signalIdentities([{ pid: 404, startTicks: 1 }], 'SIGTERM', { root, log, kill })).toThrow('PID 404 has exited since the analysis: nothing was signalled');
  });
});
