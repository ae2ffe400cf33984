// The built script (dist/scripts/parallel_optimizer.mjs, exactly what users get), run as a user runs it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeSmi } from '../../support/fake-nvidia-smi.js';
import { hasShared, readSmiFixture } from '../../support/shared-fixtures.js';
import { useTempDir } from '../../support/tmp.js';
import { fakePath, ownFixture, runTool, writeRaw, writeSafetensors, type Run } from './helpers.js';

const tempDir = useTempDir('dp-parallel-e2e-');
let noSmiBin: string;
beforeAll(() => {
  noSmiBin = mkdtempSync(join(tmpdir(), 'dp-parallel-nosmi-'));
});
afterAll(() => rmSync(noSmiBin, { recursive: true, force: true }));

/** PATH with node only: no nvidia-smi anywhere. */
const bare = () => ({ ...process.env, PATH: fakePath(noSmiBin) });

function expectUsageError(run: Run, message: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^parallel_optimizer: /);
  expect(lines[0]).toMatch(message);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^ {2}\S/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('text report', () => {
  it('--help names the formulas and exits 0', async () => {
    const run = await runTool(['--help'], bare());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage:');
    expect(run.stdout).toContain('ZeRO-1 4Ψ + 12Ψ/N');
    expect(run.stdout).toContain('sbh(34 + 5as/h)');
    expect(run.stdout).toContain('t = (S/busbw)·2(n-1)/n');
  });

  it('7B on 8x 80 GiB from flags: sections, strategies, recommendation, DeepSpeed printout; no colour off a terminal', async () => {
    const run = await runTool(['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--seq-len', '4096', '--micro-batch', '1'], bare());
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('\x1b[');
    expect(run.stdout).toContain('7,000,000,000 parameters (7.00 B) from --params 7B');
    expect(run.stdout).toContain('1 node x 8 GPUs = 8 x GPU (model unknown), 80.00 GiB each (flags)');
    expect(run.stdout).toMatch(/^ {2}ddp +d8 +104\.31 /m);
    expect(run.stdout).toMatch(/^ {2}zero3 +d8 +13\.04 /m);
    expect(run.stdout).toContain('Recommendation: zero1');
    expect(run.stdout).toContain('torchrun --standalone --nnodes=1 --nproc-per-node=8 train.py --deepspeed ds_config.json');
    expect(run.stdout).toContain('  per CPU  |  per GPU |   Options');
    expect(run.stdout).toContain('SW: Model with 7000M total params.');
    // estimates say so
    expect(run.stdout).toContain('shape estimated from P ≈ 12·L·h²');
    expect(run.stdout).toContain('intra-node all-reduce busbw 24.8 GB/s: estimate: 80% of PCIe Gen4');
    expect(run.stdout).toContain('gradient payload S = 7,000,000,000 parameters x 2 bytes (bf16 gradients) = 14.00 GB');
    expect(run.stdout).toContain('compute time: unknown peak FLOP/s for this GPU; pass --peak-tflops');
  });

  it('--explain draws the splits and does the all-reduce arithmetic with the real numbers', async () => {
    const run = await runTool(['--params', '70B', '--nodes', '4', '--gpus-per-node', '8', '--gpu-memory', '80GiB', '--gpu-name', 'NVIDIA H100 80GB HBM3', '--interconnect', 'nvlink', '--recompute', 'selective', '--explain'], bare());
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('compute per step (estimate): 6·N·tokens = 6 x 70.00 B x 262,144 tokens at MFU 40% x 989 TFLOP/s x 32 GPUs = 8.70 s');
    expect(out).toContain('MFU: assumed; Megatron-LM reached 52% of A100 peak');
    expect(out).toContain('Parallelization deep dive (--explain)');
    expect(out).toContain('payload S = 70,000,000,000 parameters x 2 bytes (bf16 gradients) = 140.00 GB');
    expect(out).toContain('bytes each GPU sends: 2(n-1)/n·S = 2 x 31/32 x 140.00 GB = 271.25 GB');
    expect(out).toContain('time at busbw 360 GB/s (inter-node): t = (S/busbw)·2(n-1)/n = 753 ms');
    expect(out).toContain('ZeRO-3 / FSDP: 32.60 GiB per GPU');
    expect(out).toContain('    stage 0 | F1 F2 F3 F4 .. .. .. B1 F5 B2');
    expect(out).toContain('bubble: (p-1)/m = 3/16 = 18.8% of the ideal time');
    expect(out).toContain('ZeRO-3 needs N >= 16Ψ / room = 34 GPU(s) to fit; this cluster has 32');
    expect(out).toContain('Recommendation: 3d');
  });
});

