// Megatron layouts as Megatron-LM accounts and accepts them: its distributed-optimizer table, --grad-precision,
// tensor parallel over heads and KV heads, pipeline stages over layers; GQA shapes from config.json; estimated
// shapes that real models use.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../shared/tools/parallel-optimizer/main.js';
import { activationBytesPerLayer, stateBytes } from '../../../shared/tools/parallel-optimizer/memory.js';
import { layoutProblem, megatronPrecision, megatronStateBytes, megatronStates } from '../../../shared/tools/parallel-optimizer/megatron.js';
import { estimateShape } from '../../../shared/tools/parallel-optimizer/model-config.js';
import type { Report } from '../../../shared/tools/parallel-optimizer/render.js';
import { fixtureDir, runTool } from './helpers.js';

const noDetection = () => Promise.reject(new Error('flags describe the cluster'));
async function plan(args: string): Promise<Report> {
  const built = await buildReport(args.split(/\s+/).filter(Boolean), noDetection);
  return built!.report;
}
const row = (report: Report, name: string) => report.strategies.find((s) => s.name === name)!;
const LLAMA3 = join(fixtureDir, 'llama3-8b', 'config.json');
const H100 = '--gpu-name H100 --interconnect nvlink --gpu-memory 80GiB';

describe("Megatron-LM's distributed-optimizer table (docs/api-guide/dist_optimizer.md)", () => {
  // [params, grads, non-distributed bytes/param, distributed: replicated + shardable/d]
  it.each([
    ['fp16', 'fp16', 20, 4, 16],
    ['bf16', 'fp32', 18, 6, 12],
    ['fp32', 'fp32', 16, 8, 8],
  ] as const)('%s params + %s grads: %i bytes/parameter, %i + %i/d distributed', (param, grad, whole, replicated, shardable) => {
    const bytes = megatronStateBytes(megatronPrecision(param, grad), stateBytes(param, 'adam'));
    expect(bytes).toEqual({ replicated, shardable });
    expect(megatronStates(1e9, { t: 1, p: 1, d: 8 }, bytes, false).states).toBe(whole * 1e9);
    expect(megatronStates(1e9, { t: 2, p: 2, d: 8 }, bytes, true).states).toBe((replicated * 1e9) / 4 + (shardable * 1e9) / 32);
  });

  it('the defaults are Megatron’s: bf16 accumulates and reduces gradients in fp32, fp16 keeps fp16 gradients', () => {
    expect(megatronPrecision('bf16', undefined)).toMatchObject({ grad: 'fp32', flags: ['--bf16'], row: 'bf16 params + fp32 main grads' });
    expect(megatronPrecision('bf16', 'bf16').flags).toEqual(['--bf16', '--grad-reduce-in-bf16']);
    expect(megatronPrecision('fp16', undefined)).toMatchObject({ grad: 'fp16', flags: ['--fp16'] });
    expect(megatronPrecision('fp16', 'fp32').flags).toEqual(['--fp16', '--accumulate-allreduce-grads-in-fp32']);
    expect(megatronPrecision('fp32', undefined).flags).toEqual([]);
  });

  it('the 3d row uses 6Ψ/(t·p) + 12Ψ/(t·p·d) and says so; --grad-precision bf16 gives 4 + 16/d; ZeRO rows keep the ZeRO paper', async () => {
    const report = await plan(`--params 70B --layers 80 --hidden-size 8192 --heads 64 --nodes 4 --gpus-per-node 8 ${H100}`);
    const threeD = row(report, '3d');
    const { t, p, d } = threeD.layout;
    expect(threeD.modelStatesBytesPerGpu).toBeCloseTo((6 * 70e9) / (t * p) + (12 * 70e9) / (t * p * d), 0);
    expect(threeD.stateFormula).toBe("6Ψ/(t·p) + 12Ψ/(t·p·d) (Megatron-LM's table, distributed optimizer, bf16 params + fp32 main grads)");
    expect(row(report, 'pp').stateFormula).toContain('18Ψ/(t·p)');
    expect(row(report, 'ddp').modelStatesBytesPerGpu).toBe(16 * 70e9);
    const bf16 = await plan(`--params 70B --layers 80 --hidden-size 8192 --heads 64 --nodes 4 --gpus-per-node 8 --grad-precision bf16 ${H100}`);
    const l = row(bf16, '3d').layout;
    expect(row(bf16, '3d').modelStatesBytesPerGpu).toBeCloseTo((4 * 70e9) / (l.t * l.p) + (16 * 70e9) / (l.t * l.p * l.d), 0);
  });

  it('prints the assumed setup in the report', async () => {
    const run = await runTool(['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB']);
    expect(run.stdout).toContain(
      "Megatron rows (tp, pp, 3d): Megatron-LM's distributed-optimizer table (docs/api-guide/dist_optimizer.md), bf16 params + fp32 main grads, Megatron's default for bf16 (--bf16): 18 bytes/parameter, 6 + 12/d with --use-distributed-optimizer",
    );
  });

  it.each([
    [['--grad-precision', 'fp8'], "parallel_optimizer: --grad-precision must be one of fp32, bf16, fp16, got 'fp8'"],
    [['--precision', 'fp32', '--grad-precision', 'bf16'], 'parallel_optimizer: --grad-precision bf16 needs 16-bit parameters, not --precision fp32'],
    [['--precision', 'bf16', '--grad-precision', 'fp16'], 'parallel_optimizer: --grad-precision fp16 does not go with --precision bf16'],
  ])('refuses %j in one line, exit 2', async (args, line) => {
    const run = await runTool(['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe(line);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('grouped-query attention from config.json', () => {
  it('reads num_key_value_heads and shows it in the shape line', async () => {
    const run = await runTool(['--model', LLAMA3, '--params', '8030261248', '--gpus', '8', '--gpu-memory', '80GiB']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shape: 32 layers, hidden 4096, 32 heads, 8 KV heads (grouped-query), FFN 14336, vocab 128256');
  });

  it('K and V are g/a as wide in the activations: 34 -> 30 + 4·8/32 = 31 sbh per layer (selective), 24 -> 21 per t', () => {
    const base = { seqLen: 8192, microBatch: 1, hidden: 4096, heads: 32, kvHeads: 8, sequenceParallel: false };
    const sbh = 8192 * 4096;
    expect(activationBytesPerLayer({ ...base, tensorParallel: 1, recompute: 'selective' })).toBe(31 * sbh);
    expect(activationBytesPerLayer({ ...base, tensorParallel: 8, recompute: 'selective' })).toBe(sbh * (10 + 21 / 8));
    expect(activationBytesPerLayer({ ...base, tensorParallel: 1, recompute: 'none' })).toBe(sbh * (31 + (5 * 32 * 8192) / 4096));
  });

  it('--kv-heads that do not divide the heads is a usage error', async () => {
    const run = await runTool(['--params', '7B', '--layers', '32', '--hidden-size', '4096', '--heads', '32', '--kv-heads', '5', '--gpus', '8', '--gpu-memory', '80GiB']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('parallel_optimizer: 32 attention heads are not a multiple of 5 key/value heads');
  });
});

describe('never a layout Megatron-LM would reject', () => {
  it('tensor parallel divides the KV heads: 2 query groups on 8 GPUs -> t = 2, said so', async () => {
    const report = await plan(`--params 6B --layers 28 --hidden-size 4096 --heads 32 --kv-heads 2 --gpus 8 ${H100}`);
    const tp = row(report, 'tp');
    expect(tp.layout).toEqual({ t: 2, p: 1, d: 4 });
    expect(tp.notes.join('\n')).toContain('t = 2, not 8: t = 8 does not divide the 2 KV heads (query groups) (Megatron rejects it)');
    expect(row(report, '3d').layout.t).toBeLessThanOrEqual(2);
  });

  it('tensor parallel divides the heads: 12 heads on 8 GPUs -> t = 4', async () => {
    const report = await plan(`--params 125M --layers 12 --hidden-size 768 --heads 12 --gpus 8 ${H100}`);
    expect(row(report, 'tp').layout.t).toBe(4);
  });

  it.each([
    '--params 70B --layers 80 --hidden-size 8192 --heads 64 --kv-heads 8 --nodes 4 --gpus-per-node 8',
    '--params 13B --layers 40 --hidden-size 5120 --heads 40 --nodes 2 --gpus-per-node 8',
    '--params 30B --layers 60 --hidden-size 6656 --heads 52 --gpus 8 --interleave 2',
    '--params 175B --layers 96 --hidden-size 12288 --heads 96 --nodes 12 --gpus-per-node 8 --interleave 3',
    '--params 1T --nodes 64 --gpus-per-node 8',
  ])('%s: every tp, pp and 3d row passes Megatron’s checks', async (args) => {
    const report = await plan(`${args} ${H100}`);
    for (const name of ['tp', 'pp', '3d']) {
      const r = row(report, name);
      const { t, p } = r.layout;
      expect(layoutProblem(report.model.shape, t, p, report.training.interleave, r.microBatches), `${name} ${JSON.stringify(r.layout)}`).toBeNull();
    }
  });

  it('names each rule it checks', () => {
    const shape = { layers: 30, hidden: 4096, heads: 32, kvHeads: 8, vocab: null, ffn: null };
    expect(layoutProblem(shape, 16, 1, 1, 1)).toBe('t = 16 does not divide the 8 KV heads (query groups)');
    expect(layoutProblem(shape, 1, 4, 1, 8)).toBe('p = 4 does not divide the 30 layers');
    expect(layoutProblem(shape, 1, 3, 2, 7)).toBe('the interleaved schedule needs micro-batches (7) a multiple of p = 3');
    expect(layoutProblem(shape, 1, 4, 2, 8)).toBe('p·v = 8 does not divide the 30 layers');
    expect(layoutProblem(shape, 8, 5, 2, 10)).toBeNull();
  });
});

describe('shapes estimated from --params alone are shapes real models use', () => {
  it.each([125e6, 350e6, 1.3e9, 7e9, 13e9, 34e9, 70e9, 175e9, 1e12])('%d parameters', (parameters) => {
    const shape = estimateShape(parameters);
    const headSize = shape.hidden / shape.heads;
    expect([64, 128]).toContain(headSize);
    expect(shape.heads % 8).toBe(0);
    expect(shape.kvHeads).toBe(shape.heads);
    if (shape.layers >= 8) expect(shape.layers % 4).toBe(0);
    expect(Math.abs((12 * shape.layers * shape.hidden ** 2) / parameters - 1)).toBeLessThan(0.25);
  });

  it('is labelled as an estimate in the report and in --json', async () => {
    const run = await runTool(['--params', '13B', '--gpus', '8', '--gpu-memory', '80GiB', '--json']);
    const json = JSON.parse(run.stdout);
    expect(json.model.shape).toMatchObject({ layers: 40, hidden: 5120, heads: 40, kvHeads: 40, estimated: true });
    expect(json.model.shape.source).toContain('estimated from P ≈ 12·L·h²');
  });
});
