// --explain: the parallelization deep dive for this configuration: how the batch and the layers are split
// across these GPUs, the all-reduce arithmetic with the real numbers, and when model parallelism is needed.
import type { Stylist } from '../lib/term.js';
import { allReduceBandwidths, bubbleOfIdeal, bubbleOfTotal, interleavedBubbleOfIdeal, ringAllReduceBytes, ringAllReduceSeconds, tensorParallelBytes, zero3Bytes } from './comm.js';
import { zeroModelStateBytes, type ZeroStage } from './memory.js';
import type { Report } from './render.js';
import { renderSchedule } from './schedule.js';
import { formatBandwidth, formatCount, formatSeconds, gb, memory, percent, withCommas } from './sizes.js';
import { activationElementBytes, usableBytes, type StrategyResult } from './strategies.js';

const MAX_DRAWN = 8;

function row(report: Report, name: StrategyResult['name']): StrategyResult {
  return report.strategies.find((s) => s.name === name)!;
}

/** Range text for an even split of `count` items into `parts`: part i gets [from, to]. */
function range(count: number, parts: number, i: number): string {
  const from = Math.floor((count * i) / parts);
  const to = Math.floor((count * (i + 1)) / parts) - 1;
  return from === to ? `${from}` : `${from}-${to}`;
}

function dataParallelDiagram(report: Report): string[] {
  const { cluster, training, model } = report;
  const n = cluster.totalGpus;
  const perGpu = training.globalBatch / n;
  const m = perGpu / training.microBatch;
  const out = [
    `Data parallel: every GPU holds the whole model (${formatCount(model.parameters)} parameters) and takes its share of the batch.`,
    `  global batch B = ${training.globalBatch} sequences x ${training.seqLen} tokens; each of the ${n} GPUs gets B/n = ${perGpu} sequences as m = ${m} micro-batch(es) of b = ${training.microBatch}`,
  ];
  const shown = Math.min(cluster.gpusPerNode, MAX_DRAWN);
  for (let node = 0; node < Math.min(cluster.nodes, 2); node += 1) {
    out.push(`  node ${node}`);
    for (let i = 0; i < shown; i += 1) {
      const rank = node * cluster.gpusPerNode + i;
      const branch = i === shown - 1 && shown === cluster.gpusPerNode ? '└' : '├';
      out.push(`    ${branch}─ GPU${i} (rank ${rank}): [ full model copy ] <- sequences ${range(training.globalBatch, n, rank)}`);
    }
    if (shown < cluster.gpusPerNode) out.push(`    └─ ... GPU${shown}-GPU${cluster.gpusPerNode - 1} alike`);
  }
  if (cluster.nodes > 2) out.push(`  ... nodes 2-${cluster.nodes - 1} alike`);
  out.push('  after backward, gradients are averaged with one all-reduce so every copy takes the same optimizer step');
  return out;
}

function zeroDiagram(report: Report): string[] {
  const { cluster, training, model } = report;
  const n = cluster.totalGpus;
  const cols = Math.min(n, MAX_DRAWN);
  const cellWidth = Math.max(cols, 4);
  const full = `[${'█'.repeat(cellWidth)}]`;
  const shard = (i: number) => `[${Array.from({ length: cellWidth }, (_, k) => (Math.floor((k * cols) / cellWidth) === i ? '█' : '·')).join('')}]`;
  const head = `${' '.repeat(24)}${Array.from({ length: cols }, (_, i) => `GPU${i}`.padEnd(cellWidth + 3)).join('')}${n > cols ? '...' : ''}`;
  const out = [`ZeRO: shard the model states over the N = ${n} data-parallel ranks instead of replicating them (█ = the part a GPU stores).`, head];
  const line = (label: string, partFull: boolean) => `  ${label.padEnd(22)}${Array.from({ length: cols }, (_, i) => (partFull ? full : shard(i)).padEnd(cellWidth + 3)).join('')}`.trimEnd();
  const stages: [ZeroStage, string, [boolean, boolean, boolean]][] = [
    [0, 'DDP', [true, true, true]],
    [1, 'ZeRO-1', [true, true, false]],
    [2, 'ZeRO-2', [true, false, false]],
    [3, 'ZeRO-3 / FSDP', [false, false, false]],
  ];
  const { param, grad, optimizer } = training.bytes;
  for (const [stage, name, [p, g, o]] of stages) {
    const bytes = zeroModelStateBytes(stage, model.parameters, n, training.bytes);
    out.push(`  ${name}: ${memory(bytes, training.units)} per GPU`);
    out.push(line(`  parameters ${param}Ψ`, p));
    out.push(line(`  gradients ${grad}Ψ`, g));
    out.push(line(`  optimizer ${optimizer}Ψ`, o));
  }
  return out;
}

