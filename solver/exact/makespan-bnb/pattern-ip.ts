import { LinearModel, equalTo, lessEq, sum, weightedSum } from '../../../models/milp/index.ts';
import type { MilpBackend } from '../../milp/backend.ts';
import type { ItemTypes } from './column-generation.ts';

/**
 * A packing into `bins` bins found by a MILP over a given set of patterns: the Gilmore–Gomory integer program
 * (Gilmore & Gomory, Operations Research 9(6), 1961) restricted to those columns, x_p ∈ ℤ≥0 copies of pattern p,
 * Σ_p a_tp x_p = d_t for every item type t, Σ_p x_p ≤ bins, minimise Σ_p x_p; solved by the MILP backend (HiGHS).
 * Over the columns of the reduced-cost gap enumeration (gap-enumeration.ts), which hold every pattern a packing into
 * `bins` bins can use, this is the route-enumeration step of Baldacci, Christofides & Mingozzi (Math. Programming
 * 115, 2008) and of Wei, Luo, Baldacci & Lim (INFORMS J. Computing 32(2), 2020) for bin packing: a general MIP
 * solver on the enumerated columns. Measured (docs/exact-solving.md): HiGHS finds the B* packings of Hard28 BPP13,
 * BPP40, BPP60 and BPP144 over 404–747 columns in 0.6–13 s, where the depth-first search over the same columns
 * (searchGapColumns) found none in a minute.
 *
 * Only a packing is taken from the backend (its values are checked by the backend against the model, and the caller
 * validates the assignment); the backend's "infeasible" is returned as `infeasible` for the caller to decide what to
 * do with, and is not used here as a proof.
 */
export type PatternIpAnswer = { readonly bins: Int32Array[] } | { readonly infeasible: true } | { readonly unknown: string };

export async function packByPatternIp(
  types: ItemTypes,
  bins: number,
  columns: readonly Int32Array[],
  backend: MilpBackend,
  deadlineMs: number,
): Promise<PatternIpAnswer> {
  const T = types.weight.length;
  const model = new LinearModel('bin-packing-patterns', 'minimize');
  // at most ⌊d_t / a_tp⌋ copies of a pattern: never more copies of an item type than exist
  const x = columns.map((a, p) => {
    let most = bins;
    for (let t = 0; t < T; t++) if (a[t]! > 0) most = Math.min(most, Math.floor(types.demand[t]! / a[t]!));
    return model.intVar(`x[${p}]`, { min: 0, max: most });
  });
  for (let t = 0; t < T; t++) {
    const terms: [number, (typeof x)[number]][] = [];
    columns.forEach((a, p) => {
      if (a[t]! > 0) terms.push([a[t]!, x[p]!]);
    });
    model.constrain(`demand[${t}]`, weightedSum(terms), equalTo(types.demand[t]!));
  }
  model.constrain('bins', sum(x), lessEq(bins));
  model.minimize(sum(x));
  // (no deadline: the backend's default limit; the HiGHS backend refuses an infinite one)
  const r = await backend.solve(model, Number.isFinite(deadlineMs) ? { deadlineMs, timeLimitMs: Math.max(0, deadlineMs - performance.now()) } : {});
  if (r.status === 'infeasible') return { infeasible: true };
  if ((r.status !== 'optimal' && r.status !== 'feasible') || !r.values) return { unknown: `${r.backend} ${r.status}: ${r.message}` };
  const out: Int32Array[] = [];
  x.forEach((v, p) => {
    for (let k = 0; k < Math.round(r.values![v.index]!); k++) out.push(columns[p]!);
  });
  return { bins: out };
}
