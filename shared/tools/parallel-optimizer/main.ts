// parallel_optimizer: memory, communication and layout for training a model on the GPUs at hand.
// Every number comes from a published formula named in --help and docs/tools/parallel-optimizer.md.
import { isMain, parseToolArgs, runMain, UsageError } from '../lib/cli.js';
import { colorEnabled, stylist } from '../lib/term.js';
import { defaultPeakFlops, DEFAULT_MFU, MFU_SOURCE, type Figure, type Interconnect } from './bandwidth.js';
import { deepspeedTables, type DeepSpeedInput } from './deepspeed.js';
import { renderExplain } from './explain.js';
import { detectHardware, needsDetection, resolveCluster, type Cluster, type ClusterFlags, type Detection } from './hardware.js';
import { HELP } from './help.js';
import { megatronPrecision, megatronStateBytes, type GradPrecision } from './megatron.js';
import { launchCommands } from './launch.js';
import { stateBytes, type Optimizer, type Precision, type Recompute } from './memory.js';
import { resolveModel, type ModelInfo } from './model.js';
import { recommend } from './recommend.js';
import { renderReport, toJson, type Report } from './render.js';
import { parseBandwidthGBps, parseBytes, parseCount, parseFraction, parsePositive, parsePositiveInt, type MemoryUnit } from './sizes.js';
import { inferenceMemory } from './inference.js';
import { evaluateStrategies, type Training } from './strategies.js';

export const TOOL = 'parallel_optimizer';

