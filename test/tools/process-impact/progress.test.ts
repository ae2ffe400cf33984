import { describe, expect, it } from 'vitest';
import {
  parseBar,
  parseClock,
  parseLightningName,
  parseProgressText,
  parseRate,
  parseScaled,
  parseTrainerState,
} from '../../../shared/tools/process-impact/progress.js';

describe('tqdm pieces', () => {
  it('reads intervals, rates and unit_scale numbers', () => {
    expect(parseClock('00:29')).toBe(29);
    expect(parseClock('1:22:01')).toBe(4921);
    expect(parseClock('?')).toBeNull();
    expect(parseRate('2.83', 's/it').rate).toBeCloseTo(1 / 2.83);
    expect(parseRate('43.21', 'it/s')).toEqual({ rate: 43.21, unit: 'it' });
    expect(parseRate('?', 'it/s').rate).toBeNull();
    expect(parseRate('12.5', 'batch/s')).toEqual({ rate: 12.5, unit: 'batch' });
    expect(parseScaled('1.2k')).toBe(1200);
    expect(parseScaled('35')).toBe(35);
  });

  it('parses a Hugging Face Trainer bar (s/it, remaining)', () => {
    const bar = parseBar('  1%|          | 10/1752 [00:29<1:22:01,  2.83s/it]');
    expect(bar).toMatchObject({ n: 10, total: 1752, remaining: 4921, unit: 'it', desc: '', kind: 'tqdm' });
    expect(bar!.rate).toBeCloseTo(0.3534, 3);
  });

  it('parses a Lightning bar with postfix', () => {
    expect(parseBar('Epoch 3:  45%|████▌     | 450/1000 [00:10<00:12, 43.21it/s, v_num=0, loss=0.3]')).toMatchObject({
      n: 450,
      total: 1000,
      rate: 43.21,
      desc: 'Epoch 3',
    });
  });

  it('parses Keras 2 and Keras 3 progress bars', () => {
    expect(parseBar('450/1000 [=============>................] - ETA: 12s - loss: 0.3012')).toMatchObject({ n: 450, total: 1000, remaining: 12, kind: 'keras' });
    const k3 = parseBar(' 450/1000 ━━━━━━━━━━━━━━━━━━━━ 12s 27ms/step - accuracy: 0.8 - loss: 0.3');
    expect(k3).toMatchObject({ n: 450, total: 1000, kind: 'keras', unit: 'step' });
    expect(k3!.rate).toBeCloseTo(1 / 0.027);
  });

  it('has no rate before tqdm has measured one', () => {
    expect(parseBar('  0%|          | 0/1752 [00:00<?, ?it/s]')).toMatchObject({ n: 0, total: 1752, rate: null, remaining: null });
  });
});

describe('parseProgressText', () => {
  it('combines the last "Epoch i/N" line with the bar redrawn after it (\\r-separated)', () => {
    const log = 'Epoch 44/60\n 50%|#####     | 5/10 [00:01<00:01,  5.00it/s]\r100%|##########| 10/10 [00:02<00:00,  5.00it/s]\nEpoch 45/60\n' +
      '  0%|          | 0/10 [00:00<?, ?it/s]\r 40%|####      | 4/10 [00:00<00:01,  5.00it/s]';
    const p = parseProgressText(log)!;
    expect(p).toMatchObject({ current: 45, total: 60, unit: 'epoch' });
    expect(p.percent).toBeCloseTo((100 * 44.4) / 60, 1);
    // rest of this epoch (6 / 5 it/s) + 15 more epochs x 10 it / 5 it/s
    expect(p.etaSeconds).toBe(Math.round(6 / 5 + (15 * 10) / 5));
    expect(p.etaFormula).toContain('assumes every epoch has 10 it');
  });

  it("uses the previous epoch's rate while a new bar has none yet", () => {
    const log = 'Epoch 1/3\n100%|##########| 10/10 [00:02<00:00,  5.00it/s]\nEpoch 2/3\n\r  0%|          | 0/10 [00:00<?, ?it/s]';
    const p = parseProgressText(log)!;
    expect(p).toMatchObject({ current: 2, total: 3, etaSeconds: Math.round(10 / 5 + 10 / 5) });
    expect(p.etaFormula).toContain("at the previous epoch's rate");
  });

  it('reports a bare "Epoch i/N" without an ETA (no rate in the source)', () => {
    const p = parseProgressText('loading\nEpoch 45/60 - loss 0.31\n')!;
    expect(p).toMatchObject({ current: 45, total: 60, unit: 'epoch', percent: 75, etaSeconds: null });
    expect(p.etaFormula).toBe('the log gives no rate for epochs');
  });

  it('keeps the training bar when an evaluation bar was printed after it', () => {
    const log = ' 57%|█████▋    | 1000/1752 [10:00<07:31,  1.67it/s]\n 40%|████      | 20/50 [00:02<00:03, 10.00it/s]';
    expect(parseProgressText(log)).toMatchObject({ current: 1000, total: 1752, unit: 'it', etaSeconds: Math.round(752 / 1.67) });
  });

  it('reads Lightning bars as batches of an epoch whose total is not shown', () => {
    const p = parseProgressText('Epoch 3:  45%|████▌     | 450/1000 [00:10<00:12, 43.21it/s, v_num=0]')!;
    expect(p).toMatchObject({ current: 450, total: 1000, percent: 45 });
    expect(p.kind).toContain("Lightning 'Epoch 3' (0-based");
    expect(p.etaFormula).toContain('this epoch only');
  });

  it('reads "step i/N" lines, with an ETA when the line has a rate', () => {
    expect(parseProgressText('step 4500/10000 loss=2.1\n')).toMatchObject({ current: 4500, total: 10000, unit: 'step', percent: 45, etaSeconds: null });
    expect(parseProgressText('[train] Step [4500/10000] 2.50 it/s\n')).toMatchObject({ current: 4500, etaSeconds: 2200 });
  });

  it('returns null for a log without progress', () => {
    expect(parseProgressText('Loading model...\nDone.\n')).toBeNull();
  });
});

describe('checkpoint metadata', () => {
  it('reads trainer_state.json and tolerates older files', () => {
    expect(parseTrainerState('{"global_step": 1500, "max_steps": 5000, "save_steps": 500, "epoch": 0.86, "num_train_epochs": 3}')).toEqual({
      globalStep: 1500,
      maxSteps: 5000,
      saveSteps: 500,
      epoch: 0.86,
      numTrainEpochs: 3,
    });
    expect(parseTrainerState('{"global_step": 10}')).toMatchObject({ globalStep: 10, saveSteps: null });
    expect(parseTrainerState('not json')).toBeNull();
  });

  it('reads Lightning checkpoint names', () => {
    expect(parseLightningName('epoch=3-step=1000.ckpt')).toEqual({ epoch: 3, step: 1000 });
    expect(parseLightningName('epoch=3-step=1000-v1.ckpt')).toEqual({ epoch: 3, step: 1000 });
    expect(parseLightningName('last.ckpt')).toBeNull();
  });
});
