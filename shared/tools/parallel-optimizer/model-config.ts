// The transformer shape behind activation memory and the largest layer: from config.json, from flags,
// or estimated from the parameter count (labelled as an estimate).
import { readFileSync } from 'node:fs';
import { UsageError } from '../lib/cli.js';
import { formatCount } from './sizes.js';

export interface ModelShape {
  layers: number;
  hidden: number;
  heads: number;
  /** Key/value heads: fewer than `heads` with grouped-query attention (Megatron's query groups), equal without. */
  kvHeads: number;
  /** Vocabulary size, when known. */
  vocab: number | null;
  /** MLP inner width, when known (4h in GPT; intermediate_size in Llama). */
  ffn: number | null;
}

/** What config.json says about the blocks, for complete Megatron-LM arguments (null: not stated). */
export interface ArchitectureFacts {
  /** hidden_act: "silu" in Llama-style gated MLPs (Megatron --swiglu), "gelu*" in GPT-2/NeoX. */
  activation: string | null;
  /** rope_theta, when the model uses rotary position embeddings. */
  ropeTheta: number | null;
  /** rms_norm_eps (RMSNorm) or layer_norm_eps / layer_norm_epsilon (LayerNorm). */
  normalization: { kind: 'RMSNorm' | 'LayerNorm'; epsilon: number } | null;
  tiedEmbeddings: boolean | null;
  /** attention_bias / mlp_bias; false for Llama (Megatron --disable-bias-linear). */
  linearBias: boolean | null;
  /** rope_scaling.rope_type (Llama 3.1's "llama3" is Megatron's --use-rope-scaling). */
  ropeScaling: string | null;
  /** attention_dropout: 0 (Llama), as Megatron's --attention-dropout 0 --hidden-dropout 0. */
  dropoutFree: boolean;
}

export interface ConfigFacts {
  layers: number | null;
  hidden: number | null;
  heads: number | null;
  kvHeads: number | null;
  vocab: number | null;
  ffn: number | null;
  /** The longest sequence the model was configured for. */
  seqLen: number | null;
  architecture: ArchitectureFacts;
}

// Key spellings across Hugging Face model families (GPT-2, GPT-NeoX, Llama, T5, BLOOM, Falcon, Megatron exports).
const KEYS = {
  layers: ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers'],
  hidden: ['hidden_size', 'n_embd', 'd_model', 'dim'],
  heads: ['num_attention_heads', 'n_head', 'num_heads', 'n_heads'],
  // Llama/Mistral/Qwen, Falcon (new and old), ChatGLM, Megatron exports
  kvHeads: ['num_key_value_heads', 'num_kv_heads', 'n_head_kv', 'multi_query_group_num', 'num_query_groups'],
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

function firstNumber(config: Record<string, unknown>, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  }
  return null;
}

function architectureFacts(config: Record<string, unknown>): ArchitectureFacts {
  const act = config.hidden_act ?? config.activation_function ?? config.hidden_activation;
  const rms = firstNumber(config, ['rms_norm_eps']);
  const ln = firstNumber(config, ['layer_norm_eps', 'layer_norm_epsilon', 'layernorm_epsilon']);
  const scaling = typeof config.rope_scaling === 'object' && config.rope_scaling !== null ? (config.rope_scaling as Record<string, unknown>) : null;
  const bias = [config.attention_bias, config.mlp_bias].filter((v): v is boolean => typeof v === 'boolean');
  return {
    activation: typeof act === 'string' ? act : null,
    ropeTheta: firstNumber(config, ['rope_theta', 'rotary_emb_base']),
    normalization: rms !== null ? { kind: 'RMSNorm', epsilon: rms } : ln !== null ? { kind: 'LayerNorm', epsilon: ln } : null,
    tiedEmbeddings: typeof config.tie_word_embeddings === 'boolean' ? config.tie_word_embeddings : null,
    linearBias: bias.length ? bias.some(Boolean) : null,
    ropeScaling: typeof scaling?.rope_type === 'string' ? scaling.rope_type : typeof scaling?.type === 'string' ? scaling.type : null,
    dropoutFree: config.attention_dropout === 0,
  };
}

/** Falcon's older configs say `multi_query: true` for one shared key/value head. */
function kvHeadsOf(config: Record<string, unknown>): number | null {
  return firstPositive(config, KEYS.kvHeads) ?? (config.multi_query === true ? 1 : null);
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
  return {
    layers: firstPositive(source, KEYS.layers),
    hidden: firstPositive(source, KEYS.hidden),
    heads: firstPositive(source, KEYS.heads),
    kvHeads: kvHeadsOf(source),
    vocab: firstPositive(source, KEYS.vocab),
    ffn: firstPositive(source, KEYS.ffn),
    seqLen: firstPositive(source, KEYS.seqLen),
    architecture: architectureFacts(source),
  };
}

