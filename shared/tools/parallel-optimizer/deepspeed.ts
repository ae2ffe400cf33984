// DeepSpeed's own model-state estimators, reproduced to the byte so that the printed tables match DeepSpeed's.
// Source: deepspeed/runtime/zero/stage_1_and_2.py::estimate_zero2_model_states_mem_needs and
// deepspeed/runtime/zero/stage3.py::estimate_zero3_model_states_mem_needs (current code; the ZeRO-2 no-offload
// GPU line changed in commit f4cb866c, PR #5099, from 4P + int(16P/total_gpus) to 2P + int(18P/total_gpus)).
// The `*_all_cold` helpers print `f" {cpu/2**30:7.2f}GB | {gpu/2**30:6.2f}GB | {options}"`: the "GB" are GiB.
// Model states only: activations, CUDA context and NCCL buffers come on top.

export interface DeepSpeedInput {
  totalParams: number;
  largestLayerParams: number;
  gpusPerNode: number;
  nodes: number;
  /** DeepSpeed's `additional_buffer_factor`, 1.5 by default ("to be conservative"). */
  bufferFactor?: number;
}

export interface Zero2Row {
  offloadOptimizer: boolean;
  perGpuBytes: number;
  perCpuBytes: number;
}

export interface Zero3Row {
  offloadParam: boolean;
  offloadOptimizer: boolean;
  zeroInit: boolean;
  perGpuBytes: number;
  perCpuBytes: number;
}

/** estimate_zero2_model_states_mem_needs, operation for operation (Python int() truncates toward zero). */
export function zero2Estimate(input: DeepSpeedInput, cpuOffload: boolean): Zero2Row {
  const { totalParams: p, gpusPerNode, nodes, bufferFactor = 1.5 } = input;
  const totalGpus = nodes * gpusPerNode;
  let gpu: number;
  let cpu: number;
  if (cpuOffload) {
    gpu = 2 * p;
    cpu = p * Math.max(4 * totalGpus, 16) * bufferFactor;
  } else {
    // 2 = fp16 params; 18 = 2 fp16 grads + 4 fp32 grads + 4 fp32 params + 8 Adam states (code comment)
    gpu = 2 * p + Math.trunc((18 * p) / totalGpus);
    cpu = p * 4 * gpusPerNode * bufferFactor;
  }
  return { offloadOptimizer: cpuOffload, perGpuBytes: Math.trunc(gpu), perCpuBytes: Math.trunc(cpu) };
}

/** The pre-f4cb866c ZeRO-2 no-offload GPU figure that DeepSpeed's docs tables still show (e.g. 15.93 for t5-3b). */
export function zero2LegacyGpuBytes(input: DeepSpeedInput): number {
  const totalGpus = input.nodes * input.gpusPerNode;
  return 4 * input.totalParams + Math.trunc((16 * input.totalParams) / totalGpus);
}

/** estimate_zero3_model_states_mem_needs, operation for operation. */
export function zero3Estimate(input: DeepSpeedInput, offloadOptimizer: boolean, offloadParam: boolean, zeroInit: boolean): Zero3Row {
  const { totalParams: p, largestLayerParams: ll, gpusPerNode, nodes, bufferFactor = 1.5 } = input;
  const totalGpus = nodes * gpusPerNode;
  const gpusFactor = 1 / nodes;
  const largestLayerMemory = 4 * ll; // fp16 params gathered + fp16 grads of the largest layer
  let gpu: number;
  let cpu: number;
  if (offloadOptimizer) {
    if (offloadParam) {
      gpu = largestLayerMemory;
      cpu = zeroInit ? p * 18 * gpusFactor * bufferFactor : p * Math.max(4 * gpusPerNode, 18 * gpusFactor) * bufferFactor;
    } else {
      gpu = largestLayerMemory + Math.trunc((2 * p) / totalGpus);
      cpu = zeroInit ? p * 16 * gpusFactor * bufferFactor : p * Math.max(4 * gpusPerNode, 16 * gpusFactor) * bufferFactor;
    }
  } else {
    gpu = largestLayerMemory + Math.trunc((18 * p) / totalGpus);
    cpu = zeroInit ? ll * 4 * gpusPerNode * bufferFactor : p * 4 * gpusPerNode * bufferFactor;
  }
  return { offloadParam: offloadParam && offloadOptimizer, offloadOptimizer, zeroInit, perGpuBytes: Math.trunc(gpu), perCpuBytes: Math.trunc(cpu) };
}

/** Both tables in DeepSpeed's row order. */
export function deepspeedTables(input: DeepSpeedInput): { zero2: Zero2Row[]; zero3: Zero3Row[] } {
  const zero2 = [true, false].map((offload) => zero2Estimate(input, offload));
  const zero3: Zero3Row[] = [];
  for (const offloadOptimizer of [true, false]) {
    for (const offloadParam of [true, false]) {
      if (!offloadOptimizer && offloadParam) continue;
      for (const zeroInit of [true, false]) zero3.push(zero3Estimate(input, offloadOptimizer, offloadParam, zeroInit));
    }
  }
  return { zero2, zero3 };
}

/**
 * Python's `f"{bytes/2**30:{width}.2f}"`: the exact binary value rounded half to even (JavaScript's toFixed
 * rounds ties up, e.g. 0.125 -> "0.13" where Python prints "0.12").
 */
export function pythonGiB(bytes: number, width: number): string {
  const numerator = BigInt(Math.trunc(bytes)) * 100n;
  const denominator = 2n ** 30n;
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / denominator;
  const twice = (abs % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) quotient += 1n;
  const digits = quotient.toString().padStart(3, '0');
  const text = `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return text.padStart(width, ' ');
}

function header(input: DeepSpeedInput, withLargest: boolean): string[] {
  const nodesStr = input.nodes > 1 ? 'nodes' : 'node';
  const gpusStr = input.gpusPerNode > 1 ? 'GPUs' : 'GPU';
  const sw = `SW: Model with ${Math.trunc(input.totalParams / 1e6)}M total params${withLargest ? `, ${Math.trunc(input.largestLayerParams / 1e6)}M largest layer params` : ''}.`;
  return [
    'Estimated memory needed for params, optim states and gradients for a:',
    `HW: Setup with ${input.nodes} ${nodesStr}, ${input.gpusPerNode} ${gpusStr} per node.`,
    sw,
    '  per CPU  |  per GPU |   Options',
  ];
}

/** estimate_zero2_model_states_mem_needs_all_cold's printout, line for line. */
export function formatZero2Table(input: DeepSpeedInput, rows: Zero2Row[]): string[] {
  return [
    ...header(input, false),
    ...rows.map((r) => ` ${pythonGiB(r.perCpuBytes, 7)}GB | ${pythonGiB(r.perGpuBytes, 6)}GB | offload_optimizer=${r.offloadOptimizer ? 'cpu ' : 'none'}`),
  ];
}

/** estimate_zero3_model_states_mem_needs_all_cold's printout, line for line. */
export function formatZero3Table(input: DeepSpeedInput, rows: Zero3Row[]): string[] {
  return [
    ...header(input, true),
    ...rows.map(
      (r) =>
        ` ${pythonGiB(r.perCpuBytes, 7)}GB | ${pythonGiB(r.perGpuBytes, 6)}GB | ` +
        `offload_param=${r.offloadParam ? 'cpu ' : 'none'}, offload_optimizer=${r.offloadOptimizer ? 'cpu ' : 'none'}, zero_init=${r.zeroInit ? 1 : 0}`,
    ),
  ];
}
