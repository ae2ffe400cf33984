// A Megatron-LM launch script for a tp/pp/3d layout: the model arguments from config.json (or the shape in use),
// the layout, batch and precision, and clearly marked placeholders for what only the user knows (data, tokenizer,
// checkpoints, iterations). Argument names: megatron/training/arguments.py and NVIDIA/Megatron-LM's Llama
// examples (--swiglu, --normalization RMSNorm, --position-embedding-type rope, --rotary-base,
// --group-query-attention --num-query-groups, --untie-embeddings-and-output-weights, --disable-bias-linear).
// Optimizer defaults: the Llama 2 paper (Touvron et al. 2023 §2.2): AdamW β2 0.95, cosine schedule to 10% of the
// peak with 2000 warm-up steps, weight decay 0.1, gradient clipping 1.0; peak lr 3e-4 below 30B, 1.5e-4 above.
import type { Cluster } from './hardware.js';
import { shellQuote, type LaunchFile } from './launch-configs.js';
import type { ModelInfo } from './model.js';
import type { StrategyResult, Training } from './strategies.js';

/** --flag value pairs and bare flags, in order; a comment for lines that need one. */
type Arg = [flag: string, value?: string | number];

/** The model arguments and what could not be read from config.json (said in the script and the report). */
export function megatronModelArgs(model: ModelInfo, training: Training): { args: Arg[]; unknown: string[] } {
  const { shape } = model;
  const arch = model.architecture;
  const args: Arg[] = [
    ['--num-layers', shape.layers],
    ['--hidden-size', shape.hidden],
    ['--num-attention-heads', shape.heads],
  ];
  if (shape.kvHeads !== shape.heads) args.push(['--group-query-attention'], ['--num-query-groups', shape.kvHeads]);
  if (shape.ffn !== null) args.push(['--ffn-hidden-size', shape.ffn]);
  args.push(['--seq-length', training.seqLen], ['--max-position-embeddings', Math.max(training.seqLen, model.configSeqLen ?? 0)]);
  if (shape.vocab !== null) args.push(['--vocab-size', shape.vocab]);
  const unknown: string[] = [];
  if (shape.ffn === null) unknown.push('FFN size (Megatron then uses 4h)');
  if (shape.vocab === null) unknown.push('vocabulary (the tokenizer sets it)');
  if (!arch) {
    unknown.push('activation, position embeddings, normalization, embedding tying and biases (no config.json: Megatron defaults GeLU, learned positions, LayerNorm)');
    return { args, unknown };
  }
  if (arch.activation && /silu|swish/i.test(arch.activation)) args.push(['--swiglu']);
  else if (!arch.activation) unknown.push('activation (Megatron defaults to GeLU)');
  if (arch.ropeTheta !== null) args.push(['--position-embedding-type', 'rope'], ['--rotary-base', arch.ropeTheta]);
  if (arch.ropeScaling === 'llama3') args.push(['--use-rope-scaling']);
  if (arch.normalization) args.push(['--normalization', arch.normalization.kind], ['--norm-epsilon', arch.normalization.epsilon]);
  else unknown.push('normalization (Megatron defaults to LayerNorm)');
  if (arch.tiedEmbeddings === false) args.push(['--untie-embeddings-and-output-weights']);
  if (arch.linearBias === false) args.push(['--disable-bias-linear']);
  if (arch.dropoutFree) args.push(['--attention-dropout', 0], ['--hidden-dropout', 0]);
  return { args, unknown };
}

/** The layout, batch, recompute and precision arguments of a row. */
export function megatronParallelArgs(row: StrategyResult, training: Training, layers: number, distributedOptimizer: boolean): Arg[] {
  const { t, p } = row.layout;
  const args: Arg[] = [
    ['--tensor-model-parallel-size', t],
    ['--pipeline-model-parallel-size', p],
  ];
  if (p > 1 && training.interleave > 1) args.push(['--num-layers-per-virtual-pipeline-stage', layers / (p * training.interleave)]);
  if (t > 1 && training.sequenceParallel) args.push(['--sequence-parallel']);
  if (distributedOptimizer) args.push(['--use-distributed-optimizer'], ['--overlap-grad-reduce'], ['--overlap-param-gather']);
  if (training.recompute !== 'none') args.push(['--recompute-granularity', training.recompute]);
  if (training.recompute === 'full') args.push(['--recompute-method', 'uniform'], ['--recompute-num-layers', 1]);
  args.push(['--micro-batch-size', training.microBatch], ['--global-batch-size', training.globalBatch]);
  for (const flag of training.megatron.flags) args.push([flag]);
  return args;
}

function argLines(args: Arg[]): string[] {
  return args.map(([flag, value]) => `  ${flag}${value === undefined ? '' : ` ${value}`}`);
}

/** Text for a `#` comment: a newline or other control character in a path would end the comment and run the rest. */
function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}

