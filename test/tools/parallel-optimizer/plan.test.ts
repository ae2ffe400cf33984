// The whole plan from command-line flags: strategies, the recommendation by Megatron's and ZeRO's guidance,
// and the launch commands (torch/distributed/run.py docstring; ml-engineering's Slurm torchrun launcher).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../shared/tools/lib/cli.js';
import { bubbleOfTotal, ringAllReduceSeconds, tensorParallelBytes, zero3Seconds } from '../../../shared/tools/parallel-optimizer/comm.js';
import { renderExplain } from '../../../shared/tools/parallel-optimizer/explain.js';
import { buildReport, splitArgv } from '../../../shared/tools/parallel-optimizer/main.js';
import { renderStrategies, toJson, type Report } from '../../../shared/tools/parallel-optimizer/render.js';
import { pipelineLayout, STRATEGY_NAMES } from '../../../shared/tools/parallel-optimizer/strategies.js';
import { parseBandwidthGBps, parsePositive, parsePositiveInt } from '../../../shared/tools/parallel-optimizer/sizes.js';

const GiB = 2 ** 30;
const noDetection = () => Promise.reject(new Error('nvidia-smi must not be asked when flags describe the cluster'));

async function plan(args: string): Promise<Report> {
  const built = await buildReport(args.split(/\s+/).filter(Boolean), noDetection);
  if (!built) throw new Error('help requested');
  return built.report;
}

const row = (report: Report, name: string) => report.strategies.find((s) => s.name === name)!;
const H100 = '--gpu-name H100 --interconnect nvlink --gpu-memory 80GiB';
const plain = (_style: string, text: string) => text;

