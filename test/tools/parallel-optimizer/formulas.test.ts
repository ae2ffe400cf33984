// The optimizer's formulas against the numbers their sources publish.
import { describe, expect, it } from 'vitest';
import {
  allGatherSeconds,
  allReduceBandwidths,
  bubbleOfIdeal,
  bubbleOfTotal,
  efficiencyBounds,
  interleavedBubbleOfIdeal,
  ringAllReduceBytes,
  ringAllReduceSeconds,
  tensorParallelBytes,
  trainingFlops,
  zero3Bytes,
  zero3Seconds,
} from '../../../shared/tools/parallel-optimizer/comm.js';
import { activationBytesPerGpu, activationBytesPerLayer, stateBytes, zeroModelStateBytes, type ZeroStage } from '../../../shared/tools/parallel-optimizer/memory.js';
import { estimateShape, megatronParameterCount, shapeCheckNote } from '../../../shared/tools/parallel-optimizer/model-config.js';
import { renderSchedule, simulateOneFOneB } from '../../../shared/tools/parallel-optimizer/schedule.js';

const GiB = 2 ** 30;
const adam = stateBytes('bf16', 'adam');

/** A value printed with d decimals matches when the exact value rounds or truncates to it (papers do both). */
function printedAs(exact: number, printed: string): boolean {
  const digits = printed.includes('.') ? printed.split('.')[1]!.length : 0;
  const scale = 10 ** digits;
  const target = Number(printed);
  return Math.abs(Math.round(exact * scale) / scale - target) < 1e-9 || Math.abs(Math.floor(exact * scale + 1e-9) / scale - target) < 1e-9;
}

describe('model states: ZeRO paper (Rajbhandari et al. 2020, arXiv:1910.02054)', () => {
  it('mixed-precision Adam is 2 + 2 + K bytes per parameter with K = 12 (§III-A)', () => {
    expect(adam).toMatchObject({ param: 2, grad: 2, optimizer: 12 });
    expect(adam.convention).toContain('16 bytes/parameter');
    // §III-A: "GPT-2 with 1.5 Billion parameters ... a memory requirement of at least 24GB" vs 3 GB of fp16 params.
    expect(zeroModelStateBytes(0, 1.5e9, 1, adam) / 1e9).toBe(24);
    expect((1.5e9 * adam.param) / 1e9).toBe(3);
  });

  it('reproduces Figure 1: 7.5B parameters on N_d = 64 take 120 / 31.4 / 16.6 / 1.9 GB', () => {
    const gb = (stage: ZeroStage) => zeroModelStateBytes(stage, 7.5e9, 64, adam) / 1e9;
    expect(gb(0)).toBe(120);
    expect(printedAs(gb(1), '31.4')).toBe(true);
    expect(printedAs(gb(2), '16.6')).toBe(true);
    expect(printedAs(gb(3), '1.9')).toBe(true);
  });

  // Table I: per-device memory (decimal GB) of P_os, P_os+g, P_os+g+p by DP degree, for 7.5B, 128B and 1T
  // parameters, as printed in the paper (which rounds some values and truncates others, e.g. 2218.75 -> 2218).
  const TABLE_I: [number, string[]][] = [
    [1, ['120', '120', '120', '2048', '2048', '2048', '16000', '16000', '16000']],
    [4, ['52.5', '41.3', '30', '896', '704', '512', '7000', '5500', '4000']],
    [16, ['35.6', '21.6', '7.5', '608', '368', '128', '4750', '2875', '1000']],
    [64, ['31.4', '16.6', '1.88', '536', '284', '32', '4187', '2218', '250']],
    [256, ['30.4', '15.4', '0.47', '518', '263', '8', '4046', '2054', '62.5']],
    [1024, ['30.1', '15.1', '0.12', '513', '257', '2', '4011', '2013', '15.6']],
  ];
  it.each(TABLE_I)('reproduces Table I at DP degree %i', (n, printed) => {
    const models = [7.5e9, 128e9, 1e12];
    const computed = models.flatMap((psi) => ([1, 2, 3] as const).map((stage) => zeroModelStateBytes(stage, psi, n, adam) / 1e9));
    computed.forEach((value, i) => expect(printedAs(value, printed[i]!), `column ${i}: ${value} vs ${printed[i]}`).toBe(true));
  });

  it('names the variants: fp32 4 + 4 + 8, SGD momentum K = 8, 8-bit Adam K = 6 (HF model_memory_anatomy)', () => {
    expect(stateBytes('fp32', 'adam')).toMatchObject({ param: 4, grad: 4, optimizer: 8 });
    expect(stateBytes('bf16', 'sgd')).toMatchObject({ param: 2, grad: 2, optimizer: 8 });
    expect(stateBytes('fp16', 'adam8bit')).toMatchObject({ param: 2, grad: 2, optimizer: 6 });
    expect(stateBytes('fp32', 'adam8bit').optimizer).toBe(2);
    // research/parallel.md §3: the ZeRO paper's 16 B/param puts a 7B model at 112 GB.
    expect(zeroModelStateBytes(0, 7e9, 1, adam) / 1e9).toBe(112);
  });
});

