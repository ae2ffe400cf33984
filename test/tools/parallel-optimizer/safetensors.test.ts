// Parameter counts from safetensors headers written by the tests (format: huggingface/safetensors README
// "Format": u64 little-endian header length, JSON header, byte buffer), and the model a --model path resolves to.
import { closeSync, mkdirSync, openSync, readSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../shared/tools/lib/cli.js';
import { readConfig } from '../../../shared/tools/parallel-optimizer/model-config.js';
import { resolveModel } from '../../../shared/tools/parallel-optimizer/model.js';
import { MAX_HEADER_SIZE, readSafetensorsHeader, readShardedIndex, summarizeTensors } from '../../../shared/tools/parallel-optimizer/safetensors.js';
import { useTempDir } from '../../support/tmp.js';
import { safetensorsHeader, writeRaw, writeSafetensors, type TensorSpec } from './helpers.js';

const tempDir = useTempDir('dp-parallel-st-');

/** A tiny GPT-2-shaped checkpoint: F32 weights, one bias, and an integer buffer like roberta's position ids. */
const GPT2ISH: TensorSpec[] = [
  { name: 'wte.weight', dtype: 'F32', shape: [50, 8] },
  { name: 'h.0.mlp.c_fc.weight', dtype: 'F32', shape: [8, 32] },
  { name: 'h.0.mlp.c_fc.bias', dtype: 'F32', shape: [32] },
  { name: 'h.0.ln_1.weight', dtype: 'F32', shape: [8] },
  { name: 'embeddings.position_ids', dtype: 'I64', shape: [1, 16] },
  { name: 'logit_scale', dtype: 'F32', shape: [] },
];

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('one .safetensors file', () => {
  it('counts floating-point elements and reports integer buffers separately', () => {
    const path = join(tempDir(), 'model.safetensors');
    writeSafetensors(path, GPT2ISH, { metadata: { format: 'pt' } });
    const summary = summarizeTensors([path], readSafetensorsHeader(path));
    expect(summary.floatParameters).toBe(400 + 256 + 32 + 8 + 1);
    expect(summary.excludedElements).toBe(16);
    expect(summary.elementsByDtype).toEqual({ F32: 697, I64: 16 });
    expect(summary.tensors).toBe(6);
    expect(summary.floatDtype).toBe('F32');
    expect(summary.dataBytes).toBe(697 * 4 + 16 * 8);
  });

  it("groups tensors by module for DeepSpeed's largest layer (parameters(recurse=False): weight + bias together)", () => {
    const path = join(tempDir(), 'model.safetensors');
    writeSafetensors(path, GPT2ISH);
    const summary = summarizeTensors([path], readSafetensorsHeader(path));
    expect(summary.largestLayer).toEqual({ name: 'wte', parameters: 400 });
    const wide = join(tempDir(), 'wide.safetensors');
    writeSafetensors(wide, [
      { name: 'emb.weight', dtype: 'BF16', shape: [10, 4] },
      { name: 'mlp.up.weight', dtype: 'BF16', shape: [4, 10] },
      { name: 'mlp.up.bias', dtype: 'BF16', shape: [10] },
    ]);
    expect(summarizeTensors([wide], readSafetensorsHeader(wide)).largestLayer).toEqual({ name: 'mlp.up', parameters: 50 });
  });

  it('reads only the header: an 8 GiB (sparse) checkpoint is counted from its first bytes', () => {
    const path = join(tempDir(), 'big.safetensors');
    const tensors = [{ name: 'w', dtype: 'F16', shape: [65536, 65536] }];
    writeSafetensors(path, tensors, { dataLength: 0 });
    const { dataLength } = safetensorsHeader(tensors);
    const headerBytes = readSafetensorsHeaderLength(path);
    truncateSync(path, 8 + headerBytes + dataLength);
    expect(summarizeTensors([path], readSafetensorsHeader(path)).floatParameters).toBe(65536 * 65536);
  });
});

function readSafetensorsHeaderLength(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(8);
    readSync(fd, buf, 0, 8, 0);
    return Number(buf.readBigUInt64LE(0));
  } finally {
    closeSync(fd);
  }
}

