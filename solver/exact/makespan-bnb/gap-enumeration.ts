import { binPackingLpBound, type ItemTypes } from './column-generation.ts';
import { CoveringMaster } from './covering-master.ts';
import { minimumFill } from './cg-diving.ts';
import { PatternKnapsack } from './knapsack.ts';
import { Deadline, type SearchBudget } from './problem.ts';

/**
 * "Do the items fit into `bins` bins?" decided exactly through the LP's reduced costs, for the instances whose
 * Gilmore–Gomory LP value lies within a fraction of a bin of `bins` (Hard28: the LP is B* − 0.0002 for B* bins, and
 * exactly 76 = B* − 1 for BPP119's 76 bins, where no LP bound can say no). Reduced-cost column enumeration, then an
 * exact search over the enumerated columns (route enumeration in Baldacci, Christofides & Mingozzi, Math.
 * Programming 115, 2008; for bin packing, Wei, Luo, Baldacci & Lim, INFORMS J. Computing 32(2), 2020).
 *
 * The argument, in integer arithmetic: solve the LP to optimality; scale its duals to integers π' = ⌊π·2²⁴⌋ ≥ 0 and
 * let κ' be the exact maximum of Σ π'·a over the patterns a that fit (knapsack.ts, with the waste limit's minimum
 * fill). A pattern's integer reduced cost r(a) = κ' − Σ π'·a is ≥ 0. A packing into `bins` bins uses `bins` patterns
 * (empty bins allowed only without a minimum fill) covering the demand d exactly, so Σ r over its bins equals
 * G = bins·κ' − Σ π'·d. Hence G < 0 proves that no packing exists (Farley's bound), and otherwise every bin of every
 * packing is a pattern with r ≤ G, and their r add up to at most G. When the LP value is close to `bins`, G is
 * small and few patterns qualify (BPP119, 76 bins: G = 101 against κ' = 2²⁴, 436 patterns): they are enumerated (a
 * depth-first search over the item types, cut by an exact table of the best value the remaining types can add in
 * the remaining room, so that every node leads to a pattern), then a branch and bound over them alone decides
 * (searchGapColumns below). Its failure proves that no packing exists, since the columns are all the candidates.
 *
 * Returns the bins as copies per item type, `null` when proven not to fit, or undefined when the LP did not
 * converge in time or the table or the column set passes its limit; throws Deadline when the budget ends first.
 */
export function decideByGapEnumeration(
  types: ItemTypes,
  capacity: number,
  bins: number,
  budget: SearchBudget,
  options: { readonly columns?: readonly Int32Array[]; readonly maxColumns?: number } = {},
): Int32Array[] | null | undefined {
  if (types.weight.length === 0) return [];
  const listed = enumerateGapColumns(types, capacity, bins, budget, options);
  if (listed === null || listed === undefined) return listed;
  return searchGapColumns(types, capacity, bins, listed, budget);
}

/**
 * The first half of decideByGapEnumeration: the LP to optimality and every pattern whose integer reduced cost fits in
 * the gap G (a complete candidate set for a packing into `bins` bins). `null` when the LP or G < 0 proves that no
 * packing exists; undefined when the LP did not converge in time or a limit was passed; throws Deadline.
 */
export function enumerateGapColumns(
  types: ItemTypes,
  capacity: number,
  bins: number,
  budget: SearchBudget,
  options: { readonly columns?: readonly Int32Array[]; readonly maxColumns?: number } = {},
): Int32Array[] | null | undefined {
  const T = types.weight.length;
  const { weight, demand } = types;
  if ((T + 1) * (capacity + 1) > TABLE_LIMIT) return undefined;
  const minFill = minimumFill(weight, demand, capacity, bins);
  const lp = binPackingLpBound(types, capacity, { deadline: budget.deadline, minFill, untilConverged: true, ...(options.columns ? { columns: options.columns } : {}) });
  budget.nodes += lp.iterations;
  if (lp.bins > bins) return null;
  if (!lp.converged) return undefined;
  const pi = lp.master.duals().map((v) => Math.floor(Math.min(1, Math.max(0, v)) * SCALE));
  const kappa = new PatternKnapsack(weight, capacity).solve(pi, demand, minFill).value;
  if (kappa === -Infinity) return null; // no pattern reaches the minimum fill
  let piD = 0;
  for (let t = 0; t < T; t++) piD += pi[t]! * demand[t]!;
  const gap = bins * kappa - piD;
  if (gap < 0) return null;

  // best[k][room]: the most Σ π'·a the types k.. can add within `room` (exact integers)
  const stride = capacity + 1;
  const best = new Float64Array((T + 1) * stride);
  for (let k = T - 1; k >= 0; k--) {
    const row = k * stride;
    const next = row + stride;
    const most = Math.min(demand[k]!, Math.floor(capacity / weight[k]!));
    for (let room = 0; room <= capacity; room++) {
      let v = best[next + room]!;
      for (let q = 1; q <= most && q * weight[k]! <= room; q++) v = Math.max(v, q * pi[k]! + best[next + room - q * weight[k]!]!);
      best[row + room] = v;
    }
  }
  // the patterns with r ≤ gap
  const maxColumns = options.maxColumns ?? 200_000;
  const listed: Int32Array[] = [];
  let found = 0;
  const counts = new Int32Array(T);
  let nonEmpty = false;
  const enumerate = (k: number, room: number, value: number): boolean => {
    if ((++budget.nodes & 4095) === 0 && performance.now() > budget.deadline) throw new Deadline();
    if (value + best[k * stride + room]! < kappa - gap) return true;
    if (k === T) {
      if (capacity - room < minFill || !nonEmpty) return true;
      if (++found > maxColumns) return false;
      listed.push(Int32Array.from(counts));
      return true;
    }
    const most = Math.min(demand[k]!, Math.floor(room / weight[k]!));
    for (let q = most; q >= 0; q--) {
      counts[k] = q;
      const was = nonEmpty;
      nonEmpty ||= q > 0;
      const ok = enumerate(k + 1, room - q * weight[k]!, value + q * pi[k]!);
      nonEmpty = was;
      if (!ok) {
        counts[k] = 0;
        return false;
      }
    }
    counts[k] = 0;
    return true;
  };
  if (!enumerate(0, capacity, 0)) return undefined;
  return listed;
}

