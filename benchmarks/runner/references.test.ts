import { describe, expect, it } from 'vitest';
import { applyReferences, referenceIsProven, keyReferences, gapToReference } from './references.ts';
import { blankRow } from './test-rows.ts';

// Published figures from datasets/data/stg/graph_bounds.csv (Tobita & Kasahara 2002, STG v2.0 optimal table):
// 50/rand0001.stg on P = 4: trivial bound max(CP 89, ceil(298/4) = 75) = 89, proven optimum 94.
// 50/rand0009.stg on P = 4: open interval [132, 134].
describe('gapToReference', () => {
  it('is (objective - reference) / |reference|', () => {
    expect(gapToReference(99, 94)).toBeCloseTo(5 / 94, 15);
    expect(gapToReference(94, 94)).toBe(0);
    expect(gapToReference(132, 134)).toBeCloseTo(-2 / 134, 15);
  });
  it('is unknown without a reference, and defined at reference 0 only for objective 0', () => {
    expect(gapToReference(5, null)).toBeNull();
    expect(gapToReference(null, 5)).toBeNull();
    expect(gapToReference(0, 0)).toBe(0);
    expect(gapToReference(4, 0)).toBeNull();
  });
});

describe('applyReferences', () => {
  const stg = { instance: 'stg/graphs/50/rand0001.stg', cluster: '4x1', published_lower_bound: 94, published_best_known: 94, lower_bound: 89, lower_bound_source: 'critical-path' };

  it('uses the published optimum of STG 50/rand0001 on 4 processors (94)', () => {
    const rows = applyReferences([
      blankRow({ ...stg, solver: 'heft', objective: 99, run_id: 'a' }),
      blankRow({ ...stg, solver: 'milp', solver_kind: 'exact', status: 'optimal', objective: 94, best_bound: 94, run_id: 'b' }),
    ]);
    expect(rows[0]).toMatchObject({ best_known: 94, best_known_source: 'published-optimum', lower_bound: 94, lower_bound_source: 'published' });
    expect(rows[0]!.gap_to_best_known).toBeCloseTo(5 / 94, 15);
    expect(rows[0]!.gap_to_lower_bound).toBeCloseTo(5 / 94, 15);
    expect(rows[1]!.gap_to_best_known).toBe(0);
  });

  it('takes the better of an open published interval and the exact result in the suite (STG 50/rand0009, P = 4: [132, 134])', () => {
    const open = { instance: 'stg/graphs/50/rand0009.stg', published_lower_bound: 132, published_best_known: 134, lower_bound: 132, lower_bound_source: 'published' };
    const published = applyReferences([
      blankRow({ ...open, solver: 'heft', objective: 140, run_id: 'a' }),
      blankRow({ ...open, solver: 'milp', solver_kind: 'exact', status: 'feasible', objective: 136, best_bound: 130, run_id: 'b' }),
    ]);
    expect(published[0]).toMatchObject({ best_known: 134, best_known_source: 'published-best', lower_bound: 132 });
    expect(published[0]!.gap_to_best_known).toBeCloseTo(6 / 134, 15);
    expect(published[0]!.gap_to_lower_bound).toBeCloseTo(8 / 132, 15);
    expect(published[1]!.gap_to_best_known).toBeCloseTo(2 / 134, 15);

    const beaten = applyReferences([
      blankRow({ ...open, solver: 'heft', objective: 140, run_id: 'a' }),
      blankRow({ ...open, solver: 'milp', solver_kind: 'exact', status: 'optimal', objective: 133, best_bound: 133, run_id: 'b' }),
    ]);
    expect(beaten[0]).toMatchObject({ best_known: 133, best_known_source: 'suite-exact', lower_bound: 133, lower_bound_source: 'suite-exact:milp' });
    expect(beaten[0]!.gap_to_best_known).toBeCloseTo(7 / 133, 15);
  });

  it('falls back to the best exact result, and its proven bound, when nothing is published', () => {
    const rows = applyReferences([
      blankRow({ solver: 'heft', objective: 120, lower_bound: 90, lower_bound_source: 'critical-path', run_id: 'a' }),
      blankRow({ solver: 'milp', solver_kind: 'exact', status: 'feasible', objective: 110, best_bound: 100, lower_bound: 90, lower_bound_source: 'critical-path', run_id: 'b' }),
      blankRow({ solver: 'lpt', objective: 105, status: 'invalid', valid: false, violations: 1, violation: 'x', run_id: 'c' }),
    ]);
    expect(rows[0]).toMatchObject({ best_known: 110, best_known_source: 'suite-exact', lower_bound: 100, lower_bound_source: 'suite-exact:milp' });
    expect(rows[0]!.gap_to_best_known).toBeCloseTo(10 / 110, 15);
    expect(rows[0]!.gap_to_lower_bound).toBeCloseTo(0.2, 15);
    expect(rows[1]!.gap_to_best_known).toBe(0);
    expect(rows[1]!.gap_to_lower_bound).toBeCloseTo(0.1, 15);
    // An invalid row neither gets a gap nor sets the reference, however good its objective looks.
    expect(rows[2]).toMatchObject({ gap_to_best_known: null, gap_to_lower_bound: null, best_known: 110 });
  });

  it('never gives a negative gap: a heuristic that beats an unfinished exact solver becomes the reference (best found)', () => {
    const rows = applyReferences([
      blankRow({ solver: 'milp', solver_kind: 'exact', status: 'feasible', objective: 105, best_bound: 90, lower_bound: 80, lower_bound_source: 'critical-path', run_id: 'a' }),
      blankRow({ solver: 'heft', objective: 100, lower_bound: 80, lower_bound_source: 'critical-path', run_id: 'b' }),
    ]);
    expect(rows.map((r) => [r.best_known, r.best_known_source, r.gap_to_best_known])).toEqual([
      [100, 'suite-best', 0.05],
      [100, 'suite-best', 0],
    ]);
    // Not a proven optimum: the bound (90) is below it.
    expect(rows.map((r) => referenceIsProven(r))).toEqual([false, false]);
    const proven = applyReferences([blankRow({ solver: 'milp', solver_kind: 'exact', status: 'optimal', objective: 90, best_bound: 90, run_id: 'c' })]);
    expect(referenceIsProven(proven[0]!)).toBe(true);
  });

  it('uses the best of all solvers when no exact solver ran, and keeps keys apart', () => {
    const rows = applyReferences([
      blankRow({ solver: 'a', objective: 10, run_id: '1' }),
      blankRow({ solver: 'b', objective: 12, run_id: '2' }),
      blankRow({ solver: 'a', objective: 30, cluster: '4x1', run_id: '3' }),
      blankRow({ solver: 'b', status: 'timeout', valid: null, objective: null, cluster: '4x1', run_id: '4' }),
    ]);
    expect(rows.map((r) => [r.best_known, r.best_known_source, r.gap_to_best_known])).toEqual([
      [10, 'suite-best', 0],
      [10, 'suite-best', 0.2],
      [30, 'suite-best', 0],
      [30, 'suite-best', null],
    ]);
  });

  it('gives gap 0 at a reference of 0 only to objective 0 (slot allocation: no free slot)', () => {
    const sa = { model: 'slot-allocation', variant: null, dataset: 'generated', instance: 'sa', cluster: null };
    const rows = applyReferences([
      blankRow({ ...sa, solver: 'water-filling', solver_kind: 'exact', status: 'optimal', objective: 0, run_id: '1' }),
      blankRow({ ...sa, solver: 'first-fit', objective: 4, run_id: '2' }),
    ]);
    expect(rows.map((r) => r.gap_to_best_known)).toEqual([0, null]);
  });

  it('notes an objective below the lower bound', () => {
    const rows = applyReferences([blankRow({ ...stg, objective: 90, run_id: 'a' })]);
    expect(rows[0]!.note).toMatch(/below the lower bound 94/);
  });

  it('is idempotent', () => {
    const once = applyReferences([
      blankRow({ ...stg, solver: 'heft', objective: 99, run_id: 'a' }),
      blankRow({ solver: 'milp', solver_kind: 'exact', status: 'feasible', objective: 110, best_bound: 100, lower_bound: 90, lower_bound_source: 'critical-path', run_id: 'b' }),
      blankRow({ ...stg, objective: 90, run_id: 'c' }),
    ]);
    expect(applyReferences(once)).toEqual(once);
  });

  it('keyReferences of no rows knows nothing', () => {
    expect(keyReferences([])).toEqual({ bestKnown: null, bestKnownSource: null, lowerBound: null, lowerBoundSource: null });
  });
});