describe('sharded checkpoint (model.safetensors.index.json)', () => {
  it('reads the header of every shard named in weight_map and checks metadata.total_size', () => {
    const dir = tempDir();
    const a: TensorSpec[] = [{ name: 'a.weight', dtype: 'BF16', shape: [4, 4] }];
    const b: TensorSpec[] = [
      { name: 'b.weight', dtype: 'BF16', shape: [4, 8] },
      { name: 'b.mask', dtype: 'BOOL', shape: [4, 4] },
    ];
    writeSafetensors(join(dir, 'model-00001-of-00002.safetensors'), a);
    writeSafetensors(join(dir, 'model-00002-of-00002.safetensors'), b);
    const index = {
      metadata: { total_size: 16 * 2 + 32 * 2 + 16 },
      weight_map: { 'a.weight': 'model-00001-of-00002.safetensors', 'b.weight': 'model-00002-of-00002.safetensors', 'b.mask': 'model-00002-of-00002.safetensors' },
    };
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify(index));
    const summary = readShardedIndex(join(dir, 'model.safetensors.index.json'));
    expect(summary.files).toHaveLength(2);
    expect(summary.floatParameters).toBe(48);
    expect(summary.excludedElements).toBe(16);
    expect(summary.indexTotalSize).toBe(summary.dataBytes);
    const model = resolveModel({ model: dir });
    expect(model.parameters).toBe(48);
    expect(model.source).toMatch(/sharded safetensors: .*model\.safetensors\.index\.json \(2 shards\)/);
    expect(model.notes.join('\n')).toContain('16 elements of integer/bool tensors');
  });

  it('a shard missing from disk is a usage error naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { w: 'model-00001-of-00001.safetensors' } }));
    expect(usageError(() => readShardedIndex(join(dir, 'model.safetensors.index.json'))).message).toMatch(/model-00001-of-00001\.safetensors: no such file/);
  });

  it('an index without weight_map, or not JSON, is refused', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.index.json'), '{"metadata": {}}');
    expect(usageError(() => readShardedIndex(join(dir, 'bad.index.json'))).message).toContain('has no "weight_map" object');
    writeFileSync(join(dir, 'worse.index.json'), '{not json');
    expect(usageError(() => readShardedIndex(join(dir, 'worse.index.json'))).message).toContain('not valid JSON');
  });
});

describe('truncated, corrupt and foreign files: one clear usage error', () => {
  it('shorter than the 8-byte length field', () => {
    const path = join(tempDir(), 'tiny.safetensors');
    writeFileSync(path, Buffer.from([1, 2, 3]));
    expect(usageError(() => readSafetensorsHeader(path)).message).toContain('3 bytes, shorter than the 8-byte header length');
  });

  it('header length larger than the file', () => {
    const path = join(tempDir(), 'liar.safetensors');
    writeRaw(path, 1000n, '{"a": 1}');
    const message = usageError(() => readSafetensorsHeader(path)).message;
    expect(message).toContain('the header length in its first 8 bytes is larger than the file (16 bytes)');
    // The first 8 bytes of a file that is not a checkpoint (.env, a key) are never printed.
    expect(message).not.toContain('1000');
  });

  it('a header above the 100,000,000-byte MAX_HEADER_SIZE (sparse file, nothing read)', () => {
    const path = join(tempDir(), 'huge-header.safetensors');
    const fd = openSync(path, 'w');
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(MAX_HEADER_SIZE + 1));
    writeSync(fd, length, 0, 8, 0);
    closeSync(fd);
    truncateSync(path, 8 + MAX_HEADER_SIZE + 1);
    expect(usageError(() => readSafetensorsHeader(path)).message).toContain('exceeds safetensors\' limit of 100000000 bytes');
  });

  it('a header that is not JSON (a random or text file)', () => {
    const path = join(tempDir(), 'notes.safetensors');
    writeRaw(path, 10n, '{hello wor');
    expect(usageError(() => readSafetensorsHeader(path)).message).toContain('header is not valid JSON');
    const text = join(tempDir(), 'readme.safetensors');
    writeFileSync(text, 'This is a README, not a checkpoint.\n');
    expect(usageError(() => readSafetensorsHeader(text)).message).toMatch(/larger than the file/);
    const other = join(tempDir(), 'other.safetensors');
    writeRaw(other, 4n, '[1] ');
    expect(usageError(() => readSafetensorsHeader(other)).message).toContain('does not start with "{"');
  });

  it('tensor data cut short (download interrupted)', () => {
    const path = join(tempDir(), 'cut.safetensors');
    writeSafetensors(path, [{ name: 'w', dtype: 'F32', shape: [100] }], { dataLength: 100 });
    expect(usageError(() => readSafetensorsHeader(path)).message).toContain('truncated: tensor data ends at byte 400 of the buffer but the file holds only 100');
  });

  it('data_offsets that disagree with dtype x shape, or an unknown dtype', () => {
    const dir = tempDir();
    const header = JSON.stringify({ w: { dtype: 'F32', shape: [10], data_offsets: [0, 20] } });
    writeRaw(join(dir, 'a.safetensors'), BigInt(header.length), Buffer.concat([Buffer.from(header), Buffer.alloc(40)]));
    expect(usageError(() => readSafetensorsHeader(join(dir, 'a.safetensors'))).message).toContain('should span 40 bytes but data_offsets span 20: corrupt header');
    const weird = JSON.stringify({ w: { dtype: 'Q7', shape: [1], data_offsets: [0, 1] } });
    writeRaw(join(dir, 'b.safetensors'), BigInt(weird.length), Buffer.concat([Buffer.from(weird), Buffer.alloc(1)]));
    expect(usageError(() => readSafetensorsHeader(join(dir, 'b.safetensors'))).message).toContain('unknown dtype "Q7"');
  });

  it('PyTorch pickles are refused with the way out (--params or convert)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pytorch_model.bin'), 'PK\x03\x04');
    const error = usageError(() => resolveModel({ model: join(dir, 'pytorch_model.bin') }));
    expect(error.message).toContain('is a PyTorch pickle');
    expect(error.hint).toContain('--params');
    expect(usageError(() => resolveModel({ model: dir })).message).toContain('pytorch_model.bin is a PyTorch pickle');
  });
});

