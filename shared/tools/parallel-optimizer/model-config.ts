// The transformer shape behind activation memory and the largest layer: from config.json, from flags,
// or estimated from the parameter count (labelled as an estimate).
import { readFileSync } from 'node:fs';
import { UsageError } from '../lib/cli.js';

export interface ModelShape {
  layers: number;
  hidden: number;
  heads: number;
  /** Vocabulary size, when known. */
  vocab: number | null;
  /** MLP inner width, when known (4h in GPT; intermediate_size in Llama). */
  ffn: number | null;
}

export interface ConfigFacts {
  layers: number | null;
  hidden: number | null;
  heads: number | null;
  vocab: number | null;
  ffn: number | null;
  /** The longest sequence the model was configured for. */
  seqLen: number | null;
  /** Whether input and output embeddings are tied (one stored tensor). */
  tiedEmbeddings: boolean | null;
}

// Key spellings across Hugging Face model families (GPT-2, GPT-NeoX, Llama, T5, BLOOM, Falcon, Megatron exports).
const KEYS = {
  layers: ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers'],
  hidden: ['hidden_size', 'n_embd', 'd_model', 'dim'],
  heads: ['num_attention_heads', 'n_head', 'num_heads', 'n_heads'],
  vocab: ['vocab_size', 'padded_vocab_size'],
  ffn: ['intermediate_size', 'n_inner', 'ffn_hidden_size', 'd_ff', 'ffn_dim'],
  seqLen: ['max_position_embeddings', 'n_positions', 'n_ctx', 'seq_length', 'max_seq_len', 'max_sequence_length'],
} as const;

function firstPositive(config: Record<string, unknown>, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  return null;
}

/** Read the shape facts of a Hugging Face config.json (nested `text_config` of multimodal models included). */
export function readConfig(path: string): ConfigFacts {
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code ? `cannot read (${code})` : 'not valid JSON'}`, 'fix or remove config.json, or give the shape with --layers --hidden-size --heads');
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new UsageError(`${path}: not a JSON object`, 'a Hugging Face config.json is an object of model settings');
  }
  const text = config.text_config;
  const source = firstPositive(config, KEYS.layers) === null && typeof text === 'object' && text !== null ? (text as Record<string, unknown>) : config;
  const tie = source.tie_word_embeddings ?? config.tie_word_embeddings;
  return {
    layers: firstPositive(source, KEYS.layers),
    hidden: firstPositive(source, KEYS.hidden),
    heads: firstPositive(source, KEYS.heads),
    vocab: firstPositive(source, KEYS.vocab),
    ffn: firstPositive(source, KEYS.ffn),
    seqLen: firstPositive(source, KEYS.seqLen),
    tiedEmbeddings: typeof tie === 'boolean' ? tie : null,
  };
}

/** Head size of the shape estimate: 128 in GPT-3 6.7B/13B/175B and Llama (Brown et al. 2020 Table 2.1). */
export const ESTIMATE_HEAD_SIZE = 128;
/** Aspect ratio h / L of the shape estimate: 4096/32 (GPT-3 6.7B, Llama-7B), 12288/96 (GPT-3 175B). */
export const ESTIMATE_ASPECT = 128;

/**
 * A GPT-like shape for a bare parameter count: P ≈ 12·L·h² (Kaplan et al. 2020 eq. 2.1's non-embedding
 * count; the leading term of Megatron eq. 2, Narayanan et al. 2021) with h = 128·L, rounded to h a
 * multiple of 128 and heads = h / 128. An estimate: a real config.json or --layers/--hidden-size/--heads wins.
 */
export function estimateShape(parameters: number): ModelShape {
  const layers = Math.max(1, Math.round(Math.cbrt(parameters / (12 * ESTIMATE_ASPECT ** 2))));
  const hidden = Math.max(ESTIMATE_HEAD_SIZE, Math.round(Math.sqrt(parameters / (12 * layers)) / ESTIMATE_HEAD_SIZE) * ESTIMATE_HEAD_SIZE);
  return { layers, hidden, heads: hidden / ESTIMATE_HEAD_SIZE, vocab: null, ffn: null };
}

/**
 * Megatron eq. 2 (Narayanan et al. 2021 §5.1): P = 12·l·h²·(1 + 13/(12h) + (V + s)/(12·l·h)).
 * Used to cross-check a given shape against the parameter count.
 */
export function megatronParameterCount(layers: number, hidden: number, vocab: number, seqLen: number): number {
  return 12 * layers * hidden ** 2 * (1 + 13 / (12 * hidden) + (vocab + seqLen) / (12 * layers * hidden));
}

/**
 * The largest single module when only the shape is known: the embedding V·h when the vocabulary is known,
 * or the MLP up-projection h·ffn + ffn (ffn = 4h when unknown), whichever is larger.
 */
export function largestLayerFromShape(shape: ModelShape): number {
  const ffn = shape.ffn ?? 4 * shape.hidden;
  const mlp = shape.hidden * ffn + ffn;
  return Math.max(mlp, shape.vocab !== null ? shape.vocab * shape.hidden : 0);
}
