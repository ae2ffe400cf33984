// Under Slurm: the allocation from `scontrol show job` (a fake scontrol on PATH replays a recorded output) and the
// SLURM_* variables, the job-wide GPU-hours at stake, and what requeue and --signal will do.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gpusInTres, parseScontrol, signalInScript, slurmFacts } from '../../../shared/tools/process-impact/slurm.js';
import { useTempDir } from '../../support/tmp.js';
import { killFakeJobs, startFakeJob } from './fake-job.js';
import { runTool } from './fake-run.js';

const temp = useTempDir('dp-slurm-');
afterEach(() => killFakeJobs());
const RECORDED = readFileSync(new URL('./fixtures/scontrol-show-job.txt', import.meta.url), 'utf8');

/** A fake `scontrol` that prints the recorded job (with the batch script path filled in) for `show job 4242` only. */
function fakeScontrol(dir: string, script: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'job.txt'), RECORDED.replace('@SCRIPT@', script));
  writeFileSync(
    join(bin, 'scontrol'),
    `#!/usr/bin/env node\nconst fs = require('node:fs');\nfs.appendFileSync(__dirname + '/calls.log', process.argv.slice(2).join(' ') + '\\n');\nif (process.argv.slice(2).join(' ') !== 'show job 4242') { process.stderr.write('slurm_load_jobs error: Invalid job id specified\\n'); process.exit(1); }\nprocess.stdout.write(fs.readFileSync(__dirname + '/job.txt', 'utf8'));\n`,
  );
  chmodSync(join(bin, 'scontrol'), 0o755);
  return `${bin}:${process.env.PATH ?? ''}`;
}

describe('reading Slurm', () => {
  it('parses scontrol show job and TRES strings', () => {
    const fields = parseScontrol(RECORDED);
    expect(fields.get('JobId')).toBe('4242');
    expect(fields.get('NumNodes')).toBe('2');
    expect(fields.get('Requeue')).toBe('1');
    expect(fields.get('AllocTRES')).toBe('cpu=128,mem=1000G,node=2,billing=128,gres/gpu=16,gres/gpu:h100=16');
    expect(gpusInTres(fields.get('AllocTRES'))).toBe(16); // the untyped total, not total + typed
    expect(gpusInTres('cpu=8,gres/gpu:a100=2,gres/gpu:h100=4')).toBe(6);
    expect(gpusInTres('gres/gpu:h100:8')).toBe(8);
    expect(gpusInTres('gres/gpu:8')).toBe(8);
    expect(gpusInTres('cpu=8,mem=10G')).toBeNull();
  });

  it('finds --signal among the #SBATCH lines before the first command only', () => {
    expect(signalInScript('#!/bin/bash\n#SBATCH -N 2\n#SBATCH --signal=B:USR1@90\nsrun python train.py\n')).toBe('B:USR1@90');
    expect(signalInScript('#!/bin/bash\r\n#SBATCH --signal USR1@120\r\n')).toBe('USR1@120');
    expect(signalInScript('#!/bin/bash\necho hi\n#SBATCH --signal=USR1\n')).toBeNull();
  });

  it('states the allocation, the stake and what requeue and --signal do', () => {
    const scontrol = { ok: true as const, fields: parseScontrol(RECORDED.replace('@SCRIPT@', '/nonexistent/train.sbatch')) };
    const facts = slurmFacts({ env: { SLURM_JOB_ID: '4242' }, scontrol, lostSeconds: 900, caught: new Set(), resumeFrom: '/r/ckpt.pt' })!;
    expect(facts).toMatchObject({ jobId: '4242', state: 'RUNNING', nodes: 2, gpusPerNode: 8, gpus: 16, gpuHoursAtStake: 4, requeue: true, restarts: 1, signal: null });
    expect(facts.allocationSource).toBe('scontrol show job: NumNodes=2, AllocTRES gres/gpu=16');
    expect(facts.ifRequeued).toContain('Requeue=1: after a node failure, a preemption or scontrol requeue the batch script starts again from its beginning with the same job ID (Restarts=1 so far); training continues from /r/ckpt.pt only if the script resumes');
    expect(facts.atTimeLimit).toBe('--signal unknown (scontrol does not print it; the batch script /nonexistent/train.sbatch is not readable here): at the time limit (2026-12-07 22:05:31 (local)) Slurm sends SIGTERM, then SIGKILL after KillWait (30 s by default)');

    const envOnly = slurmFacts({ env: { SLURM_JOB_ID: '7', SLURM_JOB_NUM_NODES: '4', SLURM_GPUS_ON_NODE: '8' }, scontrol: { ok: false, reason: 'scontrol is not on PATH' }, lostSeconds: 450, caught: new Set(), resumeFrom: null })!;
    expect(envOnly).toMatchObject({ nodes: 4, gpusPerNode: 8, gpus: 32, gpuHoursAtStake: 4, requeue: null });
    expect(envOnly.allocationSource).toContain('assumes every node has as many');
    expect(envOnly.ifRequeued).toBe("unknown (SLURM_* variables (scontrol is not on PATH) gives no Requeue field; the cluster's JobRequeue setting decides)");
    // Without scontrol the batch script is unknown: that says nothing about the job being interactive.
    expect(envOnly.atTimeLimit).toBe('--signal unknown (scontrol is not on PATH, so the batch script that would hold it is unknown): at the time limit Slurm sends SIGTERM, then SIGKILL after KillWait (30 s by default)');
    expect(slurmFacts({ env: {}, scontrol: null, lostSeconds: 1, caught: new Set(), resumeFrom: null })).toBeNull();
  });
});

