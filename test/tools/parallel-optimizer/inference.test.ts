// Inference memory as accelerate estimate-memory prints it, the KV cache with grouped-query attention, --units,
// and full recompute tried before a more complex layout.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildReport } from '../../../shared/tools/parallel-optimizer/main.js';
import type { Report } from '../../../shared/tools/parallel-optimizer/render.js';
import { fixtureDir, runTool } from './helpers.js';

const noDetection = () => Promise.reject(new Error('flags describe the cluster'));
async function plan(args: string): Promise<Report> {
  return (await buildReport(args.split(/\s+/).filter(Boolean), noDetection))!.report;
}
const LLAMA3 = join(fixtureDir, 'llama3-8b', 'config.json');

describe('accelerate estimate-memory', () => {
  // accelerate's tests/test_cli.py and docs (usage_guides/model_size_estimator.md), bert-base-cased: total fp32
  // 433,249,280 B -> "413.18 MB" (accelerate's MB are MiB), fp16 206.59 / training 826.36, int8 103.29, int4
  // 51.65, largest layer 90,669,056 B -> 86.47; fp32 training "1.61 GB". 433,249,280 B = 108,312,320 fp32 values.
  it("bert-base-cased's published row, in MiB", async () => {
    const run = await runTool(['--params', '108312320', '--largest-layer', '22667264', '--gpus', '1', '--gpu-memory', '16GiB', '--units', 'MiB']);
    expect(run.code).toBe(0);
    const table = run.stdout.slice(run.stdout.indexOf('Inference memory'));
    expect(table).toContain("Inference memory (accelerate estimate-memory's columns; parameters only, in MiB)");
    expect(table).toMatch(/ {2}float32 +86\.47 MiB +413\.18 MiB +1652\.71 MiB\n/);
    expect(table).toMatch(/ {2}float16\/bfloat16 +43\.23 MiB +206\.59 MiB +826\.36 MiB\n/);
    expect(table).toMatch(/ {2}int8 +21\.62 MiB +103\.29 MiB +N\/A\n/);
    expect(table).toMatch(/ {2}int4 +10\.81 MiB +51\.65 MiB +N\/A\n/);
    const json = JSON.parse((await runTool(['--params', '108312320', '--largest-layer', '22667264', '--gpus', '1', '--gpu-memory', '16GiB', '--json'])).stdout);
    expect(json.inference.rows[0]).toEqual({ dtype: 'float32', bytesPerParameter: 4, largestLayerBytes: 90669056, totalBytes: 433249280, trainingBytes: 4 * 433249280 });
    expect((json.inference.rows[0].trainingBytes / 2 ** 30).toFixed(2)).toBe('1.61');
    expect(json.inference.rows[2].trainingBytes).toBeNull();
  });

  it('the KV cache stores only the KV heads: Llama-3-8B, 8 of 32 heads, 128 KiB per token, 1 GiB at 8192 tokens', async () => {
    const report = await plan(`--model ${LLAMA3} --params 8030261248 --gpus 8 --gpu-memory 80GiB --seq-len 8192`);
    expect(report.inference.kvCache).toMatchObject({ bytesPerToken: 2 * 32 * 8 * 128 * 2, tokens: 8192, sequences: 1, bytes: 2 ** 30 });
    const mha = await plan(`--model ${LLAMA3} --params 8030261248 --kv-heads 32 --gpus 8 --gpu-memory 80GiB --seq-len 8192`);
    expect(mha.inference.kvCache.bytes).toBe(4 * 2 ** 30);
    const run = await runTool(['--model', LLAMA3, '--params', '8030261248', '--gpus', '8', '--gpu-memory', '80GiB', '--seq-len', '8192']);
    expect(run.stdout).toContain('KV cache (16-bit): 2 (K, V) x 32 layers x 8 KV heads x 128 head size x 2 bytes = 131072 bytes per token; x 8192 tokens x 1 sequence (the micro-batch) = 1.00 GiB');
  });
});

