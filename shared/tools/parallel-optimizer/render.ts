// Plain-text report and the --json object. Every number printed names its formula or source.
import type { Stylist } from '../lib/term.js';
import { bubbleOfTotal } from './comm.js';
import { formatZero2Table, formatZero3Table, zero2LegacyGpuBytes, type DeepSpeedInput, type Zero2Row, type Zero3Row } from './deepspeed.js';
import type { Cluster } from './hardware.js';
import type { Inference } from './inference.js';
import type { Launch } from './launch.js';
import type { ModelShape } from './model-config.js';
import type { ModelInfo } from './model.js';
import type { Recommendation } from './recommend.js';
import { formatBandwidth, formatCount, formatSeconds, inUnit, memory, percent, withCommas, gb } from './sizes.js';
import { usableBytes, type StrategyResult, type Training } from './strategies.js';

export interface Report {
  model: ModelInfo;
  cluster: Cluster;
  training: Training;
  strategies: StrategyResult[];
  deepspeed: { input: DeepSpeedInput; zero2: Zero2Row[]; zero3: Zero3Row[] };
  recommendation: Recommendation;
  /** The row the launch is for: the recommended one (with full recompute when that is what fits), or the smallest. */
  chosen: StrategyResult;
  launch: Launch;
  inference: Inference;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The --json object: exactly the shape documented in issue 5 and docs/tools/parallel-optimizer.md. */
export function toJson(report: Report): Record<string, unknown> {
  const { model, cluster } = report;
  return {
    model: {
      parameters: model.parameters,
      source: model.source,
      shape: { ...model.shape, estimated: model.shapeEstimated, source: model.shapeSource },
      largestLayer: model.largestLayer,
    },
    cluster: {
      nodes: cluster.nodes,
      gpusPerNode: cluster.gpusPerNode,
      totalGpus: cluster.totalGpus,
      gpuName: cluster.gpuName,
      gpuMemoryBytes: cluster.gpuMemoryBytes,
      intraNodeBusBandwidthGBps: round3(cluster.intraBusBandwidth.value / 1e9),
      interNodeBusBandwidthGBps: cluster.interBusBandwidth ? round3(cluster.interBusBandwidth.value / 1e9) : null,
      source: cluster.source,
    },
    precision: {
      zero: { precision: report.training.precision, optimizer: report.training.optimizer, bytesPerParameter: report.training.bytes.param + report.training.bytes.grad + report.training.bytes.optimizer },
      megatron: { params: report.training.megatron.param, grads: report.training.megatron.grad, flags: report.training.megatron.flags, ...report.training.megatronBytes },
    },
    strategies: report.strategies.map((s) => ({
      name: s.name,
      modelStatesBytesPerGpu: Math.round(s.modelStatesBytesPerGpu),
      activationBytesPerGpu: Math.round(s.activationBytesPerGpu),
      totalBytesPerGpu: Math.round(s.totalBytesPerGpu),
      fits: s.fits,
      commBytesPerGpuPerStep: Math.round(s.commBytesPerGpuPerStep),
      commSecondsPerStep: s.commSecondsPerStep,
      bubbleFraction: s.bubbleFraction,
      layout: s.layout,
      stateFormula: s.stateFormula,
      notes: s.notes,
    })),
    deepspeed: { zero2: report.deepspeed.zero2, zero3: report.deepspeed.zero3 },
    recommendation: {
      strategy: report.recommendation.strategy,
      recompute: report.recommendation.recompute,
      reasons: report.recommendation.reasons,
      layout: report.chosen.layout,
      totalBytesPerGpu: Math.round(report.chosen.totalBytesPerGpu),
    },
    inference: report.inference,
    units: report.training.units,
    launch: {
      torchrun: report.launch.torchrun,
      slurm: report.launch.slurm,
      commands: report.launch.commands,
      files: report.launch.files,
      settings: report.launch.settings,
    },
  };
}

/** "32 layers, hidden 4096, 32 heads, 8 KV heads (GQA), FFN 14336, vocab 128256". */
export function shapeText(shape: ModelShape): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const kv = shape.kvHeads === shape.heads ? `${plural(shape.kvHeads, 'KV head')} (multi-head)` : `${plural(shape.kvHeads, 'KV head')} (${shape.kvHeads === 1 ? 'multi-query' : 'grouped-query'})`;
  return `${plural(shape.layers, 'layer')}, hidden ${shape.hidden}, ${plural(shape.heads, 'head')}, ${kv}${shape.ffn ? `, FFN ${shape.ffn}` : ''}${shape.vocab ? `, vocab ${shape.vocab}` : ''}`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function layoutText(s: StrategyResult): string {
  const { t, p, d } = s.layout;
  return [t > 1 ? `t${t}` : '', p > 1 ? `p${p}` : '', `d${d}`].filter(Boolean).join(' ');
}

function efficiencyText(s: StrategyResult): string {
  if (!s.efficiency) return 'n/a';
  const lo = Math.round(s.efficiency.serial * 100);
  const hi = Math.round(s.efficiency.overlapped * 100);
  return lo === hi ? `${lo}%` : `${lo}-${hi}%`;
}

export function renderSummary(report: Report, style: Stylist): string[] {
  const { model, cluster, training } = report;
  const usable = usableBytes(cluster, training);
  const out: string[] = [];
  const h = (text: string) => style('bold', text);
  out.push(h('Model'));
  out.push(`  ${withCommas(model.parameters)} parameters (${formatCount(model.parameters)}) from ${model.source}`);
  for (const note of model.notes) out.push(`  ${note}`);
  const shape = model.shape;
  out.push(`  shape: ${shapeText(shape)} (${model.shapeSource})`);
  out.push(`  largest layer: ${withCommas(model.largestLayer)} parameters (${model.largestLayerSource})`);
  out.push('');
  out.push(h('Cluster'));
  out.push(`  ${cluster.nodes} node${cluster.nodes > 1 ? 's' : ''} x ${cluster.gpusPerNode} GPU${cluster.gpusPerNode > 1 ? 's' : ''} = ${cluster.totalGpus} x ${cluster.gpuName ?? 'GPU (model unknown)'}, ${memory(cluster.gpuMemoryBytes, training.units)} each (${cluster.source})`);
  out.push(`  interconnect: ${cluster.interconnect === 'nvlink' ? 'NVLink' : 'PCIe'} (${cluster.interconnectSource})`);
  out.push(`  intra-node all-reduce busbw ${formatBandwidth(cluster.intraBusBandwidth.value)}: ${cluster.intraBusBandwidth.source}`);
  if (cluster.interBusBandwidth) out.push(`  inter-node all-reduce busbw ${formatBandwidth(cluster.interBusBandwidth.value)}: ${cluster.interBusBandwidth.source}`);
  for (const note of cluster.notes) out.push(`  ${note}`);
  out.push('');
  out.push(h('Training step'));
  out.push(`  model states: ${training.bytes.convention}; ddp and zero rows`);
  out.push(
    `  Megatron rows (tp, pp, 3d): Megatron-LM's distributed-optimizer table (docs/api-guide/dist_optimizer.md), ${training.megatron.convention}: ` +
      `${training.megatronBytes.replicated + training.megatronBytes.shardable} bytes/parameter, ${training.megatronBytes.replicated} + ${training.megatronBytes.shardable}/d with --use-distributed-optimizer; --grad-precision to change`,
  );
  out.push(`  micro-batch b = ${training.microBatch} x sequence s = ${training.seqLen} (${training.seqLenSource}); global batch B = ${training.globalBatch} sequences per step (${training.globalBatchSource})`);
  out.push(`  activations: Korthikanti et al. 2022 Table 2, recompute ${training.recompute}${training.sequenceParallel ? ', sequence parallel with TP' : ', no sequence parallel'}; embeddings and logits not included`);
  out.push(`  gradient payload S = ${withCommas(model.parameters)} parameters x ${training.bytes.grad} bytes (${training.precision} gradients) = ${gb(model.parameters * training.bytes.grad)}`);
  out.push(`  usable memory per GPU: ${memory(cluster.gpuMemoryBytes, training.units)} x ${(1 - training.headroom).toFixed(2)} = ${memory(usable, training.units)} (${percent(training.headroom, 0)} kept for CUDA context, NCCL buffers, fragmentation)`);
  if (training.peakFlops) {
    const tokens = training.globalBatch * training.seqLen;
    const seconds = report.strategies[0]?.computeSeconds ?? null;
    out.push(
      `  compute per step (estimate): ${training.recompute === 'full' ? 8 : 6}·N·tokens = ${training.recompute === 'full' ? 8 : 6} x ${formatCount(model.parameters)} x ${withCommas(tokens)} tokens ` +
        `at MFU ${percent(training.mfu, 0)} x ${(training.peakFlops.value / 1e12).toFixed(0)} TFLOP/s x ${cluster.totalGpus} GPUs = ${formatSeconds(seconds)} (without pipeline bubbles)`,
    );
    out.push(`    MFU: ${training.mfuSource}`);
    out.push(`    peak: ${training.peakFlops.source}`);
  } else {
    out.push('  compute time: unknown peak FLOP/s for this GPU; pass --peak-tflops to estimate step time and scaling efficiency');
  }
  return out;
}

export function renderStrategies(report: Report, style: Stylist): string[] {
  const unit = report.training.units;
  const out: string[] = [style('bold', `Strategies (memory per GPU in ${unit}; traffic per GPU per optimizer step)`)];
  const header = [pad('strategy', 14), pad('layout', 9), pad('states', 9, true), pad('activ.', 9, true), pad('total', 9, true), pad('fits', 5, true), pad('traffic', 11, true), pad('comm time', 10, true), pad('bubble', 7, true), pad('est. effic.', 11, true)].join(' ');
  out.push(`  ${header}`);
  for (const s of report.strategies) {
    const fits = s.fits ? style('green', pad('yes', 5, true)) : style('red', pad('no', 5, true));
    const row = [
      pad(s.name, 14),
      pad(layoutText(s), 9),
      pad(inUnit(s.modelStatesBytesPerGpu, unit), 9, true),
      pad(inUnit(s.activationBytesPerGpu, unit), 9, true),
      pad(inUnit(s.totalBytesPerGpu, unit), 9, true),
      fits,
      pad(memory(s.commBytesPerGpuPerStep, unit), 11, true),
      pad(formatSeconds(s.commSecondsPerStep), 10, true),
      pad(s.bubbleFraction === null ? '-' : percent(s.bubbleFraction), 7, true),
      pad(efficiencyText(s), 11, true),
    ].join(' ');
    out.push(`  ${row}`);
  }
  out.push('');
  out.push('  layout: t tensor-parallel, p pipeline stages, d data-parallel replicas. Formulas per strategy:');
  for (const s of report.strategies) {
    out.push(`  ${pad(s.name, 14)} ${s.title}; states ${s.stateFormula}; activations ${s.activationFormula}`);
    for (const c of s.comm.filter((part) => part.bytes > 0)) {
      out.push(`  ${pad('', 14)} ${c.what}: ${c.formula} = ${gb(c.bytes)} at ${formatBandwidth(c.bandwidth)} (${c.link}) = ${formatSeconds(c.seconds)}`);
    }
    if (s.bubbleFraction !== null) {
      const { p } = s.layout;
      const v = report.training.interleave;
      out.push(
        `  ${pad('', 14)} bubble ${percent(s.bubbleFraction)} of the ideal time: ${v > 1 ? `(p-1)/(v·m) interleaved, v = ${v}` : '(p-1)/m for 1F1B'} with p = ${p}, m = ${s.microBatches} ` +
          `(= ${percent(bubbleOfTotal(p, s.microBatches, v))} of the total time, ${v > 1 ? '(p-1)/(v·m+p-1) interleaved' : "GPipe's (p-1)/(m+p-1)"})`,
      );
    }
    for (const note of s.notes) out.push(`  ${pad('', 14)} note: ${note}`);
  }
  out.push('  efficiency (estimate) = compute / (compute·(1+bubble) + communication): low end with no overlap, high end with gradient traffic hidden behind the backward pass');
  return out;
}

export function renderRecommendation(report: Report, style: Stylist): string[] {
  const { recommendation, launch } = report;
  const full = recommendation.strategy !== null && recommendation.recompute === 'full' && report.training.recompute !== 'full';
  const out: string[] = [style('bold', `Recommendation: ${recommendation.strategy ?? 'none fits'}${full ? ' with --recompute full' : ''}`)];
  for (const reason of recommendation.reasons) out.push(`  - ${reason}`);
  out.push('');
  out.push(style('bold', `Launch (${report.cluster.nodes === 1 ? 'one node' : `${report.cluster.nodes} nodes: run on every node`})`));
  if (recommendation.strategy === null) {
    out.push(style('yellow', `  nothing fits: these commands are for ${launch.strategy}, the layout that needs the least memory per GPU, and it will not fit as planned`));
  }
  for (const c of launch.commands) {
    out.push(`  ${c.label}: ${c.where}`);
    out.push(`    ${c.command}`);
  }
  for (const line of launch.settings) out.push(`  ${line}`);
  if (launch.deviceOrderMatters) {
    out.push("  CUDA_DEVICE_ORDER=PCI_BUS_ID: CUDA then numbers GPUs in nvidia-smi's PCI bus order (its default is fastest first), so ranks land on the GPUs this plan assumes");
  }
  for (const file of launch.files) {
    out.push('');
    out.push(`  ${style('bold', file.name)}: ${file.purpose}`);
    for (const line of file.content.trimEnd().split('\n')) out.push(`    ${line}`);
  }
  out.push('');
  out.push(style('bold', 'Slurm (sbatch)'));
  for (const line of launch.slurm.trimEnd().split('\n')) out.push(`  ${line}`);
  return out;
}

export function renderDeepSpeed(report: Report, style: Stylist): string[] {
  const { input, zero2, zero3 } = report.deepspeed;
  const out: string[] = [
    style('bold', "DeepSpeed's estimator (model states only; its \"GB\" are GiB; additional_buffer_factor 1.5)"),
    '  ZeRO-2 (deepspeed.runtime.zero.stage_1_and_2.estimate_zero2_model_states_mem_needs_all_cold):',
  ];
  for (const line of formatZero2Table(input, zero2)) out.push(`  ${line}`);
  out.push(`  (DeepSpeed's docs still show the pre-2024 no-offload GPU figure ${(zero2LegacyGpuBytes(input) / 2 ** 30).toFixed(2)}GB = 4P + 16P/N; current code: 2P + 18P/N)`);
  out.push('  ZeRO-3 (deepspeed.runtime.zero.stage3.estimate_zero3_model_states_mem_needs_all_cold):');
  for (const line of formatZero3Table(input, zero3)) out.push(`  ${line}`);
  return out;
}

/** accelerate estimate-memory's table (dtype | Largest Layer | Total Size | Training using Adam) and the KV cache. */
export function renderInference(report: Report, style: Stylist): string[] {
  const { rows, kvCache } = report.inference;
  const unit = report.training.units;
  const out: string[] = [style('bold', `Inference memory (accelerate estimate-memory's columns; parameters only, in ${unit})`)];
  out.push(`  ${pad('dtype', 17)} ${pad('Largest Layer', 14, true)} ${pad('Total Size', 14, true)} ${pad('Training using Adam', 20, true)}`);
  for (const r of rows) {
    out.push(`  ${pad(r.dtype, 17)} ${pad(memory(r.largestLayerBytes, unit), 14, true)} ${pad(memory(r.totalBytes, unit), 14, true)} ${pad(r.trainingBytes === null ? 'N/A' : memory(r.trainingBytes, unit), 20, true)}`);
  }
  out.push('  training column as accelerate computes it since PR #2581: 4x the float32 size for float32, 2x the float32 size for float16/bfloat16');
  const seqs = kvCache.sequences;
  out.push(`  KV cache (16-bit): ${kvCache.formula}; x ${kvCache.tokens} tokens x ${seqs} sequence${seqs === 1 ? '' : 's'} (the micro-batch) = ${memory(kvCache.bytes, unit)}`);
  const half = rows[1]!;
  const usable = usableBytes(report.cluster, report.training);
  const need = half.totalBytes + kvCache.bytes;
  out.push(
    `  one GPU in 16-bit: weights ${memory(half.totalBytes, unit)} + KV cache ${memory(kvCache.bytes, unit)} = ${memory(need, unit)} ${need <= usable ? '<=' : '>'} ${memory(usable, unit)} usable ` +
      `(accelerate's docs add up to 20% for inference overhead, after EleutherAI's Transformer Math 101)`,
  );
  return out;
}

export function renderReport(report: Report, style: Stylist): string {
  return [
    ...renderSummary(report, style),
    '',
    ...renderStrategies(report, style),
    '',
    ...renderRecommendation(report, style),
    '',
    ...renderDeepSpeed(report, style),
    '',
    ...renderInference(report, style),
    '',
  ].join('\n');
}