describe('a job in a Slurm allocation (fake scontrol)', () => {
  it('reports the allocation, GPU-hours at stake job-wide, requeue and --signal in --json and text', async () => {
    const dir = temp();
    const script = join(dir, 'train.sbatch');
    writeFileSync(script, '#!/bin/bash\n#SBATCH --nodes=2 --gpus-per-node=8\n#SBATCH --requeue\n#SBATCH --signal=USR1@120\nsrun python train.py\n');
    const path = fakeScontrol(dir, script);
    const job = await startFakeJob(join(dir, 'job'), { env: { SLURM_JOB_ID: '4242', SLURM_PROCID: '0', SLURM_JOB_NUM_NODES: '2' } });
    const result = await runTool([String(job.pid), '--json', '--sample-ms', '0', '--no-gpu'], { PATH: path });
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout);
    expect(readFileSync(join(dir, 'bin', 'calls.log'), 'utf8')).toBe('show job 4242\n');
    expect(json.slurm).toMatchObject({ jobId: '4242', state: 'RUNNING', nodes: 2, gpusPerNode: 8, gpus: 16, requeue: true, restarts: 1, signal: 'USR1@120' });
    expect(json.slurm.gpuHoursAtStake).toBe(Math.round((json.ifKilledNow.lostSeconds / 3600) * 16 * 1000) / 1000);
    expect(json.ifKilledNow.jobGpuHoursLost).toBe(json.slurm.gpuHoursAtStake);
    expect(json.ifKilledNow.jobGpuHoursFormula).toBe('lost compute x 16 GPUs of Slurm job 4242 (scontrol show job: NumNodes=2, AllocTRES gres/gpu=16)');
    // Node.js installs a SIGUSR1 handler (its inspector), which the caught-signal mask shows.
    expect(json.slurm.atTimeLimit).toBe('--signal=USR1@120: Slurm sends SIGUSR1 to every job step, so to this process, 120 s (up to 60 s more) before the time limit (2026-12-07 22:05:31 (local)); this process catches SIGUSR1 (SigCgt)');
    // Variables alone name no launcher.
    expect(json.distributed.launcher).toBeNull();

    const text = await runTool([String(job.pid), '--sample-ms', '0', '--no-gpu'], { PATH: path });
    const flat = text.stdout.replace(/\s+/g, ' ');
    expect(text.stdout).toContain('\nSlurm Job 4242 (RUNNING):\n');
    expect(flat).toContain('Allocation: 2 nodes x 8 GPUs = 16 GPUs (scontrol show job: NumNodes=2, AllocTRES gres/gpu=16)');
    expect(flat).toMatch(/At stake: [\d.]+ GPU-hours job-wide \(lost compute × 16 GPUs\)/);
    expect(flat).toContain('Requeue: Requeue=1: after a node failure');
    expect(flat).toContain('Time limit: --signal=USR1@120: Slurm sends SIGUSR1 to every job step');
  });

  it('falls back to the SLURM_* variables when scontrol fails, and says why', async () => {
    const dir = temp();
    const path = fakeScontrol(dir, '/none');
    const job = await startFakeJob(join(dir, 'job'), { env: { SLURM_JOB_ID: '999', SLURM_JOB_NUM_NODES: '3', SLURM_GPUS_ON_NODE: '4' } });
    const json = JSON.parse((await runTool([String(job.pid), '--json', '--sample-ms', '0', '--no-gpu'], { PATH: path })).stdout);
    expect(json.slurm).toMatchObject({ jobId: '999', nodes: 3, gpusPerNode: 4, gpus: 12, requeue: null, state: null });
    expect(json.slurm.ifRequeued).toContain('SLURM_* variables (scontrol show job 999 failed: slurm_load_jobs error: Invalid job id specified)');
  });
});
