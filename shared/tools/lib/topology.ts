// Reading `nvidia-smi topo -m`: the GPU-to-GPU connection matrix. Facts: ../shared/research/gpu-monitor.md §5.
// - rows and columns are GPU0..N, then NICs (`mlx5_N` on older drivers, `NIC0..K` + "NIC Legend" on newer),
//   then CPU/NUMA affinity columns; the self cell is ` X `;
// - cells: `NV#` = a bonded set of # NVLinks; PCIe paths PIX, PXB, PHB, NODE, SYS (best to worst);
// - real output is TAB separated, published copies often use runs of spaces; some drivers wrap the
//   header in ANSI underline escapes even when stdout is a file.

/** PCIe path types from the `topo -m` legend, fastest first. */
export const PCIE_PATHS = ['PIX', 'PXB', 'PHB', 'NODE', 'SYS'] as const;
export type PciePath = (typeof PCIE_PATHS)[number];

export type TopoLink =
  | { kind: 'self' }
  | { kind: 'nvlink'; links: number }
  | { kind: 'pcie'; path: PciePath }
  | { kind: 'unknown'; text: string };

export interface TopoMatrix {
  /** GPU labels in column order: GPU0, GPU1, ... */
  gpus: string[];
  /** NIC labels (NIC0.. or mlx5_N), in column order. */
  nics: string[];
  /** links[i][j]: how GPU i reaches GPU j. */
  links: TopoLink[][];
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** One matrix cell, e.g. "NV12", " X ", "SYS". */
export function parseTopoLink(cell: string): TopoLink {
  const text = cell.trim();
  if (text === 'X') return { kind: 'self' };
  const nv = /^NV(\d+)$/.exec(text);
  if (nv) return { kind: 'nvlink', links: Number(nv[1]) };
  // Older drivers spelled PXB/PIX as "switch(es)"; the codes themselves did not change.
  if ((PCIE_PATHS as readonly string[]).includes(text)) return { kind: 'pcie', path: text as PciePath };
  return { kind: 'unknown', text };
}

/**
 * Parse the matrix part of `nvidia-smi topo -m` (or `topo -mp`). Returns null when the text holds no
 * GPU matrix (for example the Windows error "Option -m is missing its value").
 */
export function parseTopoMatrix(text: string): TopoMatrix | null {
  const lines = text.replace(ANSI, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => /^\s+GPU0\b/.test(line) || /^\tGPU0\b/.test(line));
  if (headerIndex < 0) return null;
  const header = lines[headerIndex]!.trim().split(/\s+/);
  // Device columns run until the affinity columns ("CPU Affinity", "NUMA Affinity", "GPU NUMA ID").
  const affinityAt = header.findIndex((token, i) => token === 'CPU' || (token === 'NUMA' && i > 0) || (token === 'GPU' && header[i + 1] === 'NUMA'));
  const devices = affinityAt < 0 ? header : header.slice(0, affinityAt);
  const gpus = devices.filter((name) => /^GPU\d+$/.test(name));
  const nics = devices.filter((name) => !/^GPU\d+$/.test(name));
  const links: TopoLink[][] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    const cells = line.trim().split(/\s+/);
    const row = gpus.indexOf(cells[0] ?? '');
    if (row < 0) continue;
    links[row] = gpus.map((_gpu, column) => parseTopoLink(cells[1 + column] ?? ''));
  }
  if (gpus.length === 0 || links.length !== gpus.length || links.some((row) => row === undefined)) return null;
  return { gpus, nics, links };
}

export interface TopologySummary {
  gpuCount: number;
  nicCount: number;
  /** Number of distinct GPU pairs. */
  pairs: number;
  /** Pairs joined by NVLink. */
  nvlinkPairs: number;
  /** Smallest NV# over NVLink pairs (null when there are none). */
  minNvlinks: number | null;
  maxNvlinks: number | null;
  /** The slowest PCIe path between any two GPUs that have no NVLink (null when every pair has NVLink). */
  worstPciePath: PciePath | null;
  /** 'nvlink' when every pair has NVLink, 'pcie' when none has, 'mixed' otherwise; 'single' with one GPU. */
  interconnect: 'nvlink' | 'pcie' | 'mixed' | 'single';
}

/** What a ring over all GPUs of this box runs on: the slowest pair decides. */
export function summarizeTopology(matrix: TopoMatrix): TopologySummary {
  const n = matrix.gpus.length;
  let pairs = 0;
  let nvlinkPairs = 0;
  let minNvlinks: number | null = null;
  let maxNvlinks: number | null = null;
  let worst = -1;
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      pairs += 1;
      const link = matrix.links[i]![j]!;
      if (link.kind === 'nvlink') {
        nvlinkPairs += 1;
        minNvlinks = minNvlinks === null ? link.links : Math.min(minNvlinks, link.links);
        maxNvlinks = maxNvlinks === null ? link.links : Math.max(maxNvlinks, link.links);
      } else {
        const rank = link.kind === 'pcie' ? PCIE_PATHS.indexOf(link.path) : PCIE_PATHS.length - 1;
        worst = Math.max(worst, rank);
      }
    }
  }
  const interconnect = n < 2 ? 'single' : nvlinkPairs === pairs ? 'nvlink' : nvlinkPairs === 0 ? 'pcie' : 'mixed';
  return {
    gpuCount: n,
    nicCount: matrix.nics.length,
    pairs,
    nvlinkPairs,
    minNvlinks,
    maxNvlinks,
    worstPciePath: worst < 0 ? null : PCIE_PATHS[worst]!,
    interconnect,
  };
}