describe('strategies', () => {
  it('evaluates all eight, in the documented order', async () => {
    const report = await plan(`--params 7B --gpus 8 ${H100}`);
    expect(report.strategies.map((s) => s.name)).toEqual([...STRATEGY_NAMES]);
  });

  it('model states follow the ZeRO paper: 16Ψ, 4Ψ + 12Ψ/N, 2Ψ + 14Ψ/N, 16Ψ/N', async () => {
    const report = await plan(`--params 7B --gpus 8 ${H100}`);
    expect(row(report, 'ddp').modelStatesBytesPerGpu).toBe(16 * 7e9);
    expect(row(report, 'zero1').modelStatesBytesPerGpu).toBe(4 * 7e9 + (12 * 7e9) / 8);
    expect(row(report, 'zero2').modelStatesBytesPerGpu).toBe(2 * 7e9 + (14 * 7e9) / 8);
    expect(row(report, 'zero3').modelStatesBytesPerGpu).toBe((16 * 7e9) / 8);
    expect(row(report, 'zero3-offload').modelStatesBytesPerGpu).toBe(4 * report.model.largestLayer);
  });

  it('traffic: DDP and ZeRO-1 one all-reduce of S = Ψ x 2 bytes; ZeRO-3 1.5x per micro-batch', async () => {
    const report = await plan(`--params 7B --gpus 8 --global-batch 8 ${H100}`);
    const S = 7e9 * 2;
    expect(row(report, 'ddp').commBytesPerGpuPerStep).toBe((2 * 7 * S) / 8);
    expect(row(report, 'zero1').commBytesPerGpuPerStep).toBe((2 * 7 * S) / 8);
    expect(row(report, 'zero2').commBytesPerGpuPerStep).toBe((2 * 7 * S) / 8);
    expect(row(report, 'zero3').commBytesPerGpuPerStep).toBe((3 * 7 * S) / 8);
    expect(row(report, 'ddp').commSecondsPerStep).toBeCloseTo((2 * 7 * S) / 8 / 370e9, 12);
  });

  it('traffic at the default m = 4: DDP and ZeRO-1 reduce once per step, ZeRO-2 reduce-scatters every micro-batch (2.5x DDP), ZeRO-3 1.5x DDP per micro-batch', async () => {
    const report = await plan(`--params 7B --gpus 8 ${H100}`);
    const S = 7e9 * 2;
    const ddp = (2 * 7 * S) / 8;
    expect(row(report, 'zero2').microBatches).toBe(4);
    expect(row(report, 'zero1').commBytesPerGpuPerStep).toBe(ddp);
    // m·(n-1)/n·S gradient reduce-scatters + (n-1)/n·S parameter all-gather = (m+1)/2 x DDP
    expect(row(report, 'zero2').commBytesPerGpuPerStep).toBe(4 * ((7 * S) / 8) + (7 * S) / 8);
    expect(row(report, 'zero2').commBytesPerGpuPerStep / row(report, 'ddp').commBytesPerGpuPerStep).toBe(2.5);
    expect(row(report, 'zero2').notes.join('\n')).toContain("2.50x DDP's traffic = (m+1)/2 at m = 4");
    expect(row(report, 'zero3').commBytesPerGpuPerStep).toBe(4 * 1.5 * ddp);
  });

  it('times come from the tested formula functions: ringAllReduceSeconds, zero3Seconds, tensorParallelBytes with one element width', async () => {
    const report = await plan(`--params 7B --gpus 8 ${H100}`);
    const S = 7e9 * 2;
    expect(row(report, 'ddp').commSecondsPerStep).toBe(ringAllReduceSeconds(S, 8, 370e9));
    expect(row(report, 'zero3').commSecondsPerStep).toBe(4 * zero3Seconds(S, 8, 370e9));
    const fp32 = await plan(`--params 7B --layers 32 --hidden-size 4096 --heads 32 --seq-len 1024 --precision fp32 --gpus 8 ${H100}`);
    const tp = row(fp32, 'tp');
    expect(tp.comm[0]!.bytes).toBe(tp.microBatches * tensorParallelBytes(1, 1024, 4096, 8, 32, 4));
    // the same per-layer figure, at the same 4-byte width, in --explain
    const explain = renderExplain(fp32, plain);
    expect(explain).toContain(`8bsh(t-1)/t x 4 bytes = ${(tensorParallelBytes(1, 1024, 4096, 8, 1, 4) / 1e9).toFixed(2)} GB per layer`);
  });

  it('pp: the stage count divides the GPUs and the layers, as Megatron requires (6 layers on 8 GPUs -> p2 d4, not p4)', async () => {
    const report = await plan('--params 1B --layers 6 --hidden-size 2048 --heads 16 --gpus 8 --gpu-memory 80GiB');
    const pp = row(report, 'pp');
    expect(pp.layout).toEqual({ t: 1, p: 2, d: 4 });
    // Megatron-LM's table without the distributed optimizer: bf16 params + fp32 main grads = 18 bytes/parameter
    expect(pp.modelStatesBytesPerGpu).toBe((18 * 1e9) / 2);
    expect(pp.notes.join('\n')).toContain('p = 2: the largest divisor of the 8 GPUs not above 6 (GPUs capped by the 6 layers) that also divides the layers');
    for (const s of report.strategies) expect(Number.isInteger(s.layout.d), s.name).toBe(true);
    expect(pipelineLayout(8, 1, 6)).toEqual({ t: 1, p: 2, d: 4 });
    expect(pipelineLayout(12, 1, 6)).toEqual({ t: 1, p: 6, d: 2 });
    expect(pipelineLayout(12, 1, 5)).toEqual({ t: 1, p: 1, d: 12 });
    expect(pipelineLayout(32, 4, 80)).toEqual({ t: 1, p: 4, d: 8 });
    expect(pipelineLayout(32, 4, 3)).toEqual({ t: 1, p: 1, d: 32 });
    expect(pipelineLayout(7, 1, 80)).toEqual({ t: 1, p: 1, d: 7 });
    expect(pipelineLayout(7, 1, 14)).toEqual({ t: 1, p: 7, d: 1 });
  });

  it('a given shape that disagrees with the parameter count gets a Megatron eq. 2 note; a consistent one none', async () => {
    const off = await plan('--params 1B --layers 6 --hidden-size 2048 --heads 16 --gpus 8 --gpu-memory 80GiB');
    expect(off.model.notes.join('\n')).toMatch(/shape check: Megatron eq\. 2, .* gives 302\.1 M parameters \(vocabulary unknown: embeddings not counted; pass --vocab-size\), 70% below the 1\.00 B counted/);
    const gpt3 = await plan(`--params 175B --layers 96 --hidden-size 12288 --heads 96 --vocab-size 51200 --nodes 8 --gpus-per-node 8 ${H100}`);
    expect(gpt3.model.notes.join('\n')).not.toContain('shape check');
    // an estimated shape is not checked against the count it came from
    expect((await plan(`--params 7B --gpus 8 ${H100}`)).model.notes.join('\n')).not.toContain('shape check');
  });

  it('pipelines report the 1F1B bubble (p-1)/m, interleaved (p-1)/(v·m)', async () => {
    const report = await plan(`--params 70B --layers 80 --hidden-size 8192 --heads 64 --nodes 4 --gpus-per-node 8 --global-batch 256 ${H100}`);
    const pp = row(report, 'pp');
    expect(pp.layout).toEqual({ t: 1, p: 4, d: 8 });
    expect(pp.microBatches).toBe(32);
    expect(pp.bubbleFraction).toBe(3 / 32);
    expect(row(report, 'ddp').bubbleFraction).toBeNull();
    const interleaved = await plan(`--params 70B --layers 80 --hidden-size 8192 --heads 64 --nodes 4 --gpus-per-node 8 --global-batch 256 --interleave 2 ${H100}`);
    expect(row(interleaved, 'pp').bubbleFraction).toBe(3 / 64);
  });

  it('tensor parallel within a node divides activations by t (TP + SP) and keeps its traffic on NVLink', async () => {
    const report = await plan(`--params 70B --layers 80 --hidden-size 8192 --heads 64 --seq-len 4096 --nodes 2 --gpus-per-node 8 ${H100}`);
    const tp = row(report, 'tp');
    expect(tp.layout).toEqual({ t: 8, p: 1, d: 2 });
    expect(tp.activationBytesPerGpu).toBe((34 * 4096 * 8192 * 80) / 8);
    expect(tp.comm[0]).toMatchObject({ link: 'intra-node', bandwidth: 370e9 });
  });
});

