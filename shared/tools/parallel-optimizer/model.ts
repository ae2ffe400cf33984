// The model to plan for: parameter count (--params or safetensors headers), shape (config.json, flags or an
// estimate) and DeepSpeed's "largest layer".
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../lib/cli.js';
import { estimateShape, largestLayerFromShape, readConfig, shapeCheckNote, type ArchitectureFacts, type ConfigFacts, type ModelShape } from './model-config.js';
import { readSafetensorsHeader, readShardedIndex, summarizeTensors, type SafetensorsSummary } from './safetensors.js';
import { formatCount, withCommas } from './sizes.js';

export interface ModelFlags {
  params?: number;
  paramsText?: string;
  model?: string;
  config?: string;
  largestLayer?: number;
  layers?: number;
  hidden?: number;
  heads?: number;
  kvHeads?: number;
  vocab?: number;
}

export interface ModelInfo {
  parameters: number;
  /** Where the count came from, as printed and in --json. */
  source: string;
  checkpoint: SafetensorsSummary | null;
  shape: ModelShape;
  shapeSource: string;
  shapeEstimated: boolean;
  largestLayer: number;
  largestLayerSource: string;
  /** Sequence length configured in config.json, if any. */
  configSeqLen: number | null;
  /** Block details from config.json for complete Megatron-LM arguments (null without a config.json). */
  architecture: ArchitectureFacts | null;
  notes: string[];
}

const PICKLE = /\.(pt|pth|bin|ckpt|pkl)$/i;

function pickleError(path: string): never {
  throw new UsageError(
    `${path} is a PyTorch pickle: tensor shapes live only inside the pickle, which this tool does not unpickle`,
    'convert the checkpoint to .safetensors, or pass the parameter count with --params (e.g. --params 7B)',
  );
}

interface Located {
  summary: SafetensorsSummary | null;
  describe: string;
  configPath: string | null;
}

/** Find and read the checkpoint a --model path names (file, index or directory). */
function locate(path: string): Located {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or directory`, 'pass a .safetensors file, a model directory, or --params');
  if (statSync(path).isDirectory()) {
    const names = readdirSync(path).sort();
    const configPath = names.includes('config.json') ? join(path, 'config.json') : null;
    const index = names.includes('model.safetensors.index.json') ? 'model.safetensors.index.json' : names.find((n) => n.endsWith('.safetensors.index.json'));
    if (index) return fromIndex(join(path, index), configPath);
    const files = names.filter((n) => n.endsWith('.safetensors'));
    const chosen = files.includes('model.safetensors') ? ['model.safetensors'] : files;
    if (chosen.length > 0) {
      const paths = chosen.map((n) => join(path, n));
      const summary = summarizeTensors(paths, paths.flatMap((p) => readSafetensorsHeader(p)));
      return { summary, describe: `safetensors header${paths.length > 1 ? `s of ${paths.length} files` : ''}: ${paths.length > 1 ? path : paths[0]}`, configPath };
    }
    const pickle = names.find((n) => PICKLE.test(n));
    if (pickle) pickleError(join(path, pickle));
    if (configPath) return { summary: null, describe: path, configPath };
    throw new UsageError(`${path}: no .safetensors file, index or config.json in this directory`, 'pass a .safetensors file or --params');
  }
  if (PICKLE.test(path)) pickleError(path);
  const siblingConfig = join(dirname(path), 'config.json');
  const configPath = existsSync(siblingConfig) ? siblingConfig : null;
  if (path.endsWith('.index.json')) return fromIndex(path, configPath);
  if (basename(path) === 'config.json') return { summary: null, describe: path, configPath: path };
  const summary = summarizeTensors([path], readSafetensorsHeader(path));
  return { summary, describe: `safetensors header: ${path}`, configPath };
}

function fromIndex(indexPath: string, configPath: string | null): Located {
  const summary = readShardedIndex(indexPath);
  return { summary, describe: `sharded safetensors: ${indexPath} (${summary.files.length} shard${summary.files.length > 1 ? 's' : ''})`, configPath };
}

function checkpointNotes(summary: SafetensorsSummary): string[] {
  const notes: string[] = [];
  const dtypes = Object.entries(summary.elementsByDtype)
    .map(([dtype, n]) => `${dtype} ${withCommas(n)}`)
    .join(', ');
  notes.push(`tensors by dtype: ${dtypes} (${summary.tensors} tensors)`);
  if (summary.excludedElements > 0) {
    notes.push(`${withCommas(summary.excludedElements)} elements of integer/bool tensors (masks, ids, buffers) are not counted as parameters`);
  }
  if (summary.indexTotalSize !== null && summary.indexTotalSize !== summary.dataBytes) {
    notes.push(`index metadata.total_size ${withCommas(summary.indexTotalSize)} B differs from the headers' ${withCommas(summary.dataBytes)} B of tensor data`);
  }
  return notes;
}

