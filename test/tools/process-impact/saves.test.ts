// "Saved checkpoint" lines as each framework writes them (recorded log excerpts), their timestamps and grouping, and
// the estimates built on them: lost work in the job's units, total runtime, start-up and recovery.
import { describe, expect, it } from 'vitest';
import { lostWork, recovery, savedPosition, startup, totalRuntime } from '../../../shared/tools/process-impact/estimates.js';
import { parseProgressText } from '../../../shared/tools/process-impact/progress.js';
import { groupSaves, medianGap, parseSaveLines, timestampOf } from '../../../shared/tools/process-impact/saves.js';

const local = (text: string) => new Date(text).getTime(); // "2026-12-06T01:00:00" without a zone is local, like asctime

const HF = [
  "{'loss': 1.2034, 'grad_norm': 0.81, 'learning_rate': 4.9e-05, 'epoch': 0.5}",
  ' 29%|██▊       | 500/1752 [23:36<59:04,  2.83s/it][INFO|trainer.py:3984] 2026-12-06 01:23:36,120 >> Saving model checkpoint to out/checkpoint-500',
  '[INFO|configuration_utils.py:419] 2026-12-06 01:23:36,121 >> Configuration saved in out/checkpoint-500/config.json',
  ' 57%|█████▋    | 1000/1752 [47:12<35:29,  2.83s/it][INFO|trainer.py:3984] 2026-12-06 01:47:12,004 >> Saving model checkpoint to out/checkpoint-1000',
].join('\n');
const LIGHTNING = "Epoch 3, global step 4000: 'val_loss' reached 0.41235 (best 0.41235), saving model to '/runs/a/checkpoints/epoch=3-step=4000.ckpt' as top 1";
const DEEPSPEED = [
  '[2026-12-06 02:00:00,100] [INFO] [logging.py:107:log_dist] [Rank 0] [Torch] Checkpoint global_step200 is about to be saved!',
  '[2026-12-06 02:00:00,200] [INFO] [logging.py:107:log_dist] [Rank 0] Saving model checkpoint: /ckpt/global_step200/mp_rank_00_model_states.pt',
  '[2026-12-06 02:00:00,201] [INFO] [torch_checkpoint_engine.py:21:save] [Torch] Saving /ckpt/global_step200/mp_rank_00_model_states.pt...',
  '[2026-12-06 02:00:03,900] [INFO] [torch_checkpoint_engine.py:23:save] [Torch] Saved /ckpt/global_step200/mp_rank_00_model_states.pt.',
  '[2026-12-06 02:00:04,100] [INFO] [torch_checkpoint_engine.py:23:save] [Torch] Saved /ckpt/global_step200/zero_pp_rank_0_mp_rank_00_optim_states.pt.',
].join('\n');
const TITAN = [
  '[rank0]:2026-12-06 03:00:00,001 - root - INFO - Saving a full checkpoint at step 640',
  '[rank0]:2026-12-06 03:00:05,616 - root - INFO - Finished saving the checkpoint (or staging if async is enabled)in 5.53 seconds.',
].join('\n');

describe('save lines', () => {
  it('reads Hugging Face Trainer saves with their step and timestamp, between tqdm redraws', () => {
    const events = groupSaves(parseSaveLines(HF));
    expect(events).toEqual([
      // "Configuration saved in out/checkpoint-500/config.json" is part of the same save.
      { framework: 'Hugging Face Trainer', path: 'out/checkpoint-500', step: 500, epoch: null, atMs: local('2026-12-06T01:23:36.121'), lines: 2 },
      { framework: 'Hugging Face Trainer', path: 'out/checkpoint-1000', step: 1000, epoch: null, atMs: local('2026-12-06T01:47:12.004'), lines: 1 },
    ]);
    expect(medianGap(events.map((e) => e.step!))).toBe(500);
  });

  it('reads Lightning, DeepSpeed (one save of many lines) and torchtitan (torch.distributed.checkpoint) saves', () => {
    expect(groupSaves(parseSaveLines(LIGHTNING))).toEqual([{ framework: 'PyTorch Lightning', path: '/runs/a/checkpoints/epoch=3-step=4000.ckpt', step: 4000, epoch: 3, atMs: null, lines: 1 }]);
    const ds = groupSaves(parseSaveLines(DEEPSPEED));
    expect(ds).toEqual([{ framework: 'DeepSpeed', path: '/ckpt/global_step200/mp_rank_00_model_states.pt', step: 200, epoch: null, atMs: local('2026-12-06T02:00:04.100'), lines: 4 }]);
    const titan = groupSaves(parseSaveLines(TITAN));
    expect(titan).toEqual([{ framework: 'torch.distributed.checkpoint (torchtitan)', path: null, step: 640, epoch: null, atMs: local('2026-12-06T03:00:05.616'), lines: 2 }]);
  });

  it('reads plain prints, and not loading or failure lines', () => {
    const lines = parseSaveLines('epoch 4 done\nSaved checkpoint to ckpt/last.pt (epoch 4)\nLoading checkpoint from ckpt/last.pt\ncheckpoint not saved: disk full\nresumed from checkpoint ckpt/last.pt\n');
    expect(lines).toEqual([{ framework: 'plain print', path: 'ckpt/last.pt', step: null, epoch: 4, atMs: null, text: 'Saved checkpoint to ckpt/last.pt (epoch 4)', line: 1, ends: false }]);
    expect(parseSaveLines(' 50%|█████     | 5/10 [00:01<00:01,  5.00it/s]')).toEqual([]);
  });

  it('reads timestamps: asctime (local), ISO with a zone, and rejects impossible ones', () => {
    expect(timestampOf('2026-12-06 01:02:03,450 INFO x')).toBe(local('2026-12-06T01:02:03.450'));
    expect(timestampOf('at 2026-12-06T01:02:03Z')).toBe(Date.parse('2026-12-06T01:02:03Z'));
    expect(timestampOf('2026-12-06T01:02:03.5+0200')).toBe(Date.parse('2026-12-05T23:02:03.500Z'));
    expect(timestampOf('2026-13-06 01:02:03')).toBeNull();
    expect(timestampOf('no time here')).toBeNull();
  });
});

