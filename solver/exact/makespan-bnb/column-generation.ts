import { CoveringMaster } from './covering-master.ts';
import { PatternKnapsack } from './knapsack.ts';

/**
 * The Gilmore–Gomory LP bound for bin packing by column generation (Gilmore & Gomory, Operations Research 9(6),
 * 1961; Vance et al. 1994; equal to the LP relaxation of Valério de Carvalho's arc-flow model, Annals of OR 86,
 * 1999): the restricted master (covering-master.ts) is priced by a bounded knapsack (knapsack.ts) until no pattern
 * has negative reduced cost. Its rounded-up value is within one bin of the optimum on nearly every instance
 * (the IRUP property; Scheithauer & Terno 1995; the Hard28 set was chosen to test it, Schoenfield 2002).
 *
 * The bound reported is certified, not read from floating point: with any duals π ≥ 0 (here the simplex's,
 * scaled to integers π' = ⌊π·2²⁴⌋) and the exact integer knapsack value κ' = max Σ π'·a over the patterns of one
 * bin, every packing with B bins gives Σ_t d_t π'_t ≤ B·κ', so B ≥ ⌈Σ d π' / κ'⌉ in integer arithmetic
 * (Farley's bound, Operations Research 38(5), 1990; π'/κ' is a dual feasible function in the sense of
 * Fekete & Schepers, Math. Programming 91, 2001). Column generation may stop early once this reaches the LP's
 * rounded-up value, or exceeds the number of bins asked about.
 *
 * Item types: distinct integer weights (each ≤ the capacity) with their multiplicities.
 */
export interface ItemTypes {
  readonly weight: Int32Array;
  readonly demand: Int32Array;
}

export interface ColumnGenerationResult {
  /** A certified lower bound on the bins (integer). */
  readonly bins: number;
  /** The restricted master's value when the generation stopped (the LP value when `converged`). */
  readonly lpValue: number;
  readonly converged: boolean;
  /** The master, for the diving heuristic: columns and their values. */
  readonly master: CoveringMaster;
  readonly iterations: number;
}

const SCALE = 2 ** 24;
const SMOOTHING = 0.5;
/** Patterns added per pricing round besides the best one (read from the same knapsack table). */
const ALTERNATIVES = 7;

export interface ColumnGenerationOptions {
  readonly deadline: number;
  /** Stop as soon as the certified bound exceeds this many bins. */
  readonly above?: number;
  /** Columns to start from (copies per item type, dense): e.g. the parent's in a dive. */
  readonly columns?: readonly Int32Array[];
  /**
   * Only patterns of at least this total weight count (default 0). Deciding "do the items fit into m bins?", with
   * slack S = m·C − Σ weights < C every bin of a packing is non-empty and wastes at most S, so only patterns of
   * fill ≥ C − S can occur: the LP over them, and the bound certified with them, are bounds for that question
   * (not for the bin count in general), and much stronger when S is small (Hard28: S of a few dozen on 1000).
   */
  readonly minFill?: number;
  /** Go on until no pattern prices out (the duals are then optimal), even once the bound settles the question. */
  readonly untilConverged?: boolean;
}

export function binPackingLpBound(types: ItemTypes, capacity: number, options: ColumnGenerationOptions): ColumnGenerationResult {
  const T = types.weight.length;
  const demand = types.demand;
  const master = new CoveringMaster(demand);
  const minFill = options.minFill ?? 0;
  const knapsack = new PatternKnapsack(types.weight, capacity);
  for (const col of options.columns ?? []) if (fitsDemand(col, demand)) master.addColumn(col);
  let bins = 0;
  let converged = false;
  let iterations = 0;
  let lpValue = Infinity;
  // Wentges' dual smoothing (Math. Programming 77, 1997; Pessoa et al., INFORMS J. Computing 30, 2018): price at
  // a point between the best duals so far (by Farley's bound) and the master's, which damps the oscillation of the
  // duals and saves iterations; when that finds no column improving the master, price at the master's duals.
  let center: Float64Array | undefined;
  let centerBound = -Infinity;
  const farleyOf = (pi: Float64Array, value: number): number => {
    let pd = 0;
    for (let t = 0; t < T; t++) pd += pi[t]! * demand[t]!;
    return pd / Math.max(1, value);
  };
  for (;;) {
    if (!master.solve(options.deadline)) break;
    iterations++;
    lpValue = master.objective();
    const lpCeil = Math.ceil(lpValue - 1e-6);
    const pi = master.duals().map((v) => Math.min(1, Math.max(0, v)));
    // the priced pattern and up to ALTERNATIVES more from the same table, each kept when it prices out at π
    const improving = (counts: Int32Array): boolean => {
      let reduced = 1;
      for (let t = 0; t < T; t++) reduced -= pi[t]! * counts[t]!;
      return reduced < -1e-9;
    };
    let columns: Int32Array[] = [];
    if (center) {
      const c = center;
      const sep = pi.map((v, t) => SMOOTHING * c[t]! + (1 - SMOOTHING) * v);
      const priced = knapsack.solve(sep, demand, minFill, ALTERNATIVES);
      const lb = farleyOf(sep, priced.value);
      if (lb > centerBound) [center, centerBound] = [sep, lb];
      columns = [priced.counts, ...priced.others].filter(improving);
    }
    let done = false;
    if (columns.length === 0) {
      const priced = knapsack.solve(pi, demand, minFill, ALTERNATIVES);
      const lb = farleyOf(pi, priced.value);
      if (lb > centerBound) [center, centerBound] = [pi, lb];
      done = priced.value <= 1 + 1e-9;
      columns = [priced.counts, ...priced.others.filter(improving)];
    }
    const best = Math.ceil(centerBound - 1e-6);
    if (done || best >= lpCeil || (options.above !== undefined && best > options.above)) {
      bins = Math.max(bins, certify(center!, types, knapsack, minFill));
      if (done) converged = true;
      if (done || (!options.untilConverged && (bins >= lpCeil || (options.above !== undefined && bins > options.above)))) break;
    }
    if (performance.now() > options.deadline) break;
    for (const column of columns) master.addColumn(column);
  }
  return { bins, lpValue, converged, master, iterations };
}

/** ⌈Σ d·π' / κ'⌉ with π' = ⌊π·2²⁴⌋ and κ' the exact integer knapsack value: a valid bound for any π ≥ 0. */
function certify(pi: Float64Array, types: ItemTypes, knapsack: PatternKnapsack, minFill: number): number {
  const scaled = pi.map((v) => Math.floor(Math.max(0, v) * SCALE));
  let num = 0;
  for (let t = 0; t < scaled.length; t++) num += scaled[t]! * types.demand[t]!;
  const den = knapsack.solve(scaled, types.demand, minFill).value;
  if (den === -Infinity) return Infinity; // no pattern reaches the fill: no packing at all
  if (den <= 0) return 0;
  let q = Math.floor(num / den);
  while (q * den < num) q++;
  while (q > 0 && (q - 1) * den >= num) q--;
  return q;
}

function fitsDemand(col: Int32Array, demand: Int32Array): boolean {
  for (let t = 0; t < col.length; t++) if (col[t]! > demand[t]!) return false;
  return col.some((v) => v > 0);
}