describe('--json', () => {
  it('prints one object with the documented shape and the computed numbers', async () => {
    const run = await runTool(['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--gpu-name', 'NVIDIA H100 80GB HBM3', '--interconnect', 'nvlink', '--json'], bare());
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.model).toMatchObject({ parameters: 7e9, source: '--params 7B', shape: { layers: 36, hidden: 4096, heads: 32, kvHeads: 32, estimated: true } });
    expect(json.cluster).toEqual({
      nodes: 1,
      gpusPerNode: 8,
      totalGpus: 8,
      gpuName: 'NVIDIA H100 80GB HBM3',
      gpuMemoryBytes: 85899345920,
      intraNodeBusBandwidthGBps: 370,
      interNodeBusBandwidthGBps: null,
      source: 'flags',
    });
    expect(json.strategies.map((s: { name: string }) => s.name)).toEqual(['ddp', 'zero1', 'zero2', 'zero3', 'zero3-offload', 'tp', 'pp', '3d']);
    expect(json.strategies[0]).toMatchObject({ name: 'ddp', modelStatesBytesPerGpu: 112e9, fits: false, bubbleFraction: null });
    expect(json.strategies[3]).toMatchObject({ name: 'zero3', modelStatesBytesPerGpu: 14e9 });
    expect(json.deepspeed.zero2).toHaveLength(2);
    expect(json.deepspeed.zero3).toHaveLength(6);
    expect(json.deepspeed.zero2[1]).toEqual({ offloadOptimizer: false, perGpuBytes: 2 * 7e9 + (18 * 7e9) / 8, perCpuBytes: 7e9 * 4 * 8 * 1.5 });
    expect(json.recommendation.strategy).toBe('zero1');
    expect(json.launch.torchrun).toContain('--nproc-per-node=8');
    expect(json.launch.slurm).toMatch(/^#!\/bin\/bash\n#SBATCH --job-name=zero1\n/);
  });

  it('counts a safetensors checkpoint from its header', async () => {
    const dir = tempDir();
    writeSafetensors(join(dir, 'model.safetensors'), [
      { name: 'embed.weight', dtype: 'BF16', shape: [1000, 64] },
      { name: 'layers.0.mlp.up.weight', dtype: 'BF16', shape: [64, 256] },
      { name: 'layers.0.mlp.up.bias', dtype: 'BF16', shape: [256] },
      { name: 'rope.inv_freq', dtype: 'I64', shape: [32] },
    ]);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ num_hidden_layers: 1, hidden_size: 64, num_attention_heads: 4, vocab_size: 1000, max_position_embeddings: 512 }));
    const run = await runTool(['--model', dir, '--gpus', '1', '--gpu-memory', '8GiB', '--json'], bare());
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.model.parameters).toBe(64000 + 16384 + 256);
    expect(json.model.source).toBe(`safetensors header: ${join(dir, 'model.safetensors')} (BF16 weights, floating-point tensors only)`);
    expect(json.recommendation.strategy).toBe('ddp');
    const text = await runTool(['--model', join(dir, 'model.safetensors'), '--gpus', '1', '--gpu-memory', '8GiB'], bare());
    expect(text.stdout).toContain('32 elements of integer/bool tensors (masks, ids, buffers) are not counted as parameters');
    expect(text.stdout).toContain('shape: 1 layer, hidden 64, 4 heads, 4 KV heads (multi-head), vocab 1000');
    expect(text.stdout).toContain("s = 512 (config.json's maximum");
  });
});