/** The torchrun line of megatron_pretrain.sh (the argument arrays are defined above it in the script). */
export function megatronTorchrun(cluster: Cluster, script: string): string {
  const rendezvous = cluster.nodes > 1 ? `--nnodes=${cluster.nodes} --node-rank="$NODE_RANK" --master-addr="$MASTER_ADDR" --master-port=6000` : '--standalone --nnodes=1';
  return `torchrun --nproc-per-node=${cluster.gpusPerNode} ${rendezvous} ${shellQuote(script)} "\${MODEL_ARGS[@]}" "\${PARALLEL_ARGS[@]}" "\${TRAINING_ARGS[@]}" "\${DATA_ARGS[@]}"`;
}

/** megatron_pretrain.sh: runs as printed once the PLACEHOLDER variables are set (bash refuses to start before). */
export function megatronScript(model: ModelInfo, cluster: Cluster, training: Training, row: StrategyResult, script: string, deviceOrder: boolean): LaunchFile {
  const { args: modelArgs, unknown } = megatronModelArgs(model, training);
  const parallel = megatronParallelArgs(row, training, model.shape.layers, row.name === '3d');
  const large = model.parameters >= 30e9;
  // written out in full: the report prints no exponents
  const lr = large ? '0.00015' : '0.0003';
  const multi = cluster.nodes > 1;
  const placeholder = (name: string, what: string) => `${name}="\${${name}:?PLACEHOLDER: set ${name} to ${what}}"`;
  const lines = [
    '#!/bin/bash',
    commentText(`# Megatron-LM ${script} for ${model.source}: t = ${row.layout.t}, p = ${row.layout.p}, d = ${row.layout.d} on ${cluster.nodes} x ${cluster.gpusPerNode} GPUs`),
    commentText(`# model arguments from ${model.shapeEstimated ? 'an ESTIMATED shape (no config.json): replace them with your model' : model.shapeSource}`),
    ...unknown.map((u) => `# not in config.json: ${u}`),
    'set -euo pipefail',
    '# PLACEHOLDERS: only you know these; the script stops with a message until each is set',
    placeholder('DATA_PATH', 'the prefix of your data preprocessed by Megatron-LM tools/preprocess_data.py (without .bin/.idx)'),
    placeholder('TOKENIZER_MODEL', 'the Hugging Face tokenizer (hub id or local path) the data was preprocessed with'),
    placeholder('CHECKPOINT_DIR', 'the directory for --save and --load'),
    placeholder('TRAIN_ITERS', 'the number of optimizer steps to train'),
    ...(multi
      ? [placeholder('MASTER_ADDR', 'the address of node 0'), placeholder('NODE_RANK', `the index of this node, 0 to ${cluster.nodes - 1}`)]
      : []),
    '# Megatron overlaps tensor-parallel communication with compute only with one hardware queue',
    'export CUDA_DEVICE_MAX_CONNECTIONS=1',
    ...(deviceOrder ? ["# GPUs numbered in nvidia-smi's PCI bus order, so that ranks land where the layout assumes", 'export CUDA_DEVICE_ORDER=PCI_BUS_ID'] : []),
    '',
    'MODEL_ARGS=(',
    ...argLines(modelArgs),
    ')',
    'PARALLEL_ARGS=(',
    ...argLines(parallel),
    ')',
    '# optimizer: Llama 2 paper §2.2 (AdamW β2 0.95, cosine to 10%, 2000 warm-up steps, weight decay 0.1, clip 1.0)',
    'TRAINING_ARGS=(',
    ...argLines([
      ['--train-iters', '"$TRAIN_ITERS"'],
      ['--lr', lr],
      ['--min-lr', large ? '0.000015' : '0.00003'],
      ['--lr-decay-style', 'cosine'],
      ['--lr-warmup-iters', 2000],
      ['--weight-decay', 0.1],
      ['--adam-beta1', 0.9],
      ['--adam-beta2', 0.95],
      ['--clip-grad', 1.0],
      ['--log-interval', 10],
      ['--save-interval', 1000],
      ['--eval-interval', 1000],
      ['--eval-iters', 10],
      ['--save', '"$CHECKPOINT_DIR"'],
      ['--load', '"$CHECKPOINT_DIR"'],
    ]),
    ')',
    'DATA_ARGS=(',
    ...argLines([
      ['--data-path', '"$DATA_PATH"'],
      ['--tokenizer-type', 'HuggingFaceTokenizer'],
      ['--tokenizer-model', '"$TOKENIZER_MODEL"'],
    ]),
    ')',
    '',
    megatronTorchrun(cluster, script),
    '',
  ];
  return { name: 'megatron_pretrain.sh', format: 'shell', purpose: `Megatron-LM ${script} with the model, layout, batch and precision above; PLACEHOLDER variables for data, tokenizer, checkpoints and steps`, content: lines.join('\n') };
}
