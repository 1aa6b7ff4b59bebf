import { describe, expect, it } from 'vitest';
import { rankingLines, rankOnCommonInstances } from './ranking.ts';
import { applyReferences } from './references.ts';
import { formatPercent, summaryNotes } from './summary.ts';
import { blankRow } from './test-rows.ts';

describe('rankOnCommonInstances', () => {
  // The case of the issue: a Flink strategy run on 3 easy instances (gap 0 there) must not rank above HEFT by a mean
  // taken over HEFT's 17 harder ones. Each instance has a published optimum of 100.
  const instances = Array.from({ length: 17 }, (_, i) => `g${String(i).padStart(2, '0')}`);
  const flinkInstances = instances.slice(0, 3);
  const row = (solver: string, instance: string, objective: number, run: string) =>
    blankRow({ solver, instance, objective, published_lower_bound: 100, published_best_known: 100, run_id: run });
  const rows = applyReferences([
    // heft: optimal on the 3 Flink instances except one (+10 %), +20 % on the other 14.
    ...instances.map((inst, i) => row('heft', inst, i === 0 ? 110 : i < 3 ? 100 : 120, `h${i}`)),
    // cpop: +10 % everywhere.
    ...instances.map((inst, i) => row('cpop', inst, 110, `c${i}`)),
    // flink-default: +5 % on its 3 instances only.
    ...flinkInstances.map((inst, i) => row('flink-default', inst, 105, `f${i}`)),
  ]);
  const groups = rankOnCommonInstances(rows);

  it('ranks only over instance sets that every ranked solver ran', () => {
    expect(groups.map((g) => [g.instanceKeys.length, g.solvers.map((s) => s.solver)])).toEqual([
      [17, ['cpop', 'heft']],
      [3, ['heft', 'flink-default', 'cpop']],
    ]);
    // heft over the 17: (10 + 0 + 0 + 14 × 20) / 17 % ; over the 3 Flink instances: 10/3 %, below flink-default's 5 %.
    expect(groups[0]!.solvers[1]!.meanGap).toBeCloseTo((0.1 + 14 * 0.2) / 17, 12);
    expect(groups[1]!.solvers[0]!.meanGap).toBeCloseTo(0.1 / 3, 12);
    expect(groups[1]!.solvers[1]!.meanGap).toBeCloseTo(0.05, 12);
    // A mean over each solver's own rows would have put flink-default (5 %) first, above heft (17.1 %).
    for (const g of groups) for (const s of g.solvers) expect(s.solvedInstances).toBe(g.instanceKeys.length);
    expect(groups.every((g) => g.provenReferences === g.instanceKeys.length)).toBe(true);
  });

  it('puts a solver that failed on a common instance below those that solved it, whatever its gap', () => {
    const failed = applyReferences([
      row('a', 'x', 150, '1'),
      row('a', 'y', 150, '2'),
      row('b', 'x', 100, '3'),
      blankRow({ solver: 'b', instance: 'y', status: 'timeout', valid: null, objective: null, published_lower_bound: 100, published_best_known: 100, run_id: '4' }),
    ]);
    const [group] = rankOnCommonInstances(failed);
    expect(group!.solvers.map((s) => [s.solver, s.solvedInstances])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(rankingLines([group!], formatPercent)[0]).toBe(
      'ranking, dag-placement, over the 2 instances all 2 ran (gap to the proven optimum), best first: a 50.00%, b 0.00% (solved 1/2)',
    );
  });

  it('appears in the bench summary notes, and says when the reference is only the best found', () => {
    const open = applyReferences([blankRow({ solver: 'a', objective: 12, run_id: '1' }), blankRow({ solver: 'b', objective: 10, run_id: '2' })]);
    expect(summaryNotes(open).at(-1)).toBe('ranking, dag-placement, over the 1 instance all 2 ran (gap to the best found), best first: b 0.00%, a 20.00%');
  });

  it('ranks the policies of workload rows (cluster model) by their label queue/allocation (placement solver)', () => {
    const w = { model: 'cluster', variant: null, cluster: null, dataset: 'workload', instance: 'two-teams.json', solver: 'heft' };
    const rows = applyReferences([
      blankRow({ ...w, queue_policy: 'fifo', allocation_policy: 'first-fit', objective: 120, run_id: '1' }),
      blankRow({ ...w, queue_policy: 'sjf', allocation_policy: 'first-fit', objective: 100, run_id: '2' }),
    ]);
    expect(rankingLines(rankOnCommonInstances(rows), formatPercent)).toEqual([
      'ranking, cluster, over the 1 instance all 2 ran (gap to the best found), best first: sjf/first-fit (heft) 0.00%, fifo/first-fit (heft) 20.00%',
    ]);
  });
});
