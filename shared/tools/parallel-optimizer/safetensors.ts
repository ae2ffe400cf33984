// Counting parameters from .safetensors headers without reading the tensor data (constant time in file size).
// Format (huggingface/safetensors README "Format"; ../shared/research/parallel.md §10):
//   8 bytes: N, unsigned 64-bit little-endian header length
//   N bytes: UTF-8 JSON starting with '{' (may be space-padded):
//            {"NAME": {"dtype": "F16", "shape": [...], "data_offsets": [BEGIN, END]}, "__metadata__": {...}}
//   rest:    the byte buffer; offsets are relative to its start, END - BEGIN = numel * bits / 8.
// The Rust parser refuses headers above 100,000,000 bytes (MAX_HEADER_SIZE); so do we.
// Sharded checkpoints: model.safetensors.index.json {"metadata": {"total_size": BYTES}, "weight_map": {tensor: file}}.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../lib/cli.js';

export const MAX_HEADER_SIZE = 100_000_000;

/** Bits per element of every safetensors dtype (safetensors/src/tensor.rs `Dtype::bitsize`). */
export const DTYPE_BITS: Record<string, number> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  I64: 64,
  U64: 64,
  F64: 64,
  C64: 64,
};

/** Floating-point dtypes hold trainable parameters; integer and bool tensors are buffers (masks, ids). */
export function isFloatingDtype(dtype: string): boolean {
  return dtype === 'BF16' || /^F\d/.test(dtype);
}

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  numel: number;
  bytes: number;
}

export interface SafetensorsSummary {
  files: string[];
  tensors: number;
  /** Elements of floating-point tensors: what the optimizer counts as parameters. */
  floatParameters: number;
  /** Elements of integer/bool tensors, excluded from the parameter count. */
  excludedElements: number;
  /** Elements per dtype, e.g. {"F16": 20554568208, "U8": 184549376}. */
  elementsByDtype: Record<string, number>;
  /** Bytes of all tensor data. */
  dataBytes: number;
  /**
   * The largest parameter count owned directly by one module: tensors grouped by name without their last
   * dotted component ("h.0.mlp.c_fc.weight" + ".bias" -> "h.0.mlp.c_fc"), as DeepSpeed's estimator counts
   * `module.parameters(recurse=False)`.
   */
  largestLayer: { name: string; parameters: number } | null;
  /** The dominant floating dtype (most elements), e.g. "BF16". */
  floatDtype: string | null;
  /** metadata.total_size of a sharded index, when given. */
  indexTotalSize: number | null;
}

function fail(path: string, message: string): never {
  throw new UsageError(`${path}: ${message}`, 'pass a .safetensors file, a directory with model.safetensors(.index.json), or --params');
}

/** Read and validate the header of one .safetensors file; never reads the tensor data. */
export function readSafetensorsHeader(path: string): TensorInfo[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(path, code === 'ENOENT' ? 'no such file' : `cannot open (${code ?? String(error)})`);
  }
  try {
    const size = fstatSync(fd).size;
    if (size < 8) fail(path, `truncated or not a safetensors file: ${size} bytes, shorter than the 8-byte header length`);
    const lengthBytes = Buffer.alloc(8);
    readSync(fd, lengthBytes, 0, 8, 0);
    const declared = lengthBytes.readBigUInt64LE(0);
    // The declared length is the file's first 8 bytes: never printed, so --model on any other file
    // (.env, a key) shows nothing of it.
    if (declared > BigInt(size - 8)) {
      fail(path, `the header length in its first 8 bytes is larger than the file (${size} bytes): truncated or not a safetensors file`);
    }
    const headerLength = Number(declared);
    if (headerLength > MAX_HEADER_SIZE) fail(path, `the header length in its first 8 bytes exceeds safetensors' limit of ${MAX_HEADER_SIZE} bytes`);
    if (headerLength < 2) fail(path, 'the header length in its first 8 bytes is too short for a JSON header: not a safetensors file');
    const header = Buffer.alloc(headerLength);
    readSync(fd, header, 0, headerLength, 8);
    const text = header.toString('utf8');
    if (!text.startsWith('{')) fail(path, 'header does not start with "{": not a safetensors file');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      fail(path, 'header is not valid JSON: corrupt or not a safetensors file');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(path, 'header is not a JSON object');
    const tensors = validateEntries(path, json as Record<string, unknown>);
    const dataLength = size - 8 - headerLength;
    const end = tensors.reduce((max, t) => Math.max(max, t.end), 0);
    if (end > dataLength) fail(path, `truncated: tensor data ends at byte ${end} of the buffer but the file holds only ${dataLength}`);
    return tensors.map(({ end: _end, ...info }) => info);
  } finally {
    closeSync(fd);
  }
}

