import { binPackingLpBound, type ColumnGenerationResult, type ItemTypes } from './column-generation.ts';
import { decideBinCompletion } from './bin-completion.ts';
import { Deadline, type SearchBudget } from './problem.ts';

/**
 * A packing heuristic for the "B bins fit" side: depth-first diving on the Gilmore–Gomory LP with residual
 * rounding and limited backtracking (the primal heuristics of branch and price for bin and cutting-stock packing:
 * Vanderbeck, Operations Research 48(6), 2000; Belov & Scheithauer, EJOR 171, 2006; survey: Delorme, Iori &
 * Martello, EJOR 255, 2016, section 5). At every node the LP of the residual items is solved by column generation
 * (column-generation.ts, with the columns found so far); a node whose certified bound exceeds the bins left fails;
 * otherwise the patterns with value ≥ 1 are fixed ⌊x⌋ times (residual rounding), or else the pattern with the
 * largest value once, and the dive goes on with the residual items. Each node first tries first-fit decreasing
 * on the residual items, and a residual of few items is decided exactly by bin completion (bin-completion.ts).
 * When a dive fails, dives with one or two discrepancies follow (at depth d a lower-ranked pattern is fixed
 * instead), shallow depths first, until a packing is found, they are exhausted, or the time ends.
 *
 * `root`: the LP of all items for `bins` bins (with their waste limit) when the caller has solved it already.
 * Returns the bins as copies per item type, or undefined (no packing found in time; this proves nothing).
 */
