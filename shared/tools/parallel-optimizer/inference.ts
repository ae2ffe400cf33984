// Inference memory, as `accelerate estimate-memory` reports it, plus the KV cache.
// accelerate (src/accelerate/commands/estimate.py; research/parallel.md §2): per dtype the size is the fp32 size
// divided by 2 (float16/bfloat16), 4 (int8) or 8 (int4); "Largest Layer" is the biggest module it will not split;
// "Training using Adam" is, since accelerate PR #2581, 4x the fp32 size for float32, 2x the fp32 size for
// float16/bfloat16, and N/A for int8/int4. Here the sizes count parameters only (accelerate's also include
// buffers) and the largest layer is this tool's (checkpoint module, --largest-layer or the shape's estimate).
// KV cache (Pope et al. 2022 "Efficiently Scaling Transformer Inference" §2; kipply, "Transformer Inference
// Arithmetic" 2022): 2 (K and V) x layers x KV heads x head size x tokens x bytes; grouped-query attention
// stores only the KV heads, so it is g/a of the multi-head size.
import type { ModelInfo } from './model.js';

export type WeightDtype = 'float32' | 'float16/bfloat16' | 'int8' | 'int4';

export interface InferenceRow {
  dtype: WeightDtype;
  bytesPerParameter: number;
  largestLayerBytes: number;
  totalBytes: number;
  /** accelerate's "Training using Adam" column; null where it prints N/A. */
  trainingBytes: number | null;
}

export interface Inference {
  rows: InferenceRow[];
  kvCache: {
    /** Bytes per token in 16-bit: 2·L·g·(h/a)·2. */
    bytesPerToken: number;
    tokens: number;
    sequences: number;
    /** For `sequences` sequences of `tokens` tokens. */
    bytes: number;
    formula: string;
  };
}

const DTYPES: [WeightDtype, number][] = [
  ['float32', 4],
  ['float16/bfloat16', 2],
  ['int8', 1],
  ['int4', 0.5],
];

/** The estimate-memory table for this model and the 16-bit KV cache of a micro-batch at the sequence length. */
export function inferenceMemory(model: ModelInfo, seqLen: number, sequences: number): Inference {
  const fp32 = 4 * model.parameters;
  const rows = DTYPES.map(([dtype, width]): InferenceRow => ({
    dtype,
    bytesPerParameter: width,
    largestLayerBytes: width * model.largestLayer,
    totalBytes: width * model.parameters,
    trainingBytes: dtype === 'float32' ? 4 * fp32 : dtype === 'float16/bfloat16' ? 2 * fp32 : null,
  }));
  const { layers, kvHeads, hidden, heads } = model.shape;
  const headSize = hidden / heads;
  const bytesPerToken = 2 * layers * kvHeads * headSize * 2;
  return {
    rows,
    kvCache: {
      bytesPerToken,
      tokens: seqLen,
      sequences,
      bytes: bytesPerToken * seqLen * sequences,
      formula: `2 (K, V) x ${layers} layers x ${kvHeads} KV heads x ${headSize} head size x 2 bytes = ${bytesPerToken} bytes per token`,
    },
  };
}