/** Aspect ratio h / L of the shape estimate: 4096/32 (GPT-3 6.7B, Llama-7B), 12288/96 (GPT-3 175B). */
export const ESTIMATE_ASPECT = 128;
/** Head counts of the estimate are multiples of 8, so tensor parallel 1, 2, 4 or 8 divides them (Megatron's divide()). */
export const ESTIMATE_HEAD_MULTIPLE = 8;

/** Head size of the estimate: 128 from h = 2048 up (GPT-3 6.7B/175B, Llama), 64 below (GPT-3 125M-1.3B, GPT-2). */
export function estimateHeadSize(hidden: number): number {
  return hidden >= 2048 ? 128 : 64;
}

/**
 * A shape real models use, for a bare parameter count: P ≈ 12·L·h² (Kaplan et al. 2020 eq. 2.1's non-embedding
 * count; the leading term of Megatron eq. 2, Narayanan et al. 2021) at h ≈ 128·L; h rounded to 8 heads of
 * 128 (64 below h = 2048) so that the heads split over t = 1, 2, 4, 8; then L = P / (12h²), a multiple of 4
 * from 8 layers up so that 2 or 4 pipeline stages divide it. Multi-head attention (KV heads = heads): GQA
 * needs a config.json. GPT-3 175B comes out exactly (96 layers, h 12288, 96 heads). An estimate, labelled.
 */
export function estimateShape(parameters: number): ModelShape {
  const target = ESTIMATE_ASPECT * Math.cbrt(parameters / (12 * ESTIMATE_ASPECT ** 2));
  const step = ESTIMATE_HEAD_MULTIPLE * estimateHeadSize(target);
  const hidden = Math.max(step, Math.round(target / step) * step);
  const raw = Math.max(1, Math.round(parameters / (12 * hidden ** 2)));
  const layers = raw >= 8 ? Math.round(raw / 4) * 4 : raw;
  const heads = hidden / estimateHeadSize(hidden);
  return { layers, hidden, heads, kvHeads: heads, vocab: null, ffn: null };
}

/**
 * Megatron eq. 2 (Narayanan et al. 2021 §5.1): P = 12·l·h²·(1 + 13/(12h) + (V + s)/(12·l·h)), a GPT-style
 * model with a 4h MLP, vocabulary V and s learned positions. Cross-checks a given shape against the
 * parameter count (shapeCheckNote).
 */
export function megatronParameterCount(layers: number, hidden: number, vocab: number, seqLen: number): number {
  return 12 * layers * hidden ** 2 * (1 + 13 / (12 * hidden) + (vocab + seqLen) / (12 * layers * hidden));
}

/** A shape whose eq. 2 count is off the parameter count by more than this share gets a note. */
const SHAPE_CHECK_TOLERANCE = 0.25;

/**
 * A note when a given (not estimated) shape disagrees with the parameter count by more than
 * SHAPE_CHECK_TOLERANCE under Megatron eq. 2, or null when they agree. V and s are 0 when unknown (the
 * note then says that embeddings were not counted). Activations and TP/PP traffic use the shape, so a wrong
 * --layers or --hidden-size is worth a line.
 */
export function shapeCheckNote(parameters: number, shape: ModelShape, seqLen: number | null): string | null {
  const vocab = shape.vocab ?? 0;
  const positions = seqLen ?? 0;
  const expected = megatronParameterCount(shape.layers, shape.hidden, vocab, positions);
  const off = expected / parameters - 1;
  if (Math.abs(off) <= SHAPE_CHECK_TOLERANCE) return null;
  const embeddings = shape.vocab === null ? ' (vocabulary unknown: embeddings not counted; pass --vocab-size)' : '';
  return (
    `shape check: Megatron eq. 2, 12·l·h²(1 + 13/(12h) + (V+s)/(12·l·h)) with l = ${shape.layers}, h = ${shape.hidden}, V = ${vocab}, s = ${positions}, ` +
    `gives ${formatCount(expected)} parameters${embeddings}, ${Math.abs(off * 100).toFixed(0)}% ${off < 0 ? 'below' : 'above'} the ${formatCount(parameters)} counted ` +
    `(more than ${SHAPE_CHECK_TOLERANCE * 100}% off): check --layers/--hidden-size or config.json; activations and TP/PP traffic use this shape`
  );
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