export function diveForPacking(
  types: ItemTypes,
  capacity: number,
  bins: number,
  budget: SearchBudget,
  options: { readonly root?: ColumnGenerationResult; readonly exactBelowItems?: number } = {},
): Int32Array[] | undefined {
  const T = types.weight.length;
  const pool = new Map<string, Int32Array>();
  const exactBelow = options.exactBelowItems ?? 36;

  // The LP of every residual met, so that the dives after the first replay their common prefix without solving.
  const memo = new Map<string, { readonly x: Float64Array; readonly dense: readonly Int32Array[] } | null>();
  const solveNode = (residual: Int32Array, left: number, given?: ColumnGenerationResult): { readonly x: Float64Array; readonly dense: readonly Int32Array[] } | null => {
    const key = `${left}:${residual.join(',')}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    // the pool's columns cut to the residual, each distinct one once (cut columns often coincide)
    const trimmedColumns = new Map<string, Int32Array>();
    for (const c of pool.values()) {
      const trimmed = c.map((v, t) => Math.min(v, residual[t]!));
      if (trimmed.some((v) => v > 0)) trimmedColumns.set(trimmed.join(','), trimmed);
    }
    const columns = [...trimmedColumns.values()];
    const minFill = minimumFill(types.weight, residual, capacity, left);
    const lp = given ?? binPackingLpBound({ weight: types.weight, demand: residual }, capacity, { deadline: budget.deadline, above: left, columns, minFill });
    let out: { readonly x: Float64Array; readonly dense: readonly Int32Array[] } | null = null;
    if (lp.bins <= left) {
      const dense = lp.master.denseColumns();
      for (const d of dense) pool.set(d.join(','), d);
      // keep the columns in use only
      const x = lp.master.values();
      // (the master's start columns, single items, may fall short of the minimum fill: never fixed)
      const used = Array.from(x.keys()).filter((j) => x[j]! > 1e-6 && fillOf(types.weight, dense[j]!) >= minFill);
      out = { x: Float64Array.from(used, (j) => x[j]!), dense: used.map((j) => dense[j]!) };
    }
    if (performance.now() <= budget.deadline) memo.set(key, out);
    return out;
  };

  /** One dive; at a depth d in `swerve` it takes choice swerve(d) instead of the first. */
  const dive = (residual: Int32Array, left: number, depth: number, swerve: ReadonlyMap<number, number>): { bins?: Int32Array[]; depth: number } => {
    if (performance.now() > budget.deadline) return { depth };
    budget.nodes++;
    let items = 0;
    for (let t = 0; t < T; t++) items += residual[t]!;
    if (items === 0) return { bins: [], depth };
    if (left <= 0) return { depth };
    const ffd = firstFitDecreasing(types.weight, residual, capacity);
    if (ffd.length <= left) return { bins: ffd, depth };
    if (items <= exactBelow) {
      const exact = exactCompletion(types.weight, residual, capacity, left, budget);
      return exact ? { bins: exact, depth } : { depth };
    }
    const node = solveNode(residual, left);
    if (!node) return { depth };
    const { x, dense } = node;
    const order = Array.from(x.keys()).filter((j) => x[j]! > 1e-6).sort((a, b) => x[b]! - x[a]! || a - b);
    // the choices at this node: residual rounding (every pattern with value ≥ 1, ⌊x⌋ times) when it applies,
    // then each pattern once, by decreasing value; a dive takes choice swerve(depth), by default the first
    const rounding: Int32Array[] = [];
    const counted = Int32Array.from(residual);
    for (const j of order.filter((j) => x[j]! >= 1 - 1e-6)) {
      const copies = Math.floor(x[j]! + 1e-6);
      for (let k = 0; k < copies && rounding.length < left; k++) {
        if (!subtract(counted, dense[j]!)) break;
        rounding.push(dense[j]!);
      }
    }
    const choices: Int32Array[][] = rounding.length > 0 ? [rounding] : [];
    for (const j of order) choices.push([dense[j]!]);
    const fixed = choices[swerve.get(depth) ?? 0] ?? [];
    const next = Int32Array.from(residual);
    for (const f of fixed) if (!subtract(next, f)) return { depth };
    if (fixed.length === 0) return { depth };
    const rest = dive(next, left - fixed.length, depth + 1, swerve);
    return rest.bins ? { bins: [...fixed, ...rest.bins], depth: rest.depth } : { depth: rest.depth };
  };
  // limited discrepancy search (Harvey & Ginsberg, IJCAI 1995): the plain dive; then dives with one discrepancy
  // (the 2nd, 3rd, 4th best pattern at one depth, shallow depths first); then two (the 2nd best at two depths).
  // The column pool and the memo of node LPs grow across dives.
  if (options.root) solveNode(Int32Array.from(types.demand), bins, options.root); // the caller's LP of all items
  let maxDepth = 0;
  const attempt = (swerve: ReadonlyMap<number, number>): Int32Array[] | undefined => {
    const r = dive(Int32Array.from(types.demand), bins, 0, swerve);
    maxDepth = Math.max(maxDepth, r.depth);
    return r.bins;
  };
  const timeLeft = (): boolean => performance.now() <= budget.deadline;
  const found = attempt(new Map());
  if (found) return found;
  for (let rank = 1; rank <= 3; rank++)
    for (let d = 0; d <= maxDepth && timeLeft(); d++) {
      const r = attempt(new Map([[d, rank]]));
      if (r) return r;
    }
  for (let b = 1; b <= maxDepth && timeLeft(); b++)
    for (let a = 0; a < b && timeLeft(); a++) {
      const r = attempt(new Map([[a, 1], [b, 1]]));
      if (r) return r;
    }
  return undefined;
}

/** The least fill of a bin in any packing of `residual` into `bins` bins of size `capacity` (0 when slack ≥ capacity). */
export function minimumFill(weight: Int32Array, residual: Int32Array, capacity: number, bins: number): number {
  let total = 0;
  for (let t = 0; t < weight.length; t++) total += weight[t]! * residual[t]!;
  return Math.max(0, capacity - (bins * capacity - total));
}

function fillOf(weight: Int32Array, pattern: Int32Array): number {
  let s = 0;
  for (let t = 0; t < weight.length; t++) s += weight[t]! * pattern[t]!;
  return s;
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
  // a short search: a residual that bin completion cannot settle quickly counts as a failed dive
  const short = { nodes: 0, deadline: Math.min(budget.deadline, performance.now() + 200) };
  let machine: Int32Array | null = null;
  try {
    machine = decideBinCompletion(Float64Array.from(sizes), bins, capacity, short);
  } catch (error) {
    if (!(error instanceof Deadline)) throw error;
  }
  budget.nodes += short.nodes;
  if (!machine) return undefined;
  const out = Array.from({ length: bins }, () => new Int32Array(weight.length));
  machine.forEach((b, i) => (out[b]![typeOf[i]!] = out[b]![typeOf[i]!]! + 1));
  return out.filter((b) => b.some((v) => v > 0));
}
