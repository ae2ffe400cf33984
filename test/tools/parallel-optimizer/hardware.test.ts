// Hardware detection: `nvidia-smi --query-gpu` and `nvidia-smi topo -m` parsed from recorded outputs
// (../shared/fixtures/nvidia-smi, when present) and from the project's own fixtures, and replayed through
// a fake nvidia-smi on PATH.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../shared/tools/lib/cli.js';
import { parseTopoLink, parseTopoMatrix, summarizeTopology } from '../../../shared/tools/lib/topology.js';
import { detectHardware, parseGpuQuery, resolveCluster } from '../../../shared/tools/parallel-optimizer/hardware.js';
import { installFakeSmi, type FakeSmiRule } from '../../support/fake-nvidia-smi.js';
import { hasShared, readSmiFixture } from '../../support/shared-fixtures.js';
import { fakePath, ownFixture } from './helpers.js';

function summary(text: string) {
  const matrix = parseTopoMatrix(text);
  expect(matrix).not.toBeNull();
  return summarizeTopology(matrix!);
}

describe('topo -m parsing (own fixtures)', () => {
  it('8 GPUs, NV12 between every pair, 2 NICs', () => {
    expect(summary(ownFixture('topo_nv12-x8.txt'))).toEqual({
      gpuCount: 8,
      nicCount: 2,
      pairs: 28,
      nvlinkPairs: 28,
      minNvlinks: 12,
      maxNvlinks: 12,
      worstPciePath: null,
      interconnect: 'nvlink',
    });
  });

  it('NVLink bridges on pairs only: mixed, the slowest path SYS', () => {
    expect(summary(ownFixture('topo_nv4-pairs-x4.txt'))).toMatchObject({ gpuCount: 4, pairs: 6, nvlinkPairs: 2, minNvlinks: 4, worstPciePath: 'SYS', interconnect: 'mixed' });
  });

  it('cells: X, NV#, PCIe paths, anything else unknown', () => {
    expect(parseTopoLink(' X ')).toEqual({ kind: 'self' });
    expect(parseTopoLink('NV18')).toEqual({ kind: 'nvlink', links: 18 });
    expect(parseTopoLink('PXB')).toEqual({ kind: 'pcie', path: 'PXB' });
    expect(parseTopoLink('SOC')).toEqual({ kind: 'unknown', text: 'SOC' });
  });
});

describe('--query-gpu parsing (own fixtures)', () => {
  it('reads columns by header name, memory in MiB', () => {
    const gpus = parseGpuQuery(ownFixture('query-gpu_a100-sxm4-80gb-x8.csv'));
    expect(gpus).toHaveLength(8);
    expect(gpus[7]).toEqual({ index: 7, uuid: 'GPU-00000007-a100-4e1f-9c2d-000000000007', name: 'NVIDIA A100-SXM4-80GB', memoryBytes: 81920 * 2 ** 20 });
  });

  it('without a header, the requested order is assumed', () => {
    expect(parseGpuQuery('0, GPU-x, NVIDIA L40S, 46068\n')).toEqual([{ index: 0, uuid: 'GPU-x', name: 'NVIDIA L40S', memoryBytes: 46068 * 2 ** 20 }]);
  });

  it('without a header, lib/gpu-query parseGpuCsv reads the rows: a name with a comma stays whole, error lines are not GPUs', () => {
    expect(parseGpuQuery('0, GPU-x, NVIDIA Foo, Bar, 46068 MiB\nNo devices were found\n')).toEqual([{ index: 0, uuid: 'GPU-x', name: 'NVIDIA Foo, Bar', memoryBytes: 46068 * 2 ** 20 }]);
  });

  it('with a header, columns are found by name in any order (lib/gpu-query readCsvTable), unit tags stripped, [N/A] unknown', () => {
    const text = 'memory.total [MiB], name, index\n81920 MiB, NVIDIA A100-SXM4-80GB, 3\n[N/A], NVIDIA A100-SXM4-80GB, 4\n';
    expect(parseGpuQuery(text)).toEqual([
      { index: 3, uuid: null, name: 'NVIDIA A100-SXM4-80GB', memoryBytes: 81920 * 2 ** 20 },
      { index: 4, uuid: null, name: 'NVIDIA A100-SXM4-80GB', memoryBytes: null },
    ]);
  });
});