describe('estimates', () => {
  const hfProgress = parseProgressText(' 57%|█████▋    | 1040/1752 [49:05<33:35,  2.83s/it]')!;

  it('counts lost work in steps from the saved step, and in epochs from a checkpoint name', () => {
    const saved = savedPosition(null, { framework: 'Hugging Face Trainer', path: 'out/checkpoint-1000', step: 1000, epoch: null, atMs: null, lines: 1 });
    expect(lostWork(hfProgress, saved, 113)).toEqual({ amount: 40, unit: 'step', formula: 'live step 1040 - step 1000 of the last "saved checkpoint" line (Hugging Face Trainer)' });
    const epochs = parseProgressText('Epoch 46/60\n 42%|████▏     | 84/200 [00:10<00:14,  8.00it/s]')!;
    const latest = { path: '/r/checkpoints/model_epoch_44.pt', mtimeMs: 0, sizeBytes: 1, kind: 'file' as const, trainerState: null, lightning: null };
    expect(lostWork(epochs, savedPosition(latest, null), 500)).toEqual({
      amount: 1.42,
      unit: 'epoch',
      formula: '(epoch 46 - 1 - epoch 44 of the name model_epoch_44.pt) whole epochs + 84/200 it of epoch 46; assumes the saved number counts completed epochs',
    });
    // Without a saved position: the rate turns the lost time into steps.
    expect(lostWork(hfProgress, null, 113)).toEqual({ amount: 40, unit: 'step', formula: 'lost compute 113 s x 0.35 it/s (the current rate)' });
    expect(lostWork(null, null, 113)).toBeNull();
  });

  it('estimates total runtime, start-up and recovery, naming each formula', () => {
    expect(totalRuntime(2945, hfProgress)).toEqual({ seconds: 2945 + 2015, formula: 'runtime so far 2945 s + ETA 2015 s ((1752 - 1040) it / 0.35 it/s from the bar\'s rate)' });
    expect(totalRuntime(1000, hfProgress, 100).seconds).toBe(900 + 2015);
    const start = Date.parse('2026-12-06T01:00:00Z');
    // The bar's elapsed 49:05 runs from the first step; the log was last written 50:00 after the start: 55 s of start-up.
    const boot = startup({ startMs: start, firstProgressAtMs: null, firstProgressLine: null, progress: hfProgress, logWrittenMs: start + 3000_000 });
    expect(boot).toEqual({ seconds: 55, formula: "(last log write - the bar's elapsed 2945 s) - process start: the bar runs from the first step" });
    const timed = startup({ startMs: start, firstProgressAtMs: start + 42_000, firstProgressLine: '***** Running training *****', progress: null, logWrittenMs: null });
    expect(timed.seconds).toBe(42);
    // Seconds at the report's one rounding (a tenth), as the text shows them ("1.3s"), never a whole second shown as "1.0s".
    expect(startup({ startMs: start, firstProgressAtMs: start + 1_250, firstProgressLine: 'step 1/10', progress: null, logWrittenMs: null }).seconds).toBe(1.3);
    // The replay is the lost compute itself, at its one rounding (a tenth): 113.4 s in both places, never 113 here.
    expect(recovery(boot, 113.4)).toEqual({
      seconds: 168.4,
      replaySeconds: 113.4,
      formula: "start-up 55 s (this run's) + replay 113.4 s (the compute lost since the last save, redone at the same speed); queue wait not included",
    });
    expect(recovery({ seconds: 1, formula: 'x' }, 0.5)).toMatchObject({ seconds: 1.5, replaySeconds: 0.5 });
    expect(recovery({ seconds: null, formula: 'x' }, 10)).toEqual({ seconds: null, replaySeconds: 10, formula: 'start-up unknown (x); replay of the lost work 10 s' });
  });
});