const OPTIONS = {
  params: { type: 'string' },
  model: { type: 'string' },
  config: { type: 'string' },
  'largest-layer': { type: 'string' },
  layers: { type: 'string' },
  'hidden-size': { type: 'string' },
  heads: { type: 'string' },
  'kv-heads': { type: 'string' },
  'vocab-size': { type: 'string' },
  'seq-len': { type: 'string' },
  'micro-batch': { type: 'string' },
  'global-batch': { type: 'string' },
  precision: { type: 'string' },
  'grad-precision': { type: 'string' },
  optimizer: { type: 'string' },
  recompute: { type: 'string' },
  'no-sequence-parallel': { type: 'boolean' },
  interleave: { type: 'string' },
  headroom: { type: 'string' },
  mfu: { type: 'string' },
  'peak-tflops': { type: 'string' },
  gpus: { type: 'string' },
  nodes: { type: 'string' },
  'gpus-per-node': { type: 'string' },
  'gpu-memory': { type: 'string' },
  'gpu-name': { type: 'string' },
  interconnect: { type: 'string' },
  'bus-bandwidth': { type: 'string' },
  'inter-node-bandwidth': { type: 'string' },
  script: { type: 'string' },
  explain: { type: 'boolean' },
  units: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function choice<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got '${raw}'`);
}

type Values = ReturnType<typeof parseToolArgs<typeof OPTIONS>>['values'];

export function clusterFlags(values: Values): ClusterFlags {
  return {
    gpus: parsePositiveInt('gpus', values.gpus),
    nodes: parsePositiveInt('nodes', values.nodes),
    gpusPerNode: parsePositiveInt('gpus-per-node', values['gpus-per-node']),
    gpuMemory: parseBytes('gpu-memory', values['gpu-memory']),
    gpuName: values['gpu-name'],
    interconnect: values.interconnect === undefined ? undefined : choice<Interconnect>('interconnect', values.interconnect, ['nvlink', 'pcie'], 'pcie'),
    busBandwidth: parseBandwidthGBps('bus-bandwidth', values['bus-bandwidth']),
    interNodeBandwidth: parseBandwidthGBps('inter-node-bandwidth', values['inter-node-bandwidth']),
  };
}

export function trainingSettings(values: Values, model: ModelInfo, cluster: Cluster): Training {
  const precision = choice<Precision>('precision', values.precision, ['bf16', 'fp16', 'fp32'], 'bf16');
  const optimizer = choice<Optimizer>('optimizer', values.optimizer, ['adam', 'adam8bit', 'sgd'], 'adam');
  const gradPrecision = values['grad-precision'] === undefined ? undefined : choice<GradPrecision>('grad-precision', values['grad-precision'], ['fp32', 'bf16', 'fp16'], 'fp32');
  const bytes = stateBytes(precision, optimizer);
  const megatron = megatronPrecision(precision, gradPrecision);
  const recompute = choice<Recompute>('recompute', values.recompute, ['selective', 'none', 'full'], 'selective');
  const microBatch = parsePositiveInt('micro-batch', values['micro-batch']) ?? 1;
  const givenSeq = parsePositiveInt('seq-len', values['seq-len']);
  const seqLen = givenSeq ?? model.configSeqLen ?? 2048;
  const seqLenSource = givenSeq ? '--seq-len' : model.configSeqLen ? "config.json's maximum; set --seq-len for your training length" : 'assumed 2048 (GPT-3 context); set --seq-len';
  const step = microBatch * cluster.totalGpus;
  const givenBatch = parsePositiveInt('global-batch', values['global-batch']);
  if (givenBatch !== undefined && givenBatch % step !== 0) {
    throw new UsageError(`--global-batch ${givenBatch} is not a multiple of micro-batch x GPUs = ${step}`, 'every layout needs a whole number of micro-batches per replica');
  }
  const globalBatch = givenBatch ?? 4 * step;
  const peakTflops = parsePositive('peak-tflops', values['peak-tflops'], 'TFLOP/s');
  const peakFlops: Figure | null = peakTflops ? { value: peakTflops * 1e12, estimate: false, source: '--peak-tflops' } : defaultPeakFlops(cluster.gpuName);
  const mfu = parseFraction('mfu', values.mfu) ?? DEFAULT_MFU;
  return {
    precision,
    optimizer,
    bytes,
    megatron,
    megatronBytes: megatronStateBytes(megatron, bytes),
    recompute,
    sequenceParallel: !values['no-sequence-parallel'],
    microBatch,
    seqLen,
    seqLenSource,
    globalBatch,
    globalBatchSource: givenBatch ? '--global-batch' : `default 4 x b x n = 4 x ${microBatch} x ${cluster.totalGpus}`,
    interleave: parsePositiveInt('interleave', values.interleave) ?? 1,
    mfu,
    mfuSource: values.mfu === undefined ? MFU_SOURCE : '--mfu',
    peakFlops,
    headroom: parseFraction('headroom', values.headroom) ?? 0.1,
    units: choice<MemoryUnit>('units', values.units, ['GB', 'GiB', 'MiB'], 'GiB'),
  };
}

/** Split off the training script's arguments after `--` (negative numbers reach validation: lib/cli parseToolArgs). */
export function splitArgv(argv: string[]): { own: string[]; script: string[] | null } {
  const end = argv.indexOf('--');
  return { own: end < 0 ? argv : argv.slice(0, end), script: end < 0 ? null : argv.slice(end + 1) };
}

/** Everything the tool computes, from parsed arguments; detection is injected so tests can replay it. */
export async function buildReport(argv: string[], detect: () => Promise<Detection> = () => detectHardware()): Promise<{ report: Report; json: boolean; explain: boolean } | null> {
  const { own, script } = splitArgv(argv);
  const { values } = parseToolArgs(TOOL, own, OPTIONS, false);
  if (values.help) return null;
  const params = parseCount('params', values.params);
  const flags = clusterFlags(values);
  const model = resolveModel({
    params,
    paramsText: values.params,
    model: values.model,
    config: values.config,
    largestLayer: parseCount('largest-layer', values['largest-layer']),
    layers: parsePositiveInt('layers', values.layers),
    hidden: parsePositiveInt('hidden-size', values['hidden-size']),
    heads: parsePositiveInt('heads', values.heads),
    kvHeads: parsePositiveInt('kv-heads', values['kv-heads']),
    vocab: parsePositiveInt('vocab-size', values['vocab-size']),
  });
  const detection = needsDetection(flags) ? await detect() : null;
  const cluster = resolveCluster(flags, detection);
  const training = trainingSettings(values, model, cluster);
  const input = { model, cluster, training };
  const strategies = evaluateStrategies(input);
  const dsInput: DeepSpeedInput = { totalParams: model.parameters, largestLayerParams: model.largestLayer, gpusPerNode: cluster.gpusPerNode, nodes: cluster.nodes };
  const tables = deepspeedTables(dsInput);
  // Without --recompute, selective recompute is the default and full recompute is tried where it is what fits,
  // before a more complex layout; a given --recompute is kept as given.
  const fullTraining: Training = { ...training, recompute: 'full' };
  const fullRecompute = values.recompute === undefined ? evaluateStrategies({ model, cluster, training: fullTraining }) : null;
  const recommendation = recommend(input, strategies, tables.zero3[0] ?? null, fullRecompute);
  const rows = recommendation.recompute === 'full' && fullRecompute ? fullRecompute : strategies;
  const chosen = rows.find((s) => s.name === recommendation.strategy) ?? [...strategies].sort((a, b) => a.totalBytesPerGpu - b.totalBytesPerGpu)[0]!;
  const launchTraining = recommendation.recompute === 'full' ? fullTraining : training;
  const launch = launchCommands(cluster, chosen, launchTraining, model, values.script, script && script.length ? script : null);
  const inference = inferenceMemory(model, training.seqLen, training.microBatch);
  const report: Report = { model, cluster, training, strategies, deepspeed: { input: dsInput, ...tables }, recommendation, chosen, launch, inference };
  return { report, json: values.json === true, explain: values.explain === true };
}

export async function main(argv: string[]): Promise<number> {
  const built = await buildReport(argv);
  if (!built) {
    process.stdout.write(HELP);
    return 0;
  }
  const { report, json, explain } = built;
  if (json) {
    process.stdout.write(`${JSON.stringify(toJson(report), null, 2)}\n`);
    return 0;
  }
  const style = stylist(colorEnabled(process.stdout));
  process.stdout.write(renderReport(report, style));
  if (explain) process.stdout.write(`\n${renderExplain(report, style)}`);
  return 0;
}

if (isMain(import.meta.url)) void runMain(TOOL, main);