function validateEntries(path: string, json: Record<string, unknown>): (TensorInfo & { end: number })[] {
  const tensors: (TensorInfo & { end: number })[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') continue;
    const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    const dtype = entry?.dtype;
    const shape = entry?.shape;
    const offsets = entry?.data_offsets;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BITS)) fail(path, `tensor '${name}' has an unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(path, `tensor '${name}' has an invalid shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
      fail(path, `tensor '${name}' has invalid data_offsets`);
    }
    // Rank-0 tensors are scalars: one element (huggingface.js skips them; we count them, see docs).
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    const bytes = (numel * DTYPE_BITS[dtype]!) / 8;
    const [begin, end] = offsets as [number, number];
    if (end - begin !== Math.ceil(bytes)) {
      fail(path, `tensor '${name}' (${dtype} ${JSON.stringify(shape)}) should span ${Math.ceil(bytes)} bytes but data_offsets span ${end - begin}: corrupt header`);
    }
    tensors.push({ name, dtype, shape: shape as number[], numel, bytes: end - begin, end });
  }
  return tensors;
}

/** Totals over the tensors of one or more files. */
export function summarizeTensors(files: string[], tensors: TensorInfo[], indexTotalSize: number | null = null): SafetensorsSummary {
  const elementsByDtype: Record<string, number> = {};
  const perModule = new Map<string, number>();
  let floatParameters = 0;
  let excludedElements = 0;
  let dataBytes = 0;
  for (const t of tensors) {
    elementsByDtype[t.dtype] = (elementsByDtype[t.dtype] ?? 0) + t.numel;
    dataBytes += t.bytes;
    if (isFloatingDtype(t.dtype)) {
      floatParameters += t.numel;
      const module = t.name.includes('.') ? t.name.slice(0, t.name.lastIndexOf('.')) : t.name;
      perModule.set(module, (perModule.get(module) ?? 0) + t.numel);
    } else {
      excludedElements += t.numel;
    }
  }
  let largestLayer: SafetensorsSummary['largestLayer'] = null;
  for (const [name, parameters] of perModule) {
    if (!largestLayer || parameters > largestLayer.parameters) largestLayer = { name, parameters };
  }
  const floatDtype =
    Object.entries(elementsByDtype)
      .filter(([dtype]) => isFloatingDtype(dtype))
      .sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return { files, tensors: tensors.length, floatParameters, excludedElements, elementsByDtype, dataBytes, largestLayer, floatDtype, indexTotalSize };
}

/** A sharded checkpoint: read the index, then the header of every shard it names. */
export function readShardedIndex(indexPath: string): SafetensorsSummary {
  let index: { weight_map?: unknown; metadata?: { total_size?: unknown } };
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(indexPath, code ? `cannot read (${code})` : 'not valid JSON: corrupt index');
  }
  const weightMap = index?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) fail(indexPath, 'has no "weight_map" object');
  const shards = [...new Set(Object.values(weightMap as Record<string, unknown>))];
  if (shards.length === 0 || !shards.every((s) => typeof s === 'string' && s !== '' && basename(s) === s)) {
    fail(indexPath, '"weight_map" must map tensor names to shard file names in the same directory');
  }
  const dir = dirname(indexPath);
  const files = (shards as string[]).sort().map((shard) => join(dir, shard));
  const tensors = files.flatMap((file) => readSafetensorsHeader(file));
  const total = index.metadata?.total_size;
  return summarizeTensors(files, tensors, typeof total === 'number' ? total : null);
}
