import { binPackingL2 } from '../../../models/load-balancing/bounds.ts';
import { Deadline, type SearchBudget } from './problem.ts';

/**
 * Bin completion (Korf, "A new algorithm for optimal bin packing", AAAI 2002;
 * Schreiber & Korf, IJCAI 2013) for identical TaskManagers without slot or
 * memory capacities and integer loads: fill one TaskManager at a time with the
 * largest remaining task plus a maximal set of others whose total waste stays
 * within the slack m·C − Σ loads; L2 prunes each node; failed sets of
 * remaining tasks are remembered (a failure with d TaskManagers filled also
 * fails with more filled). Returns the machine per order position, or null.
 */
export function decideBinCompletion(w: Float64Array, m: number, C: number, budget: SearchBudget): Int32Array | null {
  const n = w.length;
  const total = w.reduce((a, b) => a + b, 0);
  const slack = m * C - total;
  if (slack < 0 || (n > 0 && w[0]! > C)) return null;
  const used = new Uint8Array(n);
  const machine = new Int32Array(n);
  const words = Math.ceil(n / 30) || 1;
  const bits = new Int32Array(words).fill(0);
  for (let i = 0; i < n; i++) bits[(i / 30) | 0]! |= 1 << (i % 30);
  const failed = new Map<string, number>();
  const FAILED_LIMIT = 2_000_000;
  const remainingSizes = (): number[] => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (!used[i]) out.push(w[i]!);
    return out;
  };

  const fill = (bin: number, waste: number, remainingCount: number, remainingSum: number): boolean => {
    if (remainingCount === 0) return true;
    if (bin === m) return false;
    if ((++budget.nodes & 255) === 0 && performance.now() > budget.deadline) throw new Deadline();
    const key = bits.join(',');
    const seenDepth = failed.get(key);
    if (seenDepth !== undefined && seenDepth <= bin) return false;
    if (binPackingL2(remainingSizes(), C) > m - bin) {
      if (failed.size < FAILED_LIMIT) failed.set(key, bin);
      return false;
    }
    let a = 0;
    while (used[a]) a++;
    const residual = C - w[a]!;
    const minSum = residual - (slack - waste); // the completion must reach this much
    used[a] = 1;
    machine[a] = bin;
    bits[(a / 30) | 0]! &= ~(1 << (a % 30));
    // suffix sums of unused items, for the reachability prune
    const suffix = new Float64Array(n + 1);
    for (let j = n - 1; j >= 0; j--) suffix[j] = suffix[j + 1]! + (used[j] ? 0 : w[j]!);
    let chosenCount = 0;
    // Choose the next included task j ≥ start; the unused tasks skipped on the way are excluded
    // (loads are sorted decreasingly, so the last one skipped is the smallest excluded so far).
    const extend = (start: number, sum: number, minExcluded: number): boolean => {
      let excluded = minExcluded;
      let lastTried = -1;
      for (let j = start; j < n; j++) {
        if (used[j]) continue;
        if (sum + suffix[j]! < minSum) return false;
        const wj = w[j]!;
        if (wj !== lastTried && sum + wj <= residual) {
          lastTried = wj; // equal loads: including a later copy instead is symmetric
          used[j] = 1;
          machine[j] = bin;
          bits[(j / 30) | 0]! &= ~(1 << (j % 30));
          chosenCount++;
          const ok = extend(j + 1, sum + wj, excluded);
          chosenCount--;
          used[j] = 0;
          bits[(j / 30) | 0]! |= 1 << (j % 30);
          if (ok) return true;
        }
        excluded = Math.min(excluded, wj);
      }
      // Close the TaskManager here: the completion must be maximal and within the waste budget.
      if (sum < minSum || excluded <= residual - sum) return false;
      return fill(bin + 1, waste + residual - sum, remainingCount - 1 - chosenCount, remainingSum - w[a]! - sum);
    };
    const ok = extend(a + 1, 0, Infinity);
    used[a] = 0;
    bits[(a / 30) | 0]! |= 1 << (a % 30);
    if (!ok && failed.size < FAILED_LIMIT) failed.set(key, bin);
    return ok;
  };
  return fill(0, 0, n, total) ? machine : null;
}