describe('--explain and the table with --interleave', () => {
  it('prints (p-1)/m with its own value and the interleaved (p-1)/(v·m) on its own line; the total share is labelled (p-1)/(v·m+p-1)', async () => {
    const report = await plan(`--params 70B --layers 80 --hidden-size 8192 --heads 64 --nodes 4 --gpus-per-node 8 --global-batch 256 --interleave 2 ${H100}`);
    const explain = renderExplain(report, plain);
    expect(explain).toContain('bubble: (p-1)/m = 3/32 = 9.4% of the ideal time (Narayanan et al. 2021); as a share of the total, (p-1)/(m+p-1) = 8.6% (GPipe)');
    expect(explain).toContain('with --interleave 2: (p-1)/(v·m) = 3/(2·32) = 4.7% of the ideal time');
    expect(explain).toContain(`(p-1)/(v·m+p-1) = ${(bubbleOfTotal(4, 32, 2) * 100).toFixed(1)}%`);
    const table = renderStrategies(report, plain).join('\n');
    expect(table).toContain('bubble 4.7% of the ideal time: (p-1)/(v·m) interleaved, v = 2 with p = 4, m = 32 (= 4.5% of the total time, (p-1)/(v·m+p-1) interleaved)');
    expect(table).not.toContain("GPipe's (p-1)/(m+p-1)");
    const plainRun = renderStrategies(await plan(`--params 70B --layers 80 --hidden-size 8192 --heads 64 --nodes 4 --gpus-per-node 8 --global-batch 256 ${H100}`), plain).join('\n');
    expect(plainRun).toContain("(= 8.6% of the total time, GPipe's (p-1)/(m+p-1))");
  });
});

