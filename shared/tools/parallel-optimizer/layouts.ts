// The shapes a layout can take: divisors of the GPU count, and the pipeline row's stage count.
export interface Layout {
  /** Tensor-parallel size (GPUs of one node sharing each layer). */
  t: number;
  /** Pipeline stages. */
  p: number;
  /** Data-parallel replicas. */
  d: number;
}

/** The divisors of n in ascending order, found in pairs up to √n (a linear scan of a million GPUs would be slow). */
export function divisors(n: number): number[] {
  const low: number[] = [];
  const high: number[] = [];
  for (let i = 1; i * i <= n; i += 1) {
    if (n % i !== 0) continue;
    low.push(i);
    if (i * i !== n) high.unshift(n / i);
  }
  return [...low, ...high];
}

/** The pp row's stage cap: one stage per node (per GPU on one node), at most one layer per stage. */
export function pipelineCap(n: number, nodes: number, layers: number): number {
  return Math.min(nodes > 1 ? nodes : n, layers);
}

/**
 * The pp row's layout: p the largest divisor of n not above the cap that the framework accepts (Megatron: p
 * divides the layers), so that d = n/p is a whole number. p = 1 is always accepted.
 */
export function pipelineLayout(n: number, nodes: number, layers: number, accepts: (p: number) => boolean = (p) => layers % p === 0): Layout {
  const cap = pipelineCap(n, nodes, layers);
  const p = Math.max(...divisors(n).filter((x) => x <= cap && (x === 1 || accepts(x))));
  return { t: 1, p, d: n / p };
}
