// Choosing a strategy by Megatron's and ZeRO's published guidance (../shared/research/parallel.md §8):
//   fits on one GPU -> DDP; else ZeRO-1/2 (ZeRO §VII: the same 2Ψ per gradient reduction as DDP; per step
//   ZeRO-1 equals DDP and ZeRO-2, reduce-scattering every micro-batch, moves (m+1)/2x DDP: the reason prints
//   the ratio computed from the table); else ZeRO-3/FSDP when its traffic can hide behind compute; else tensor
//   parallel up to the GPUs of one node, pipeline across nodes, data parallel over the rest (Narayanan et al.
//   2021 §3 takeaways 1 and 2); else CPU offload. Where the default selective recompute does not fit a rung and
//   full recompute (Korthikanti et al. 2022: only each layer's input is kept) does, that rung is recommended with
//   --recompute full before a more complex layout: it costs a second forward pass (8·N·tokens instead of 6·N).
import type { Zero3Row } from './deepspeed.js';
import type { Recompute } from './memory.js';
import { formatSeconds, formatBandwidth, memory, type MemoryUnit } from './sizes.js';
import { usableBytes, type PlanInput, type StrategyName, type StrategyResult } from './strategies.js';

export interface Recommendation {
  strategy: StrategyName | null;
  /** The recompute the recommendation needs: the one asked for, or full where only that fits. */
  recompute: Recompute;
  reasons: string[];
}

function byName(rows: StrategyResult[], name: StrategyName): StrategyResult {
  return rows.find((r) => r.name === name)!;
}

function memoryLine(row: StrategyResult, usable: number, unit: MemoryUnit): string {
  const gib = (bytes: number) => memory(bytes, unit);
  return `${row.name}: ${gib(row.modelStatesBytesPerGpu)} model states + ${gib(row.activationBytesPerGpu)} activations = ${gib(row.totalBytesPerGpu)} per GPU ${row.fits ? '<=' : '>'} ${gib(usable)} usable`;
}

/** Why full recompute instead of the next, more complex rung. */
function fullRecomputeReason(row: StrategyResult, usable: number, unit: MemoryUnit, instead: string): string {
  return (
    `${memoryLine(row, usable, unit)} with --recompute full: selective recompute does not fit, full recompute does (Korthikanti et al. 2022: each layer keeps only its input, 2sbh); ` +
    `it runs the forward pass again in backward, 8·N·tokens instead of 6·N FLOPs (+33% compute), and is simpler than ${instead}`
  );
}

/** The tp, pp or 3d row a fitting 3-D layout is named by (tp/pp when it is one of those rows' layouts). */
function megatronChoice(rows: StrategyResult[]): StrategyResult {
  const threeD = byName(rows, '3d');
  const { t, p } = threeD.layout;
  const same = (row: StrategyResult) => row.fits && row.layout.t === t && row.layout.p === p;
  return same(byName(rows, 'tp')) ? byName(rows, 'tp') : same(byName(rows, 'pp')) ? byName(rows, 'pp') : threeD;
}

/** Whether ZeRO-3's extra traffic can hide behind compute: its time per step <= the compute time per step. */
export function zero3BandwidthAllows(input: PlanInput, zero3: StrategyResult): { ok: boolean; why: string } {
  const { cluster } = input;
  if (zero3.computeSeconds !== null) {
    const ok = zero3.commSecondsPerStep <= zero3.computeSeconds;
    return {
      ok,
      why: `ZeRO-3 traffic takes ${formatSeconds(zero3.commSecondsPerStep)} per step at ${formatBandwidth(zero3.comm[0]!.bandwidth)} vs ${formatSeconds(zero3.computeSeconds)} of compute (estimate): ${ok ? 'it can overlap' : 'it cannot hide behind compute'}`,
    };
  }
  const ok = cluster.nodes === 1 && cluster.interconnect === 'nvlink';
  return {
    ok,
    why: `compute time unknown (no peak FLOP/s for this GPU: pass --peak-tflops); ${ok ? 'one NVLink node is assumed to carry ZeRO-3 traffic' : 'ZeRO-3 traffic over PCIe or between nodes is assumed too slow'}`,
  };
}