describe('activations: Korthikanti et al. 2022 (arXiv:2205.05198) Table 2', () => {
  const base = { seqLen: 2048, microBatch: 1, hidden: 12288, heads: 96, kvHeads: 96, sequenceParallel: false, recompute: 'none' as const };
  const sbh = 2048 * 12288;

  it('prints each row of Table 2', () => {
    expect(activationBytesPerLayer({ ...base, tensorParallel: 1 })).toBe(sbh * (34 + (5 * 96 * 2048) / 12288));
    expect(activationBytesPerLayer({ ...base, tensorParallel: 8 })).toBe(sbh * (10 + 24 / 8 + (5 * 96 * 2048) / (12288 * 8)));
    expect(activationBytesPerLayer({ ...base, tensorParallel: 8, sequenceParallel: true })).toBe((sbh / 8) * (34 + (5 * 96 * 2048) / 12288));
    expect(activationBytesPerLayer({ ...base, tensorParallel: 8, recompute: 'selective' })).toBe(sbh * (10 + 24 / 8));
    expect(activationBytesPerLayer({ ...base, tensorParallel: 8, sequenceParallel: true, recompute: 'selective' })).toBe((34 * sbh) / 8);
    expect(activationBytesPerLayer({ ...base, tensorParallel: 1, recompute: 'full' })).toBe(2 * sbh);
  });

  it('GPT-3 (a 96, s 2048, h 12288): the attention term 5as/h = 80 exceeds 34 (research/parallel.md §4)', () => {
    expect((5 * 96 * 2048) / 12288).toBe(80);
  });

  it('matches the EleutherAI cookbook runs: llama-7B shape 97.00 GiB, pythia-6.9B selective 68 GiB / 34 GiB at TP 2', () => {
    // calc_transformer_mem.py README examples: s 4096, h 4096, a 32, L 32, b 1 -> 97.00 GiB of activations.
    const llama = activationBytesPerLayer({ seqLen: 4096, microBatch: 1, hidden: 4096, heads: 32, kvHeads: 32, tensorParallel: 1, sequenceParallel: false, recompute: 'none' });
    expect((llama * 32) / GiB).toBe(97);
    // pythia-6.9B: "checkpoint activations" (selective, 34·sbhL), b 8, s 2048 -> 68.00 GiB, 34.00 GiB per GPU at TP 2 (ZeRO-R / SP divide by t).
    const pythia = { seqLen: 2048, microBatch: 8, hidden: 4096, heads: 32, kvHeads: 32, sequenceParallel: true, recompute: 'selective' as const };
    expect((activationBytesPerLayer({ ...pythia, tensorParallel: 1 }) * 32) / GiB).toBe(68);
    expect((activationBytesPerLayer({ ...pythia, tensorParallel: 2 }) * 32) / GiB).toBe(34);
  });

  it('1F1B: the first stage holds L layers worth once m >= p, fewer micro-batches scale by m/p (Megatron theoretical_memory_usage.py)', () => {
    expect(activationBytesPerGpu(100, 32, 4, 8)).toBe(100 * 32);
    expect(activationBytesPerGpu(100, 32, 4, 2)).toBe(100 * 32 * (2 / 4));
    // interleaved schedule penalty 1 + (p-1)/(p·v)
    expect(activationBytesPerGpu(100, 32, 4, 8, 2)).toBe(100 * 32 * (1 + 3 / 8));
  });
});