function allReduceArithmetic(report: Report): string[] {
  const { cluster, training, model } = report;
  const n = cluster.totalGpus;
  const payload = model.parameters * training.bytes.grad;
  const bandwidth = cluster.nodes > 1 && cluster.interBusBandwidth ? cluster.interBusBandwidth : cluster.intraBusBandwidth;
  const bytes = ringAllReduceBytes(payload, n);
  const seconds = ringAllReduceSeconds(payload, n, bandwidth.value);
  const out = ['The all-reduce arithmetic (ring, nccl-tests doc/PERFORMANCE.md):'];
  out.push(`  payload S = ${withCommas(model.parameters)} parameters x ${training.bytes.grad} bytes (${training.precision} gradients) = ${gb(payload)}`);
  if (n === 1) {
    out.push('  one GPU: nothing to all-reduce');
    return out;
  }
  out.push(`  reduce-scatter: n-1 = ${n - 1} steps, each GPU sends S/n = ${gb(payload / n)} per step; then all-gather: ${n - 1} more steps`);
  out.push(`  bytes each GPU sends: 2(n-1)/n·S = 2 x ${n - 1}/${n} x ${gb(payload)} = ${gb(bytes)}`);
  out.push(`  time at busbw ${formatBandwidth(bandwidth.value)} (${cluster.nodes > 1 ? 'inter-node' : 'intra-node'}): t = (S/busbw)·2(n-1)/n = ${formatSeconds(seconds)}`);
  const { algbw } = allReduceBandwidths(payload, n, seconds);
  out.push(`  what nccl-tests would print for it: algbw = S/t = ${formatBandwidth(algbw)}, busbw = algbw·2(n-1)/n = ${formatBandwidth(bandwidth.value)}`);
  out.push(`  ZeRO-3 per micro-batch: 3(n-1)/n·S = ${gb(zero3Bytes(payload, n))} (1.5x), because parameters are all-gathered for forward and again for backward`);
  if (cluster.nodes > 1) {
    const g = cluster.gpusPerNode;
    const intra = `the intra-node ${cluster.interconnect === 'nvlink' ? 'NVLink' : 'PCIe'} busbw ${formatBandwidth(cluster.intraBusBandwidth.value)}`;
    out.push(
      bandwidth.value < cluster.intraBusBandwidth.value
        ? `  across nodes the ring is limited by the NICs: the node's aggregate NIC rate is shared by its ${g} GPUs, so inter-node busbw (${formatBandwidth(bandwidth.value)}) replaces ${intra}`
        : `  across nodes the ring also crosses the links inside each node, and here those are no faster: inter-node busbw ${formatBandwidth(bandwidth.value)}, ${intra} (the slowest link paces the ring)`,
    );
  }
  return out;
}

function tensorParallelDiagram(report: Report): string[] {
  const { model, training, cluster } = report;
  const tp = row(report, 'tp');
  const t = tp.layout.t;
  const { hidden: h, heads: a } = model.shape;
  const ffn = model.shape.ffn ?? 4 * h;
  const out = [`Tensor parallel: every layer is split over the t = ${t} GPUs of a node (Megatron column/row split, Shoeybi et al. 2019).`];
  if (t === 1) {
    out.push('  one GPU per node: nothing to split within a node');
    return out;
  }
  const cols = Math.min(t, MAX_DRAWN);
  out.push(`  ${'attention'.padEnd(10)}${Array.from({ length: cols }, (_, i) => `| heads ${range(a, t, i)} `).join('')}|${t > cols ? ' ...' : ''}`);
  out.push(`  ${'MLP'.padEnd(10)}${Array.from({ length: cols }, (_, i) => `| cols ${range(ffn, t, i)} `).join('')}|${t > cols ? ' ...' : ''}`);
  const bsh = training.microBatch * training.seqLen * h;
  const width = activationElementBytes(training);
  const perLayer = tensorParallelBytes(training.microBatch, training.seqLen, h, t, 1, width);
  out.push(`  per layer and micro-batch: 2 all-reduces in forward + 2 in backward of b·s·h = ${withCommas(bsh)} activations each`);
  out.push(`  8bsh(t-1)/t x ${width} bytes = ${gb(perLayer)} per layer; x ${model.shape.layers} layers x ${tp.microBatches} micro-batches = ${gb(tp.comm[0]?.bytes ?? 0)} per step on ${cluster.interconnect === 'nvlink' ? 'NVLink' : 'PCIe'}`);
  out.push('  this traffic sits on the critical path of every layer, which is why TP stays inside a node');
  return out;
}