describe('hardware detected with a fake nvidia-smi on PATH', () => {
  it('8x A100 NVLink box from the project fixtures', async () => {
    const bin = tempDir();
    installFakeSmi(bin, [
      { match: ['--query-gpu'], stdout: ownFixture('query-gpu_a100-sxm4-80gb-x8.csv') },
      { match: ['topo', '-m'], stdout: ownFixture('topo_nv12-x8.txt') },
    ]);
    const run = await runTool(['--params', '13B', '--json'], { ...process.env, PATH: fakePath(bin) });
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.cluster).toMatchObject({ totalGpus: 8, gpuName: 'NVIDIA A100-SXM4-80GB', gpuMemoryBytes: 81920 * 2 ** 20, intraNodeBusBandwidthGBps: 235, source: 'nvidia-smi --query-gpu + topo -m' });
  });

  it.runIf(hasShared)('DGX A100 topology (recorded) with 4 nodes given: TP inside nodes, inter-node 192 GB/s measured', async () => {
    const bin = tempDir();
    installFakeSmi(bin, [
      { match: ['--query-gpu'], stdout: ownFixture('query-gpu_a100-sxm4-80gb-x8.csv') },
      { match: ['topo', '-m'], stdout: readSmiFixture('topo__dgx-a100-8gpu-10nic.txt') },
    ]);
    const run = await runTool(['--params', '70B', '--nodes', '4'], { ...process.env, PATH: fakePath(bin) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('interconnect: NVLink (topo -m: NV12 between all 28 GPU pairs)');
    expect(run.stdout).toContain('inter-node all-reduce busbw 192 GB/s: DGX A100 with 8x 200 Gb/s InfiniBand');
    expect(run.stdout).toContain('4 nodes x 8 GPUs = 32 x NVIDIA A100-SXM4-80GB');
  });

  it.runIf(hasShared)('recorded 4x A10 PCIe box: the slow ring is said, and TP is kept off PCIe', async () => {
    const bin = tempDir();
    const query = ['index, uuid, name, memory.total [MiB]', ...[0, 1, 2, 3].map((i) => `${i}, GPU-${i}, NVIDIA A10, 23028 MiB`)].join('\n');
    installFakeSmi(bin, [
      { match: ['--query-gpu'], stdout: `${query}\n` },
      { match: ['topo', '-m'], stdout: readSmiFixture('topo__pcie-4x-a10-sys.txt') },
    ]);
    const run = await runTool(['--params', '3B', '--seq-len', '1024'], { ...process.env, PATH: fakePath(bin) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('interconnect: PCIe (topo -m: no NVLink; slowest GPU path SYS (PCIe))');
    expect(run.stdout).toContain('note: tensor parallel over PCIe: Megatron keeps TP inside the NVLink domain');
  });
});

describe('bad input: one clear line (and a hint), exit code 2', () => {
  it.each([
    [['--params', '7Q', '--gpus', '8', '--gpu-memory', '80GiB'], /--params must be a count between 1 and 1000T \(1e15\), such as 7B, 1\.3e9 or 350M, got '7Q'/],
    [['--params', '-7B', '--gpus', '8', '--gpu-memory', '80GiB'], /--params must be a count between 1 and 1000T \(1e15\), .* got '-7B'/],
    [['--params', '7B', '--gpus', '0', '--gpu-memory', '80GiB'], /--gpus must be a whole number between 1 and 1048576, got '0'/],
    [['--params', '7B', '--gpus', '-4', '--gpu-memory', '80GiB'], /--gpus must be a whole number between 1 and 1048576, got '-4'/],
    [['--params', '7B', '--nodes', '0', '--gpus-per-node', '8', '--gpu-memory', '80GiB'], /--nodes must be a whole number between 1 and 1048576, got '0'/],
    [['--params', '7B', '--gpus', '8', '--gpu-memory', 'lots'], /--gpu-memory must be a memory size between 1MiB and 64TiB, such as 80GiB, 81920MiB or 40GB, got 'lots'/],
    [['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--micro-batch', '0'], /--micro-batch must be a whole number between 1 and 65536, got '0'/],
    [['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--frobnicate'], /unknown option '--frobnicate'/],
  ])('%j', async (args, message) => {
    expectUsageError(await runTool(args, bare()), message);
  });

  it('no GPUs detected and none given', async () => {
    expectUsageError(await runTool(['--params', '7B'], bare()), /^parallel_optimizer: no GPUs detected \(nvidia-smi not found on PATH\) and none given$/);
  });

  it('no model given', async () => {
    expectUsageError(await runTool(['--gpus', '8', '--gpu-memory', '80GiB'], bare()), /no model given/);
  });

  it('a truncated file, a text file, a header length larger than the file, a .pt pickle', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'short.safetensors'), 'abc');
    writeFileSync(join(dir, 'notes.safetensors'), 'just some text that is not a checkpoint');
    writeRaw(join(dir, 'liar.safetensors'), 4096n, '{"w": {}}');
    writeSafetensors(join(dir, 'cut.safetensors'), [{ name: 'w', dtype: 'F16', shape: [1024] }], { dataLength: 10 });
    writeFileSync(join(dir, 'model.pt'), 'PK');
    const flags = ['--gpus', '1', '--gpu-memory', '24GiB'];
    const model = (name: string) => runTool(['--model', join(dir, name), ...flags], bare());
    expectUsageError(await model('short.safetensors'), /short\.safetensors: truncated or not a safetensors file: 3 bytes/);
    expectUsageError(await model('notes.safetensors'), /notes\.safetensors: the header length in its first 8 bytes is larger than the file \(39 bytes\)/);
    expectUsageError(await model('liar.safetensors'), /liar\.safetensors: the header length in its first 8 bytes is larger than the file \(17 bytes\): truncated or not a safetensors file/);
    expectUsageError(await model('cut.safetensors'), /cut\.safetensors: truncated: tensor data ends at byte 2048/);
    expectUsageError(await model('model.pt'), /model\.pt is a PyTorch pickle/);
    expectUsageError(await model('missing.safetensors'), /missing\.safetensors: no such file or directory/);
  });
});