/** Resolve the model from flags and files; every problem is a one-line usage error. */
export function resolveModel(flags: ModelFlags): ModelInfo {
  const notes: string[] = [];
  const located = flags.model !== undefined ? locate(flags.model) : null;
  const configPath = flags.config ?? located?.configPath ?? null;
  const config: ConfigFacts | null = configPath ? readConfig(configPath) : null;
  const summary = located?.summary ?? null;
  if (summary) notes.push(...checkpointNotes(summary));

  let parameters: number;
  let source: string;
  if (flags.params !== undefined) {
    parameters = flags.params;
    source = `--params ${flags.paramsText ?? flags.params}`;
    if (summary && summary.floatParameters !== flags.params) notes.push(`--params overrides the checkpoint's ${withCommas(summary.floatParameters)} floating-point parameters`);
  } else if (summary) {
    if (summary.floatParameters < 1) throw new UsageError(`${flags.model}: the checkpoint has no floating-point tensors to train`, 'pass --params');
    parameters = summary.floatParameters;
    source = `${located!.describe} (${summary.floatDtype ?? 'no float'} weights, floating-point tensors only)`;
  } else if (flags.model !== undefined) {
    throw new UsageError(`${flags.model}: holds a config.json but no weights to count`, 'pass the parameter count with --params (e.g. --params 7B)');
  } else {
    throw new UsageError('no model given', 'pass --params 7B, or --model path/to/model.safetensors (or a model directory)');
  }

  const estimate = estimateShape(parameters);
  const given = { layers: flags.layers, hidden: flags.hidden, heads: flags.heads };
  const fromConfig = { layers: config?.layers ?? undefined, hidden: config?.hidden ?? undefined, heads: config?.heads ?? undefined };
  const pick = (key: 'layers' | 'hidden' | 'heads') => given[key] ?? fromConfig[key];
  const missing = (['layers', 'hidden', 'heads'] as const).filter((key) => pick(key) === undefined);
  const heads = pick('heads') ?? estimate.heads;
  // Without a KV-head count, attention is multi-head (one KV head per query head), as in GPT-2/3 and Llama-2 7B/13B.
  const kvHeads = flags.kvHeads ?? config?.kvHeads ?? heads;
  const shape: ModelShape = {
    layers: pick('layers') ?? estimate.layers,
    hidden: pick('hidden') ?? estimate.hidden,
    heads,
    kvHeads,
    vocab: flags.vocab ?? config?.vocab ?? null,
    ffn: config?.ffn ?? null,
  };
  if (kvHeads > heads || heads % kvHeads !== 0) {
    throw new UsageError(`${heads} attention heads are not a multiple of ${kvHeads} key/value heads`, 'grouped-query attention shares each KV head among heads/kv-heads query heads: check --heads, --kv-heads or config.json');
  }
  const anyGiven = Object.values(given).some((v) => v !== undefined);
  const parts = [anyGiven ? 'flags' : null, config && Object.values(fromConfig).some((v) => v !== undefined) ? configPath : null].filter(Boolean);
  const shapeEstimated = missing.length > 0;
  let shapeSource = parts.length ? parts.join(' + ') : '';
  if (shapeEstimated) {
    const what = missing.length === 3 ? 'shape' : missing.join(', ');
    shapeSource =
      `${shapeSource ? `${shapeSource}; ` : ''}${what} estimated from P ≈ 12·L·h² (Kaplan et al. 2020; Megatron eq. 2) at h ≈ 128·L, ` +
      'head size 128 (64 below h = 2048), heads a multiple of 8, layers a multiple of 4 (shapes of GPT-3 and Llama); ' +
      'give --layers --hidden-size --heads (--kv-heads) or a config.json for exact activations';
  }
  if (shape.hidden % shape.heads !== 0) throw new UsageError(`hidden size ${shape.hidden} is not a multiple of ${shape.heads} heads`, 'check --hidden-size and --heads');
  if (!shapeEstimated) {
    const check = shapeCheckNote(parameters, shape, config?.seqLen ?? null);
    if (check) notes.push(check);
  }

  let largestLayer: number;
  let largestLayerSource: string;
  if (flags.largestLayer !== undefined) {
    largestLayer = flags.largestLayer;
    largestLayerSource = '--largest-layer';
  } else if (summary?.largestLayer) {
    largestLayer = summary.largestLayer.parameters;
    largestLayerSource = `checkpoint: ${summary.largestLayer.name} (tensors grouped by module, as DeepSpeed counts parameters(recurse=False))`;
  } else {
    largestLayer = largestLayerFromShape(shape);
    largestLayerSource = shape.vocab !== null && shape.vocab * shape.hidden >= largestLayer ? 'embedding V·h' : `MLP projection h·${shape.ffn !== null ? 'ffn' : '4h'} + bias`;
    largestLayerSource += `${shapeEstimated ? ' of the estimated shape' : ''} (estimate; DeepSpeed needs --largest-layer for its exact ZeRO-3 table)`;
  }
  if (largestLayer > parameters) notes.push(`largest layer ${formatCount(largestLayer)} exceeds the model's ${formatCount(parameters)} parameters: check --largest-layer`);

  return { parameters, source, checkpoint: summary, shape, shapeSource, shapeEstimated, largestLayer, largestLayerSource, configSeqLen: config?.seqLen ?? null, architecture: config?.architecture ?? null, notes };
}
