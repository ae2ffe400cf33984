// Communication volume and time, pipeline bubbles, compute time. Sources: ../shared/research/parallel.md §5-§7, §9.
//   nccl-tests doc/PERFORMANCE.md: ring all-reduce t = (S/B)·2(n-1)/n with B the bus bandwidth;
//   algbw = S/t, busbw = algbw·2(n-1)/n; reduce-scatter / all-gather factor (n-1)/n.
//   ZeRO §VII: DDP and ZeRO-1/2 move 2Ψ per rank (reduce-scatter + all-gather), ZeRO-3 3Ψ (1.5x).
//   Narayanan et al. 2021 §3.2: tensor parallel 8bsh(t-1)/t elements per layer per device per micro-batch;
//   §4.1 pipeline p2p bsh (bsh/t with scatter/gather) per micro-batch between adjacent stages.
//   Bubbles: 1F1B (p-1)/m of ideal time, interleaved (p-1)/(v·m) (Narayanan §2.2); GPipe (p-1)/(m+p-1) of total
//   ((p-1)/(v·m+p-1) interleaved).
//   Compute: C ≈ 6·N·D FLOPs (EleutherAI Transformer Math 101; Kaplan et al. 2020), 8·N·D with full recompute.

/** Bytes each rank sends in a ring all-reduce of S bytes over n ranks: 2(n-1)/n·S. */
export function ringAllReduceBytes(payload: number, ranks: number): number {
  return ranks <= 1 ? 0 : (2 * (ranks - 1) * payload) / ranks;
}

/** Bytes each rank sends in an all-gather or reduce-scatter of S bytes over n ranks: (n-1)/n·S. */
export function allGatherBytes(payload: number, ranks: number): number {
  return ranks <= 1 ? 0 : ((ranks - 1) * payload) / ranks;
}

/** Ring all-reduce time at bus bandwidth B (bytes/s): t = (S/B)·2(n-1)/n. */
export function ringAllReduceSeconds(payload: number, ranks: number, busBandwidth: number): number {
  return ringAllReduceBytes(payload, ranks) / busBandwidth;
}

/** nccl-tests' definitions from a measured time: algbw = S/t, busbw = algbw·2(n-1)/n (bytes/s). */
export function allReduceBandwidths(payload: number, ranks: number, seconds: number): { algbw: number; busbw: number } {
  const algbw = payload / seconds;
  return { algbw, busbw: (algbw * 2 * (ranks - 1)) / ranks };
}

/**
 * All-gather (or reduce-scatter) time at bus bandwidth B: t = (S/B)·(n-1)/n (nccl-tests' busbw factor for
 * both collectives is (n-1)/n, against 2(n-1)/n for all-reduce).
 */
export function allGatherSeconds(payload: number, ranks: number, busBandwidth: number): number {
  return allGatherBytes(payload, ranks) / busBandwidth;
}

/** ZeRO-3 traffic per rank: two parameter all-gathers (forward, backward) + one gradient reduce-scatter = 3(n-1)/n·S. */
export function zero3Bytes(payload: number, ranks: number): number {
  return 3 * allGatherBytes(payload, ranks);
}

/** ZeRO-3 time per micro-batch at bus bandwidth B: three (n-1)/n collectives, 3(n-1)/n·S / B = 1.5x the all-reduce. */
export function zero3Seconds(payload: number, ranks: number, busBandwidth: number): number {
  return 3 * allGatherSeconds(payload, ranks, busBandwidth);
}

/**
 * Tensor-parallel traffic per device per micro-batch over `layers` layers: 8·b·s·h·(t-1)/t elements per layer
 * (two all-reduces of b·s·h forward, two backward; the same volume as all-gather + reduce-scatter under SP).
 */
export function tensorParallelBytes(microBatch: number, seqLen: number, hidden: number, t: number, layers: number, bytesPerElement: number): number {
  if (t <= 1) return 0;
  return ((8 * microBatch * seqLen * hidden * (t - 1)) / t) * layers * bytesPerElement;
}

/**
 * Pipeline point-to-point traffic sent by one device per micro-batch: the activation forward and its gradient
 * backward, b·s·h each, divided by t with scatter/gather over the tensor-parallel ranks; v× for interleaving.
 */
export function pipelineP2PBytes(microBatch: number, seqLen: number, hidden: number, t: number, bytesPerElement: number, interleave = 1): number {
  return ((2 * microBatch * seqLen * hidden) / t) * bytesPerElement * interleave;
}

/** 1F1B / GPipe bubble as a share of the ideal (bubble-free) time: (p-1)/m (Narayanan et al. 2021 §2.2). */
export function bubbleOfIdeal(stages: number, microBatches: number): number {
  return (stages - 1) / microBatches;
}

/** Interleaved 1F1B with v model chunks per device: (1/v)·(p-1)/m of the ideal time. */
export function interleavedBubbleOfIdeal(stages: number, microBatches: number, chunks: number): number {
  return (stages - 1) / (chunks * microBatches);
}

/**
 * GPipe's normalisation (Huang et al. 2019): the bubble's share of the total time, (p-1)/(m+p-1); with v
 * interleaved chunks the bubble is (p-1)/v micro-batch slots, so its share is (p-1)/(v·m+p-1).
 */
export function bubbleOfTotal(stages: number, microBatches: number, chunks = 1): number {
  const ideal = (stages - 1) / chunks;
  return ideal / (microBatches + ideal);
}

/** Training FLOPs for N parameters over D tokens: 6·N·D, or 8·N·D when the forward pass is recomputed in full. */
export function trainingFlops(parameters: number, tokens: number, fullRecompute = false): number {
  return (fullRecompute ? 8 : 6) * parameters * tokens;
}

export interface EfficiencyInput {
  /** Ideal compute seconds per step per GPU (no bubble). */
  compute: number;
  /** Bubble as a share of the ideal time (0 without pipeline). */
  bubble: number;
  /** Gradient synchronisation seconds (can overlap the backward pass). */
  overlappable: number;
  /** Tensor-parallel and pipeline p2p seconds (on the critical path). */
  exposed: number;
}

/**
 * Scaling efficiency = compute / step time (ml-engineering "comms and compute overlap"), as two bounds:
 * nothing overlaps (step = compute·(1+bubble) + all communication) and gradient communication fully hidden
 * behind the backward pass (step = max(compute·(1+bubble), gradient comm) + exposed comm).
 */
export function efficiencyBounds({ compute, bubble, overlappable, exposed }: EfficiencyInput): { serial: number; overlapped: number } {
  const busy = compute * (1 + bubble);
  return {
    serial: compute / (busy + overlappable + exposed),
    overlapped: compute / (Math.max(busy, overlappable) + exposed),
  };
}
