// The eight strategies, each evaluated on this model and cluster: memory per GPU, fit, traffic, time, bubble.
import type { Figure } from './bandwidth.js';
import {
  allGatherBytes,
  allGatherSeconds,
  bubbleOfIdeal,
  efficiencyBounds,
  interleavedBubbleOfIdeal,
  pipelineP2PBytes,
  ringAllReduceBytes,
  ringAllReduceSeconds,
  tensorParallelBytes,
  trainingFlops,
  zero3Bytes,
  zero3Seconds,
} from './comm.js';
import type { Cluster } from './hardware.js';
import { activationBytesPerGpu, activationBytesPerLayer, activationFormula, zeroFormula, zeroModelStateBytes, type Precision, type Recompute, type StateBytes, type Optimizer } from './memory.js';
import { divisors, pipelineCap, pipelineLayout, type Layout } from './layouts.js';
import { layoutProblem, megatronStates, type MegatronPrecision } from './megatron.js';
import type { ModelInfo } from './model.js';
import type { MemoryUnit } from './sizes.js';

export { pipelineLayout, type Layout };

export const STRATEGY_NAMES = ['ddp', 'zero1', 'zero2', 'zero3', 'zero3-offload', 'tp', 'pp', '3d'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface Training {
  precision: Precision;
  optimizer: Optimizer;
  bytes: StateBytes;
  /** Megatron-LM's precision setup for the tp, pp and 3d layouts (its distributed-optimizer table). */
  megatron: MegatronPrecision;
  /** Megatron's bytes per parameter: kept on every rank, and sharded by the distributed optimizer. */
  megatronBytes: { replicated: number; shardable: number };
  recompute: Recompute;
  sequenceParallel: boolean;
  microBatch: number;
  seqLen: number;
  seqLenSource: string;
  /** Sequences per optimizer step over the whole cluster. */
  globalBatch: number;
  globalBatchSource: string;
  /** Interleaved pipeline chunks per device (1 = plain 1F1B). */
  interleave: number;
  mfu: number;
  /** Where the MFU came from: --mfu, or the stated assumption. */
  mfuSource: string;
  peakFlops: Figure | null;
  /** Share of GPU memory kept free for the CUDA context, NCCL buffers and fragmentation. */
  headroom: number;
  /** The unit memory is printed in (--units). */
  units: MemoryUnit;
}

export interface CommPart {
  what: string;
  bytes: number;
  seconds: number;
  /** Bytes/s used. */
  bandwidth: number;
  link: 'intra-node' | 'inter-node' | 'inter-node NIC share';
  /** Data-parallel gradient traffic can overlap the backward pass; TP and p2p traffic cannot. */
  overlappable: boolean;
  formula: string;
}

export interface StrategyResult {
  name: StrategyName;
  title: string;
  layout: Layout;
  /** Micro-batches per optimizer step per data-parallel replica: m = B / (b·d). */
  microBatches: number;
  modelStatesBytesPerGpu: number;
  activationBytesPerGpu: number;
  totalBytesPerGpu: number;
  fits: boolean;
  commBytesPerGpuPerStep: number;
  commSecondsPerStep: number;
  bubbleFraction: number | null;
  stateFormula: string;
  activationFormula: string;
  comm: CommPart[];
  /** Ideal compute seconds per step per GPU (estimate at the assumed MFU), null without a peak FLOP/s. */
  computeSeconds: number | null;
  efficiency: { serial: number; overlapped: number } | null;
  notes: string[];
}

export interface PlanInput {
  model: ModelInfo;
  cluster: Cluster;
  training: Training;
}

export function usableBytes(cluster: Cluster, training: Training): number {
  return cluster.gpuMemoryBytes * (1 - training.headroom);
}

/**
 * Bytes per activation element (tensor-parallel all-reduces, pipeline sends): activations travel in the
 * forward pass's precision, the width of the parameters it uses (2 in bf16/fp16 mixed precision, 4 in fp32).
 */
export function activationElementBytes(training: Training): number {
  return training.bytes.param;
}

type Collective = 'all-reduce' | 'reduce-scatter' | 'all-gather' | 'zero3';

/** Bytes per rank and time at the bus bandwidth of each collective (comm.ts, tested against nccl-tests and ZeRO §VII). */
const COLLECTIVES: Record<Collective, { bytes: (payload: number, ranks: number) => number; seconds: (payload: number, ranks: number, busbw: number) => number }> = {
  'all-reduce': { bytes: ringAllReduceBytes, seconds: ringAllReduceSeconds },
  // nccl-tests: reduce-scatter and all-gather share the (n-1)/n factor.
  'reduce-scatter': { bytes: allGatherBytes, seconds: allGatherSeconds },
  'all-gather': { bytes: allGatherBytes, seconds: allGatherSeconds },
  zero3: { bytes: zero3Bytes, seconds: zero3Seconds },
};

interface DpTraffic {
  what: string;
  collective: Collective;
  /** S: the bytes being reduced or gathered. */
  payload: number;
  ranks: number;
  /** How many times per optimizer step (micro-batches, or 1). */
  times: number;
  spansNodes: boolean;
  formula: string;
}

/** A data-parallel collective: intra-node when its d ranks share a node, else at the inter-node busbw. */
function dpComm(input: PlanInput, { what, collective, payload, ranks, times, spansNodes, formula }: DpTraffic): CommPart {
  const { cluster } = input;
  const inter = spansNodes && cluster.interBusBandwidth !== null;
  const bandwidth = inter ? cluster.interBusBandwidth!.value : cluster.intraBusBandwidth.value;
  const { bytes, seconds } = COLLECTIVES[collective];
  return {
    what,
    bytes: times * bytes(payload, ranks),
    seconds: times * seconds(payload, ranks, bandwidth),
    bandwidth,
    link: inter ? 'inter-node' : 'intra-node',
    overlappable: true,
    formula,
  };
}

interface Build {
  name: StrategyName;
  title: string;
  layout: Layout;
  states: number;
  stateFormula: string;
  comm: CommPart[];
  notes: string[];
}

function finish(input: PlanInput, build: Build): StrategyResult {
  const { model, cluster, training } = input;
  const { t, p, d } = build.layout;
  const m = training.globalBatch / (training.microBatch * d);
  const actInput = {
    seqLen: training.seqLen,
    microBatch: training.microBatch,
    hidden: model.shape.hidden,
    heads: model.shape.heads,
    kvHeads: model.shape.kvHeads,
    tensorParallel: t,
    sequenceParallel: training.sequenceParallel,
    recompute: training.recompute,
  };
  const perLayer = activationBytesPerLayer(actInput);
  const activations = activationBytesPerGpu(perLayer, model.shape.layers, p, m, p > 1 ? training.interleave : 1);
  const total = build.states + activations;
  const bubble = p > 1 ? (training.interleave > 1 ? interleavedBubbleOfIdeal(p, m, training.interleave) : bubbleOfIdeal(p, m)) : null;
  const commBytes = build.comm.reduce((sum, c) => sum + c.bytes, 0);
  const commSeconds = build.comm.reduce((sum, c) => sum + c.seconds, 0);
  let computeSeconds: number | null = null;
  let efficiency: StrategyResult['efficiency'] = null;
  if (training.peakFlops) {
    const tokens = training.globalBatch * training.seqLen;
    const flops = trainingFlops(model.parameters, tokens, training.recompute === 'full');
    computeSeconds = flops / (cluster.totalGpus * training.peakFlops.value * training.mfu);
    efficiency = efficiencyBounds({
      compute: computeSeconds,
      bubble: bubble ?? 0,
      overlappable: build.comm.filter((c) => c.overlappable).reduce((s, c) => s + c.seconds, 0),
      exposed: build.comm.filter((c) => !c.overlappable).reduce((s, c) => s + c.seconds, 0),
    });
  }
  return {
    name: build.name,
    title: build.title,
    layout: build.layout,
    microBatches: m,
    modelStatesBytesPerGpu: build.states,
    activationBytesPerGpu: activations,
    totalBytesPerGpu: total,
    fits: total <= usableBytes(cluster, training),
    commBytesPerGpuPerStep: commBytes,
    commSecondsPerStep: commSeconds,
    bubbleFraction: bubble,
    stateFormula: build.stateFormula,
    activationFormula: `${activationFormula(actInput)} per layer x ${p > 1 ? `${model.shape.layers}/${p} layers x min(m, p) = ${Math.min(m, p)} micro-batches in flight (1F1B)` : `${model.shape.layers} layers`}`,
    comm: build.comm,
    computeSeconds,
    efficiency,
    notes: build.notes,
  };
}

/** DDP and ZeRO stages 1-3 (+ CPU offload) over all n GPUs. */
function dataParallel(input: PlanInput, name: 'ddp' | 'zero1' | 'zero2' | 'zero3' | 'zero3-offload'): StrategyResult {
  const { model, cluster, training } = input;
  const n = cluster.totalGpus;
  const psi = model.parameters;
  const payload = psi * training.bytes.grad;
  const m = training.globalBatch / (training.microBatch * n);
  const spans = cluster.nodes > 1;
  const stage = name === 'ddp' ? 0 : name === 'zero1' ? 1 : name === 'zero2' ? 2 : 3;
  const comm: CommPart[] = [];
  const notes: string[] = [];
  // DDP and ZeRO-1 accumulate full gradients over the m micro-batches and reduce once per step; ZeRO-2/3 keep
  // only their gradient partition (the memory formulas say so), so they reduce-scatter after every micro-batch
  // (DeepSpeed engine.allreduce_gradients: "ZeRO stage >= 2 communicates during non gradient accumulation
  // boundaries as well"). ZeRO §VII's "same as DDP" (2Ψ) is per gradient reduction: at m = 1 all three agree.
  const common = { payload, ranks: n, spansNodes: spans };
  if (stage <= 1) {
    comm.push(dpComm(input, { ...common, what: 'gradient all-reduce (once per step)', collective: 'all-reduce', times: 1, formula: '2(n-1)/n·S' }));
  } else if (stage === 2) {
    comm.push(dpComm(input, { ...common, what: `gradient reduce-scatter x ${m} micro-batches`, collective: 'reduce-scatter', times: m, formula: 'm·(n-1)/n·S' }));
    comm.push(dpComm(input, { ...common, what: 'parameter all-gather after the step', collective: 'all-gather', payload: psi * training.bytes.param, times: 1, formula: '(n-1)/n·S' }));
    if (m > 1 && n > 1) {
      const ratio = (comm[0]!.bytes + comm[1]!.bytes) / ringAllReduceBytes(payload, n);
      notes.push(`partitioned gradients are reduce-scattered after every micro-batch: ${ratio.toFixed(2)}x DDP's traffic = (m+1)/2 at m = ${m} (the same as DDP at m = 1)`);
    }
  } else {
    comm.push(dpComm(input, { ...common, what: `2 parameter all-gathers + 1 gradient reduce-scatter x ${m} micro-batches`, collective: 'zero3', times: m, formula: 'm·3(n-1)/n·S = 1.5x DDP per micro-batch' }));
  }
  let states = zeroModelStateBytes(stage as 0 | 1 | 2 | 3, psi, n, training.bytes);
  let stateFormula = `${zeroFormula(stage as 0 | 1 | 2 | 3, training.bytes)} (N = ${n})`;
  if (name === 'zero3-offload') {
    const working = training.bytes.param + training.bytes.grad;
    states = working * model.largestLayer;
    stateFormula = `${working} x largest layer (DeepSpeed offload_param=cpu, offload_optimizer=cpu: only the gathered layer's parameters and gradients stay on the GPU)`;
    notes.push(`PCIe per GPU per step: gradients down and updated parameters up, ${working}Ψ/N; the CPU optimizer step time is not included`);
  }
  const titles = {
    ddp: 'DDP (replicated model states)',
    zero1: 'ZeRO-1 (optimizer states sharded)',
    zero2: 'ZeRO-2 / FSDP SHARD_GRAD_OP (+ gradients sharded)',
    zero3: 'ZeRO-3 / FSDP FULL_SHARD (+ parameters sharded)',
    'zero3-offload': 'ZeRO-3 + CPU offload of parameters and optimizer',
  } as const;
  return finish(input, { name, title: titles[name], layout: { t: 1, p: 1, d: n }, states, stateFormula, comm, notes });
}

/**
 * Tensor parallel over t GPUs of a node, pipeline over p stages, data parallel over d, with Megatron-LM's model
 * states (megatron.ts: its table, the distributed optimizer sharding main params, main grads and optimizer over d).
 */
export function modelParallel(input: PlanInput, name: 'tp' | 'pp' | '3d', layout: Layout, distributedOptimizer: boolean): StrategyResult {
  const { model, cluster, training } = input;
  const { t, p, d } = layout;
  const { hidden, layers } = model.shape;
  const psi = model.parameters;
  const width = activationElementBytes(training);
  const m = training.globalBatch / (training.microBatch * d);
  const g = cluster.gpusPerNode;
  const comm: CommPart[] = [];
  const notes: string[] = [];
  if (t > 1) {
    const bytes = m * tensorParallelBytes(training.microBatch, training.seqLen, hidden, t, layers / p, width);
    comm.push({ what: `tensor-parallel all-reduces, ${layers / p} layers x ${m} micro-batches`, bytes, seconds: bytes / cluster.intraBusBandwidth.value, bandwidth: cluster.intraBusBandwidth.value, link: 'intra-node', overlappable: false, formula: 'm·(L/p)·8bsh(t-1)/t·bytes' });
    if (cluster.interconnect !== 'nvlink') notes.push('tensor parallel over PCIe: Megatron keeps TP inside the NVLink domain');
  }
  if (p > 1) {
    const bytes = m * pipelineP2PBytes(training.microBatch, training.seqLen, hidden, t, width, training.interleave);
    // Ranks are ordered tp, dp, pp (Megatron's default): with several nodes some adjacent stages sit on
    // different nodes, and that hop paces the pipeline; each GPU gets its 1/g share of the node's NICs.
    const crosses = cluster.nodes > 1 && cluster.interBusBandwidth !== null;
    const bandwidth = crosses ? cluster.interBusBandwidth!.value / g : cluster.intraBusBandwidth.value;
    comm.push({ what: `pipeline send/recv, ${m} micro-batches`, bytes, seconds: bytes / bandwidth, bandwidth, link: crosses ? 'inter-node NIC share' : 'intra-node', overlappable: false, formula: `m·2bsh/t·bytes${training.interleave > 1 ? '·v' : ''}` });
  }
  if (d > 1) {
    // Megatron reduces gradients in their own precision (fp32 main grads by default under bf16).
    const shard = (psi / (t * p)) * (training.megatron.grad === 'fp32' ? 4 : 2);
    const spans = t * d > g;
    const what = distributedOptimizer ? 'gradient reduce-scatter + parameter all-gather (distributed optimizer)' : 'gradient all-reduce';
    comm.push(dpComm(input, { what, collective: 'all-reduce', payload: shard, ranks: d, times: 1, spansNodes: spans, formula: '2(d-1)/d·S/(t·p)' }));
  }
  const { states, formula } = megatronStates(psi, layout, training.megatronBytes, distributedOptimizer);
  const stateFormula = `${formula} (Megatron-LM's table, ${distributedOptimizer ? 'distributed optimizer' : 'no distributed optimizer'}, ${training.megatron.row})`;
  const titles = { tp: 'tensor parallel within each node', pp: 'pipeline parallel', '3d': 'TP x PP x DP (Megatron)' } as const;
  return finish(input, { name, title: titles[name], layout, states, stateFormula, comm, notes });
}

/**
 * The 3-D layout by Narayanan et al. 2021 §3 takeaways: the smallest model-parallel size M = t·p that fits
 * (takeaway 2), tensor parallel first and at most the GPUs of one node (takeaway 1), NVLink only, then
 * pipeline stages; data parallel (with the distributed optimizer) over the rest. Only layouts Megatron-LM accepts
 * (megatron.ts layoutProblem) are candidates.
 */
export function searchLayout(input: PlanInput): { result: StrategyResult; candidates: number } {
  const { model, cluster, training } = input;
  const n = cluster.totalGpus;
  const g = cluster.gpusPerNode;
  const microBatches = (d: number) => training.globalBatch / (training.microBatch * d);
  const layouts: Layout[] = [];
  for (const t of divisors(g).filter((x) => cluster.interconnect === 'nvlink' || x === 1)) {
    for (const p of divisors(n / t)) {
      if (t * p < 2 && n > 1) continue;
      const d = n / (t * p);
      if (layoutProblem(model.shape, t, p, training.interleave, microBatches(d)) === null) layouts.push({ t, p, d });
    }
  }
  if (layouts.length === 0) layouts.push({ t: 1, p: 1, d: n });
  layouts.sort((a, b) => a.t * a.p - b.t * b.p || b.t - a.t);
  let smallest: StrategyResult | null = null;
  for (const layout of layouts) {
    const result = modelParallel(input, '3d', layout, true);
    if (result.fits) return { result, candidates: layouts.length };
    if (!smallest || result.totalBytesPerGpu < smallest.totalBytesPerGpu) smallest = result;
  }
  // Nothing fits: show the layout that needs the least memory per GPU.
  return { result: smallest!, candidates: layouts.length };
}

/** The tp row: tensor parallel over the GPUs of a node, or the largest t below that Megatron accepts. */
function tensorRow(input: PlanInput): StrategyResult {
  const { cluster, model } = input;
  const g = cluster.gpusPerNode;
  const t = Math.max(...divisors(g).filter((x) => layoutProblem(model.shape, x, 1, 1, 1) === null));
  const row = modelParallel(input, 'tp', { t, p: 1, d: cluster.totalGpus / t }, false);
  if (g === 1) row.notes.push('one GPU per node: t = 1, the same as DDP');
  else if (t < g) row.notes.push(`t = ${t}, not ${g}: ${layoutProblem(model.shape, g, 1, 1, 1)} (Megatron rejects it)`);
  return row;
}

/** All eight rows, in the issue's order. */
export function evaluateStrategies(input: PlanInput): StrategyResult[] {
  const { cluster, model, training } = input;
  const n = cluster.totalGpus;
  const accepts = (p: number) => layoutProblem(model.shape, 1, p, training.interleave, training.globalBatch / (training.microBatch * (n / p))) === null;
  const pp = modelParallel(input, 'pp', pipelineLayout(n, cluster.nodes, model.shape.layers, accepts), false);
  const cap = pipelineCap(n, cluster.nodes, model.shape.layers);
  if (n === 1) pp.notes.push('one GPU: p = 1, the same as DDP');
  else if (pp.layout.p < cap) {
    pp.notes.push(`p = ${pp.layout.p}: the largest divisor of the ${n} GPUs not above ${cap} (${cluster.nodes > 1 ? 'nodes' : 'GPUs'} capped by the ${model.shape.layers} layers) that also divides the layers, as Megatron requires, so that d = n/p is whole`);
  }
  return [
    dataParallel(input, 'ddp'),
    dataParallel(input, 'zero1'),
    dataParallel(input, 'zero2'),
    dataParallel(input, 'zero3'),
    dataParallel(input, 'zero3-offload'),
    tensorRow(input),
    pp,
    searchLayout(input).result,
  ];
}
