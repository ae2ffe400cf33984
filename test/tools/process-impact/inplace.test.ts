// A job that overwrites one checkpoint file in place: its saves seen through "saved checkpoint" lines in its log and
// through successive mtimes while watching; lost work in steps; a stopped job's stop time not counted; the launcher
// named from a launcher process. Real processes, the built tool.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/tmp.js';
import { killFakeJobs, startFakeJob } from './fake-job.js';
import { runTool, settledState } from './fake-run.js';

const temp = useTempDir('dp-inplace-');
afterEach(() => killFakeJobs());

const report = async (pid: number, extra: string[] = []) => {
  const result = await runTool([String(pid), '--json', '--sample-ms', '0', '--no-gpu', ...extra]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
};

describe('control characters in what the report shows', () => {
  it('a working directory, log and checkpoint path holding an escape sequence are shown escaped, never sent to the terminal', async () => {
    const job = await startFakeJob(join(temp(), 'run\x1b[2J\x1b]0;owned\x07'), { env: { JOB_STEP_MS: '20', JOB_SAVE_EVERY: '10', JOB_SAVE_LINE: 'plain' } });
    const text = await runTool([String(job.pid), '--sample-ms', '0', '--no-gpu'], { NO_COLOR: '1' });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('run\\x1b[2J\\x1b]0;owned\\x07');
    expect(text.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    // What the action prints (the checkpoint written while stopping) too.
    const stop = await runTool([String(job.pid), '--sample-ms', '0', '--no-gpu', '--action', 'graceful', '--wait', '10', '--yes'], { NO_COLOR: '1' });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/^Checkpoint written while stopping: .*run\\x1b\[2J\\x1b\]0;owned\\x07\/out\/model\.pt /m);
    expect(stop.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });
});

describe('a checkpoint overwritten in place', () => {
  it('has no interval from one mtime, and gets one by watching its successive modification times', async () => {
    const job = await startFakeJob(temp(), { env: { JOB_STEP_MS: '20', JOB_SAVE_EVERY: '10' } });
    const once = await report(job.pid);
    expect(once.checkpoints.latest.path).toBe(join(job.dir, 'out', 'model.pt'));
    expect(once.checkpoints.intervalSeconds).toBeNull();
    expect(once.checkpoints.intervalNote).toContain('--watch SECONDS sees a file overwritten in place');
    expect(once.checkpoints.watchedSeconds).toBeNull();

    const watched = await report(job.pid, ['--watch', '1.5']);
    expect(watched.checkpoints.watchedSeconds).toBeGreaterThanOrEqual(1.5);
    expect(watched.checkpoints.intervalNote).toMatch(/^median gap between successive modification times of its checkpoints while watching [\d.]+ s \(overwritten in place\)$/);
    // A save every 10 steps of 20 ms: about 0.2 s (timers drift on a busy machine).
    expect(watched.checkpoints.intervalSeconds).toBeGreaterThanOrEqual(0.15);
    expect(watched.checkpoints.intervalSeconds).toBeLessThan(1);
    expect(watched.checkpoints.nextInSeconds).toEqual(expect.any(Number));
    const text = await runTool([String(job.pid), '--sample-ms', '0', '--no-gpu', '--watch', '1']);
    expect(text.stdout).toMatch(/Watched: {4}1(\.\d)? s \(\d+ looks at its checkpoints and state\)/);
    expect(text.stdout).toMatch(/Interval: {3}~0\.\ds \(median gap between successive modification times/);
  });

  it('reads the cadence and the saved step from timestamped Hugging Face save lines, and the lost work in steps', async () => {
    const job = await startFakeJob(temp(), { env: { JOB_STEP_MS: '25', JOB_SAVE_EVERY: '8', JOB_SAVE_LINE: 'hf', JOB_TIMESTAMPS: '1' } });
    await new Promise((r) => setTimeout(r, 300));
    const json = await report(job.pid);
    expect(json.checkpoints.lastLogSave).toMatchObject({ framework: 'Hugging Face Trainer', path: expect.stringMatching(/^out\/checkpoint-\d+$/) });
    expect(json.checkpoints.lastLogSave.step % 8).toBe(0);
    expect(Date.parse(json.checkpoints.lastLogSave.at)).toBeGreaterThan(Date.parse(json.startedAt) - 1000);
    expect(json.checkpoints.intervalSteps).toBe(8);
    expect(json.progress).toMatchObject({ unit: 'step', total: 100000 });
    const lost = json.ifKilledNow.lostWork;
    expect(lost.unit).toBe('step');
    expect(lost.formula).toMatch(/^live step \d+ - step \d+ of the last "saved checkpoint" line \(Hugging Face Trainer\)$/);
    const [live, saved] = /live step (\d+) - step (\d+)/.exec(lost.formula)!.slice(1).map(Number) as [number, number];
    expect(lost.amount).toBe(live - saved);
    expect(lost.amount).toBeGreaterThanOrEqual(0);
    expect(lost.amount).toBeLessThan(8 + 4); // at most one save interval (+ the steps printed while reading)
    expect(json.checkpoints.nextInSeconds).toEqual(expect.any(Number));
    // Start-up from this run's log: the first timestamped progress line.
    expect(json.estimates.startupFormula).toMatch(/^timestamp of the first progress line in its log \(.*Running training.*\) - process start$/);
    expect(json.estimates.startupSeconds).toBeGreaterThanOrEqual(0);
    expect(json.estimates.startupSeconds).toBeLessThan(10);
    expect(json.estimates.recoverySeconds).toBeCloseTo(json.estimates.startupSeconds + json.estimates.replaySeconds, 6);
    expect(json.estimates.replaySeconds).toBe(json.ifKilledNow.lostSeconds);
    expect(json.estimates.totalRuntimeFormula).toMatch(/^runtime so far \d+ s \+ ETA \d+ s/);
  });

  it('does not count the time a stopped job (state T) spends stopped as lost compute', async () => {
    const job = await startFakeJob(temp(), { env: { JOB_STEP_MS: '20', JOB_SAVE_EVERY: '10' } });
    process.kill(job.pid, 'SIGSTOP');
    expect(await settledState(job.pid, ['T'])).toBe('T');
    await new Promise((r) => setTimeout(r, 1500));
    const json = await report(job.pid);
    expect(json.ifKilledNow.lostFormula).toBe('its last log write - the last save: it is stopped (state T), and the time since is not compute');
    // Saves every 0.2 s and the log written every 20 ms until the stop: well under the 1.5 s it has been stopped.
    expect(json.ifKilledNow.lostSeconds).toBeLessThan(0.5);
    // The total runtime leaves the stopped time out too.
    expect(json.estimates.totalRuntimeFormula).toMatch(/^runtime so far \d+ s \(less [\d.]+ s stopped\) \+ ETA/);
    expect(Number(/less ([\d.]+) s stopped/.exec(json.estimates.totalRuntimeFormula)![1])).toBeGreaterThanOrEqual(1.4);
    const text = await runTool([String(job.pid), '--sample-ms', '0', '--no-gpu']);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain('Work lost: ');
    expect(text.stdout.replace(/\s+/g, ' ')).toContain('it is stopped (state T), and the time since is not compute');
  });

  it('leaves out of the lost compute the time it was seen stopped after the last save while watching', async () => {
    const job = await startFakeJob(temp(), { env: { JOB_STEP_MS: '20', JOB_SAVE_EVERY: '10', JOB_SAVE_UNTIL: '20', JOB_READY_STEP: '20' } });
    const pending = runTool([String(job.pid), '--json', '--sample-ms', '0', '--no-gpu', '--watch', '2.5']);
    await new Promise((r) => setTimeout(r, 700));
    process.kill(job.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(job.pid, 'SIGCONT');
    const result = await pending;
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout);
    const stopped = Number(/ - ([\d.]+) s seen stopped \(state T\) while watching$/.exec(json.ifKilledNow.lostFormula)![1]);
    expect(stopped).toBeGreaterThanOrEqual(0.7);
    expect(stopped).toBeLessThanOrEqual(1.5);
    // Lost = time since the last save (the checkpoint's age) - the stop after it.
    const age = json.checkpoints.latest.ageSeconds;
    expect(json.ifKilledNow.lostSeconds).toBeGreaterThanOrEqual(age - stopped - 0.2);
    expect(json.ifKilledNow.lostSeconds).toBeLessThanOrEqual(age - stopped + 0.2);
  });

  it('--action wait returns once the file overwritten in place has a newer save', async () => {
    const job = await startFakeJob(temp(), { env: { JOB_STEP_MS: '20', JOB_SAVE_EVERY: '25' } });
    const result = await runTool([String(job.pid), '--action', 'wait', '--poll-ms', '100', '--wait-timeout', '15', '--sample-ms', '0', '--no-gpu']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`New checkpoint: ${join(job.dir, 'out', 'model.pt')} (2.0 KiB, saved `);
  });

  it('names the launcher from the launcher process above the worker', async () => {
    const job = await startFakeJob(temp(), { launcher: 'torchrun', env: { RANK: '0', WORLD_SIZE: '1', TORCHELASTIC_RUN_ID: 'x' } });
    const json = await report(job.pid);
    expect(json.distributed.launcher).toBe('torchrun');
    expect(json.distributed.launcherEvidence).toMatch(new RegExp(`^ancestor PID ${job.child.pid}: .*/bin/torchrun `));
    const text = await runTool([String(job.pid), '--sample-ms', '0', '--no-gpu']);
    expect(text.stdout).toMatch(new RegExp(`Launcher: {3}torchrun \\(ancestor PID ${job.child.pid}: `));
    expect(readFileSync(job.logPath, 'utf8')).toContain('step ');
  });
});
