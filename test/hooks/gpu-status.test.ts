// The data scientist's status line, run as Claude Code runs it (the session JSON on stdin, the first
// stdout line shown): GPU figures and the training run's progress from one cached snapshot per user, with
// a fake nvidia-smi (its calls counted) and with none; the cache private, shared by concurrent renders.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeSmi } from '../support/fake-nvidia-smi.js';
import { DISTRIBUTED_ENV, killFakeRuns, startFakeRun, type FakeRun } from '../tools/process-impact/fake-run.js';
import { runHookScript } from './run-hook.js';

const base = mkdtempSync(join(tmpdir(), 'dp-gpu-status-'));
const NO_GPU_PATH = `${process.execPath.replace(/\/node$/, '')}:/usr/bin:/bin`;
const SESSION = JSON.stringify({
  session_id: 's-1',
  transcript_path: '/tmp/t.jsonl',
  cwd: base,
  model: { id: 'claude-opus-4', display_name: 'Opus' },
  workspace: { current_dir: base, project_dir: base, added_dirs: [] },
  version: '2.1.197',
  output_style: { name: 'default' },
  cost: { total_cost_usd: 0.01, total_duration_ms: 1000, total_api_duration_ms: 500, total_lines_added: 0, total_lines_removed: 0 },
  context_window: { total_input_tokens: 100, total_output_tokens: 10, context_window_size: 200000, used_percentage: 1, remaining_percentage: 99 },
  exceeds_200k_tokens: false,
});
let run: FakeRun;
let n = 0;

beforeAll(async () => {
  run = await startFakeRun(join(base, 'run'), DISTRIBUTED_ENV);
}, 30_000);
afterAll(() => {
  killFakeRuns();
  rmSync(base, { recursive: true, force: true });
});

/** A fresh state folder and a fake nvidia-smi with the run on GPU 0 (answering after `delayMs`). */
function setup(delayMs = 0): { path: string; state: string; calls: () => string[] } {
  n += 1;
  const bin = join(base, `bin-${n}`);
  const path = installFakeSmi(bin, [
    { match: ['--query-gpu=index,utilization.gpu,memory.used,memory.total'], stdout: '0, 95, 21000, 81559\n1, 3, 1024, 81559\n', delayMs },
    { match: ['--query-compute-apps'], stdout: `GPU-aaaa-0000, ${run.pid}, node, 20480\n`, delayMs },
  ]);
  return { path, state: join(base, `state-${n}`), calls: () => readFileSync(join(bin, 'nvidia-smi.calls.log'), 'utf8').trim().split('\n') };
}

const render = (path: string, state: string) => runHookScript('gpu-status', SESSION, { PATH: path, XDG_STATE_HOME: state });

describe('the GPU status line', () => {
  it('shows each GPU and the training progress; renders within the TTL reuse the snapshot', async () => {
    const { path, state, calls } = setup();
    const first = await render(path, state);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^GPU0 95% 21\/80G · GPU1 3% 1\.0\/80G │ train \d+\/60 epoch \(\d+%\)(, .* left)?\n$/);
    for (let i = 0; i < 3; i += 1) expect((await render(path, state)).stdout).toBe(first.stdout);
    expect(calls().filter((c) => c.includes('--query-gpu')).length).toBe(1);
    const snapshot = join(state, 'generator-dp', 'gpu-snapshot.json');
    expect(statSync(snapshot).mode & 0o777).toBe(0o600);
    expect(statSync(join(state, 'generator-dp')).mode & 0o777).toBe(0o700);
    // A snapshot older than the TTL: one new query.
    const data = JSON.parse(readFileSync(snapshot, 'utf8'));
    writeFileSync(snapshot, JSON.stringify({ ...data, takenAtMs: data.takenAtMs - 60_000 }));
    await render(path, state);
    expect(calls().filter((c) => c.includes('--query-gpu')).length).toBe(2);
  });

  it('six sessions rendering at once with no snapshot: nvidia-smi runs once', async () => {
    const { path, state, calls } = setup(400);
    const renders = await Promise.all(Array.from({ length: 6 }, () => render(path, state)));
    expect(renders.every((r) => r.code === 0 && r.stderr === '')).toBe(true);
    expect(renders.filter((r) => r.stdout.startsWith('GPU0 95%')).length).toBeGreaterThanOrEqual(1);
    expect(renders.filter((r) => r.stdout !== 'GPU: reading…\n' && !r.stdout.startsWith('GPU0 95%'))).toEqual([]);
    expect(calls().filter((c) => c.includes('--query-gpu')).length).toBe(1);
  });

  it('a render whose lock another render took over as stale still shows the figures', async () => {
    const { path, state } = setup(1500);
    const lock = join(state, 'generator-dp', 'gpu-snapshot.lock');
    const rendering = render(path, state);
    while (!existsSync(lock)) await new Promise((resolve) => setTimeout(resolve, 20));
    unlinkSync(lock);
    expect((await rendering).stdout).toMatch(/^GPU0 95% /);
  });

  it('a state folder others can write to is not used: nothing shown, no snapshot written there', async () => {
    const { path, state } = setup();
    const shared = join(state, 'generator-dp');
    mkdirSync(shared, { recursive: true });
    chmodSync(shared, 0o777);
    expect(await render(path, state)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(shared)).toEqual([]);
  });

  it('without nvidia-smi: says so, exit 0', async () => {
    expect(await render(NO_GPU_PATH, join(base, 'state-none'))).toEqual({ code: 0, stdout: 'GPU: no nvidia-smi\n', stderr: '' });
  });

  it('more than four GPUs: one summary', async () => {
    n += 1;
    const rows = Array.from({ length: 8 }, (_, i) => `${i}, ${i < 4 ? 100 : 50}, 40960, 81920`).join('\n');
    const path = installFakeSmi(join(base, `bin-${n}`), [
      { match: ['--query-gpu'], stdout: `${rows}\n` },
      { match: ['--query-compute-apps'], stdout: '' },
    ]);
    expect((await render(path, join(base, `state-${n}`))).stdout).toBe('8 GPUs mean 75% · 320/640G\n');
  });
});