describe('communication: nccl-tests doc/PERFORMANCE.md and the ZeRO paper §VII', () => {
  it('busbw = algbw·2(n-1)/n: 8x A100 all_reduce of 16 GiB in 127,997 µs -> algbw 134.22, busbw 234.89 GB/s', () => {
    // stas00/ml-engineering network/README.md, nccl-tests all_reduce_perf on one 8-GPU A100 node.
    const size = 16 * GiB;
    const { algbw, busbw } = allReduceBandwidths(size, 8, 0.127997);
    expect((algbw / 1e9).toFixed(2)).toBe('134.22');
    expect((busbw / 1e9).toFixed(2)).toBe('234.89');
    // and back: t = (S/busbw)·2(n-1)/n
    expect(ringAllReduceSeconds(size, 8, busbw)).toBeCloseTo(0.127997, 9);
  });

  it('4 GiB over 4 P6-B200 nodes at busbw 377.34 GB/s takes 22.05 ms; 1 node at 740.64 GB/s 10.15 ms (research/parallel.md §6)', () => {
    expect((ringAllReduceSeconds(4 * GiB, 32, 377.34e9) * 1e3).toFixed(2)).toBe('22.05');
    expect((ringAllReduceSeconds(4 * GiB, 8, 740.64e9) * 1e3).toFixed(2)).toBe('10.15');
  });

  it('DDP sends 2(n-1)/n·S per rank; ZeRO-3 sends 1.5x that (3Ψ vs 2Ψ)', () => {
    expect(ringAllReduceBytes(1000, 4)).toBe(1500);
    expect(zero3Bytes(1000, 4) / ringAllReduceBytes(1000, 4)).toBe(1.5);
    expect(ringAllReduceBytes(1000, 1)).toBe(0);
  });

  it('all-gather / reduce-scatter: t = (S/busbw)·(n-1)/n, so nccl-tests would print busbw = algbw·(n-1)/n; half a ring all-reduce', () => {
    // nccl-tests doc/PERFORMANCE.md: AllGather and ReduceScatter have the bus-bandwidth factor (n-1)/n.
    const size = 16 * GiB;
    const seconds = allGatherSeconds(size, 8, 361.4e9);
    expect(((size / seconds) * 7) / 8 / 1e9).toBeCloseTo(361.4, 9);
    // an all-reduce is a reduce-scatter plus an all-gather (ZeRO §VII: 2Ψ = Ψ + Ψ)
    expect(2 * allGatherSeconds(size, 8, 235e9)).toBeCloseTo(ringAllReduceSeconds(size, 8, 235e9), 15);
    expect(allGatherSeconds(size, 1, 235e9)).toBe(0);
  });

  it('ZeRO-3 time per micro-batch is 1.5x the all-reduce (3Ψ vs 2Ψ): 4 GiB over 4 P6-B200 nodes, 1.5 x 22.05 ms', () => {
    expect(zero3Seconds(4 * GiB, 32, 377.34e9) / ringAllReduceSeconds(4 * GiB, 32, 377.34e9)).toBeCloseTo(1.5, 12);
    expect((zero3Seconds(4 * GiB, 32, 377.34e9) * 1e3).toFixed(2)).toBe((1.5 * ringAllReduceSeconds(4 * GiB, 32, 377.34e9) * 1e3).toFixed(2));
  });

  it('tensor parallel: 8bsh(t-1)/t elements per layer per micro-batch (Narayanan et al. 2021 §3.2)', () => {
    expect(tensorParallelBytes(1, 2048, 12288, 8, 1, 1)).toBe((8 * 2048 * 12288 * 7) / 8);
    expect(tensorParallelBytes(1, 2048, 12288, 8, 96, 2)).toBe(((8 * 2048 * 12288 * 7) / 8) * 96 * 2);
    expect(tensorParallelBytes(1, 2048, 12288, 1, 96, 2)).toBe(0);
  });
});

describe('pipeline bubble: Narayanan et al. 2021 §2.2 (Figure 4: p = 4, m = 8, v = 2) and GPipe', () => {
  it('1F1B (p-1)/m = 0.375 of the ideal time; interleaved v = 2: 0.1875; GPipe share of total 3/11', () => {
    expect(bubbleOfIdeal(4, 8)).toBe(0.375);
    expect(interleavedBubbleOfIdeal(4, 8, 2)).toBe(0.1875);
    expect(bubbleOfTotal(4, 8)).toBeCloseTo(3 / 11, 12);
  });

  it('the simulated 1F1B schedule idles exactly (p-1)/m of the ideal time on every stage', () => {
    const timeline = simulateOneFOneB(4, 8);
    for (const row of timeline) {
      const busy = row.filter((op) => op !== null).length;
      expect(busy).toBe(16);
      expect((row.length - busy) / busy).toBe(bubbleOfIdeal(4, 8));
    }
    const lines = renderSchedule(4, 8);
    expect(lines[0]).toMatch(/^stage 0 \| F1 F2 F3 F4 \.\. \.\. \.\. B1 F5 B2/);
    expect(lines[3]).toMatch(/^stage 3 \| \.\. \.\. \.\. F1 B1 F2 B2/);
  });
});

