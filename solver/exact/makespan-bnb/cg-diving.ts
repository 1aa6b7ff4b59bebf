import { binPackingLpBound, type ItemTypes } from './column-generation.ts';
import { decideBinCompletion } from './bin-completion.ts';
import type { SearchBudget } from './problem.ts';

/**
 * A packing heuristic for the "B bins fit" side: depth-first diving on the Gilmore–Gomory LP with residual
 * rounding and limited backtracking (the primal heuristics of branch and price for bin and cutting-stock packing:
 * Vanderbeck, Operations Research 48(6), 2000; Belov & Scheithauer, EJOR 171, 2006; survey: Delorme, Iori &
 * Martello, EJOR 255, 2016, section 5). At every node the LP of the residual items is solved by column generation
 * (column-generation.ts, with the columns found so far); a node whose certified bound exceeds the bins left fails;
 * otherwise the patterns with value ≥ 1 are fixed ⌊x⌋ times (residual rounding), or else the pattern with the
 * largest value once, and the dive goes on with the residual items. Each node first tries first-fit decreasing
 * on the residual items, and a residual of few items is decided exactly by bin completion (bin-completion.ts).
 * At the first `branching` levels the next-best pattern is tried when a dive fails (limited discrepancy).
 *
 * Returns the bins as copies per item type, or undefined (no packing found in time; this proves nothing).
 */
export function diveForPacking(
  types: ItemTypes,
  capacity: number,
  bins: number,
  budget: SearchBudget,
  options: { readonly columns?: readonly Int32Array[]; readonly branching?: number; readonly exactBelowItems?: number } = {},
): Int32Array[] | undefined {
  const T = types.weight.length;
  const pool = new Map<string, Int32Array>();
  for (const c of options.columns ?? []) pool.set(c.join(','), c);
  const branching = options.branching ?? 3;
  const exactBelow = options.exactBelowItems ?? 30;

  const dive = (residual: Int32Array, left: number, depth: number): Int32Array[] | undefined => {
    if (performance.now() > budget.deadline) return undefined;
    budget.nodes++;
    let items = 0;
    for (let t = 0; t < T; t++) items += residual[t]!;
    if (items === 0) return [];
    if (left <= 0) return undefined;
    const ffd = firstFitDecreasing(types.weight, residual, capacity);
    if (ffd.length <= left) return ffd;
    if (items <= exactBelow) return exactCompletion(types.weight, residual, capacity, left, budget);
    const columns: Int32Array[] = [];
    for (const c of pool.values()) {
      const trimmed = c.map((v, t) => Math.min(v, residual[t]!));
      if (trimmed.some((v) => v > 0)) columns.push(trimmed);
    }
    const lp = binPackingLpBound({ weight: types.weight, demand: residual }, capacity, { deadline: budget.deadline, above: left, columns });
    if (lp.bins > left) return undefined;
    const x = lp.master.values();
    const dense: Int32Array[] = lp.master.columnTypes.map((ts, j) => {
      const d = new Int32Array(T);
      ts.forEach((t, k) => (d[t] = lp.master.columnCounts[j]![k]!));
      return d;
    });
    for (const d of dense) pool.set(d.join(','), d);
    const order = Array.from(x.keys()).filter((j) => x[j]! > 1e-6).sort((a, b) => x[b]! - x[a]! || a - b);
    // residual rounding: every pattern with value ≥ 1, ⌊x⌋ times, when it fits the residual items
    const rounded = order.filter((j) => x[j]! >= 1 - 1e-6);
    if (rounded.length > 0) {
      const next = Int32Array.from(residual);
      const fixed: Int32Array[] = [];
      for (const j of rounded) {
        const copies = Math.floor(x[j]! + 1e-6);
        for (let k = 0; k < copies && fixed.length < left; k++) {
          if (!subtract(next, dense[j]!)) break;
          fixed.push(dense[j]!);
        }
      }
      if (fixed.length > 0) {
        const rest = dive(next, left - fixed.length, depth + 1);
        if (rest) return [...fixed, ...rest];
      }
    }
    const tries = depth < 2 ? branching : 1;
    for (const j of order.slice(0, tries)) {
      const next = Int32Array.from(residual);
      if (!subtract(next, dense[j]!)) continue;
      const rest = dive(next, left - 1, depth + 1);
      if (rest) return [dense[j]!, ...rest];
      if (performance.now() > budget.deadline) return undefined;
    }
    return undefined;
  };
  return dive(Int32Array.from(types.demand), bins, 0);
}

/** residual −= pattern when every count is available; false (residual unchanged) otherwise. */
function subtract(residual: Int32Array, pattern: Int32Array): boolean {
  for (let t = 0; t < pattern.length; t++) if (pattern[t]! > residual[t]!) return false;
  for (let t = 0; t < pattern.length; t++) residual[t] = residual[t]! - pattern[t]!;
  return true;
}

/** First-fit decreasing (Johnson 1973) on item types in decreasing weight; bins as copies per type. */
export function firstFitDecreasing(weight: Int32Array, demand: Int32Array, capacity: number): Int32Array[] {
  const fill: number[] = [];
  const bins: Int32Array[] = [];
  for (let t = 0; t < weight.length; t++) {
    for (let k = 0; k < demand[t]!; k++) {
      let b = 0;
      while (b < fill.length && fill[b]! + weight[t]! > capacity) b++;
      if (b === fill.length) {
        fill.push(0);
        bins.push(new Int32Array(weight.length));
      }
      fill[b] = fill[b]! + weight[t]!;
      bins[b]![t] = bins[b]![t]! + 1;
    }
  }
  return bins;
}

/** Bin completion on a residual of few items: exact (a failure here is a failure of this dive only). */
function exactCompletion(weight: Int32Array, residual: Int32Array, capacity: number, bins: number, budget: SearchBudget): Int32Array[] | undefined {
  const sizes: number[] = [];
  const typeOf: number[] = [];
  for (let t = 0; t < weight.length; t++)
    for (let k = 0; k < residual[t]!; k++) {
      sizes.push(weight[t]!);
      typeOf.push(t);
    }
  const machine = decideBinCompletion(Float64Array.from(sizes), bins, capacity, budget);
  if (!machine) return undefined;
  const out = Array.from({ length: bins }, () => new Int32Array(weight.length));
  machine.forEach((b, i) => (out[b]![typeOf[i]!] = out[b]![typeOf[i]!]! + 1));
  return out.filter((b) => b.some((v) => v > 0));
}