describe('recommendation', () => {
  it('a small model fits on one GPU: DDP', async () => {
    const report = await plan(`--params 125M --gpus 8 ${H100}`);
    expect(report.recommendation.strategy).toBe('ddp');
    expect(report.recommendation.reasons[0]).toMatch(/^ddp: .* <= 72\.00 GiB usable: the whole model trains on one GPU/);
  });

  it('7B on 8x 80 GiB: DDP does not fit, ZeRO-1 does with the same traffic', async () => {
    const report = await plan(`--params 7B --gpus 8 ${H100}`);
    expect(report.recommendation.strategy).toBe('zero1');
    expect(report.recommendation.reasons.join('\n')).toContain('ZeRO-1/2 move the same volume as DDP');
  });

  it('the ZeRO-1 reason cites the ratio it computed: 1.00x DDP per step', async () => {
    const report = await plan(`--params 7B --gpus 8 ${H100}`);
    expect(report.recommendation.reasons.at(-1)).toContain("zero1 here: 22.82 GiB / 22.82 GiB (ddp) = 1.00x DDP's traffic per step");
  });

  it('ZeRO-2 at the default m = 4: the reason cites 2.50x DDP (table traffic / DDP traffic) and why, not "the same"', async () => {
    const report = await plan('--params 7B --gpus 8 --gpu-name H100 --interconnect nvlink --gpu-memory 48GiB');
    expect(report.recommendation.strategy).toBe('zero2');
    const reason = report.recommendation.reasons.at(-1)!;
    const ratio = row(report, 'zero2').commBytesPerGpuPerStep / row(report, 'ddp').commBytesPerGpuPerStep;
    expect(ratio).toBe(2.5);
    expect(reason).toContain("zero2 here: 57.04 GiB / 22.82 GiB (ddp) = 2.50x DDP's traffic per step");
    expect(reason).toContain('reduce-scattered after each of the m = 4 micro-batches');
    // at m = 1 the table and the paper agree: 1.00x
    const one = await plan('--params 7B --gpus 8 --global-batch 8 --gpu-name H100 --interconnect nvlink --gpu-memory 48GiB');
    expect(one.recommendation.strategy).toBe('zero2');
    expect(one.recommendation.reasons.at(-1)).toContain("= 1.00x DDP's traffic per step: with m = 1 micro-batch");
  });

  it('20B on one H100 node: only ZeRO-3 fits, and its traffic hides behind compute', async () => {
    const report = await plan(`--params 20B --gpus 8 ${H100}`);
    expect(report.recommendation.strategy).toBe('zero3');
    expect(report.recommendation.reasons.at(-1)).toMatch(/ZeRO-3 traffic takes .* vs .* of compute \(estimate\): it can overlap/);
  });

  it('GPT-3 175B on 8 nodes x 8 A100 80GB: Megatron layout, TP 8 inside nodes and PP across', async () => {
    const report = await plan('--params 175B --layers 96 --hidden-size 12288 --heads 96 --nodes 8 --gpus-per-node 8 --gpu-memory 80GiB --gpu-name NVIDIA-A100-SXM4-80GB --interconnect nvlink --recompute selective');
    expect(report.recommendation.strategy).toBe('3d');
    expect(row(report, '3d').layout).toEqual({ t: 8, p: 4, d: 2 });
    expect(report.recommendation.reasons.join('\n')).toContain('tensor model parallelism should generally be used up to degree g');
  });

  it('one GPU too small: CPU offload, with the CPU memory from DeepSpeed\'s estimator', async () => {
    const report = await plan('--params 7B --gpus 1 --gpu-memory 24GiB');
    expect(report.recommendation.strategy).toBe('zero3-offload');
    expect(report.recommendation.reasons.join('\n')).toMatch(/CPU memory per node needed: \d+\.\d\d GiB by DeepSpeed's estimator/);
  });

  it('nothing fits: no strategy, and what to change', async () => {
    const report = await plan('--params 7B --gpus 1 --gpu-memory 8GiB --seq-len 65536');
    expect(report.recommendation.strategy).toBeNull();
    expect(report.recommendation.reasons.at(-1)).toContain('no strategy fits');
    // the launch commands are still printed, for the layout that needs the least memory
    expect(report.launch.strategy).toBe('zero3-offload');
  });
});

describe('launch commands', () => {
  it('one node: torchrun --standalone; several: c10d rendezvous on port 29400', async () => {
    const one = await plan(`--params 7B --gpus 8 ${H100}`);
    expect(one.launch.torchrun).toBe('torchrun --standalone --nnodes=1 --nproc-per-node=8 train.py --deepspeed ds_config.json');
    expect(JSON.parse(one.launch.files.find((f) => f.name === 'ds_config.json')!.content)).toMatchObject({ train_batch_size: 32, train_micro_batch_size_per_gpu: 1, gradient_accumulation_steps: 4, zero_optimization: { stage: 1 }, bf16: { enabled: true } });
    const many = await plan(`--params 7B --nodes 4 --gpus-per-node 8 --gpu-memory 40GiB --interconnect pcie --gpu-name H100`);
    expect(many.launch.strategy).toMatch(/^zero/);
    expect(many.launch.torchrun).toMatch(/^torchrun --nnodes=4 --nproc-per-node=8 --rdzv-id=\$JOB_ID --rdzv-backend=c10d --rdzv-endpoint=\$HOST_NODE_ADDR:29400 train\.py --deepspeed ds_config\.json$/);
    // Megatron layouts: the torchrun line of megatron_pretrain.sh, with the device order
    const megatron = await plan(`--params 70B --nodes 4 --gpus-per-node 8 --recompute selective ${H100}`);
    expect(megatron.launch.torchrun).toBe(
      'CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=0,1,2,3,4,5,6,7 torchrun --nproc-per-node=8 --nnodes=4 --node-rank="$NODE_RANK" --master-addr="$MASTER_ADDR" --master-port=6000 pretrain_gpt.py "${MODEL_ARGS[@]}" "${PARALLEL_ARGS[@]}" "${TRAINING_ARGS[@]}" "${DATA_ARGS[@]}"',
    );
  });

  it('Slurm: one task per node, escaped \\$SLURM_PROCID, device order exported for model parallelism', async () => {
    const report = await plan(`--params 70B --nodes 4 --gpus-per-node 8 --recompute selective ${H100}`);
    const slurm = report.launch.slurm;
    expect(slurm).toContain('#SBATCH --nodes=4\n#SBATCH --ntasks-per-node=1\n#SBATCH --gres=gpu:8\n#SBATCH --exclusive');
    expect(slurm).toContain('export CUDA_DEVICE_ORDER=PCI_BUS_ID');
    expect(slurm).toContain('MASTER_ADDR=$(scontrol show hostnames $SLURM_JOB_NODELIST | head -n 1)');
    expect(slurm).toContain('srun --wait=60 --kill-on-bad-exit=1 bash -c "NODE_RANK=\\$SLURM_PROCID bash megatron_pretrain.sh"');
    const zero = (await plan(`--params 7B --nodes 4 --gpus-per-node 8 --gpu-memory 40GiB --interconnect pcie --gpu-name H100`)).launch.slurm;
    expect(zero).toContain('--node_rank \\$SLURM_PROCID --rdzv_endpoint $MASTER_ADDR:$MASTER_PORT --rdzv_backend c10d train.py --deepspeed ds_config.json');
  });

  it('--script and arguments after -- replace the suggestion; DDP needs no device order', async () => {
    const built = await buildReport(['--params', '125M', '--gpus', '2', '--gpu-memory', '80GiB', '--script', 'my train.py', '--', '--lr', '3e-4'], noDetection);
    expect(built!.report.launch.torchrun).toBe("torchrun --standalone --nnodes=1 --nproc-per-node=2 'my train.py' --lr 3e-4");
  });
});

describe('--json', () => {
  it('has exactly the documented keys', async () => {
    const json = toJson(await plan(`--params 70B --nodes 2 --gpus-per-node 8 ${H100}`)) as Record<string, Record<string, unknown>>;
    expect(Object.keys(json)).toEqual(['model', 'cluster', 'precision', 'strategies', 'deepspeed', 'recommendation', 'inference', 'units', 'launch']);
    expect(Object.keys(json.model!)).toEqual(['parameters', 'source', 'shape', 'largestLayer']);
    expect(Object.keys(json.model!.shape as object)).toEqual(['layers', 'hidden', 'heads', 'kvHeads', 'vocab', 'ffn', 'estimated', 'source']);
    expect(json.precision).toEqual({
      zero: { precision: 'bf16', optimizer: 'adam', bytesPerParameter: 16 },
      megatron: { params: 'bf16', grads: 'fp32', flags: ['--bf16'], replicated: 6, shardable: 12 },
    });
    expect(Object.keys(json.cluster!)).toEqual(['nodes', 'gpusPerNode', 'totalGpus', 'gpuName', 'gpuMemoryBytes', 'intraNodeBusBandwidthGBps', 'interNodeBusBandwidthGBps', 'source']);
    const strategies = json.strategies as unknown as Record<string, unknown>[];
    expect(Object.keys(strategies[0]!)).toEqual(['name', 'modelStatesBytesPerGpu', 'activationBytesPerGpu', 'totalBytesPerGpu', 'fits', 'commBytesPerGpuPerStep', 'commSecondsPerStep', 'bubbleFraction', 'layout', 'stateFormula', 'notes']);
    const ds = json.deepspeed as unknown as { zero2: object[]; zero3: object[] };
    expect(Object.keys(ds.zero2[0]!)).toEqual(['offloadOptimizer', 'perGpuBytes', 'perCpuBytes']);
    expect(Object.keys(ds.zero3[0]!)).toEqual(['offloadParam', 'offloadOptimizer', 'zeroInit', 'perGpuBytes', 'perCpuBytes']);
    expect(Object.keys(json.recommendation!)).toEqual(['strategy', 'recompute', 'reasons', 'layout', 'totalBytesPerGpu']);
    expect(Object.keys(json.launch!)).toEqual(['torchrun', 'slurm', 'commands', 'files', 'settings']);
    expect(json.cluster).toMatchObject({ nodes: 2, gpusPerNode: 8, totalGpus: 16, gpuMemoryBytes: 80 * GiB, intraNodeBusBandwidthGBps: 370, interNodeBusBandwidthGBps: 360 });
  });
});

describe('argument handling', () => {
  it("whole numbers and positive numbers within each option's range, with this tool's messages", () => {
    expect(parsePositiveInt('gpus', ' 8 ')).toBe(8);
    expect(parsePositiveInt('gpus', undefined)).toBeUndefined();
    for (const bad of ['0', '-2', '1.5', 'x', '', 'Infinity', '1048577']) {
      expect(() => parsePositiveInt('gpus', bad)).toThrow(new UsageError(`--gpus must be a whole number between 1 and 1048576, got '${bad}'`));
    }
    expect(parsePositive('peak-tflops', '989 TFLOP/s', 'TFLOP/s')).toBe(989);
    expect(parseBandwidthGBps('bus-bandwidth', '235GB/s')).toBe(235e9);
    for (const bad of ['0', '-1', 'fast', 'GB/s', 'NaN', '1e6']) {
      expect(() => parseBandwidthGBps('bus-bandwidth', bad)).toThrow(new UsageError(`--bus-bandwidth must be a number between 0.001 and 100000 (GB/s), got '${bad}'`));
    }
  });

  it('negative numbers reach validation instead of being taken for flags; script arguments after -- stay as they are', async () => {
    expect(splitArgv(['--gpus', '-2', '--', '-x'])).toEqual({ own: ['--gpus', '-2'], script: ['-x'] });
    await expect(plan('--params 7B --gpus -2 --gpu-memory 80GiB')).rejects.toThrow("--gpus must be a whole number between 1 and 1048576, got '-2'");
  });

  it.each([
    ['--params 7B --gpus 8 --gpu-memory 80GiB --global-batch 12', /--global-batch 12 is not a multiple of micro-batch x GPUs = 8/],
    ['--params 7B --gpus 8 --gpu-memory 80GiB --precision fp8', /--precision must be one of bf16, fp16, fp32, got 'fp8'/],
    ['--params 7B --gpus 8 --gpu-memory 0GiB', /--gpu-memory must be a memory size between 1MiB and 64TiB, such as 80GiB/],
    ['--params 7B --gpus 8 --gpu-memory 80GiB --mfu 1.5', /--mfu must be a fraction/],
    ['--params 7B --gpus 8 --gpu-memory 80GiB --bus-bandwidth fast', /--bus-bandwidth must be a number between 0\.001 and 100000 \(GB\/s\)/],
    ['--params 7B --gpus 8 --gpu-memory 80GiB --hidden-size 100 --heads 3 --layers 2', /hidden size 100 is not a multiple of 3 heads/],
  ])('%s', async (args, message) => {
    await expect(plan(args)).rejects.toThrow(message);
    await expect(plan(args)).rejects.toBeInstanceOf(UsageError);
  });
});
