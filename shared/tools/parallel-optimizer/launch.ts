// Ready launch commands for the chosen layout (../shared/research/parallel.md §11):
//   torchrun one node:  torchrun --standalone --nnodes=1 --nproc-per-node=G train.py
//   torchrun several:   torchrun --nnodes=K --nproc-per-node=G --rdzv-id=$JOB_ID --rdzv-backend=c10d
//                       --rdzv-endpoint=$HOST_NODE_ADDR:29400 train.py      (torch/distributed/run.py docstring)
//   Slurm: one task per node launching torch.distributed.run (stas00/ml-engineering
//   orchestration/slurm/launchers/torchrun-launcher.slurm); \$SLURM_PROCID must be escaped or every node is rank 0.
// CUDA_DEVICE_ORDER=PCI_BUS_ID makes CUDA number GPUs as nvidia-smi does (CUDA's default is "fastest first"),
// so ranks land on the GPUs the layout assumes (../shared/research/gpu-monitor.md §0.7).
import type { Cluster } from './hardware.js';
import type { StrategyName, StrategyResult, Training } from './strategies.js';

export interface Launch {
  /** The strategy the commands are for. */
  strategy: StrategyName;
  torchrun: string;
  slurm: string;
  /** Framework settings that go with the command (DeepSpeed config, Megatron-LM flags), printed as text. */
  settings: string[];
  deviceOrderMatters: boolean;
}

/** Quote one shell word when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** DeepSpeed config for the ZeRO strategies (docs: deepspeed.ai/docs/config-json, zero_optimization). */
export function deepspeedConfig(name: StrategyName, training: Training, row: StrategyResult): Record<string, unknown> {
  const stage = name === 'zero1' ? 1 : name === 'zero2' ? 2 : 3;
  const zero: Record<string, unknown> = { stage };
  if (name === 'zero3-offload') {
    zero.offload_param = { device: 'cpu', pin_memory: true };
    zero.offload_optimizer = { device: 'cpu', pin_memory: true };
  }
  const config: Record<string, unknown> = {
    train_micro_batch_size_per_gpu: training.microBatch,
    gradient_accumulation_steps: row.microBatches,
    zero_optimization: zero,
  };
  if (training.precision !== 'fp32') config[training.precision] = { enabled: true };
  return config;
}

/** Megatron-LM arguments for a t x p x d layout (megatron/training/arguments.py). */
export function megatronArgs(row: StrategyResult, training: Training, distributedOptimizer: boolean): string[] {
  const { t, p } = row.layout;
  const args = ['--tensor-model-parallel-size', String(t), '--pipeline-model-parallel-size', String(p)];
  if (t > 1 && training.sequenceParallel) args.push('--sequence-parallel');
  if (distributedOptimizer) args.push('--use-distributed-optimizer');
  if (training.recompute !== 'none') args.push('--recompute-granularity', training.recompute);
  if (training.recompute === 'full') args.push('--recompute-method', 'uniform');
  args.push('--micro-batch-size', String(training.microBatch), '--global-batch-size', String(training.globalBatch));
  args.push('--seq-length', String(training.seqLen));
  if (training.precision !== 'fp32') args.push(`--${training.precision}`);
  return args;
}

/** The script arguments and settings lines for a strategy. */
function strategyArgs(row: StrategyResult, training: Training): { args: string[]; settings: string[] } {
  switch (row.name) {
    case 'ddp':
      return { args: [], settings: ['DDP: wrap the model in torch.nn.parallel.DistributedDataParallel (one process per GPU)'] };
    case 'zero1':
    case 'zero2':
    case 'zero3':
    case 'zero3-offload': {
      const fsdp = { zero1: 'torch.distributed.optim.ZeroRedundancyOptimizer', zero2: 'FSDP ShardingStrategy.SHARD_GRAD_OP', zero3: 'FSDP ShardingStrategy.FULL_SHARD', 'zero3-offload': 'FSDP FULL_SHARD + CPUOffload(offload_params=True)' }[row.name];
      return {
        args: ['--deepspeed', 'ds_config.json'],
        settings: [`ds_config.json: ${JSON.stringify(deepspeedConfig(row.name, training, row))}`, `PyTorch equivalent: ${fsdp}`],
      };
    }
    default: {
      const args = megatronArgs(row, training, row.name === '3d');
      return { args, settings: [`Megatron-LM (pretrain_gpt.py) arguments: ${args.join(' ')}`] };
    }
  }
}

/** torchrun and Slurm commands for this cluster and strategy; `scriptArgs` replaces the suggested arguments. */
export function launchCommands(cluster: Cluster, row: StrategyResult, training: Training, script: string, scriptArgs: string[] | null): Launch {
  const { args, settings } = strategyArgs(row, training);
  const finalArgs = scriptArgs ?? args;
  const deviceOrderMatters = cluster.deviceOrderMatters || row.layout.t > 1 || row.layout.p > 1;
  const visible = Array.from({ length: cluster.gpusPerNode }, (_, i) => i).join(',');
  const env = deviceOrderMatters ? `CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=${visible} ` : '';
  const tail = [shellQuote(script), ...finalArgs.map(shellQuote)].join(' ');
  const g = cluster.gpusPerNode;
  const torchrun =
    cluster.nodes === 1
      ? `${env}torchrun --standalone --nnodes=1 --nproc-per-node=${g} ${tail}`
      : `${env}torchrun --nnodes=${cluster.nodes} --nproc-per-node=${g} --rdzv-id=$JOB_ID --rdzv-backend=c10d --rdzv-endpoint=$HOST_NODE_ADDR:29400 ${tail}`;
  const inner = `python -u -m torch.distributed.run --nproc_per_node $GPUS_PER_NODE --nnodes $SLURM_NNODES --node_rank \\$SLURM_PROCID --rdzv_endpoint $MASTER_ADDR:$MASTER_PORT --rdzv_backend c10d ${tail.replace(/"/g, '\\"')}`;
  const slurm = [
    '#!/bin/bash',
    `#SBATCH --job-name=${row.name}`,
    `#SBATCH --nodes=${cluster.nodes}`,
    '#SBATCH --ntasks-per-node=1',
    `#SBATCH --gres=gpu:${g}`,
    '#SBATCH --exclusive',
    '#SBATCH --output=%x-%j.out',
    '',
    ...(deviceOrderMatters ? ['export CUDA_DEVICE_ORDER=PCI_BUS_ID', `export CUDA_VISIBLE_DEVICES=${visible}`] : []),
    `GPUS_PER_NODE=${g}`,
    'MASTER_ADDR=$(scontrol show hostnames $SLURM_JOB_NODELIST | head -n 1)',
    'MASTER_PORT=6000',
    '',
    `srun --wait=60 --kill-on-bad-exit=1 bash -c "${inner}"`,
    '',
  ].join('\n');
  return { strategy: row.name, torchrun, slurm, settings, deviceOrderMatters };
}