describe.runIf(hasShared)('recorded outputs (../shared/fixtures/nvidia-smi)', () => {
  it('DGX A100 (tabs, mlx5 columns, no NIC legend): 8 GPUs NV12, 12 NICs', () => {
    expect(summary(readSmiFixture('topo__dgx-a100-8gpu-10nic.txt'))).toMatchObject({ gpuCount: 8, nicCount: 12, nvlinkPairs: 28, minNvlinks: 12, interconnect: 'nvlink' });
  });

  it('8x A100 copied with spaces instead of tabs, NIC0-16 + legend: still 8 GPUs NV12', () => {
    expect(summary(readSmiFixture('topo__a100-8gpu-17nic-nvlink.txt'))).toMatchObject({ gpuCount: 8, nicCount: 17, interconnect: 'nvlink', minNvlinks: 12 });
  });

  it('4x A100 with a RoCE NIC and empty trailing cells', () => {
    expect(summary(readSmiFixture('topo__a100-sxm4-80gb-x4-1nic_580.105.08.txt'))).toMatchObject({ gpuCount: 4, nicCount: 1, interconnect: 'nvlink' });
  });

  it('PCIe boxes: 4x A10 all SYS, 2x 1080 Ti PHB, DGX-1 topo -mp (no NV#)', () => {
    expect(summary(readSmiFixture('topo__pcie-4x-a10-sys.txt'))).toMatchObject({ gpuCount: 4, nvlinkPairs: 0, worstPciePath: 'SYS', interconnect: 'pcie' });
    expect(summary(readSmiFixture('topo__pcie-2x-gtx1080ti-phb.txt'))).toMatchObject({ gpuCount: 2, worstPciePath: 'PHB', interconnect: 'pcie' });
    expect(summary(readSmiFixture('topo-mp__dgx1-v100-8gpu-pcie-only.txt'))).toMatchObject({ gpuCount: 8, nicCount: 4, worstPciePath: 'SYS', interconnect: 'pcie' });
  });

  it('single H100 with ANSI underline in the header; Windows refusing topo -m', () => {
    expect(summary(readSmiFixture('topo__h100-single_590.48.01.txt'))).toMatchObject({ gpuCount: 1, pairs: 0, interconnect: 'single' });
    expect(parseTopoMatrix(readSmiFixture('error__topo-m_windows_591.86.txt'))).toBeNull();
  });

  it('query-gpu captures with other column sets: 4x A100, 8x H200 without names, a P100 without memory.total', () => {
    const a100 = parseGpuQuery(readSmiFixture('query-gpu__a100-sxm4-80gb-x4_580.105.08.csv.txt'));
    expect(a100.map((g) => [g.index, g.name, g.memoryBytes])).toEqual([0, 1, 2, 3].map((i) => [i, 'NVIDIA A100-SXM4-80GB', 81920 * 2 ** 20]));
    const h200 = parseGpuQuery(readSmiFixture('query-gpu__h200-x8_busy.csv.txt'));
    expect(h200).toHaveLength(8);
    expect(h200[0]).toMatchObject({ name: null, memoryBytes: 143771 * 2 ** 20, uuid: 'GPU-a44622e3-2296-6285-0a86-84d0f6c67900' });
    expect(parseGpuQuery(readSmiFixture('query-gpu__tesla-p100-pcie_nounits-header.csv.txt'))[0]).toMatchObject({ name: 'Tesla P100-PCIE-16GB', memoryBytes: null });
    expect(parseGpuQuery(readSmiFixture('query-gpu-all__h100_590.48.01_idle.csv.txt'))[0]).toMatchObject({ index: 0, name: 'NVIDIA H100 80GB HBM3', memoryBytes: 81559 * 2 ** 20 });
  });
});

