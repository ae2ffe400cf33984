// Ready launch commands and config files for the chosen layout (../shared/research/parallel.md §11,
// ../shared/research/megatron-accelerate.md §2-3):
//   torchrun one node:  torchrun --standalone --nnodes=1 --nproc-per-node=G train.py
//   torchrun several:   torchrun --nnodes=K --nproc-per-node=G --rdzv-id=$JOB_ID --rdzv-backend=c10d
//                       --rdzv-endpoint=$HOST_NODE_ADDR:29400 train.py      (torch/distributed/run.py docstring)
//   accelerate launch --config_file cfg.yaml [--machine_rank R --main_process_ip A] train.py  (num_processes in
//                       the config is the total over all machines; run on every node)
//   deepspeed [--hostfile=hostfile --num_nodes=K --master_addr=A --master_port=P] --num_gpus=G train.py ...
//                       (deepspeed/launcher/runner.py; several nodes: started once, from node 0, over pdsh/ssh)
//   Slurm: one task per node launching torch.distributed.run (stas00/ml-engineering
//   orchestration/slurm/launchers/torchrun-launcher.slurm); \$SLURM_PROCID must be escaped or every node is rank 0.
// CUDA_DEVICE_ORDER=PCI_BUS_ID makes CUDA number GPUs as nvidia-smi does (CUDA's default is "fastest first"),
// so ranks land on the GPUs the layout assumes (../shared/research/gpu-monitor.md §0.7).
import type { Cluster } from './hardware.js';
import { accelerateConfig, deepspeedConfig, hostfile, jsonFile, MAIN_PORT, shellQuote, yamlFile, type LaunchFile, type ZeroName } from './launch-configs.js';
import { megatronScript, megatronTorchrun } from './megatron-script.js';
import type { ModelInfo } from './model.js';
import type { StrategyName, StrategyResult, Training } from './strategies.js';

export interface LaunchCommand {
  /** How it launches: "torchrun", "accelerate (FSDP)", "deepspeed launcher"... */
  label: string;
  command: string;
  /** Where and how often to run it. */
  where: string;
}

export interface Launch {
  /** The strategy the commands are for. */
  strategy: StrategyName;
  torchrun: string;
  slurm: string;
  commands: LaunchCommand[];
  files: LaunchFile[];
  /** Framework notes that go with the commands (PyTorch equivalents, gradient accumulation). */
  settings: string[];
  deviceOrderMatters: boolean;
}

export { shellQuote };

const ZERO_NAMES: readonly StrategyName[] = ['zero1', 'zero2', 'zero3', 'zero3-offload'];
const MEGATRON_NAMES: readonly StrategyName[] = ['tp', 'pp', '3d'];

function tailOf(script: string, args: string[]): string {
  return [shellQuote(script), ...args.map(shellQuote)].join(' ');
}

/** accelerate launch on one node, or on every node with its rank and node 0's address. */
function accelerateCommand(label: string, config: string, cluster: Cluster, tail: string, env: string): LaunchCommand {
  const multi = cluster.nodes > 1;
  return {
    label,
    command: `${env}accelerate launch --config_file ${config}${multi ? ' --machine_rank $NODE_RANK --main_process_ip $MASTER_ADDR' : ''} ${tail}`,
    where: multi ? `on every node; NODE_RANK = 0..${cluster.nodes - 1}, MASTER_ADDR = node 0's address` : 'on this node',
  };
}

/** DeepSpeed's own launcher: --num_gpus on one node; the hostfile and node 0's address across nodes. */
function deepspeedCommand(cluster: Cluster, tail: string): LaunchCommand {
  const g = cluster.gpusPerNode;
  if (cluster.nodes === 1) return { label: 'deepspeed launcher', command: `deepspeed --num_gpus=${g} ${tail}`, where: 'on this node' };
  return {
    label: 'deepspeed launcher',
    command: `deepspeed --hostfile=hostfile --num_nodes=${cluster.nodes} --num_gpus=${g} --master_addr=$MASTER_ADDR --master_port=${MAIN_PORT} ${tail}`,
    where: "once, from node 0 (MASTER_ADDR = its address); it starts every node over pdsh, which needs passwordless ssh",
  };
}

