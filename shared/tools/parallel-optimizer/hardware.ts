// The cluster to plan for: GPUs detected with nvidia-smi (--query-gpu, topo -m) and/or described by flags.
// Flags describe the cluster; detection fills in what they leave out (count, memory, name, topology).
import { totalmem } from 'node:os';
import { UsageError } from '../lib/cli.js';
import { parseCell, parseNumber, runSmi, splitRow, type SmiResult } from '../lib/nvidia-smi.js';
import { parseTopoMatrix, summarizeTopology, type TopologySummary } from '../lib/topology.js';
import { defaultInterBusBandwidth, defaultIntraBusBandwidth, generationOf, type Figure, type Interconnect } from './bandwidth.js';

export const QUERY_FIELDS = ['index', 'uuid', 'name', 'memory.total'] as const;

export interface DetectedGpu {
  index: number | null;
  uuid: string | null;
  name: string | null;
  memoryBytes: number | null;
}

/**
 * Rows of `nvidia-smi --query-gpu=... --format=csv[,nounits]`, columns found by header name (units such as
 * "[MiB]" stripped), so extra or reordered columns are fine. Without a header the requested order is assumed.
 */
export function parseGpuQuery(text: string): DetectedGpu[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  const first = splitRow(lines[0]!).map((cell) => cell.replace(/\s*\[[^\]]*\]$/, ''));
  const hasHeader = first.includes('memory.total') || first.includes('name') || first.includes('index');
  const columns = hasHeader ? first : [...QUERY_FIELDS];
  const at = (field: string) => columns.indexOf(field);
  return lines.slice(hasHeader ? 1 : 0).map((line) => {
    const cells = splitRow(line);
    const cell = (field: string) => (at(field) < 0 ? undefined : cells[at(field)]);
    const mib = parseNumber(cell('memory.total'));
    return {
      index: parseNumber(cell('index')),
      uuid: parseCell(cell('uuid')),
      name: parseCell(cell('name')),
      memoryBytes: mib === null ? null : mib * 2 ** 20,
    };
  });
}

export interface Detection {
  query: SmiResult;
  gpus: DetectedGpu[];
  topology: TopologySummary | null;
  /** Why the topology is unknown, when it is. */
  topologyProblem: string | null;
}

/** Ask nvidia-smi for the GPUs and their topology (two calls, each with a timeout). */
export async function detectHardware(timeoutMs?: number): Promise<Detection> {
  const query = await runSmi([`--query-gpu=${QUERY_FIELDS.join(',')}`, '--format=csv'], { timeoutMs });
  if (!query.ok) return { query, gpus: [], topology: null, topologyProblem: null };
  const gpus = parseGpuQuery(query.stdout);
  if (gpus.length < 2) return { query, gpus, topology: null, topologyProblem: null };
  const topo = await runSmi(['topo', '-m'], { timeoutMs });
  if (!topo.ok) return { query, gpus, topology: null, topologyProblem: `nvidia-smi topo -m failed: ${topo.message}` };
  const matrix = parseTopoMatrix(topo.stdout);
  if (!matrix) return { query, gpus, topology: null, topologyProblem: 'nvidia-smi topo -m printed no GPU matrix' };
  return { query, gpus, topology: summarizeTopology(matrix), topologyProblem: null };
}

export interface ClusterFlags {
  gpus?: number;
  nodes?: number;
  gpusPerNode?: number;
  gpuMemory?: number;
  gpuName?: string;
  interconnect?: Interconnect;
  /** Intra-node busbw, bytes/s. */
  busBandwidth?: number;
  /** Inter-node busbw, bytes/s. */
  interNodeBandwidth?: number;
}

export interface Cluster {
  nodes: number;
  gpusPerNode: number;
  totalGpus: number;
  gpuName: string | null;
  gpuMemoryBytes: number;
  interconnect: Interconnect;
  /** How the interconnect was determined, e.g. "topo -m: NV12 between all 28 GPU pairs". */
  interconnectSource: string;
  intraBusBandwidth: Figure;
  /** Null on a single node unless given. */
  interBusBandwidth: Figure | null;
  /** Where the cluster description came from. */
  source: string;
  /** Mixed NVLink/PCIe pairs or mixed GPU models: rank-to-GPU order matters. */
  deviceOrderMatters: boolean;
  /** This machine's RAM, when the GPUs were detected here (for CPU offload). */
  hostMemoryBytes: number | null;
  notes: string[];
}

/** Whether flags alone describe the cluster (then nvidia-smi is not asked: planning for other machines). */
export function needsDetection(flags: ClusterFlags): boolean {
  const counted = flags.gpus !== undefined || flags.gpusPerNode !== undefined;
  return !counted || flags.gpuMemory === undefined;
}

function describeInterconnect(topology: TopologySummary): string {
  if (topology.interconnect === 'nvlink') {
    const nv = topology.minNvlinks === topology.maxNvlinks ? `NV${topology.minNvlinks}` : `NV${topology.minNvlinks}-NV${topology.maxNvlinks}`;
    return `topo -m: ${nv} between all ${topology.pairs} GPU pairs`;
  }
  if (topology.interconnect === 'pcie') return `topo -m: no NVLink; slowest GPU path ${topology.worstPciePath} (PCIe)`;
  return `topo -m: NVLink on ${topology.nvlinkPairs} of ${topology.pairs} GPU pairs, others ${topology.worstPciePath} (PCIe): a ring over all GPUs runs at PCIe speed`;
}

