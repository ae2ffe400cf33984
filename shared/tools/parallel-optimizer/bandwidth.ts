// Default bandwidths and peak FLOP/s per GPU generation: measured published figures where they exist,
// otherwise a stated rule applied to the link's specification. Every default carries its source.
// Sources: ../shared/research/parallel.md §5-§6, ../shared/research/gpu-monitor.md §7.
import { formatBandwidth } from './sizes.js';

export type Interconnect = 'nvlink' | 'pcie';

export interface Figure {
  /** Bytes per second, or FLOP/s for peaks. */
  value: number;
  source: string;
  /** True when derived from a rule rather than measured. */
  estimate: boolean;
}

export type Generation = 'A100' | 'H100' | 'H200' | 'other';

/** The GPU generation from an nvidia-smi name ("NVIDIA A100-SXM4-80GB", "NVIDIA H100 80GB HBM3", "NVIDIA H200"). */
export function generationOf(name: string | null): Generation {
  if (!name) return 'other';
  if (/\bA100\b|A100-/i.test(name)) return 'A100';
  if (/\bH200\b/i.test(name)) return 'H200';
  if (/\bH100\b|\bH800\b/i.test(name)) return 'H100';
  return 'other';
}

/** "~80% of the unidirectional spec" (ml-engineering network/README.md; A100 235 of 300 GB/s = 78%). */
export const SPEC_EFFICIENCY = 0.8;
/** NVLink 2/3/4: 25 GB/s per link per direction (`nvidia-smi nvlink -s`: A100 12 x 25, H100 18 x 26.562). */
export const NVLINK_GBPS_PER_LINK = 25;
/** PCIe x16 per direction: Gen4 31, Gen5 63 GB/s (ml-engineering network/README.md). */
export const PCIE_GEN4_GBPS = 31;
export const PCIE_GEN5_GBPS = 63;

/** PCIe generation by product: Hopper parts are Gen5, the rest assumed Gen4. */
function pcieSpec(generation: Generation): { gbps: number; gen: number } {
  return generation === 'H100' || generation === 'H200' ? { gbps: PCIE_GEN5_GBPS, gen: 5 } : { gbps: PCIE_GEN4_GBPS, gen: 4 };
}

/** Intra-node all-reduce bus bandwidth (nccl-tests busbw) for this GPU and interconnect. */
export function defaultIntraBusBandwidth(generation: Generation, interconnect: Interconnect, nvlinks: number | null): Figure {
  if (interconnect === 'nvlink') {
    if (generation === 'A100') {
      return { value: 235e9, estimate: false, source: 'nccl-tests all_reduce on 8x A100 NVLink: busbw 234.89 GB/s at 16 GiB (stas00/ml-engineering network/README.md)' };
    }
    if (generation === 'H100' || generation === 'H200') {
      return {
        value: 370e9,
        estimate: false,
        source: 'NCCL on H100/H200 NVLink4: "effective NVLink bandwidth of 370GB/s" (sjeaugey, NVIDIA/nccl-tests#212; ml-engineering measured 367.61 GB/s ring on H200)',
      };
    }
    const links = nvlinks ?? 1;
    return {
      value: SPEC_EFFICIENCY * links * NVLINK_GBPS_PER_LINK * 1e9,
      estimate: true,
      source: `estimate: ${SPEC_EFFICIENCY * 100}% of ${links} NVLink(s) x ${NVLINK_GBPS_PER_LINK} GB/s per direction (ml-engineering rule of thumb)`,
    };
  }
  const pcie = pcieSpec(generation);
  return {
    value: SPEC_EFFICIENCY * pcie.gbps * 1e9,
    estimate: true,
    source: `estimate: ${SPEC_EFFICIENCY * 100}% of PCIe Gen${pcie.gen} x16 ${pcie.gbps} GB/s per direction (ml-engineering); traffic through the CPU (SYS) is often slower: measure with nccl-tests and pass --bus-bandwidth`,
  };
}

/**
 * A published or rule-derived inter-node figure, capped at the intra-node busbw: a ring across nodes also runs
 * over the links inside each node, and the slowest link paces it. A capped figure is no longer the measured
 * one, so it becomes an estimate whose source says what was capped and what was published.
 */
function capAtIntraNode(figure: Figure, intra: number): Figure {
  if (figure.value <= intra) return figure;
  return {
    value: intra,
    estimate: true,
    source:
      `estimate: capped at the intra-node busbw ${formatBandwidth(intra)} (the slowest link paces the ring); ` +
      `${figure.estimate ? 'the rule gives' : 'published'} ${formatBandwidth(figure.value)}: ${figure.source}`,
  };
}

/**
 * Inter-node all-reduce bus bandwidth: the node's aggregate NIC rate decides (ml-engineering: use g x per-NIC,
 * not one NIC; default ≈ min(intra busbw, 0.9 x aggregate NIC rate)).
 */
export function defaultInterBusBandwidth(generation: Generation, gpusPerNode: number, intra: number): Figure {
  return capAtIntraNode(publishedInterBusBandwidth(generation, gpusPerNode), intra);
}

/** The inter-node figure before the intra-node cap: measured for DGX A100, the ml-engineering rule otherwise. */
function publishedInterBusBandwidth(generation: Generation, gpusPerNode: number): Figure {
  if (generation === 'A100') {
    return {
      value: 192e9,
      estimate: false,
      source: 'DGX A100 with 8x 200 Gb/s InfiniBand: "we measure 192GB/s AllReduce BusBW" (NVIDIA, quoted in NVIDIA/nccl#1576)',
    };
  }
  if (generation === 'H100' || generation === 'H200') {
    return {
      value: 0.9 * gpusPerNode * 50e9,
      estimate: true,
      source: `estimate: 0.9 x ${gpusPerNode} x 50 GB/s (one InfiniBand NDR400 NIC per GPU, as in DGX H100) (ml-engineering rule)`,
    };
  }
  return {
    value: 0.9 * 12.5e9,
    estimate: true,
    source: 'assumption: one 100 Gb/s (12.5 GB/s) NIC per node x 0.9 (ml-engineering rule); pass --inter-node-bandwidth with your nccl-tests busbw',
  };
}

/** Dense 16-bit tensor-core peak per GPU, for compute time at an assumed MFU. */
export function defaultPeakFlops(name: string | null): Figure | null {
  if (!name) return null;
  if (generationOf(name) === 'A100') return { value: 312e12, estimate: false, source: 'A100 dense BF16/FP16 peak 312 TFLOP/s (Narayanan et al. 2021 §5)' };
  if (/H100.*PCIe/i.test(name)) return { value: 756e12, estimate: false, source: 'H100 PCIe dense BF16 peak 756 TFLOP/s (NVIDIA H100 datasheet)' };
  if (/\bH100\b|\bH200\b/i.test(name) && !/NVL/i.test(name)) {
    return { value: 989e12, estimate: false, source: 'H100/H200 SXM dense BF16 peak 989 TFLOP/s (stas00/ml-engineering; NVIDIA datasheets)' };
  }
  return null;
}

/** Default model FLOPs utilisation: Megatron reached 163/312 = 52% of A100 peak; ml-engineering "at least 50%" tuned. */
export const DEFAULT_MFU = 0.4;
export const MFU_SOURCE = 'assumed; Megatron-LM reached 52% of A100 peak end to end (Narayanan et al. 2021), ml-engineering: >= 50% when tuned';
