// Test helpers for parallel_optimizer: safetensors files written byte by byte, fixtures, and running the built
// script (dist/scripts/parallel_optimizer.mjs, the file users get).
import { runScript, type ScriptRun } from '../../support/run-script.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const SCRIPT = join(repoRoot, 'dist', 'scripts', 'parallel_optimizer.mjs');
export const fixtureDir = join(repoRoot, 'test', 'fixtures', 'parallel-optimizer');

export function ownFixture(name: string): string {
  return readFileSync(join(fixtureDir, name), 'utf8');
}

const BITS: Record<string, number> = { F32: 32, F16: 16, BF16: 16, I64: 64, U8: 8, BOOL: 8, F64: 64, I32: 32 };

export interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
}

/** The header JSON and data length safetensors would write for these tensors (contiguous, in order). */
export function safetensorsHeader(tensors: TensorSpec[], metadata?: Record<string, string>): { header: Record<string, unknown>; dataLength: number } {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const bytes = (t.shape.reduce((a, b) => a * b, 1) * BITS[t.dtype]!) / 8;
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  return { header, dataLength: offset };
}

/**
 * Write a .safetensors file: u64 little-endian header length, the JSON header (space-padded to a multiple
 * of 8, as the Rust writer does), then the data (zeros). `dataLength` overrides how much data is written.
 */
export function writeSafetensors(path: string, tensors: TensorSpec[], options: { metadata?: Record<string, string>; dataLength?: number } = {}): void {
  const { header, dataLength } = safetensorsHeader(tensors, options.metadata);
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  writeFileSync(path, Buffer.concat([length, Buffer.from(json), Buffer.alloc(options.dataLength ?? dataLength)]));
}

/** Raw bytes: an 8-byte length field that may lie, then whatever body. */
export function writeRaw(path: string, declaredLength: bigint, body: string | Buffer): void {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(declaredLength);
  writeFileSync(path, Buffer.concat([length, Buffer.isBuffer(body) ? body : Buffer.from(body)]));
}

/** A PATH with the fake's bin dir and node only, so no real nvidia-smi can be found. */
export function fakePath(binDir: string): string {
  return `${binDir}:${dirname(process.execPath)}`;
}

export type Run = ScriptRun;

export function runTool(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 20_000): Promise<Run> {
  return runScript(SCRIPT, args, env, timeoutMs);
}