/**
 * ZeRO §VII's claim and what the table computes: the ratio of this row's traffic per step to DDP's, and why
 * (ZeRO-1 accumulates full gradients and reduces once per step; ZeRO-2 keeps only its gradient partition, so it
 * reduce-scatters after every micro-batch).
 */
function zeroTrafficReason(row: StrategyResult, ddp: StrategyResult, unit: MemoryUnit): string {
  const gib = (bytes: number) => memory(bytes, unit);
  const ratio = row.commBytesPerGpuPerStep / ddp.commBytesPerGpuPerStep;
  const m = row.microBatches;
  const paper = 'ZeRO-1/2 move the same volume as DDP in each gradient reduction (ZeRO paper §VII: reduce-scatter + all-gather = 2Ψ per rank, as one all-reduce)';
  const computed = `${row.name} here: ${gib(row.commBytesPerGpuPerStep)} / ${gib(ddp.commBytesPerGpuPerStep)} (ddp) = ${ratio.toFixed(2)}x DDP's traffic per step`;
  const why =
    row.name === 'zero1'
      ? `gradients are accumulated over the m = ${m} micro-batch(es) and reduced once per step, as DDP does`
      : m > 1
        ? `its partitioned gradients are reduce-scattered after each of the m = ${m} micro-batches (its ${row.stateFormula} model states keep no full gradient to accumulate into; DeepSpeed's stage 2 communicates at every micro-batch), plus one parameter all-gather per step`
        : 'with m = 1 micro-batch, one gradient reduce-scatter + one parameter all-gather per step';
  return `${paper}; ${computed}: ${why}`;
}

