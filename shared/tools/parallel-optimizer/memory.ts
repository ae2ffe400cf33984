// Memory per GPU: model states (ZeRO paper accounting) and activations (Korthikanti et al. 2022).
// Sources: ../shared/research/parallel.md §3 and §4.
//   ZeRO (Rajbhandari et al. 2020, arXiv:1910.02054 §III-A, Fig. 1, Table I): mixed-precision Adam keeps
//   fp16 parameters (2Ψ) + fp16 gradients (2Ψ) + K·Ψ optimizer states, K = 12 (fp32 parameters, momentum,
//   variance: 4 + 4 + 4). Per GPU with data-parallel degree N_d:
//     DDP (4+K)Ψ;  ZeRO-1 (P_os) 4Ψ + KΨ/N_d;  ZeRO-2 (P_os+g) 2Ψ + (2+K)Ψ/N_d;  ZeRO-3 (P_os+g+p) (4+K)Ψ/N_d.
//   Activations (Korthikanti et al. 2022, arXiv:2205.05198, Table 2), bytes per transformer layer with
//   s sequence, b micro-batch, h hidden, a heads, t tensor-parallel size (16-bit activations, MLP 4h):
//     no parallelism sbh(34 + 5as/h); TP sbh(10 + 24/t + 5as/(ht)); TP+SP (sbh/t)(34 + 5as/h);
//     TP + selective recompute sbh(10 + 24/t); TP+SP + selective 34sbh/t; full recompute 2sbh.
//   Grouped-query attention (g KV heads for a query heads, r = g/a): Korthikanti §4.1 itemises the attention
//   block's 11sbh as QKV input 2 + Q 2 + K 2 + V 2 + projection input 2 + dropout mask 1; K and V are r times
//   as wide, so 11 -> 7 + 4r, 34 -> 30 + 4r and the tensor-parallel 24 -> 20 + 4r (r = 1: the table as published).

export type Precision = 'bf16' | 'fp16' | 'fp32';
export type Optimizer = 'adam' | 'adam8bit' | 'sgd';
export type Recompute = 'none' | 'selective' | 'full';

/** Bytes per parameter of each model state. */
export interface StateBytes {
  /** Parameters as the forward pass uses them (2 in 16-bit mixed precision, 4 in fp32). */
  param: number;
  /** Gradients (same width as the parameters). */
  grad: number;
  /** K: optimizer states including the fp32 master copy in mixed precision. */
  optimizer: number;
  /** One line naming the convention, printed with the results. */
  convention: string;
}

/**
 * The ZeRO paper's 2 + 2 + K convention and its variants:
 * - bf16/fp16 mixed precision: fp32 master copy 4 + optimizer states (Adam 8: momentum + variance;
 *   SGD with momentum 4; 8-bit Adam 2: bitsandbytes keeps both states in 1 byte, HF model_memory_anatomy);
 * - fp32: no master copy; parameters and gradients 4 bytes each (HF model_memory_anatomy: 4 + 8 + 4 = 16 for Adam).
 */
export function stateBytes(precision: Precision, optimizer: Optimizer): StateBytes {
  const mixed = precision !== 'fp32';
  const width = mixed ? 2 : 4;
  const states = optimizer === 'adam' ? 8 : optimizer === 'sgd' ? 4 : 2;
  const master = mixed ? 4 : 0;
  const k = master + states;
  const optimizerName = optimizer === 'adam' ? 'Adam (momentum 4 + variance 4)' : optimizer === 'sgd' ? 'SGD with momentum (momentum 4)' : '8-bit Adam (2 states × 1 byte)';
  const kParts = mixed ? `fp32 master copy 4 + ${optimizerName}` : optimizerName;
  const convention =
    `${mixed ? `${precision} mixed precision` : 'fp32'}: ${width} (parameters) + ${width} (gradients) + K = ${k} (${kParts}) = ` +
    `${2 * width + k} bytes/parameter (ZeRO paper §III-A accounting${mixed && optimizer === 'adam' ? ', K = 12' : ''})`;
  return { param: width, grad: width, optimizer: k, convention };
}

export type ZeroStage = 0 | 1 | 2 | 3;

/** Model-state bytes per GPU for ZeRO stage 0 (DDP) to 3 over a data-parallel degree n (ZeRO paper Fig. 1). */
export function zeroModelStateBytes(stage: ZeroStage, parameters: number, n: number, bytes: StateBytes): number {
  const { param, grad, optimizer } = bytes;
  switch (stage) {
    case 0:
      return (param + grad + optimizer) * parameters;
    case 1:
      return (param + grad) * parameters + (optimizer * parameters) / n;
    case 2:
      return param * parameters + ((grad + optimizer) * parameters) / n;
    case 3:
      return ((param + grad + optimizer) * parameters) / n;
  }
}