/** Files, extra commands and notes for a strategy; `scriptArgs` (after --) replaces the suggested arguments. */
function strategyPlan(cluster: Cluster, row: StrategyResult, training: Training, model: ModelInfo, script: string, scriptArgs: string[] | null, env: string) {
  const files: LaunchFile[] = [];
  const commands: LaunchCommand[] = [];
  const settings: string[] = [];
  const plainTail = tailOf(script, scriptArgs ?? []);
  const m = row.microBatches;
  if (m > 1 && !MEGATRON_NAMES.includes(row.name)) settings.push(`gradient accumulation: m = ${m} micro-batches per step (B = ${training.globalBatch} = b ${training.microBatch} x m ${m} x d ${row.layout.d}): set it in your trainer or Accelerator(gradient_accumulation_steps=${m}) where the config does not carry it`);
  if (row.name === 'ddp') {
    files.push(yamlFile('accelerate_config.yaml', 'accelerate config for DDP (accelerate launch --config_file)', accelerateConfig('multi-gpu', row.name, cluster, training, row)));
    commands.push(accelerateCommand('accelerate launch, DDP', 'accelerate_config.yaml', cluster, plainTail, env));
    settings.push('DDP: wrap the model in torch.nn.parallel.DistributedDataParallel (one process per GPU), or let accelerate do it');
    return { args: [], files, commands, settings };
  }
  if (ZERO_NAMES.includes(row.name)) {
    const name = row.name as ZeroName;
    const args = ['--deepspeed', 'ds_config.json'];
    const ds = deepspeedConfig(name, training, row);
    files.push(jsonFile('ds_config.json', `DeepSpeed config: train_batch_size ${String(ds.train_batch_size)} = micro-batch ${training.microBatch} x gradient accumulation ${m} x data-parallel ${row.layout.d}, as DeepSpeed asserts`, ds));
    if (cluster.nodes > 1) files.push(hostfile(cluster));
    commands.push(deepspeedCommand(cluster, tailOf(script, scriptArgs ?? args)));
    files.push(yamlFile('accelerate_deepspeed.yaml', 'accelerate config with the same ZeRO settings; accelerate takes the micro-batch from your DataLoader, so ds_config.json is not needed', accelerateConfig('deepspeed', name, cluster, training, row)));
    commands.push(accelerateCommand('accelerate launch, DeepSpeed', 'accelerate_deepspeed.yaml', cluster, plainTail, env));
    if (name === 'zero1') {
      settings.push('FSDP has no optimizer-only sharding: ZeRO-1 is DeepSpeed stage 1, or torch.distributed.optim.ZeroRedundancyOptimizer under DDP');
    } else {
      files.push(yamlFile('accelerate_fsdp.yaml', `accelerate config for PyTorch FSDP2 with the same sharding: ${name === 'zero2' ? 'reshard_after_forward false = SHARD_GRAD_OP' : 'reshard_after_forward true = FULL_SHARD'}${name === 'zero3-offload' ? ', parameters offloaded to CPU' : ''}`, accelerateConfig('fsdp', name, cluster, training, row)));
      commands.push(accelerateCommand('accelerate launch, FSDP2', 'accelerate_fsdp.yaml', cluster, plainTail, env));
    }
    return { args, files, commands, settings };
  }
  files.push(megatronScript(model, cluster, training, row, script, env !== ''));
  commands.push({ label: 'Megatron-LM', command: 'bash megatron_pretrain.sh', where: `from the Megatron-LM checkout${cluster.nodes > 1 ? ', on every node with its NODE_RANK' : ''}, once the PLACEHOLDER variables are set` });
  return { args: [], files, commands, settings };
}

/** Launch commands and files for this cluster and strategy. */
export function launchCommands(cluster: Cluster, row: StrategyResult, training: Training, model: ModelInfo, script: string | undefined, scriptArgs: string[] | null): Launch {
  const megatron = MEGATRON_NAMES.includes(row.name);
  const scriptName = script ?? (megatron ? 'pretrain_gpt.py' : 'train.py');
  const deviceOrderMatters = cluster.deviceOrderMatters || row.layout.t > 1 || row.layout.p > 1;
  const visible = Array.from({ length: cluster.gpusPerNode }, (_, i) => i).join(',');
  const env = deviceOrderMatters ? `CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=${visible} ` : '';
  const plan = strategyPlan(cluster, row, training, model, scriptName, scriptArgs, env);
  // Megatron's arguments live in megatron_pretrain.sh unless the user gave their own after --.
  const viaScript = megatron && !scriptArgs;
  const tail = tailOf(scriptName, scriptArgs ?? plan.args);
  const g = cluster.gpusPerNode;
  const torchrun = viaScript
    ? `${env}${megatronTorchrun(cluster, scriptName)}`
    : cluster.nodes === 1
      ? `${env}torchrun --standalone --nnodes=1 --nproc-per-node=${g} ${tail}`
      : `${env}torchrun --nnodes=${cluster.nodes} --nproc-per-node=${g} --rdzv-id=$JOB_ID --rdzv-backend=c10d --rdzv-endpoint=$HOST_NODE_ADDR:29400 ${tail}`;
  const inner = viaScript
    ? 'NODE_RANK=\\$SLURM_PROCID bash megatron_pretrain.sh'
    : `python -u -m torch.distributed.run --nproc_per_node $GPUS_PER_NODE --nnodes $SLURM_NNODES --node_rank \\$SLURM_PROCID --rdzv_endpoint $MASTER_ADDR:$MASTER_PORT --rdzv_backend c10d ${tail.replace(/"/g, '\\"')}`;
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
    'export MASTER_ADDR=$(scontrol show hostnames $SLURM_JOB_NODELIST | head -n 1)',
    'MASTER_PORT=6000',
    '',
    `srun --wait=60 --kill-on-bad-exit=1 bash -c "${inner}"`,
    '',
  ].join('\n');
  const commands: LaunchCommand[] = viaScript
    ? plan.commands
    : [{ label: 'torchrun', command: torchrun, where: cluster.nodes === 1 ? 'on this node' : 'on every node (c10d rendezvous at HOST_NODE_ADDR, the first node)' }, ...plan.commands];
  return { strategy: row.name, torchrun, slurm, commands, files: plan.files, settings: plan.settings, deviceOrderMatters };
}
