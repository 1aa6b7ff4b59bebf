import { binPackingL2 } from '../../../models/load-balancing/bounds.ts';
import { decideBinCompletion } from './bin-completion.ts';
import { diveForPacking, firstFitDecreasing, minimumFill } from './cg-diving.ts';
import { binPackingLpBound, type ItemTypes } from './column-generation.ts';
import { enumerateGapColumns, searchGapColumns } from './gap-enumeration.ts';
import { packByPatternIp } from './pattern-ip.ts';
import type { MilpBackend } from '../../milp/backend.ts';
import { Deadline, type SearchBudget } from './problem.ts';

export interface DecidePackingOptions {
  /** A MILP backend (HiGHS) for the integer program over the gap enumeration's columns (pattern-ip.ts); without one, only our own search runs there. */
  readonly backend?: MilpBackend;
}

/**
 * "Do the loads fit into m TaskManagers of capacity C?" (the decision version of P||Cmax, i.e. bin packing with m
 * bins of size C), for identical TaskManagers without slot or memory capacities and integer loads. The methods,
 * cheapest first, each in its own file:
 * 1. Martello–Toth L2 > m: no (models/load-balancing/bounds.ts);
 * 2. first-fit decreasing uses ≤ m bins: yes (cg-diving.ts);
 * 3. bin completion (bin-completion.ts) for a short share of the time: decides the easy cases either way;
 * 4. the Gilmore–Gomory LP bound, certified (column-generation.ts) > m: no — over the patterns that waste at most
 *    the slack m·C − Σ loads, which decides the "B* − 1 bins do not fit" side of nearly all instances (IRUP);
 * 5. when that LP's value lies within GAP_FIRST of m (the bound cannot say no, nor rounding say yes): the LP to
 *    optimality and every pattern whose reduced cost fits in the gap (gap-enumeration.ts), for GAP_SHARE of the
 *    time left; over those columns the integer program by the MILP backend when one is given (pattern-ip.ts:
 *    finds the packings of Hard28), then our own branch and bound over them (gap-enumeration.ts: decides either
 *    way; BPP119's "76 bins do not fit", an instance whose LP value is exactly 76, is proven there, and gets all
 *    the time left when HiGHS says infeasible, since a dive cannot succeed then);
 * 6. diving on the LP (cg-diving.ts): a packing into m bins, the "B* bins fit" side;
 * 7. bin completion for the rest of the time (complete, so it decides what is left given time).
 * Steps 4 to 6 are skipped when the knapsack table would pass 64 MB (capacities in the millions).
 *
 * Loads `w` are sorted decreasingly. Returns the TaskManager per load position, `null` when proven not to fit;
 * rejects with Deadline when the budget ends first.
 */