describe('detection through a fake nvidia-smi on PATH', () => {
  let binDir: string;
  let savedPath: string | undefined;
  beforeEach(() => {
    binDir = mkdtempSync(join(tmpdir(), 'dp-parallel-smi-'));
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(binDir, { recursive: true, force: true });
  });
  const install = (rules: FakeSmiRule[]) => {
    installFakeSmi(binDir, rules);
    process.env.PATH = fakePath(binDir);
  };

  it('an 8x A100 NVLink box: count, name, memory, NVLink and the measured A100 busbw', async () => {
    install([
      { match: ['--query-gpu'], stdout: ownFixture('query-gpu_a100-sxm4-80gb-x8.csv') },
      { match: ['topo', '-m'], stdout: ownFixture('topo_nv12-x8.txt') },
    ]);
    const cluster = resolveCluster({}, await detectHardware());
    expect(cluster).toMatchObject({ nodes: 1, gpusPerNode: 8, totalGpus: 8, gpuName: 'NVIDIA A100-SXM4-80GB', gpuMemoryBytes: 80 * 2 ** 30, interconnect: 'nvlink' });
    expect(cluster.interconnectSource).toBe('topo -m: NV12 between all 28 GPU pairs');
    expect(cluster.intraBusBandwidth.value).toBe(235e9);
    expect(cluster.intraBusBandwidth.source).toContain('234.89 GB/s');
    expect(cluster.source).toBe('nvidia-smi --query-gpu + topo -m');
    expect(cluster.interBusBandwidth).toBeNull();
  });

  it('NVLink pairs only: PCIe speed for the ring, device order matters', async () => {
    install([
      { match: ['--query-gpu'], stdout: ownFixture('query-gpu_rtx-a6000-x4.csv') },
      { match: ['topo', '-m'], stdout: ownFixture('topo_nv4-pairs-x4.txt') },
    ]);
    const cluster = resolveCluster({}, await detectHardware());
    expect(cluster.interconnect).toBe('pcie');
    expect(cluster.interconnectSource).toContain('NVLink on 2 of 6 GPU pairs');
    expect(cluster.deviceOrderMatters).toBe(true);
  });

  it('--nodes with detection: this node described by nvidia-smi, repeated; inter-node default for A100 is 192 GB/s', async () => {
    install([
      { match: ['--query-gpu'], stdout: ownFixture('query-gpu_a100-sxm4-80gb-x8.csv') },
      { match: ['topo', '-m'], stdout: ownFixture('topo_nv12-x8.txt') },
    ]);
    const cluster = resolveCluster({ nodes: 4 }, await detectHardware());
    expect(cluster.totalGpus).toBe(32);
    expect(cluster.interBusBandwidth?.value).toBe(192e9);
    expect(cluster.source).toBe('flags + nvidia-smi --query-gpu + topo -m');
  });

  it('topo -m failing (Windows) leaves the interconnect assumed, saying why', async () => {
    install([
      { match: ['--query-gpu'], stdout: ownFixture('query-gpu_rtx-a6000-x4.csv') },
      { match: ['topo'], stdout: 'ERROR: Option -m is missing its value. Please run \'nvidia-smi -h\' for help.\n', exitCode: 255 },
    ]);
    const cluster = resolveCluster({}, await detectHardware());
    expect(cluster.interconnect).toBe('pcie');
    expect(cluster.interconnectSource).toContain('assumed PCIe (nvidia-smi topo -m failed: ERROR: Option -m is missing its value');
  });

  it.runIf(hasShared)('replays the recorded 4x A100 capture (query + topo from the same box)', async () => {
    install([
      { match: ['--query-gpu'], stdout: readSmiFixture('query-gpu__a100-sxm4-80gb-x4_580.105.08.csv.txt') },
      { match: ['topo', '-m'], stdout: readSmiFixture('topo__a100-sxm4-80gb-x4-1nic_580.105.08.txt') },
    ]);
    const cluster = resolveCluster({}, await detectHardware());
    expect(cluster).toMatchObject({ totalGpus: 4, gpuName: 'NVIDIA A100-SXM4-80GB', interconnect: 'nvlink' });
    expect(cluster.intraBusBandwidth.value).toBe(235e9);
  });

  it.runIf(hasShared)('replays the recorded 4x A10 PCIe topology: PCIe Gen4 estimate, labelled', async () => {
    install([
      { match: ['--query-gpu'], stdout: 'index, uuid, name, memory.total [MiB]\n0, GPU-0, NVIDIA A10, 23028 MiB\n1, GPU-1, NVIDIA A10, 23028 MiB\n2, GPU-2, NVIDIA A10, 23028 MiB\n3, GPU-3, NVIDIA A10, 23028 MiB\n' },
      { match: ['topo', '-m'], stdout: readSmiFixture('topo__pcie-4x-a10-sys.txt') },
    ]);
    const cluster = resolveCluster({}, await detectHardware());
    expect(cluster.interconnect).toBe('pcie');
    expect(cluster.intraBusBandwidth).toMatchObject({ value: 0.8 * 31e9, estimate: true });
    expect(cluster.intraBusBandwidth.source).toMatch(/^estimate: 80% of PCIe Gen4/);
  });

  it.runIf(hasShared)('replays a single H100 (all-fields capture): one GPU, topo not needed', async () => {
    install([{ match: ['--query-gpu'], stdout: readSmiFixture('query-gpu-all__h100_590.48.01_idle.csv.txt') }]);
    const detection = await detectHardware();
    expect(detection.topology).toBeNull();
    expect(resolveCluster({}, detection)).toMatchObject({ totalGpus: 1, gpuName: 'NVIDIA H100 80GB HBM3', gpuMemoryBytes: 81559 * 2 ** 20 });
  });

  it('no nvidia-smi and no flags: a usage error saying what to pass', async () => {
    process.env.PATH = fakePath(binDir);
    const detection = await detectHardware();
    let error: unknown;
    try {
      resolveCluster({}, detection);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('no GPUs detected (nvidia-smi not found on PATH) and none given');
    expect((error as UsageError).hint).toContain('--gpus N --gpu-memory 80GiB');
  });

  it('nvidia-smi failing with the driver mismatch, or listing nothing, is the same clear error', async () => {
    install([{ match: ['--query-gpu'], stdout: 'Failed to initialize NVML: Driver/library version mismatch\n', exitCode: 9 }]);
    const detection = await detectHardware();
    expect(() => resolveCluster({}, detection)).toThrow(/no GPUs detected \(nvidia-smi: Failed to initialize NVML: Driver\/library version mismatch\) and none given/);
    install([{ match: ['--query-gpu'], stdout: 'index, uuid, name, memory.total [MiB]\n' }]);
    const empty = await detectHardware();
    expect(() => resolveCluster({}, empty)).toThrow(/no GPUs detected \(nvidia-smi lists none\)/);
  });
});

describe('flags describe the cluster', () => {
  it('--gpus with --nodes splits evenly; mismatches are usage errors', () => {
    expect(resolveCluster({ gpus: 16, nodes: 2, gpuMemory: 2 ** 30 }, null)).toMatchObject({ nodes: 2, gpusPerNode: 8, totalGpus: 16, source: 'flags' });
    expect(resolveCluster({ gpus: 16, gpusPerNode: 4, gpuMemory: 2 ** 30 }, null)).toMatchObject({ nodes: 4, gpusPerNode: 4 });
    expect(() => resolveCluster({ gpus: 10, nodes: 4, gpuMemory: 2 ** 30 }, null)).toThrow(UsageError);
    expect(() => resolveCluster({ gpus: 10, nodes: 2, gpusPerNode: 4, gpuMemory: 2 ** 30 }, null)).toThrow(/does not equal --nodes 2 x --gpus-per-node 4/);
  });

  it('an inter-node figure above the intra-node busbw is capped, and then labelled an estimate naming what was published', () => {
    // A100 on PCIe: 0.8 x 31 = 24.8 GB/s inside a node, so NVIDIA's measured 192 GB/s between DGX nodes cannot apply.
    const pcie = resolveCluster({ gpus: 32, nodes: 4, gpuMemory: 80 * 2 ** 30, gpuName: 'NVIDIA A100-SXM4-80GB', interconnect: 'pcie' }, null);
    expect(pcie.interBusBandwidth).toMatchObject({ value: 24.8e9, estimate: true });
    expect(pcie.interBusBandwidth!.source).toMatch(/^estimate: capped at the intra-node busbw 24\.8 GB\/s \(the slowest link paces the ring\); published 192 GB\/s: DGX A100 .*"we measure 192GB\/s AllReduce BusBW"/);
    // H100 on PCIe: the rule's 0.9 x 8 x 50 GB/s is capped at 0.8 x 63 GB/s
    const h100 = resolveCluster({ gpus: 16, nodes: 2, gpuMemory: 80 * 2 ** 30, gpuName: 'NVIDIA H100 PCIe', interconnect: 'pcie' }, null);
    expect(h100.interBusBandwidth).toMatchObject({ value: 0.8 * 63 * 1e9, estimate: true });
    expect(h100.interBusBandwidth!.source).toContain('the rule gives 360 GB/s: estimate: 0.9 x 8 x 50 GB/s');
    // uncapped, the measured figure stays measured
    const nvlink = resolveCluster({ gpus: 32, nodes: 4, gpuMemory: 80 * 2 ** 30, gpuName: 'NVIDIA A100-SXM4-80GB', interconnect: 'nvlink' }, null);
    expect(nvlink.interBusBandwidth).toMatchObject({ value: 192e9, estimate: false });
    expect(nvlink.interBusBandwidth!.source).toMatch(/^DGX A100/);
  });

  it('given bandwidths win over defaults; H100 defaults are the published 370 GB/s NVLink figure', () => {
    const h100 = resolveCluster({ gpus: 8, gpuMemory: 80 * 2 ** 30, gpuName: 'NVIDIA H100 80GB HBM3', interconnect: 'nvlink' }, null);
    expect(h100.intraBusBandwidth).toMatchObject({ value: 370e9, estimate: false });
    const given = resolveCluster({ gpus: 16, nodes: 2, gpuMemory: 80 * 2 ** 30, busBandwidth: 200e9, interNodeBandwidth: 50e9 }, null);
    expect(given.intraBusBandwidth).toMatchObject({ value: 200e9, source: '--bus-bandwidth' });
    expect(given.interBusBandwidth).toMatchObject({ value: 50e9, source: '--inter-node-bandwidth' });
  });
});