/** The formula of each stage, as printed: "4Ψ + 12Ψ/N". */
export function zeroFormula(stage: ZeroStage, bytes: StateBytes): string {
  const { param, grad, optimizer } = bytes;
  switch (stage) {
    case 0:
      return `${param + grad + optimizer}Ψ`;
    case 1:
      return `${param + grad}Ψ + ${optimizer}Ψ/N`;
    case 2:
      return `${param}Ψ + ${grad + optimizer}Ψ/N`;
    case 3:
      return `${param + grad + optimizer}Ψ/N`;
  }
}

export interface ActivationInput {
  seqLen: number;
  microBatch: number;
  hidden: number;
  heads: number;
  /** Key/value heads (= heads without grouped-query attention). */
  kvHeads: number;
  /** Tensor-parallel size (1 = none). */
  tensorParallel: number;
  sequenceParallel: boolean;
  recompute: Recompute;
}

/** The per-layer sbh coefficients of Table 2 with K and V r = g/a as wide: [all, the tensor-parallel share]. */
function coefficients(heads: number, kvHeads: number): { all: number; split: number } {
  const r = kvHeads / heads;
  return { all: 30 + 4 * r, split: 20 + 4 * r };
}

/** Korthikanti et al. 2022 Table 2 (GQA-adjusted): activation bytes of one transformer layer for one micro-batch. */
export function activationBytesPerLayer(input: ActivationInput): number {
  const { seqLen: s, microBatch: b, hidden: h, heads: a, tensorParallel: t, recompute } = input;
  const { all, split } = coefficients(a, input.kvHeads);
  const sp = input.sequenceParallel && t > 1;
  const sbh = s * b * h;
  if (recompute === 'full') return sp ? (2 * sbh) / t : 2 * sbh; // only the layer input is kept (sharded under SP)
  if (recompute === 'selective') return sp ? (all * sbh) / t : sbh * (10 + split / t);
  if (sp) return (sbh / t) * (all + (5 * a * s) / h);
  return sbh * (10 + split / t + (5 * a * s) / (h * t));
}

/** The Table 2 row used, as printed; with GQA the coefficients show r = g/a's share. */
export function activationFormula(input: Pick<ActivationInput, 'tensorParallel' | 'sequenceParallel' | 'recompute' | 'heads' | 'kvHeads'>): string {
  const t = input.tensorParallel;
  const sp = input.sequenceParallel && t > 1;
  const gqa = input.kvHeads !== input.heads;
  const { all, split } = coefficients(input.heads, input.kvHeads);
  const n = (x: number) => String(Math.round(x * 1000) / 1000);
  const A = n(all);
  const S = n(split);
  const note = gqa ? `, GQA: K,V at g/a = ${input.kvHeads}/${input.heads}` : '';
  if (input.recompute === 'full') return sp ? '2sbh/t (full recompute, input sharded by SP)' : '2sbh (full recompute)';
  if (input.recompute === 'selective') {
    if (t === 1) return `${A}sbh (selective recompute${note})`;
    return sp ? `${A}sbh/t (TP + SP + selective recompute${note})` : `sbh(10 + ${S}/t) (TP + selective recompute${note})`;
  }
  if (t === 1) return `sbh(${A} + 5as/h)${gqa ? ` (${note.slice(2)})` : ''}`;
  return sp ? `(sbh/t)(${A} + 5as/h) (TP + SP${note})` : `sbh(10 + ${S}/t + 5as/(ht)) (TP${note})`;
}

/**
 * Activations held by the most loaded GPU: the first pipeline stage under 1F1B keeps min(m, p) micro-batches
 * of its L/p layers, i.e. L layers' worth when m >= p (Korthikanti §4.2.3; Megatron-LM
 * theoretical_memory_usage.py scales by min(1, m/p)); the interleaved schedule adds 1 + (p-1)/(p·v).
 */
export function activationBytesPerGpu(perLayer: number, layers: number, pipeline = 1, microBatches = 1, interleave = 1): number {
  const inFlight = Math.min(microBatches, pipeline);
  const interleavePenalty = interleave > 1 && pipeline > 1 ? 1 + (pipeline - 1) / (pipeline * interleave) : 1;
  return perLayer * (layers / pipeline) * inFlight * interleavePenalty;
}
