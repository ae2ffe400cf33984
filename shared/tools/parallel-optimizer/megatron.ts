// Megatron-LM's own accounting and rules for the tp, pp and 3d layouts.
// Model states: Megatron-LM docs/api-guide/dist_optimizer.md (the same table in its README, "Distributed
// Optimizer"), bytes per parameter, d = data-parallel size:
//   param / grad dtype        non-distributed   distributed (--use-distributed-optimizer)
//   fp16 params, fp16 grads   20                4 + 16/d
//   bf16 params, fp32 grads   18                6 + 12/d      (the default: bf16 accumulates and reduces in fp32)
//   fp32 params, fp32 grads   16                8 + 8/d
// Each row is params + grads kept on every rank, plus fp32 main params (16-bit params only), fp32 main grads
// (16-bit grads only) and the Adam states (8), which the distributed optimizer shards over d. The same sum
// with SGD (4) or 8-bit Adam (2) states gives the rows for those optimizers.
// Layout rules (megatron/core, megatron/training/arguments.py validate_args): t divides the attention heads
// and the query groups (KV heads); p divides the layers (L/(p·v) whole with v interleaved chunks; uneven
// splits need --decoder-first/last-pipeline-num-layers, which this tool does not propose); with the
// interleaved schedule the micro-batches per step are a multiple of p.
import { UsageError } from '../lib/cli.js';
import type { Precision, StateBytes } from './memory.js';
import type { ModelShape } from './model-config.js';

export type GradPrecision = 'fp32' | 'bf16' | 'fp16';

export interface MegatronPrecision {
  param: Precision;
  grad: GradPrecision;
  /** The Megatron-LM flags that select it. */
  flags: string[];
  /** The table row: "bf16 params + fp32 main grads". */
  row: string;
  /** One line naming the setup, where it came from and its flags, printed with the results. */
  convention: string;
}

const WIDTH: Record<Precision | GradPrecision, number> = { fp32: 4, bf16: 2, fp16: 2 };

/**
 * Megatron's gradient precision: given by --grad-precision, else its default for the parameter precision
 * (bf16 -> fp32, arguments.py: "bfloat16 requires gradient accumulation and all-reduce to be done in fp32";
 * fp16 -> fp16; fp32 -> fp32). Combinations Megatron has no flag for are usage errors.
 */
export function megatronPrecision(param: Precision, given: GradPrecision | undefined): MegatronPrecision {
  const grad = given ?? (param === 'fp16' ? 'fp16' : 'fp32');
  if (param === 'fp32' && grad !== 'fp32') throw new UsageError(`--grad-precision ${grad} needs 16-bit parameters, not --precision fp32`, 'fp32 training keeps fp32 gradients: drop --grad-precision or choose --precision bf16');
  if (grad !== 'fp32' && grad !== param) throw new UsageError(`--grad-precision ${grad} does not go with --precision ${param}`, `16-bit gradients have the parameters' type: use --grad-precision ${param} or fp32`);
  const flags: string[] = [];
  if (param === 'bf16') flags.push('--bf16', ...(grad === 'bf16' ? ['--grad-reduce-in-bf16'] : []));
  if (param === 'fp16') flags.push('--fp16', ...(grad === 'fp32' ? ['--accumulate-allreduce-grads-in-fp32'] : []));
  const row = `${param} params + ${grad === 'fp32' && param !== 'fp32' ? 'fp32 main grads' : `${grad} grads`}`;
  const source = given ? '--grad-precision' : `Megatron's default for ${param}`;
  return { param, grad, flags, row, convention: `${row}, ${source}${flags.length ? ` (${flags.join(' ')})` : ''}` };
}

/** Bytes per parameter: kept on every model-parallel rank, and sharded over d by the distributed optimizer. */
export function megatronStateBytes(precision: MegatronPrecision, states: StateBytes): { replicated: number; shardable: number } {
  const param = WIDTH[precision.param];
  const grad = WIDTH[precision.grad];
  const mainParams = param < 4 ? 4 : 0;
  const mainGrads = grad < 4 ? 4 : 0;
  // StateBytes.optimizer holds the ZeRO paper's K (master copy included): take only the optimizer's own states.
  const optimizerStates = states.optimizer - (states.param < 4 ? 4 : 0);
  return { replicated: param + grad, shardable: mainParams + mainGrads + optimizerStates };
}

/** Model-state bytes per GPU of a t x p x d layout and the formula as printed ("6Ψ/(t·p) + 12Ψ/(t·p·d)"). */
export function megatronStates(parameters: number, layout: { t: number; p: number; d: number }, bytes: { replicated: number; shardable: number }, distributed: boolean): { states: number; formula: string } {
  const mp = layout.t * layout.p;
  const { replicated, shardable } = bytes;
  if (!distributed) return { states: ((replicated + shardable) * parameters) / mp, formula: `${replicated + shardable}Ψ/(t·p)` };
  return { states: (replicated * parameters) / mp + (shardable * parameters) / (mp * layout.d), formula: `${replicated}Ψ/(t·p) + ${shardable}Ψ/(t·p·d)` };
}

/** Why Megatron would reject t x p (x v interleaved) for this shape, or null when it accepts it. */
export function layoutProblem(shape: ModelShape, t: number, p: number, interleave: number, microBatches: number): string | null {
  if (shape.heads % t !== 0) return `t = ${t} does not divide the ${shape.heads} attention heads`;
  if (shape.kvHeads % t !== 0) return `t = ${t} does not divide the ${shape.kvHeads} KV heads (query groups)`;
  const chunks = p > 1 ? p * interleave : 1;
  if (shape.layers % chunks !== 0) return `${p > 1 && interleave > 1 ? `p·v = ${chunks}` : `p = ${p}`} does not divide the ${shape.layers} layers`;
  if (p > 1 && interleave > 1 && microBatches % p !== 0) return `the interleaved schedule needs micro-batches (${microBatches}) a multiple of p = ${p}`;
  return null;
}
