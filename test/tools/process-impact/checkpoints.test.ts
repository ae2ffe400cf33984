import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkpointRoots,
  isBeingWritten,
  isCheckpointFile,
  looksLikeCheckpoint,
  medianInterval,
  saveEvents,
  scanCheckpoints,
  writesInProgress,
} from '../../../shared/tools/process-impact/checkpoints.js';
import { checkpointFacts, progressFacts } from '../../../shared/tools/process-impact/facts.js';
import type { ProcessFacts } from '../../../shared/tools/process-impact/identity.js';
import { useTempDir } from '../../support/tmp.js';

const temp = useTempDir('dp-ckpt-');

function file(path: string, bytes: number, mtimeSeconds: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, Buffer.alloc(bytes));
  utimesSync(path, mtimeSeconds, mtimeSeconds);
}

describe('checkpoint names', () => {
  it('knows weight files, and .bin/.h5 only when named like weights', () => {
    for (const name of ['model.pt', 'model_epoch_44.pth', 'epoch=3-step=1000.ckpt', 'model.safetensors', 'm.keras', 'pytorch_model.bin', 'model.weights.h5']) {
      expect(isCheckpointFile(name), name).toBe(true);
    }
    for (const name of ['train.bin', 'data.h5', 'model.pt.tmp', 'notes.txt', 'ckpt.pt~']) expect(isCheckpointFile(name), name).toBe(false);
    expect(looksLikeCheckpoint('/r/out/model.pt.tmp')).toBe(true);
    expect(looksLikeCheckpoint('/r/out/checkpoint-500/optimizer.pt')).toBe(true);
    // torchtitan saves with torch.distributed.checkpoint into step-N/ directories of .distcp shards and a .metadata file.
    expect(looksLikeCheckpoint('/r/outputs/checkpoint/step-640/__0_0.distcp')).toBe(true);
    expect(looksLikeCheckpoint('/r/train.log')).toBe(false);
  });
});

describe('checkpointRoots', () => {
  it('scans the cwd and directories named by dir-like flags, resolved against the cwd', () => {
    const cwd = temp();
    mkdirSync(join(cwd, 'out'));
    mkdirSync(join(cwd, 'ckpts'));
    mkdirSync(join(cwd, 'runs', 'a'), { recursive: true });
    writeFileSync(join(cwd, 'runs', 'a', 'best.pt'), '');
    const roots = checkpointRoots(
      ['python', 'train.py', '--output_dir', 'out', '--checkpoint-dir=ckpts', '--resume_from_checkpoint', 'runs/a/best.pt', '--save_dir', 'missing', 'trainer.default_root_dir=/nonexistent', '--lr', '0.1'],
      cwd,
    );
    expect(roots).toEqual([cwd, join(cwd, 'out'), join(cwd, 'ckpts'), join(cwd, 'runs', 'a')]);
    expect(checkpointRoots(['x', '--output_dir', 's3://bucket/run'], null)).toEqual([]);
  });
});

describe('scanCheckpoints', () => {
  it('finds files and HF checkpoint dirs (as one unit with trainer_state.json), skips symlinks and venvs', () => {
    const root = temp();
    const t = 1_700_000_000;
    file(join(root, 'lightning_logs', 'version_0', 'checkpoints', 'epoch=3-step=1000.ckpt'), 100, t);
    file(join(root, 'out', 'checkpoint-500', 'model.safetensors'), 300, t + 10);
    file(join(root, 'out', 'checkpoint-500', 'optimizer.pt'), 200, t + 12);
    const state = '{"global_step": 500, "max_steps": 2000, "save_steps": 500}';
    writeFileSync(join(root, 'out', 'checkpoint-500', 'trainer_state.json'), state);
    symlinkSync('epoch=3-step=1000.ckpt', join(root, 'lightning_logs', 'version_0', 'checkpoints', 'last.ckpt'));
    utimesSync(join(root, 'out', 'checkpoint-500', 'trainer_state.json'), t + 12, t + 12);
    file(join(root, '.venv', 'lib', 'torch.pt'), 1, t + 100);
    file(join(root, 'data', 'train.bin'), 1, t + 100);
    const scan = scanCheckpoints([root]);
    expect(scan.truncated).toBe(false);
    expect(scan.checkpoints.map((c) => [c.path.slice(root.length + 1), c.kind, c.sizeBytes])).toEqual([
      ['lightning_logs/version_0/checkpoints/epoch=3-step=1000.ckpt', 'file', 100],
      ['out/checkpoint-500', 'dir', 300 + 200 + state.length],
    ]);
    expect(scan.checkpoints[0]!.lightning).toEqual({ epoch: 3, step: 1000 });
    expect(scan.checkpoints[1]!.mtimeMs).toBe((t + 12) * 1000);
    expect(scan.checkpoints[1]!.trainerState).toMatchObject({ globalStep: 500, saveSteps: 500 });
  });

  it('stops at the entry limit and says so', () => {
    const root = temp();
    for (let i = 0; i < 30; i += 1) writeFileSync(join(root, `f${i}.txt`), '');
    const scan = scanCheckpoints([root], { maxDepth: 4, maxEntries: 10 });
    expect(scan.truncated).toBe(true);
    expect(scan.visited).toBe(10);
  });
});

