// The data scientist's kill guard, run as Claude Code runs it, against real processes: a fake training run
// (progress in its log, checkpoints, one being written, a rank of a 4-process job) and a harmless sleep;
// with a fake nvidia-smi putting the run on two GPUs, and with no nvidia-smi at all.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installFakeSmi } from '../support/fake-nvidia-smi.js';
import { DISTRIBUTED_ENV, fakeSmiFor, killFakeRuns, startFakeRun, type FakeRun } from '../tools/process-impact/fake-run.js';
import { bashPayload, decision, runHookScript } from './run-hook.js';

const base = mkdtempSync(join(tmpdir(), 'dp-kill-guard-'));
/** A PATH with node but no nvidia-smi, docker or tmux. */
const NO_GPU_PATH = `${join(base, 'empty-bin')}:${process.execPath.replace(/\/node$/, '')}:/usr/bin:/bin`.split(':').filter((d) => !d.includes('nvidia')).join(':');
let run: FakeRun;
let gpuPath: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  run = await startFakeRun(join(base, 'run'), { ...DISTRIBUTED_ENV, SLURM_JOB_ID: '4242' });
  gpuPath = fakeSmiFor(join(base, 'bin'), run);
}, 30_000);
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(() => {
  killFakeRuns();
  rmSync(base, { recursive: true, force: true });
});

function sleeper(): number {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

describe('kill guard: a stop that would lose work asks, with the facts', () => {
  it('kill -9 of the training run, with GPUs: work since the checkpoint, GPU-hours, the save in progress, the other ranks', async () => {
    const ran = await runHookScript('kill-guard', bashPayload(`kill -9 ${run.pid}`), { PATH: gpuPath });
    expect(ran.code).toBe(0);
    const answer = decision(ran)!;
    expect(answer.permissionDecision).toBe('ask');
    const reason = answer.permissionDecisionReason;
    expect(reason).toMatch(new RegExp(`^\`kill -9 ${run.pid}\` would stop work that is not saved:\\nPID ${run.pid} \\(.*train\\.mjs`));
    expect(reason).toMatch(/progress: \d+\/60 epoch/);
    expect(reason).toMatch(/work since the last checkpoint: .* \(resume from .*checkpoints\/model_epoch_\d+\.pt\)/);
    expect(reason).toMatch(/GPU-hours lost: [\d.]+ \(2 GPU\(s\) x the time since the last checkpoint\)/);
    expect(reason).toContain('a checkpoint write is in progress: ');
    expect(reason).toContain('in_progress.pt');
    expect(reason).toMatch(/rank 0 of 4: the 3 other rank\(s\) will fail/);
    expect(reason).toContain('SIGKILL cannot be caught');
    expect(reason).toContain(`scripts/analyze_process_impact.mjs ${run.pid}`);
  });

  it('with no nvidia-smi: still asks, without GPU figures', async () => {
    const answer = decision(await runHookScript('kill-guard', bashPayload(`kill ${run.pid}`), { PATH: NO_GPU_PATH }))!;
    expect(answer.permissionDecision).toBe('ask');
    expect(answer.permissionDecisionReason).toContain('work since the last checkpoint');
    expect(answer.permissionDecisionReason).not.toContain('GPU-hours');
  });

  it.each([
    ['after sudo in a chain', (pid: number) => `cd /tmp && sudo -u "$USER" kill -s KILL ${pid}; echo done`],
    ['pkill -f on its command line', () => 'pkill -9 -f "train.mjs --epochs"'],
    ['kill of what pgrep lists', () => 'kill $(pgrep -f train.mjs)'],
    ['pgrep piped to xargs kill', () => 'pgrep -f train.mjs | xargs -r kill -9'],
    ['inside bash -c', (pid: number) => `bash -c 'kill ${pid}'`],
    ['a kill of its process group', () => `kill -TERM -- -${readFileSync(`/proc/${run.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]}`],
    ['scancel of its Slurm job', () => 'scancel --signal=TERM 4242'],
    ['inside bash -lc', (pid: number) => `bash -lc 'kill -9 ${pid}'`],
    ['inside sh -ec --', (pid: number) => `sh -ec -- "kill ${pid}"`],
    ['through eval', (pid: number) => `eval "kill ${pid}"`],
    ['the name in ANSI-C quotes', (pid: number) => `$'\\x6bill' -9 ${pid}`],
  ])('%s', async (_name, command) => {
    const answer = decision(await runHookScript('kill-guard', bashPayload(command(run.pid)), { PATH: NO_GPU_PATH, USER: 'root' }));
    expect(answer?.permissionDecision).toBe('ask');
    expect(answer?.permissionDecisionReason).toContain(`PID ${run.pid} `);
  });

  it.each([
    ['a PID in a variable', 'kill -9 $PID', 'kill -9 $PID', '$PID'],
    ['PIDs piped in from a file', 'cat train.pid | xargs kill', 'kill', 'the processes piped or substituted into `kill`'],
    ['PIDs substituted from a file', 'kill -9 $(cat train.pid)', 'kill -9', 'the processes piped or substituted into `kill -9`'],
    ['every process the user may signal', 'kill -9 -1', 'kill -9 -1', '-1 (every process you may signal)'],
    ['every process of the user', 'pkill -u "$USER"', 'pkill -u $USER', 'every process matching -u $USER'],
    ['a job spec', 'kill %1', 'kill %1', '%1'],
    ['a Compose project', 'cd infra && docker compose down', 'docker compose down', 'the containers of the Compose project'],
    ['a systemd unit', 'sudo systemctl stop trainer', 'systemctl stop trainer', 'the processes of trainer'],
  ])('what the line cannot name asks: %s', async (_name, command, stop, what) => {
    const ran = await runHookScript('kill-guard', bashPayload(command), { PATH: NO_GPU_PATH });
    expect(ran.code).toBe(0);
    expect(decision(ran)).toEqual({
      hookEventName: 'PreToolUse',
      permissionDecision: 'ask',
      permissionDecisionReason: `\`${stop}\` stops processes this check cannot name before the command runs: ${what}. Find the PIDs first and check them with scripts/analyze_process_impact.mjs <pid>, or stop them by PID.`,
    });
  });

  it('killall by name: the run, or more processes than it checks one by one', async () => {
    const answer = decision(await runHookScript('kill-guard', bashPayload('killall -TERM node'), { PATH: NO_GPU_PATH }));
    expect(answer?.permissionDecision).toBe('ask');
    expect(answer?.permissionDecisionReason).toMatch(new RegExp(`PID ${run.pid} |would stop \\d+ of your processes`));
  });

  it('docker stop of the container the run is in (the container main process from docker inspect)', async () => {
    const path = installFakeSmi(join(base, 'docker-bin'), [{ match: ['inspect', 'trainer'], stdout: `${run.pid}\n` }], 'docker');
    const answer = decision(await runHookScript('kill-guard', bashPayload('docker stop -t 5 trainer'), { PATH: `${path.split(':')[0]}:${NO_GPU_PATH}` }));
    expect(answer?.permissionDecision).toBe('ask');
    expect(answer?.permissionDecisionReason).toContain(`PID ${run.pid} `);
  });
});

