// Choosing a strategy by Megatron's and ZeRO's published guidance (../shared/research/parallel.md §8):
//   fits on one GPU -> DDP; else ZeRO-1/2 (ZeRO §VII: the same 2Ψ per gradient reduction as DDP; per step
//   ZeRO-1 equals DDP and ZeRO-2, reduce-scattering every micro-batch, moves (m+1)/2x DDP: the reason prints
//   the ratio computed from the table); else ZeRO-3/FSDP when its traffic can hide behind compute; else tensor
//   parallel up to the GPUs of one node, pipeline across nodes, data parallel over the rest (Narayanan et al.
//   2021 §3 takeaways 1 and 2); else CPU offload.
import type { Zero3Row } from './deepspeed.js';
import { formatSeconds, gib, formatBandwidth } from './sizes.js';
import { usableBytes, type PlanInput, type StrategyName, type StrategyResult } from './strategies.js';

export interface Recommendation {
  strategy: StrategyName | null;
  reasons: string[];
}

function byName(rows: StrategyResult[], name: StrategyName): StrategyResult {
  return rows.find((r) => r.name === name)!;
}

function memoryLine(row: StrategyResult, usable: number): string {
  return `${row.name}: ${gib(row.modelStatesBytesPerGpu)} model states + ${gib(row.activationBytesPerGpu)} activations = ${gib(row.totalBytesPerGpu)} per GPU ${row.fits ? '<=' : '>'} ${gib(usable)} usable`;
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
function zeroTrafficReason(row: StrategyResult, ddp: StrategyResult): string {
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

export function recommend(input: PlanInput, rows: StrategyResult[], offloadRow: Zero3Row | null): Recommendation {
  const { cluster } = input;
  const usable = usableBytes(cluster, input.training);
  const n = cluster.totalGpus;
  const ddp = byName(rows, 'ddp');
  const reasons: string[] = [];
  if (ddp.fits) {
    reasons.push(`${memoryLine(ddp, usable)}: the whole model trains on one GPU, so no model states need sharding`);
    if (n > 1) {
      reasons.push(`DDP has the least traffic: one gradient all-reduce per step, 2(n-1)/n·S = ${gib(ddp.commBytesPerGpuPerStep)} per GPU (${formatSeconds(ddp.commSecondsPerStep)})`);
    }
    return { strategy: 'ddp', reasons };
  }
  reasons.push(memoryLine(ddp, usable));
  if (n === 1) {
    reasons.push('one GPU: sharding across data-parallel ranks cannot help; only offloading to CPU memory or more GPUs can');
  } else {
    for (const name of ['zero1', 'zero2'] as const) {
      const row = byName(rows, name);
      if (row.fits) {
        reasons.push(`${memoryLine(row, usable)}: sharding ${name === 'zero1' ? 'the optimizer states' : 'optimizer states and gradients'} is enough`);
        reasons.push(zeroTrafficReason(row, ddp));
        return { strategy: name, reasons };
      }
      reasons.push(memoryLine(row, usable));
    }
  }
  const zero3 = byName(rows, 'zero3');
  const bandwidth = zero3BandwidthAllows(input, zero3);
  if (n > 1 && zero3.fits && bandwidth.ok) {
    reasons.push(`${memoryLine(zero3, usable)}: parameters must be sharded too (ZeRO-3 = FSDP FULL_SHARD)`);
    reasons.push(bandwidth.why);
    return { strategy: 'zero3', reasons };
  }
  if (n > 1) reasons.push(zero3.fits ? `${memoryLine(zero3, usable)}, but ${bandwidth.why}` : memoryLine(zero3, usable));

  const threeD = byName(rows, '3d');
  if (n > 1 && threeD.fits) {
    const { t, p, d } = threeD.layout;
    const tp = byName(rows, 'tp');
    const pp = byName(rows, 'pp');
    const same = (row: StrategyResult) => row.fits && row.layout.t === t && row.layout.p === p;
    const name: StrategyName = same(tp) ? 'tp' : same(pp) ? 'pp' : '3d';
    const chosen = name === '3d' ? threeD : byName(rows, name);
    reasons.push(`${memoryLine(chosen, usable)} with t = ${t} (tensor), p = ${p} (pipeline), d = ${d} (data) parallel`);
    reasons.push('Megatron (Narayanan et al. 2021 §3): "tensor model parallelism should generally be used up to degree g when using g-GPU servers, and then pipeline model parallelism can be used to scale up to larger models across servers"');
    reasons.push('"a total model-parallel size of M = t·p should be used so that the model\'s parameters and intermediate metadata fit in GPU memory; data parallelism can be used to scale up training to more GPUs"');
    if (chosen.bubbleFraction !== null) reasons.push(`pipeline bubble ${(chosen.bubbleFraction * 100).toFixed(1)}% of the ideal time with m = ${chosen.microBatches} micro-batches: raise --global-batch for more micro-batches`);
    return { strategy: name, reasons };
  }
  if (n > 1) reasons.push(`${memoryLine(threeD, usable)} even at t = ${threeD.layout.t}, p = ${threeD.layout.p}`);
  if (n > 1 && zero3.fits) {
    reasons.push('ZeRO-3 fits and model parallelism does not: accept its communication cost');
    return { strategy: 'zero3', reasons };
  }
  const offload = byName(rows, 'zero3-offload');
  if (offload.fits) {
    reasons.push(`${memoryLine(offload, usable)}: only offloading parameters and optimizer states to CPU memory fits`);
    if (offloadRow) {
      const host = cluster.hostMemoryBytes;
      const verdict = host === null ? '' : host >= offloadRow.perCpuBytes ? ` (this machine has ${gib(host)})` : ` but this machine has only ${gib(host)}`;
      reasons.push(`CPU memory per node needed: ${gib(offloadRow.perCpuBytes)} by DeepSpeed's estimator (offload_param=cpu, offload_optimizer=cpu, zero_init=1)${verdict}`);
    }
    reasons.push('offload trades speed for memory: every step moves gradients and parameters over PCIe and runs the optimizer on the CPU');
    return { strategy: 'zero3-offload', reasons };
  }
  reasons.push(memoryLine(offload, usable));
  reasons.push('no strategy fits: add GPUs, lower --micro-batch or --seq-len, or use --recompute full');
  return { strategy: null, reasons };
}
