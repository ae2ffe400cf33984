// --action graceful waits (bounded by --wait) for the process to exit, says whether it did, which checkpoint it wrote
// while stopping, and what to do when it did not exit. Real processes, the built tool.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/tmp.js';
import { killFakeJobs, startFakeJob } from './fake-job.js';
import { procState, runTool } from './fake-run.js';

const temp = useTempDir('dp-graceful-');
afterEach(() => killFakeJobs());
const act = (pid: number, ...extra: string[]) => runTool([String(pid), '--action', 'graceful', '--yes', '--sample-ms', '0', '--no-gpu', ...extra]);

describe('--action graceful --wait', () => {
  it('waits for the exit and names the checkpoint written while stopping (overwritten in place)', async () => {
    // Saves every 500 steps: the only save after the signal is the one its SIGTERM handler makes.
    const job = await startFakeJob(temp(), { env: { JOB_STEP_MS: '5', JOB_SAVE_EVERY: '40', JOB_SAVE_LINE: 'plain' } });
    await new Promise((r) => setTimeout(r, 50));
    const result = await act(job.pid, '--wait', '10');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const model = join(job.dir, 'out', 'model.pt');
    const out = result.stdout.slice(result.stdout.indexOf('Sent SIGTERM'));
    expect(out).toMatch(new RegExp(`^Sent SIGTERM to PID ${job.pid}\\. It has a handler for it\\. Waiting up to 10 s for it to exit\\.\\nPID ${job.pid} exited within \\d+\\.\\ds of the signal\\.\\n`));
    expect(out).toContain(`Checkpoint written while stopping: ${model} (2.0 KiB, saved ${new Date(statSync(model).mtimeMs).toISOString()}).\nResume from ${model}.\n`);
    expect(await job.exited).toEqual({ code: 0, signal: null });
    expect(readFileSync(job.logPath, 'utf8')).toMatch(/saved checkpoint to out\/model\.pt at step \d+ \(on SIGTERM\)\n$/);
  });

  it('says when it did not exit in time, and what to do (exit 1, process left running)', async () => {
    const job = await startFakeJob(temp(), { env: { JOB_ON_TERM: 'ignore', JOB_SAVE_EVERY: '100000', JOB_READY_STEP: '5' } });
    const result = await act(job.pid, '--wait', '1');
    expect(result.code).toBe(1);
    const out = result.stdout.slice(result.stdout.indexOf('Sent SIGTERM'));
    expect(out).toMatch(new RegExp(`PID ${job.pid} has not exited 1\\.0s after the signal \\(state [RS]\\)\\.\\nWhat to do:\\n`));
    expect(out).toContain(`  - its handler may be finishing the current step or waiting in a collective for the other ranks: give it more time (watch its log: tail -f ${job.logPath})`);
    expect(out).toContain(`  - to stop it now: analyze_process_impact ${job.pid} --action kill --yes (SIGKILL to it and its descendants; loses about `);
    expect(procState(job.pid)).toMatch(/^[RS]$/);
    expect(readFileSync(join(job.dir, 'signals.log'), 'utf8')).toBe('SIGTERM\n');
  });

  it('returns at once with --wait 0', async () => {
    const job = await startFakeJob(temp(), { env: { JOB_ON_TERM: 'ignore' } });
    const result = await act(job.pid, '--wait', '0');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Sent SIGTERM to PID ${job.pid}. It has a handler for it. Not waiting for it to exit (--wait 0).\n`);
    expect(result.stdout).not.toContain('exited');
  });

  it.each([
    [['--wait', '-1'], "analyze_process_impact: --wait must be a number between 0 and 86400, got '-1'\n"],
    [['--wait', 'soon'], "analyze_process_impact: --wait must be a number between 0 and 86400, got 'soon'\n"],
    [['--wait', '1e9'], "analyze_process_impact: --wait must be a number between 0 and 86400, got '1e9'\n"],
    [['--action', 'kill', '--yes', '--wait', '5'], 'analyze_process_impact: --wait applies to --action graceful, not --action kill\n  leave --wait out\n'],
    [['--action', 'wait', '--wait', '5'], 'analyze_process_impact: --wait applies to --action graceful, not --action wait\n  for --action wait, give up after a time with --wait-timeout\n'],
    [['--watch', '-3'], "analyze_process_impact: --watch must be a number between 0 and 3600, got '-3'\n"],
  ])('rejects %j before anything is analysed or signalled', async (args, stderr) => {
    const job = await startFakeJob(temp(), { env: { JOB_ON_TERM: 'ignore' } });
    const result = await runTool([String(job.pid), ...args, '--sample-ms', '0', '--no-gpu']);
    expect(result).toEqual({ code: 2, stdout: '', stderr });
    expect(existsSync(join(job.dir, 'signals.log'))).toBe(false);
  });

  it('keeps refusing PID 1 and its own parents, with --wait too', async () => {
    const init = await runTool(['1', '--action', 'graceful', '--yes', '--wait', '5', '--sample-ms', '0', '--no-gpu']);
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(/^analyze_process_impact: refusing to signal PID 1: it is the init process/);
    const parent = await runTool([String(process.pid), '--action', 'graceful', '--yes', '--wait', '5', '--sample-ms', '0', '--no-gpu']);
    expect(parent.code).toBe(1);
    expect(parent.stderr).toMatch(/refusing to signal PID \d+: it is a parent of this tool/);
  });
});
