// Config files for the chosen strategy, written as the frameworks read them:
//   DeepSpeed ds_config.json (deepspeed.ai/docs/config-json): train_batch_size = micro x grad_acc x data-parallel
//     size, which DeepSpeed asserts (deepspeed/runtime/config.py _batch_assertion);
//   accelerate's config YAML (`accelerate config`; examples/config_yaml_templates in huggingface/accelerate):
//     distributed_type MULTI_GPU / DEEPSPEED (deepspeed_config: zero_stage, offload_*_device,
//     gradient_accumulation_steps, zero3_init_flag) / FSDP with fsdp_version 2 (fsdp_reshard_after_forward true =
//     FULL_SHARD, false = SHARD_GRAD_OP; TRANSFORMER_BASED_WRAP wraps the model's _no_split_modules);
//   DeepSpeed's hostfile (deepspeed/launcher/runner.py): one `hostname slots=<gpus>` line per node.
import type { Cluster } from './hardware.js';
import type { StrategyName, StrategyResult, Training } from './strategies.js';
import { toYaml, type YamlValue } from './yaml.js';

export interface LaunchFile {
  name: string;
  format: 'json' | 'yaml' | 'text' | 'shell';
  /** What the file is for, printed above it. */
  purpose: string;
  content: string;
}

export type ZeroName = 'zero1' | 'zero2' | 'zero3' | 'zero3-offload';

export const MAIN_PORT = 29500;

/** Quote one shell word when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function zeroStage(name: ZeroName): 1 | 2 | 3 {
  return name === 'zero1' ? 1 : name === 'zero2' ? 2 : 3;
}

/** ds_config.json for a ZeRO row: the batch triple DeepSpeed checks, precision, ZeRO stage and offload. */
export function deepspeedConfig(name: ZeroName, training: Training, row: StrategyResult): Record<string, unknown> {
  const zero: Record<string, unknown> = { stage: zeroStage(name), overlap_comm: true, contiguous_gradients: true };
  if (name === 'zero3-offload') {
    zero.offload_param = { device: 'cpu', pin_memory: true };
    zero.offload_optimizer = { device: 'cpu', pin_memory: true };
  }
  // ZeRO-3 keeps only shards: gather a 16-bit copy when saving so that the checkpoint loads without DeepSpeed.
  if (zeroStage(name) === 3) zero.stage3_gather_16bit_weights_on_model_save = true;
  const config: Record<string, unknown> = {
    train_batch_size: training.microBatch * row.microBatches * row.layout.d,
    train_micro_batch_size_per_gpu: training.microBatch,
    gradient_accumulation_steps: row.microBatches,
    gradient_clipping: 1.0,
  };
  if (training.precision !== 'fp32') config[training.precision] = { enabled: true };
  config.zero_optimization = zero;
  return config;
}

function mixedPrecision(training: Training): string {
  return training.precision === 'fp32' ? 'no' : training.precision;
}

/** The keys every accelerate config shares; machine_rank and main_process_ip come on the command line. */
function commonKeys(cluster: Cluster, training: Training): Record<string, YamlValue> {
  return {
    compute_environment: 'LOCAL_MACHINE',
    mixed_precision: mixedPrecision(training),
    num_machines: cluster.nodes,
    num_processes: cluster.totalGpus,
    main_process_port: MAIN_PORT,
    rdzv_backend: 'static',
    same_network: true,
    use_cpu: false,
    main_training_function: 'main',
  };
}

export type AccelerateKind = 'multi-gpu' | 'deepspeed' | 'fsdp';

/** accelerate's config YAML for DDP, a ZeRO stage through DeepSpeed, or FSDP2 (ZeRO-2/3 only). */
export function accelerateConfig(kind: AccelerateKind, name: StrategyName, cluster: Cluster, training: Training, row: StrategyResult): Record<string, YamlValue> {
  if (kind === 'multi-gpu') return { distributed_type: cluster.totalGpus > 1 ? 'MULTI_GPU' : 'NO', ...commonKeys(cluster, training) };
  if (kind === 'deepspeed') {
    const stage = zeroStage(name as ZeroName);
    const deepspeed: Record<string, YamlValue> = {
      zero_stage: stage,
      offload_optimizer_device: name === 'zero3-offload' ? 'cpu' : 'none',
      offload_param_device: name === 'zero3-offload' ? 'cpu' : 'none',
      gradient_accumulation_steps: row.microBatches,
      gradient_clipping: 1.0,
      zero3_init_flag: stage === 3,
    };
    if (stage === 3) deepspeed.zero3_save_16bit_model = true;
    if (cluster.nodes > 1) deepspeed.deepspeed_multinode_launcher = 'standard';
    return { distributed_type: 'DEEPSPEED', deepspeed_config: deepspeed, ...commonKeys(cluster, training) };
  }
  const fsdp: Record<string, YamlValue> = {
    fsdp_version: 2,
    fsdp_reshard_after_forward: name !== 'zero2',
    fsdp_auto_wrap_policy: 'TRANSFORMER_BASED_WRAP',
    fsdp_offload_params: name === 'zero3-offload',
    fsdp_state_dict_type: 'SHARDED_STATE_DICT',
    fsdp_cpu_ram_efficient_loading: true,
    fsdp_activation_checkpointing: training.recompute === 'full',
  };
  return { distributed_type: 'FSDP', fsdp_config: fsdp, ...commonKeys(cluster, training) };
}

export function yamlFile(name: string, purpose: string, config: Record<string, YamlValue>): LaunchFile {
  return { name, format: 'yaml', purpose, content: toYaml(config) };
}

export function jsonFile(name: string, purpose: string, config: Record<string, unknown>): LaunchFile {
  return { name, format: 'json', purpose, content: `${JSON.stringify(config, null, 2)}\n` };
}

/** Nodes listed one by one in the hostfile; beyond this the file is written from the Slurm allocation. */
export const HOSTFILE_MAX_LISTED = 64;

/**
 * DeepSpeed's hostfile: node names to replace, g slots each; beyond HOSTFILE_MAX_LISTED nodes, a script that
 * writes it from the Slurm allocation (a listing of thousands of made-up names helps nobody).
 */
export function hostfile(cluster: Cluster): LaunchFile {
  const g = cluster.gpusPerNode;
  const fromSlurm = `scontrol show hostnames "$SLURM_JOB_NODELIST" | sed 's/$/ slots=${g}/' > hostfile`;
  if (cluster.nodes > HOSTFILE_MAX_LISTED) {
    return {
      name: 'make_hostfile.sh',
      format: 'shell',
      purpose: `writes DeepSpeed's hostfile (one "host slots=${g}" line for each of the ${cluster.nodes} nodes) from the Slurm allocation`,
      content: `#!/bin/bash\nset -euo pipefail\n${fromSlurm}\n`,
    };
  }
  const lines = Array.from({ length: cluster.nodes }, (_, i) => `node-${i + 1} slots=${g}`);
  return {
    name: 'hostfile',
    format: 'text',
    purpose: `DeepSpeed hostfile: replace node-1..node-${cluster.nodes} with hosts the first node reaches by ssh without a password; under Slurm write it with: ${fromSlurm}`,
    content: `${lines.join('\n')}\n`,
  };
}