export async function decidePacking(w: Float64Array, m: number, C: number, budget: SearchBudget, options: DecidePackingOptions = {}): Promise<Int32Array | null> {
  const n = w.length;
  if (n === 0) return new Int32Array(0);
  if (w[0]! > C) return null;
  const sizes = Array.from(w);
  if (binPackingL2(sizes, C) > m) return null;
  const types = itemTypes(w);
  const ffd = firstFitDecreasing(types.weight, types.demand, C);
  if (ffd.length <= m) return machinesOf(types, w, ffd);

  // 3. a short bin completion: 2 % of what is left, at least 50 ms, at most 1 s
  const left = budget.deadline - performance.now();
  const short = { nodes: 0, deadline: performance.now() + Math.min(1_000, Math.max(50, 0.02 * left)) };
  try {
    const r = decideBinCompletion(w, m, C, short);
    budget.nodes += short.nodes;
    return r;
  } catch (error) {
    if (!(error instanceof Deadline)) throw error;
    budget.nodes += short.nodes;
  }
  if (performance.now() > budget.deadline) throw new Deadline();
  // the LP's knapsack table has a byte per (chunk, capacity unit): past KNAPSACK_CELLS only bin completion runs
  if (knapsackCells(types, C) > KNAPSACK_CELLS) return decideBinCompletion(w, m, C, budget);

  // 4. the certified LP bound
  const lp = binPackingLpBound(types, C, { deadline: budget.deadline, above: m, minFill: minimumFill(types.weight, types.demand, C, m) });
  budget.nodes += lp.iterations;
  if (lp.bins > m) return null;
  if (performance.now() > budget.deadline) throw new Deadline();

  // 5. the gap enumeration, when the LP sits at m: the columns, then HiGHS over them (a packing), then our own
  //    search over them (a packing, or the proof that none exists)
  if (lp.lpValue >= m - GAP_FIRST) {
    const share = { nodes: 0, deadline: performance.now() + GAP_SHARE * (budget.deadline - performance.now()) };
    let decided: Int32Array[] | null | undefined;
    try {
      const columns = enumerateGapColumns(types, C, m, share, { columns: lp.master.denseColumns() });
      if (columns === null) decided = null;
      else if (columns !== undefined) {
        let ipInfeasible = false;
        if (options.backend) {
          const ip = await packByPatternIp(types, m, columns, options.backend, share.deadline);
          if ('bins' in ip) decided = ip.bins;
          ipInfeasible = 'infeasible' in ip;
        }
        // HiGHS' "infeasible" is no proof here, but says that a dive is futile: the search gets the time left
        if (decided === undefined) {
          const search = ipInfeasible ? budget : { nodes: 0, deadline: performance.now() + GAP_SHARE * (budget.deadline - performance.now()) };
          decided = searchGapColumns(types, C, m, columns, search);
          if (search !== budget) share.nodes += search.nodes;
        }
      }
    } catch (error) {
      if (!(error instanceof Deadline)) throw error;
    }
    budget.nodes += share.nodes;
    if (decided === null) return null;
    if (decided) return machinesOf(types, w, decided);
    if (performance.now() > budget.deadline) throw new Deadline();
  }

  // 6. diving, from that LP
  const diveBudget = { nodes: 0, deadline: performance.now() + 0.7 * (budget.deadline - performance.now()) };
  let packing: Int32Array[] | undefined;
  try {
    packing = diveForPacking(types, C, m, diveBudget, { root: lp });
  } catch (error) {
    if (!(error instanceof Deadline)) throw error;
  }
  budget.nodes += diveBudget.nodes;
  if (packing) return machinesOf(types, w, packing);

  // 7. bin completion to the end
  return decideBinCompletion(w, m, C, budget);
}

/** The knapsack table's size limit (bytes; 64 MB: HARD0, capacity 100 000, needs 20 MB). */
const KNAPSACK_CELLS = 64e6;

/** Cells of the pricing table at capacity C: (C + 1) × the binary chunks of every item type. */
function knapsackCells(types: ItemTypes, C: number): number {
  let chunks = 0;
  for (let t = 0; t < types.weight.length; t++) chunks += Math.ceil(Math.log2(Math.min(types.demand[t]!, Math.floor(C / types.weight[t]!)) + 1));
  return (C + 1) * chunks;
}

/** The gap enumeration runs when the LP value is at least m − GAP_FIRST, for GAP_SHARE of the time left. */
const GAP_FIRST = 0.05;
const GAP_SHARE = 0.8;

/** Distinct loads (decreasing) with their multiplicities. */
export function itemTypes(w: Float64Array): ItemTypes {
  const weight: number[] = [];
  const demand: number[] = [];
  for (let i = 0; i < w.length; i++) {
    if (weight.length > 0 && weight[weight.length - 1] === w[i]) demand[demand.length - 1]!++;
    else {
      weight.push(w[i]!);
      demand.push(1);
    }
  }
  return { weight: Int32Array.from(weight), demand: Int32Array.from(demand) };
}

/** TaskManager per load position from bins given as copies per item type. */
function machinesOf(types: ItemTypes, w: Float64Array, bins: readonly Int32Array[]): Int32Array {
  const firstOfType = new Int32Array(types.weight.length);
  for (let t = 1; t < types.weight.length; t++) firstOfType[t] = firstOfType[t - 1]! + types.demand[t - 1]!;
  const next = Int32Array.from(firstOfType);
  const machine = new Int32Array(w.length).fill(-1);
  bins.forEach((bin, b) => {
    for (let t = 0; t < bin.length; t++)
      for (let k = 0; k < bin[t]!; k++) {
        machine[next[t]!] = b;
        next[t] = next[t]! + 1;
      }
  });
  if (machine.some((b) => b < 0)) throw new Error('decidePacking: a packing left an item out (bug)');
  return machine;
}