function pipelineDiagram(report: Report): string[] {
  const { model, training } = report;
  const pp = row(report, 'pp');
  const { p } = pp.layout;
  const out = [`Pipeline parallel: the ${model.shape.layers} layers are cut into p = ${p} stages${report.cluster.nodes > 1 ? ', one per node' : ''}; micro-batches flow through them.`];
  if (p === 1) {
    out.push('  one stage: no pipeline');
    return out;
  }
  out.push(`  ${Array.from({ length: Math.min(p, MAX_DRAWN) }, (_, i) => `[stage ${i}: layers ${range(model.shape.layers, p, i)}]`).join(' -> ')}${p > MAX_DRAWN ? ' -> ...' : ''}`);
  const m = pp.microBatches;
  if (p <= MAX_DRAWN) {
    const drawn = Math.min(m, MAX_DRAWN);
    const notes = [drawn < m ? `first ${drawn} of m = ${m} micro-batches drawn` : '', training.interleave > 1 ? 'drawn without interleaving' : ''].filter(Boolean).join('; ');
    out.push(`  1F1B schedule${notes ? ` (${notes})` : ''}: F = forward, B = backward, .. = idle (bubble)`);
    for (const line of renderSchedule(p, drawn)) out.push(`    ${line}`);
  }
  out.push(`  bubble: (p-1)/m = ${p - 1}/${m} = ${percent(bubbleOfIdeal(p, m))} of the ideal time (Narayanan et al. 2021); as a share of the total, (p-1)/(m+p-1) = ${percent(bubbleOfTotal(p, m))} (GPipe)`);
  out.push(`  more micro-batches shrink it: GPipe calls it negligible when m >= 4p = ${4 * p}; interleaving v chunks divides it by v (--interleave)`);
  const v = training.interleave;
  if (v > 1) {
    out.push(
      `  with --interleave ${v}: (p-1)/(v·m) = ${p - 1}/(${v}·${m}) = ${percent(interleavedBubbleOfIdeal(p, m, v))} of the ideal time (the table's figure); ` +
        `as a share of the total, (p-1)/(v·m+p-1) = ${percent(bubbleOfTotal(p, m, v))}`,
    );
  }
  return out;
}

function modelParallelNeeded(report: Report): string[] {
  const { cluster, training, model } = report;
  const usable = usableBytes(cluster, training);
  const ddp = row(report, 'ddp');
  const perParam = training.bytes.param + training.bytes.grad + training.bytes.optimizer;
  const room = usable - ddp.activationBytesPerGpu;
  const out = ['When model parallelism is needed:'];
  if (room <= 0) {
    out.push(`  activations alone take ${memory(ddp.activationBytesPerGpu, training.units)} per GPU > ${memory(usable, training.units)} usable: no amount of ZeRO sharding helps, because ZeRO shards model states, not activations`);
    out.push('  tensor + sequence parallel divides activations by t; selective or full recomputation (--recompute) trades compute for memory');
    return out;
  }
  const ddpMax = room / perParam;
  out.push(`  room for model states = ${memory(usable, training.units)} usable - ${memory(ddp.activationBytesPerGpu, training.units)} activations = ${memory(room, training.units)}`);
  out.push(`  DDP fits up to ${formatCount(ddpMax)} parameters (${perParam} bytes each); this model has ${formatCount(model.parameters)}`);
  const zero3Min = Math.ceil((perParam * model.parameters) / room);
  out.push(`  ZeRO-3 needs N >= ${perParam}Ψ / room = ${zero3Min} GPU(s) to fit; this cluster has ${cluster.totalGpus}`);
  const zero3 = row(report, 'zero3');
  if (zero3.computeSeconds !== null) {
    out.push(`  ZeRO-3 traffic ${formatSeconds(zero3.commSecondsPerStep)} per step vs ${formatSeconds(zero3.computeSeconds)} compute (estimate): ${zero3.commSecondsPerStep <= zero3.computeSeconds ? 'it can hide behind compute' : 'it cannot hide behind compute; TP within nodes + PP across nodes moves less over the slow links'}`);
  }
  out.push(`  model parallelism (TP up to ${cluster.gpusPerNode} GPUs per node, then PP across nodes) is needed when ZeRO-3 does not fit or its traffic outruns compute`);
  return out;
}

export function renderExplain(report: Report, style: Stylist): string {
  const sections = [dataParallelDiagram(report), zeroDiagram(report), allReduceArithmetic(report), tensorParallelDiagram(report), pipelineDiagram(report), modelParallelNeeded(report)];
  const out: string[] = [style('bold', 'Parallelization deep dive (--explain)'), ''];
  for (const section of sections) {
    out.push(style('bold', section[0]!), ...section.slice(1), '');
  }
  return out.join('\n');
}