describe('kill guard: silent when nothing would be lost', () => {
  it.each([
    ['a kill of a harmless process', () => `kill ${sleeper()}`],
    ['a kill -9 of a harmless process', () => `kill -9 ${sleeper()}`],
    ['kill -0 (a liveness check)', () => `kill -0 ${run.pid}`],
    ['kill -CONT', () => `kill -CONT ${run.pid}`],
    ['kill -l', () => 'kill -l'],
    ['a PID that does not exist', () => 'kill 4000000'],
    ['words that only mention kill', () => `echo "kill ${run.pid}" && grep -r pkill .`],
    ['docker ps', () => 'docker ps'],
    ['docker rm without --force', () => 'docker rm trainer'],
    ['a pattern nothing matches', () => 'pkill -f no-such-process-anywhere'],
  ])('%s', async (_name, command) => {
    const ran = await runHookScript('kill-guard', bashPayload(command()), { PATH: NO_GPU_PATH });
    expect(ran).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('another tool or a malformed input: no decision, exit 0, the error in a private per-user log', async () => {
    const state = join(base, 'state');
    expect(await runHookScript('kill-guard', JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: 'x' } }))).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runHookScript('kill-guard', '{"tool_name": "Bash", "tool_input": ', { XDG_STATE_HOME: state })).toEqual({ code: 0, stdout: '', stderr: '' });
    const log = join(state, 'generator-dp', 'hooks.log');
    expect(readFileSync(log, 'utf8')).toMatch(/kill-guard: SyntaxError/);
    expect(statSync(log).mode & 0o777).toBe(0o600);
    expect(statSync(join(state, 'generator-dp')).mode & 0o777).toBe(0o700);
  });
});

describe('kill guard: a hung nvidia-smi', () => {
  it('still asks, without GPU figures (it gives nvidia-smi 2 s)', async () => {
    const path = installFakeSmi(join(base, 'hung-bin'), [{ match: [], stdout: '', delayMs: 30_000 }]);
    const answer = decision(await runHookScript('kill-guard', bashPayload(`kill ${run.pid}`), { PATH: path }));
    expect(answer?.permissionDecision).toBe('ask');
    expect(answer?.permissionDecisionReason).not.toContain('GPU-hours');
  }, 20_000);
});