describe('save cadence', () => {
  it('groups files saved together and takes the median gap of recent saves', () => {
    const s = 1000;
    // model + optimizer written 1 s apart, every 600 s
    const events = saveEvents([0, 1 * s, 600 * s, 601 * s, 1200 * s, 1201 * s, 1800 * s]);
    expect(events).toEqual([1 * s, 601 * s, 1201 * s, 1800 * s]);
    expect(medianInterval(events)).toBe(600);
    expect(saveEvents([0, 400, 800])).toEqual([0, 400, 800]);
    expect(medianInterval([5])).toBeNull();
  });

  it('finds checkpoint files being written and the checkpoint dirs they belong to', () => {
    const files = new Map([
      [10, [
        { fd: 1, target: '/r/train.log', pos: 10, flags: 0o2001, writable: true },
        { fd: 7, target: '/r/out/checkpoint-1000/model.safetensors', pos: 4096, flags: 0o100001, writable: true },
        { fd: 8, target: '/r/old.pt', pos: 0, flags: 0o100000, writable: false },
      ]],
      [11, [{ fd: 5, target: '/r/tmp/ckpt.pt.tmp (deleted)', pos: 5, flags: 0o100002, writable: true }]],
    ]);
    const writes = writesInProgress(files);
    expect(writes).toEqual([
      { path: '/r/out/checkpoint-1000/model.safetensors', pid: 10, fd: 7, pos: 4096 },
      { path: '/r/tmp/ckpt.pt.tmp', pid: 11, fd: 5, pos: 5 },
    ]);
    const dir = { path: '/r/out/checkpoint-1000', mtimeMs: 0, sizeBytes: 0, kind: 'dir' as const, trainerState: null, lightning: null };
    expect(isBeingWritten(dir, writes)).toBe(true);
    expect(isBeingWritten({ ...dir, path: '/r/out/checkpoint-500' }, writes)).toBe(false);
  });
});

describe('checkpoint facts and estimates', () => {
  const facts = (startedAt: string) => ({ entry: { cmdline: ['python', 'train.py', '--output_dir', 'out'] }, startedAt }) as unknown as ProcessFacts;

  it('estimates the next save from the interval of this run and the work lost since the latest save', () => {
    const cwd = temp();
    const now = Date.now();
    const started = new Date(now - 3600_000).toISOString();
    const t = (ago: number) => (now - ago * 1000) / 1000;
    file(join(cwd, 'out', 'old-run.pt'), 10, t(7200)); // before this run started: not part of its cadence
    for (const ago of [2400, 1800, 1200, 600]) file(join(cwd, 'out', `epoch_${ago}.pt`), 10, t(ago));
    const ck = checkpointFacts(facts(started), cwd, new Map());
    expect(ck.latest!.path).toBe(join(cwd, 'out', 'epoch_600.pt'));
    expect(ck.intervalSeconds).toBe(600);
    expect(ck.savesSinceStart).toBe(4);
    expect(ck.next(now + 5000)).toEqual({ seconds: 0, formula: 'last save + interval 600 s passed 5 s ago: overdue' });
    expect(ck.next(now - 60_000)).toEqual({ seconds: 60, formula: 'last save + interval 600 s' });
    expect(ck.lostSeconds(now)).toBe(600);
  });

  it('uses save_steps and the live step rate for Hugging Face runs, and excludes a save in progress', () => {
    const cwd = temp();
    const now = Date.now();
    file(join(cwd, 'out', 'checkpoint-500', 'model.safetensors'), 10, (now - 60_000) / 1000);
    writeFileSync(join(cwd, 'out', 'checkpoint-500', 'trainer_state.json'), '{"global_step": 500, "max_steps": 2000, "save_steps": 500}');
    utimesSync(join(cwd, 'out', 'checkpoint-500', 'trainer_state.json'), (now - 60_000) / 1000, (now - 60_000) / 1000);
    file(join(cwd, 'out', 'checkpoint-1000', 'model.safetensors'), 10, now / 1000);
    const writing = new Map([[1, [{ fd: 9, target: join(cwd, 'out', 'checkpoint-1000', 'model.safetensors'), pos: 10, flags: 1, writable: true }]]]);
    const ck = checkpointFacts(facts(new Date(now - 600_000).toISOString()), cwd, writing);
    expect(ck.latest!.path).toBe(join(cwd, 'out', 'checkpoint-500'));
    expect(ck.writes.map((w) => w.path)).toEqual([join(cwd, 'out', 'checkpoint-1000', 'model.safetensors')]);
    const progress = progressFacts([], ck);
    expect(progress.json).toMatchObject({ current: 500, total: 2000, unit: 'step', percent: 25, etaSeconds: null });
    expect(progress.json!.source).toContain('trainer_state.json (written with the latest checkpoint');
    ck.applyProgress({ ...progress, parsed: { current: 620, total: 2000, unit: 'it', percent: 31, kind: 'tqdm bar', etaSeconds: 690, etaFormula: '', rate: { perSecond: 2, unit: 'it' } } });
    expect(ck.next(now)).toEqual({ seconds: 190, formula: '(next multiple of save_steps 500: step 1000 - step 620) / 2.00 steps/s' });
  });
});