describe('model directory with config.json', () => {
  it('reads layers, hidden size, heads, vocab and sequence length (GPT-2 and Llama spellings)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'gpt2.json'), JSON.stringify({ n_layer: 12, n_embd: 768, n_head: 12, vocab_size: 50257, n_positions: 1024 }));
    expect(readConfig(join(dir, 'gpt2.json'))).toMatchObject({ layers: 12, hidden: 768, heads: 12, vocab: 50257, seqLen: 1024, ffn: null });
    writeFileSync(
      join(dir, 'llama.json'),
      JSON.stringify({ num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, vocab_size: 32000, max_position_embeddings: 4096, intermediate_size: 11008 }),
    );
    expect(readConfig(join(dir, 'llama.json'))).toMatchObject({ layers: 32, hidden: 4096, heads: 32, vocab: 32000, seqLen: 4096, ffn: 11008 });
    // tie_word_embeddings is read for Megatron-LM's --untie-embeddings-and-output-weights
    writeFileSync(join(dir, 'tied.json'), JSON.stringify({ n_layer: 2, n_embd: 64, n_head: 4, tie_word_embeddings: true }));
    expect(readConfig(join(dir, 'tied.json'))).toMatchObject({ kvHeads: null, architecture: { tiedEmbeddings: true, activation: null, ropeTheta: null } });
  });

  it('uses the checkpoint count, the config shape and the checkpoint largest layer', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeSafetensors(join(dir, 'model.safetensors'), GPT2ISH);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ n_layer: 1, n_embd: 8, n_head: 2, vocab_size: 50, n_positions: 16 }));
    const model = resolveModel({ model: dir });
    expect(model.parameters).toBe(697);
    expect(model.shape).toMatchObject({ layers: 1, hidden: 8, heads: 2, vocab: 50 });
    expect(model.shapeEstimated).toBe(false);
    expect(model.configSeqLen).toBe(16);
    expect(model.largestLayer).toBe(400);
    expect(model.largestLayerSource).toContain('wte');
  });

  it('a directory with only config.json needs --params', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ n_layer: 2, n_embd: 8, n_head: 2 }));
    expect(usageError(() => resolveModel({ model: dir })).message).toContain('holds a config.json but no weights to count');
    expect(resolveModel({ model: dir, params: 1000 }).shape.layers).toBe(2);
  });

  it('a broken config.json is a usage error', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), '{"n_layer": ');
    expect(usageError(() => readConfig(join(dir, 'config.json'))).message).toContain('not valid JSON');
  });
});