export function recommend(input: PlanInput, rows: StrategyResult[], offloadRow: Zero3Row | null, fullRows: StrategyResult[] | null = null): Recommendation {
  const { cluster } = input;
  const unit = input.training.units;
  const asked = input.training.recompute;
  const full = (name: StrategyName) => (fullRows ? byName(fullRows, name) : null);
  const usable = usableBytes(cluster, input.training);
  const n = cluster.totalGpus;
  const ddp = byName(rows, 'ddp');
  const reasons: string[] = [];
  if (ddp.fits) {
    reasons.push(`${memoryLine(ddp, usable, unit)}: the whole model trains on one GPU, so no model states need sharding`);
    if (n > 1) {
      reasons.push(`DDP has the least traffic: one gradient all-reduce per step, 2(n-1)/n·S = ${memory(ddp.commBytesPerGpuPerStep, unit)} per GPU (${formatSeconds(ddp.commSecondsPerStep)})`);
    }
    return { strategy: 'ddp', recompute: asked, reasons };
  }
  reasons.push(memoryLine(ddp, usable, unit));
  if (n === 1) {
    reasons.push('one GPU: sharding across data-parallel ranks cannot help; only offloading to CPU memory or more GPUs can');
  } else {
    for (const name of ['zero1', 'zero2'] as const) {
      const row = byName(rows, name);
      if (row.fits) {
        reasons.push(`${memoryLine(row, usable, unit)}: sharding ${name === 'zero1' ? 'the optimizer states' : 'optimizer states and gradients'} is enough`);
        reasons.push(zeroTrafficReason(row, ddp, unit));
        return { strategy: name, recompute: asked, reasons };
      }
      reasons.push(memoryLine(row, usable, unit));
    }
  }
  const zero3 = byName(rows, 'zero3');
  const bandwidth = zero3BandwidthAllows(input, zero3);
  if (n > 1 && zero3.fits && bandwidth.ok) {
    reasons.push(`${memoryLine(zero3, usable, unit)}: parameters must be sharded too (ZeRO-3 = FSDP FULL_SHARD)`);
    reasons.push(bandwidth.why);
    return { strategy: 'zero3', recompute: asked, reasons };
  }
  if (n > 1) reasons.push(zero3.fits ? `${memoryLine(zero3, usable, unit)}, but ${bandwidth.why}` : memoryLine(zero3, usable, unit));
  // Before model parallelism (or offload on one GPU): the data-parallel rungs again with full recompute.
  for (const name of n === 1 ? (['ddp'] as const) : (['ddp', 'zero1', 'zero2', 'zero3'] as const)) {
    const row = full(name);
    if (!row?.fits) continue;
    if (name === 'zero3' && !zero3BandwidthAllows(input, row).ok) continue;
    reasons.push(fullRecomputeReason(row, usable, unit, n === 1 ? 'offloading to CPU memory' : 'model parallelism (tensor and pipeline)'));
    if (name === 'zero3') reasons.push(zero3BandwidthAllows(input, row).why);
    else if (name !== 'ddp') reasons.push(zeroTrafficReason(row, byName(fullRows!, 'ddp'), unit));
    return { strategy: name, recompute: 'full', reasons };
  }

  const threeD = byName(rows, '3d');
  const fullThreeD = fullRows && !threeD.fits && byName(fullRows, '3d').fits ? fullRows : null;
  if (n > 1 && (threeD.fits || fullThreeD)) {
    const chosen = megatronChoice(fullThreeD ?? rows);
    const { t, p, d } = chosen.layout;
    if (fullThreeD) reasons.push(`${memoryLine(threeD, usable, unit)} even at t = ${threeD.layout.t}, p = ${threeD.layout.p}`);
    reasons.push(fullThreeD ? fullRecomputeReason(chosen, usable, unit, 'CPU offload') : `${memoryLine(chosen, usable, unit)} with t = ${t} (tensor), p = ${p} (pipeline), d = ${d} (data) parallel`);
    reasons.push('Megatron (Narayanan et al. 2021 §3): "tensor model parallelism should generally be used up to degree g when using g-GPU servers, and then pipeline model parallelism can be used to scale up to larger models across servers"');
    reasons.push('"a total model-parallel size of M = t·p should be used so that the model\'s parameters and intermediate metadata fit in GPU memory; data parallelism can be used to scale up training to more GPUs"');
    if (chosen.bubbleFraction !== null) reasons.push(`pipeline bubble ${(chosen.bubbleFraction * 100).toFixed(1)}% of the ideal time with m = ${chosen.microBatches} micro-batches: raise --global-batch for more micro-batches`);
    return { strategy: chosen.name, recompute: fullThreeD ? 'full' : asked, reasons };
  }
  if (n > 1) reasons.push(`${memoryLine(threeD, usable, unit)} even at t = ${threeD.layout.t}, p = ${threeD.layout.p}`);
  if (n > 1 && zero3.fits) {
    reasons.push('ZeRO-3 fits and model parallelism does not: accept its communication cost');
    return { strategy: 'zero3', recompute: asked, reasons };
  }
  const offload = byName(rows, 'zero3-offload');
  if (offload.fits) {
    reasons.push(`${memoryLine(offload, usable, unit)}: only offloading parameters and optimizer states to CPU memory fits`);
    if (offloadRow) {
      const host = cluster.hostMemoryBytes;
      const verdict = host === null ? '' : host >= offloadRow.perCpuBytes ? ` (this machine has ${memory(host, unit)})` : ` but this machine has only ${memory(host, unit)}`;
      reasons.push(`CPU memory per node needed: ${memory(offloadRow.perCpuBytes, unit)} by DeepSpeed's estimator (offload_param=cpu, offload_optimizer=cpu, zero_init=1)${verdict}`);
    }
    reasons.push('offload trades speed for memory: every step moves gradients and parameters over PCIe and runs the optimizer on the CPU');
    return { strategy: 'zero3-offload', recompute: asked, reasons };
  }
  reasons.push(memoryLine(offload, usable, unit));
  reasons.push(`no strategy fits${fullRows ? ', not even with full recompute' : ''}: add GPUs, lower --micro-batch or --seq-len${asked === 'full' ? '' : fullRows ? '' : ', or use --recompute full'}`);
  return { strategy: null, recompute: asked, reasons };
}
