import type { LoadBalancingInstance } from './instance.ts';

const EPS = 1e-9;

/**
 * Lower bounds on min max-utilisation (P||Cmax on identical, Q||Cmax on speed-scaled TaskManagers; the slot and
 * memory capacities only raise the optimum, so bounds of the uncapacitated problem hold). With loads
 * p_1 ≥ p_2 ≥ … and speeds s_1 ≥ s_2 ≥ … (m TaskManagers):
 * - `largest-task` / `preemptive`: the preemptive Q|pmtn|Cmax bound max_{j ≤ m} (p_1+…+p_j)/(s_1+…+s_j)
 *   (j = 1: the largest task on the fastest TaskManager);
 * - `work`: Σ p / Σ s (the perfectly balanced share);
 * - `pigeonhole`: on identical TaskManagers with n > m, two of the m + 1 largest tasks share one: (p_m + p_{m+1}) / s;
 * - `bin-packing`: integer loads, identical unit-speed TaskManagers without capacities: the least integer T with
 *   L2(T) ≤ m (Martello–Toth L2, lifted to P||Cmax as in Dell'Amico & Martello, ORSA J. Computing 7, 1995);
 *   with integer loads on identical TaskManagers otherwise, the bound rounds up to a multiple of 1 / s.
 * The one home of these bounds: the exact `bnb` starts from it, the benchmarks report it as `lower_bound`.
 */
export interface MaxUtilizationBound {
  readonly valueMs: number;
  readonly source: 'work' | 'largest-task' | 'preemptive' | 'pigeonhole' | 'bin-packing';
}

export function maxUtilizationLowerBound(instance: LoadBalancingInstance): MaxUtilizationBound {
  const n = instance.tasks.length;
  const m = instance.taskManagers.length;
  if (n === 0) return { valueMs: 0, source: 'work' };
  const load = instance.tasks.map((t) => t.load).sort((a, b) => b - a);
  const speeds = instance.taskManagers.map((tm) => tm.speedFactor).sort((a, b) => b - a);
  let best: MaxUtilizationBound = { valueMs: 0, source: 'work' };
  const raise = (valueMs: number, source: MaxUtilizationBound['source']) => {
    if (valueMs > best.valueMs) best = { valueMs, source };
  };
  // max_{j ≤ m} (p_1+…+p_j)/(s_1+…+s_j)
  let ps = 0;
  let ss = 0;
  for (let j = 0; j < Math.min(n, m); j++) {
    ps += load[j]!;
    ss += speeds[j]!;
    raise(ps / ss, j === 0 ? 'largest-task' : 'preemptive');
  }
  // Σ p / Σ s
  raise(load.reduce((a, b) => a + b, 0) / speeds.reduce((a, b) => a + b, 0), 'work');
  const identical = speeds.every((s) => s === speeds[0]);
  // (p_m + p_{m+1}) / s
  if (identical && n > m) raise((load[m - 1]! + load[m]!) / speeds[0]!, 'pigeonhole');
  const integral = load.every((w) => Number.isInteger(w));
  const uncapped = instance.taskManagers.every((tm) => tm.slotCount >= n && tm.memoryBytes === Infinity);
  if (identical && speeds[0] === 1 && integral && uncapped) {
    // least integer T ≥ the bound with L2(T) ≤ m
    let T = Math.ceil(best.valueMs - EPS);
    while (binPackingL2(load, T) > m) T++;
    raise(T, 'bin-packing');
  } else if (identical && integral) {
    best = { ...best, valueMs: Math.ceil(best.valueMs * speeds[0]! - EPS) / speeds[0]! };
  }
  return best;
}

/**
 * Martello–Toth L2 lower bound on the bins of capacity c needed for `sizesDesc` (sorted decreasingly;
 * Discrete Appl. Math. 28, 1990): for α ∈ {0} ∪ {sizes ≤ c/2}, with N1 = {w > c − α}, N2 = {c/2 < w ≤ c − α},
 * N3 = {α ≤ w ≤ c/2}: L(α) = |N1| + |N2| + max(0, ⌈(Σ N3 − (|N2|·c − Σ N2)) / c⌉); L2 = max_α L(α).
 */
export function binPackingL2(sizesDesc: readonly number[], c: number): number {
  if (sizesDesc.length === 0) return 0;
  if (sizesDesc[0]! > c + EPS) return Infinity;
  let best = 0;
  const half = c / 2;
  const alphas = new Set<number>([0]);
  for (const w of sizesDesc) if (w <= half + EPS) alphas.add(w);
  for (const alpha of alphas) {
    let n1 = 0;
    let n2 = 0;
    let s2 = 0;
    let s3 = 0;
    for (const w of sizesDesc) {
      if (w > c - alpha + EPS) n1++;
      else if (w > half + EPS) {
        n2++;
        s2 += w;
      } else if (w >= alpha - EPS) s3 += w;
    }
    const spare = n2 * c - s2;
    const extra = Math.max(0, Math.ceil((s3 - spare) / c - EPS));
    best = Math.max(best, n1 + n2 + extra);
  }
  return best;
}