/**
 * Depth-first branch and bound over a complete set of columns (every pattern a packing into `bins` bins can use):
 * at each node the covering LP of the residual items over the allowed columns (covering-master.ts); a node is cut
 * when Farley's bound with the node's duals, in integers (⌈Σ π'·d / κ'⌉ with κ' the best allowed column, exact
 * here since the columns are listed), exceeds the bins left, or the residual weight exceeds their capacity. It
 * branches on the allowed column with the largest LP value: one copy of it fixed, else the column forbidden
 * (the two branches cover every packing), so the search is complete and its failure a proof.
 */
export function searchGapColumns(types: ItemTypes, capacity: number, bins: number, columns: readonly Int32Array[], budget: SearchBudget): Int32Array[] | null {
  const T = types.weight.length;
  const { weight, demand } = types;
  const colTypes = columns.map((c) => Int32Array.from(Array.from(c.keys()).filter((t) => c[t]! > 0)));
  const colWeight = columns.map((c) => Array.from(c).reduce((sum, q, t) => sum + q * weight[t]!, 0));
  const residual = Int32Array.from(demand);
  const allowed = new Uint8Array(columns.length).fill(1);
  const chosen: Int32Array[] = [];
  const fits = (j: number): boolean => {
    const ts = colTypes[j]!;
    const a = columns[j]!;
    for (let k = 0; k < ts.length; k++) if (a[ts[k]!]! > residual[ts[k]!]!) return false;
    return true;
  };
  const search = (left: number, weightLeft: number): boolean => {
    if (weightLeft === 0) return true;
    if (left <= 0 || weightLeft > left * capacity) return false;
    budget.nodes++;
    if (performance.now() > budget.deadline) throw new Deadline();
    const live: number[] = [];
    const covered = new Uint8Array(T);
    for (let j = 0; j < columns.length; j++)
      if (allowed[j] && fits(j)) {
        live.push(j);
        for (const t of colTypes[j]!) covered[t] = 1;
      }
    for (let t = 0; t < T; t++) if (residual[t]! > 0 && !covered[t]) return false; // an item no allowed column takes
    const master = new CoveringMaster(residual);
    const first = master.columnTypes.length; // the singleton start columns come before ours
    for (const j of live) master.addColumn(columns[j]!);
    if (!master.solve(budget.deadline)) throw new Deadline();
    // Farley's bound in integers over the live columns
    const pi = master.duals().map((v) => Math.floor(Math.min(1, Math.max(0, v)) * SCALE));
    let kappa = 0;
    for (const j of live) {
      let v = 0;
      for (const t of colTypes[j]!) v += pi[t]! * columns[j]![t]!;
      kappa = Math.max(kappa, v);
    }
    let piD = 0;
    for (let t = 0; t < T; t++) piD += pi[t]! * residual[t]!;
    if (piD > 0 && (kappa === 0 || piD > left * kappa)) return false;
    const x = master.values();
    // an integral LP over our columns is a packing (copies beyond the residual are dropped from their bins)
    let integral = true;
    let binsUsed = 0;
    for (let c = 0; c < x.length && integral; c++) {
      if (c < first && x[c]! > 1e-6) integral = false;
      else if (Math.abs(x[c]! - Math.round(x[c]!)) > 1e-6) integral = false;
      else binsUsed += Math.round(x[c]!);
    }
    if (integral && binsUsed <= left) {
      const need = Int32Array.from(residual);
      for (let k = 0; k < live.length; k++)
        for (let copy = 0; copy < Math.round(x[first + k]!); copy++) {
          const bin = Int32Array.from(columns[live[k]!]!, (q, t) => Math.min(q, need[t]!));
          bin.forEach((q, t) => (need[t] = need[t]! - q));
          chosen.push(bin);
        }
      if (need.every((q) => q === 0)) return true;
      chosen.length -= binsUsed; // (cannot happen: the LP covers the residual)
    }
    let branch = -1;
    for (let k = 0; k < live.length; k++) if (x[first + k]! > 1e-6 && (branch < 0 || x[first + k]! > x[first + branch]!)) branch = k;
    // the LP may rest on its start columns (single items) alone when a live column is the same single item:
    // then branch on the first live column (any column keeps the two branches complete)
    const j = live[Math.max(0, branch)]!;
    const a = columns[j]!;
    // one copy of column j
    for (const t of colTypes[j]!) residual[t] = residual[t]! - a[t]!;
    chosen.push(a);
    if (search(left - 1, weightLeft - colWeight[j]!)) return true;
    chosen.pop();
    for (const t of colTypes[j]!) residual[t] = residual[t]! + a[t]!;
    // or none
    allowed[j] = 0;
    const ok = search(left, weightLeft);
    allowed[j] = 1;
    return ok;
  };
  let total = 0;
  for (let t = 0; t < T; t++) total += weight[t]! * demand[t]!;
  return search(bins, total) ? chosen : null;
}

const SCALE = 2 ** 24;
/** The table of best completions: Hard28 (capacity 1000, 173 types) needs 0.17 M cells; HARD0 would need 20 M. */
const TABLE_LIMIT = 4e6;