function noGpus(reason: string): never {
  throw new UsageError(
    `no GPUs detected (${reason}) and none given`,
    'describe the cluster: --gpus N --gpu-memory 80GiB (add --nodes K for several nodes)',
  );
}

/** Combine flags and detection into the cluster to plan for; missing facts are usage errors (exit 2). */
export function resolveCluster(flags: ClusterFlags, detection: Detection | null): Cluster {
  const notes: string[] = [];
  const detected = detection?.query.ok ? detection.gpus : [];
  if (detection && !detection.query.ok && needsDetection(flags)) {
    noGpus(detection.query.failure === 'not-found' ? 'nvidia-smi not found on PATH' : `nvidia-smi: ${detection.query.message}`);
  }
  if (detection?.query.ok && detected.length === 0 && needsDetection(flags)) noGpus('nvidia-smi lists none');

  let nodes = flags.nodes ?? 1;
  let gpusPerNode = flags.gpusPerNode;
  if (flags.gpus !== undefined) {
    if (gpusPerNode !== undefined && flags.nodes === undefined) {
      if (flags.gpus % gpusPerNode !== 0) throw new UsageError(`--gpus ${flags.gpus} is not a multiple of --gpus-per-node ${gpusPerNode}`);
      nodes = flags.gpus / gpusPerNode;
    } else if (gpusPerNode !== undefined && flags.gpus !== nodes * gpusPerNode) {
      throw new UsageError(`--gpus ${flags.gpus} does not equal --nodes ${nodes} x --gpus-per-node ${gpusPerNode}`);
    } else if (gpusPerNode === undefined) {
      if (flags.gpus % nodes !== 0) throw new UsageError(`--gpus ${flags.gpus} cannot be split evenly over --nodes ${nodes}`);
      gpusPerNode = flags.gpus / nodes;
    }
  }
  if (gpusPerNode === undefined) gpusPerNode = detected.length;
  if (gpusPerNode < 1) noGpus('nvidia-smi lists none');

  const memories = detected.map((g) => g.memoryBytes).filter((m): m is number => m !== null);
  const gpuMemoryBytes = flags.gpuMemory ?? (memories.length ? Math.min(...memories) : null);
  if (gpuMemoryBytes === null) {
    throw new UsageError('nvidia-smi reports no memory.total for these GPUs', 'pass --gpu-memory SIZE (e.g. 80GiB)');
  }
  if (flags.gpuMemory === undefined && new Set(memories).size > 1) notes.push('GPUs differ in memory: planning with the smallest');
  const names = [...new Set(detected.map((g) => g.name).filter((n): n is string => n !== null))];
  const gpuName = flags.gpuName ?? (names.length ? names.join(' / ') : null);
  if (names.length > 1) notes.push(`mixed GPU models (${names.join(', ')}): planning with the smallest memory`);
  if (detected.length > 0 && detected.length !== gpusPerNode && (flags.gpus !== undefined || flags.gpusPerNode !== undefined)) {
    notes.push(`this machine has ${detected.length} GPU(s); planning for ${gpusPerNode} per node as given`);
  }

  const topology = detection?.topology ?? null;
  const topologyFits = topology !== null && topology.gpuCount >= gpusPerNode;
  let interconnect: Interconnect;
  let interconnectSource: string;
  if (flags.interconnect) {
    interconnect = flags.interconnect;
    interconnectSource = '--interconnect';
  } else if (gpusPerNode === 1) {
    interconnect = 'pcie';
    interconnectSource = 'one GPU per node: no intra-node traffic';
  } else if (topologyFits && topology.interconnect !== 'single') {
    interconnect = topology.interconnect === 'nvlink' ? 'nvlink' : 'pcie';
    interconnectSource = describeInterconnect(topology);
  } else {
    interconnect = 'pcie';
    interconnectSource = `assumed PCIe (${detection?.topologyProblem ?? 'topology not detected'}); pass --interconnect nvlink if the GPUs are NVLink-connected`;
  }
  const generation = generationOf(gpuName);
  const nvlinks = topologyFits ? topology.minNvlinks : null;
  const intraBusBandwidth: Figure = flags.busBandwidth
    ? { value: flags.busBandwidth, estimate: false, source: '--bus-bandwidth' }
    : defaultIntraBusBandwidth(generation, interconnect, nvlinks);
  let interBusBandwidth: Figure | null = null;
  if (flags.interNodeBandwidth) interBusBandwidth = { value: flags.interNodeBandwidth, estimate: false, source: '--inter-node-bandwidth' };
  else if (nodes > 1) interBusBandwidth = defaultInterBusBandwidth(generation, gpusPerNode, intraBusBandwidth.value);

  const usedFlags = Object.entries(flags).some(([, v]) => v !== undefined);
  const source = detection?.query.ok
    ? `${usedFlags ? 'flags + ' : ''}nvidia-smi --query-gpu${topology ? ' + topo -m' : ''}`
    : 'flags';
  return {
    nodes,
    gpusPerNode,
    totalGpus: nodes * gpusPerNode,
    gpuName,
    gpuMemoryBytes,
    interconnect,
    interconnectSource,
    intraBusBandwidth,
    interBusBandwidth,
    source,
    deviceOrderMatters: (topologyFits && topology.interconnect === 'mixed') || names.length > 1,
    hostMemoryBytes: detection?.query.ok ? totalmem() : null,
    notes,
  };
}
