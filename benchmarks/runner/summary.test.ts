import { describe, expect, it } from 'vitest';
import { applyReferences } from './references.ts';
import { summarize, summaryNotes, summaryTable } from './summary.ts';
import { blankRow } from './test-rows.ts';

describe('summarize', () => {
  // STG 50/rand0001.stg on P = 4: published optimum 94 (datasets/data/stg/graph_bounds.csv).
  const stg = { cluster: '4x1', instance: 'stg/graphs/50/rand0001.stg', published_lower_bound: 94, published_best_known: 94, lower_bound: 89, lower_bound_source: 'critical-path' };
  const rows = applyReferences([
    blankRow({ ...stg, solver: 'heft', objective: 96, solve_ms: 1, run_id: '1' }),
    blankRow({ ...stg, solver: 'cpop', objective: 103, solve_ms: 3, run_id: '2' }),
    blankRow({ ...stg, solver: 'milp', solver_kind: 'exact', status: 'optimal', objective: 94, best_bound: 94, solve_ms: 900, run_id: '3' }),
    blankRow({ ...stg, cluster: '2x1', published_lower_bound: 149, published_best_known: 149, solver: 'heft', objective: 150, solve_ms: 2, run_id: '4' }),
    blankRow({ ...stg, cluster: '2x1', published_lower_bound: 149, published_best_known: 149, solver: 'cpop', objective: 150, solve_ms: 5, run_id: '5' }),
    blankRow({ ...stg, cluster: '2x1', published_lower_bound: 149, published_best_known: 149, solver: 'milp', solver_kind: 'exact', status: 'timeout', valid: null, violations: null, solve_ms: null, run_ms: 20000, run_id: '6' }),
    blankRow({ ...stg, cluster: '8x1', solver: 'heft', status: 'invalid', valid: false, violations: 2, violation: 'precedence: t3#0 starts before t1#0 ends', objective: 50, run_id: '7' }),
  ]);
  const byName = new Map(summarize(rows).map((s) => [s.solver, s]));

  it('counts runs, solved rows, wins (ties included), timeouts and invalid rows per solver', () => {
    expect(byName.get('heft')).toMatchObject({ runs: 3, solved: 2, wins: 1, invalid: 1, timeouts: 0, gapRows: 2 });
    expect(byName.get('cpop')).toMatchObject({ runs: 2, solved: 2, wins: 1 });
    expect(byName.get('milp')).toMatchObject({ runs: 2, solved: 1, wins: 1, optimal: 1, timeouts: 1, kind: 'exact' });
  });

  it('takes mean and worst gap to the published optimum, and the mean solver time', () => {
    const heft = byName.get('heft')!;
    expect(heft.meanGap).toBeCloseTo((2 / 94 + 1 / 149) / 2, 12);
    expect(heft.worstGap).toBeCloseTo(2 / 94, 12);
    expect(byName.get('cpop')!.worstGap).toBeCloseTo(9 / 94, 12);
    expect(byName.get('heft')!.meanSolveMs).toBeCloseTo((1 + 2 + 1) / 3, 12);
    expect(byName.get('milp')!.meanSolveMs).toBe(900);
  });

  it('lists exact solvers first within a model, and prints the table and notes', () => {
    expect(summarize(rows).map((s) => s.solver)).toEqual(['milp', 'cpop', 'heft']);
    const table = summaryTable(summarize(rows));
    // Gaps against the published optimum, with the number of rows they average: none against a best found only.
    expect(table).toMatch(/heft .*│ +3 │ +2 │ +1\.40% \(2\) │ +- │ +2\.13% │/);
    const notes = summaryNotes(rows);
    expect(notes[0]).toBe('7 rows; 5 with a valid solution; 1 invalid; 1 timeouts.');
    expect(notes[1]).toBe('invalid: heft on stg/graphs/50/rand0001.stg (8x1): precedence: t3#0 starts before t1#0 ends');
  });
});
