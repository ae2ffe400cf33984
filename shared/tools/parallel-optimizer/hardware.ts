// The cluster to plan for: GPUs detected with nvidia-smi (--query-gpu, topo -m) and/or described by flags.
// Flags describe the cluster; detection fills in what they leave out (count, memory, name, topology).
import { totalmem } from 'node:os';
import { UsageError } from '../lib/cli.js';
import { parseGpuCsv, readCsvTable, recordCell } from '../lib/gpu-query.js';
import { parseCell, parseNumber, runSmi, type SmiResult } from '../lib/nvidia-smi.js';
import { parseTopoMatrix, summarizeTopology, type TopologySummary } from '../lib/topology.js';
import { defaultInterBusBandwidth, defaultIntraBusBandwidth, generationOf, type Figure, type Interconnect } from './bandwidth.js';
import { MAX_GPUS } from './sizes.js';

export const QUERY_FIELDS = ['index', 'uuid', 'name', 'memory.total'] as const;

export interface DetectedGpu {
  index: number | null;
  uuid: string | null;
  name: string | null;
  memoryBytes: number | null;
}

/** nvidia-smi reports memory.total in MiB. */
function mibToBytes(mib: number | null): number | null {
  return mib === null ? null : mib * 2 ** 20;
}

/**
 * Rows of `nvidia-smi --query-gpu=... --format=csv[,nounits]`. With a header (what `--format=csv` prints), columns
 * are found by name through lib/gpu-query.ts readCsvTable (unit tags such as "[MiB]" stripped), so extra or
 * reordered columns are fine; without one, parseGpuCsv reads the rows in the requested order (QUERY_FIELDS).
 */
export function parseGpuQuery(text: string): DetectedGpu[] {
  const records = readCsvTable(text);
  const hasHeader = records.length > 0 && QUERY_FIELDS.some((field) => recordCell(records[0]!, field) !== undefined);
  if (!hasHeader) {
    return parseGpuCsv(text, QUERY_FIELDS).gpus.map((gpu) => ({ index: gpu.index, uuid: gpu.uuid, name: gpu.name, memoryBytes: mibToBytes(gpu.memoryTotalMiB) }));
  }
  return records.map((record) => ({
    index: parseNumber(recordCell(record, 'index')),
    uuid: parseCell(recordCell(record, 'uuid')),
    name: parseCell(recordCell(record, 'name')),
    memoryBytes: mibToBytes(parseNumber(recordCell(record, 'memory.total'))),
  }));
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

/** Nodes and GPUs per node from --gpus, --nodes, --gpus-per-node and the GPUs nvidia-smi lists. */
function resolveCounts(flags: ClusterFlags, detected: DetectedGpu[]): { nodes: number; gpusPerNode: number } {
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
  if (nodes * gpusPerNode > MAX_GPUS) {
    throw new UsageError(`--nodes ${nodes} x --gpus-per-node ${gpusPerNode} = ${nodes * gpusPerNode} GPUs, more than the ${MAX_GPUS} this tool plans for`);
  }
  return { nodes, gpusPerNode };
}

/** GPU memory (the smallest when they differ) and name, from flags or nvidia-smi, with notes on mixed GPUs. */
function resolveGpuModel(flags: ClusterFlags, detected: DetectedGpu[], gpusPerNode: number, notes: string[]): { gpuMemoryBytes: number; gpuName: string | null; mixedModels: boolean } {
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
  return { gpuMemoryBytes, gpuName, mixedModels: names.length > 1 };
}

interface Interconnection {
  interconnect: Interconnect;
  interconnectSource: string;
  intraBusBandwidth: Figure;
  interBusBandwidth: Figure | null;
  /** NVLink on some GPU pairs only. */
  mixedLinks: boolean;
}

/** The link inside a node (flag, topo -m, or assumed PCIe) and the all-reduce busbw inside and between nodes. */
function resolveInterconnect(flags: ClusterFlags, detection: Detection | null, nodes: number, gpusPerNode: number, gpuName: string | null): Interconnection {
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
  return { interconnect, interconnectSource, intraBusBandwidth, interBusBandwidth, mixedLinks: topologyFits && topology.interconnect === 'mixed' };
}

/** Combine flags and detection into the cluster to plan for; missing facts are usage errors (exit 2). */
export function resolveCluster(flags: ClusterFlags, detection: Detection | null): Cluster {
  const notes: string[] = [];
  const detected = detection?.query.ok ? detection.gpus : [];
  if (detection && !detection.query.ok && needsDetection(flags)) {
    noGpus(detection.query.failure === 'not-found' ? 'nvidia-smi not found on PATH' : `nvidia-smi: ${detection.query.message}`);
  }
  if (detection?.query.ok && detected.length === 0 && needsDetection(flags)) noGpus('nvidia-smi lists none');

  const { nodes, gpusPerNode } = resolveCounts(flags, detected);
  const { gpuMemoryBytes, gpuName, mixedModels } = resolveGpuModel(flags, detected, gpusPerNode, notes);
  const { mixedLinks, ...links } = resolveInterconnect(flags, detection, nodes, gpusPerNode, gpuName);

  const usedFlags = Object.entries(flags).some(([, v]) => v !== undefined);
  const source = detection?.query.ok
    ? `${usedFlags ? 'flags + ' : ''}nvidia-smi --query-gpu${detection.topology ? ' + topo -m' : ''}`
    : 'flags';
  return {
    nodes,
    gpusPerNode,
    totalGpus: nodes * gpusPerNode,
    gpuName,
    gpuMemoryBytes,
    ...links,
    source,
    deviceOrderMatters: mixedLinks || mixedModels,
    hostMemoryBytes: detection?.query.ok ? totalmem() : null,
    notes,
  };
}