describe('--units GB|GiB|MiB', () => {
  it("GB prints the ZeRO paper's Figure 1 row for 7.5B on 64 GPUs: 120 / 31.4 / 16.6 / 1.9 GB", async () => {
    const run = await runTool(['--params', '7.5B', '--gpus', '64', '--gpu-memory', '80GiB', '--units', 'GB']);
    expect(run.stdout).toContain('Strategies (memory per GPU in GB; traffic per GPU per optimizer step)');
    expect(run.stdout).toMatch(/^ {2}ddp +d64 +120\.00 /m);
    expect(run.stdout).toMatch(/^ {2}zero1 +d64 +31\.41 /m);
    expect(run.stdout).toMatch(/^ {2}zero2 +d64 +16\.64 /m);
    expect(run.stdout).toMatch(/^ {2}zero3 +d64 +1\.88 /m);
    expect(run.stdout).toContain('usable memory per GPU: 85.90 GB x 0.90 = 77.31 GB');
    expect(JSON.parse((await runTool(['--params', '7.5B', '--gpus', '64', '--gpu-memory', '80GiB', '--units', 'GB', '--json'])).stdout).units).toBe('GB');
  });

  it('an unknown unit is one line, exit 2', async () => {
    const run = await runTool(['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--units', 'TB']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd()).toBe("parallel_optimizer: --units must be one of GB, GiB, MiB, got 'TB'");
  });
});

describe('full recompute before a more complex layout', () => {
  it('one GPU: DDP with --recompute full when selective does not fit and full does', async () => {
    const report = await plan('--params 3B --gpus 1 --gpu-memory 80GiB --seq-len 16384');
    expect(report.strategies.find((s) => s.name === 'ddp')!.fits).toBe(false);
    expect(report.recommendation).toMatchObject({ strategy: 'ddp', recompute: 'full' });
    expect(report.recommendation.reasons.at(-1)).toMatch(/^ddp: .* <= 72\.00 GiB usable with --recompute full: selective recompute does not fit, full recompute does/);
    expect(report.recommendation.reasons.at(-1)).toContain('8·N·tokens instead of 6·N FLOPs (+33% compute), and is simpler than offloading to CPU memory');
  });

  it('ZeRO-3 cannot hide its traffic over PCIe: ZeRO-2 with full recompute rather than model parallelism; the launch carries it', async () => {
    const run = await runTool(['--params', '20B', '--gpus', '8', '--gpu-memory', '80GiB', '--gpu-name', 'H100', '--interconnect', 'pcie']);
    expect(run.stdout).toContain('Recommendation: zero2 with --recompute full');
    expect(run.stdout).toContain('and is simpler than model parallelism (tensor and pipeline)');
    const json = JSON.parse((await runTool(['--params', '20B', '--gpus', '8', '--gpu-memory', '80GiB', '--gpu-name', 'H100', '--interconnect', 'pcie', '--json'])).stdout);
    expect(json.recommendation).toMatchObject({ strategy: 'zero2', recompute: 'full', layout: { t: 1, p: 1, d: 8 } });
    expect(json.recommendation.totalBytesPerGpu).toBeLessThanOrEqual(0.9 * 80 * 2 ** 30);
    const fsdp = json.launch.files.find((f: { name: string }) => f.name === 'accelerate_fsdp.yaml');
    expect(parseYaml(fsdp.content).fsdp_config.fsdp_activation_checkpointing).toBe(true);
  });

  it('ZeRO-3 with its traffic hidden fits with selective recompute: no recompute change', async () => {
    const report = await plan('--params 20B --gpus 8 --gpu-name H100 --interconnect nvlink --gpu-memory 80GiB');
    expect(report.recommendation).toMatchObject({ strategy: 'zero3', recompute: 'selective' });
  });

  it('a given --recompute is kept as given', async () => {
    const report = await plan('--params 3B --gpus 1 --gpu-memory 80GiB --seq-len 16384 --recompute selective');
    expect(report.recommendation.recompute).toBe('selective');
    expect(report.recommendation.strategy).toBe('zero3-offload');
  });

  it('model parallelism with full recompute before CPU offload, with Megatron’s full-recompute arguments', async () => {
    const report = await plan('--params 13B --layers 40 --hidden-size 5120 --heads 40 --nodes 2 --gpus-per-node 8 --gpu-memory 80GiB --gpu-name H100 --interconnect nvlink --inter-node-bandwidth 1 --seq-len 131072');
    expect(report.recommendation).toMatchObject({ strategy: '3d', recompute: 'full' });
    expect(report.recommendation.reasons.join('\n')).toContain('and is simpler than CPU offload');
    const script = report.launch.files.find((f) => f.name === 'megatron_pretrain.sh')!.content;
    expect(script).toContain('  --recompute-granularity full\n  --recompute-method uniform\n  --recompute-num-layers 1\n');
  });
});