/** Narayanan et al. 2021 §5.1 (from eq. 3 with full recompute): end-to-end training time ≈ 8·T·P / (n·X) seconds. */
function megatronTrainingSeconds(tokens: number, parameters: number, gpus: number, flopsPerGpu: number): number {
  return (8 * tokens * parameters) / (gpus * flopsPerGpu);
}

/** 1 PF-day = 1e15 FLOP/s for a day (GPT-3 paper Table D.1's unit). */
const PETAFLOP_DAY = 1e15 * 86400;

describe('compute: 6·N·D (EleutherAI Transformer Math 101) and Megatron §5.1', () => {
  it('GPT-3: 174,600M parameters x 300B tokens = 3.14E+23 FLOPs = 3.64E+03 PF-days (GPT-3 paper Table D.1)', () => {
    const flops = trainingFlops(174_600e6, 300e9);
    expect(flops.toExponential(2)).toBe('3.14e+23');
    expect((flops / PETAFLOP_DAY).toExponential(2)).toBe('3.64e+3');
  });

  it('8TP/(nX): GPT-3 175B on 1024 A100 at 140 TFLOP/s takes 34 days; 1T on 3072 at 163 TFLOP/s 84 days', () => {
    expect(Math.round(megatronTrainingSeconds(300e9, 175e9, 1024, 140e12) / 86400)).toBe(34);
    // the 1T model's parameter count from Megatron eq. 2 (l 128, h 25600, V 51200, s 2048) is 1008B
    const p1t = megatronParameterCount(128, 25600, 51200, 2048);
    expect(Math.round(p1t / 1e9)).toBe(1008);
    expect(Math.round(megatronTrainingSeconds(450e9, p1t, 3072, 163e12) / 86400)).toBe(84);
    expect(trainingFlops(1, 1, true)).toBe(8);
  });

  it('efficiency = compute / step, with and without overlap (ml-engineering)', () => {
    expect(efficiencyBounds({ compute: 1, bubble: 0, overlappable: 0.5, exposed: 0 })).toEqual({ serial: 1 / 1.5, overlapped: 1 });
    expect(efficiencyBounds({ compute: 1, bubble: 0.375, overlappable: 0, exposed: 0 }).serial).toBeCloseTo(1 / 1.375, 12);
  });
});

describe('shape check: Megatron eq. 2 against the parameter count', () => {
  it("GPT-3's shape (l 96, h 12288, V 51200, s 2048) gives 174.6B, the GPT-3 paper's Table D.1 count: no note", () => {
    const shape = { layers: 96, hidden: 12288, heads: 96, kvHeads: 96, vocab: 51200, ffn: null };
    expect((megatronParameterCount(96, 12288, 51200, 2048) / 1e9).toFixed(1)).toBe('174.6');
    expect(shapeCheckNote(174_600e6, shape, 2048)).toBeNull();
  });

  it('Llama-2-7B (l 32, h 4096, V 32000, s 4096; 6,738,415,616 parameters) is within the tolerance: no note', () => {
    expect(shapeCheckNote(6_738_415_616, { layers: 32, hidden: 4096, heads: 32, kvHeads: 32, vocab: 32000, ffn: 11008 }, 4096)).toBeNull();
  });

  it('a shape far from the count is named, with the numbers of eq. 2', () => {
    const note = shapeCheckNote(7e9, { layers: 32, hidden: 1024, heads: 8, kvHeads: 8, vocab: 32000, ffn: null }, 2048);
    expect(note).toContain('with l = 32, h = 1024, V = 32000, s = 2048, gives 437.9 M parameters, 94% below the 7.00 B counted');
  });
});

describe('shape estimate from a bare parameter count (labelled as an estimate)', () => {
  it('lands on GPT-3 175B (96 layers, h 12288, 96 heads) for 175B parameters', () => {
    expect(estimateShape(175e9)).toEqual({ layers: 96, hidden: 12288, heads: 96, kvHeads: 96, vocab: null, ffn: null });
  });
  it('keeps 12·L·h² near the count for a 7B model', () => {
    const shape = estimateShape(7e9);
    expect(Math.abs((12 * shape.layers * shape.hidden ** 2) / 7e9 - 1)).toBeLessThan(0.05);
  });
});
