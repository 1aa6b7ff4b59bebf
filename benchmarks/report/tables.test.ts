import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../runner/columns.ts';
import { blankRow } from '../runner/test-rows.ts';
import { completionAgreement, decimal, gapStats, kendallTauB, markdownTable, percent, publishedComparisons, publishedFamily } from './tables.ts';

// STG 50/rand0001.stg on P = 4: optimal schedule length 94 (Tobita & Kasahara 2002, optimal_schedule_lengths_v2.csv).
const STG_OPTIMUM = 94;
// HEFT paper example: HEFT's published schedule length 80 (Topcuoglu, Hariri & Wu 2002, Fig. 2), not a proven optimum.
const HEFT_PAPER_MAKESPAN = 80;

function stgRow(solver: string, objective: number, kind = 'heuristic'): ResultRow {
  return blankRow({
    dataset: 'stg-random-50',
    instance: 'stg/graphs/50/rand0001.stg',
    cluster: '4x1',
    solver,
    solver_kind: kind,
    objective,
    published_lower_bound: STG_OPTIMUM,
    published_best_known: STG_OPTIMUM,
    best_known: STG_OPTIMUM,
    best_known_source: 'published-optimum',
    gap_to_best_known: (objective - STG_OPTIMUM) / STG_OPTIMUM,
  });
}

function heftPaperRow(solver: string, objective: number): ResultRow {
  return blankRow({
    dataset: 'heft-paper',
    instance: 'heft-fixtures/topcuoglu2002_fig2.json',
    cluster: null,
    solver,
    objective,
    published_best_known: HEFT_PAPER_MAKESPAN,
    best_known: HEFT_PAPER_MAKESPAN,
    best_known_source: 'published-best',
    gap_to_best_known: (objective - HEFT_PAPER_MAKESPAN) / HEFT_PAPER_MAKESPAN,
  });
}

describe('gap tables against published figures', () => {
  const rows = [
    stgRow('heft', 96),
    stgRow('cpop', 103),
    stgRow('milp', 94, 'exact'),
    blankRow({ ...stgRow('random', 0), status: 'timeout', objective: null, valid: null, gap_to_best_known: null }),
    heftPaperRow('heft', 80),
    heftPaperRow('cpop', 86),
    blankRow({ dataset: 'generated', instance: 'flink-pipeline-seed1', solver: 'heft', objective: 93, gap_to_best_known: 0 }),
  ];

  it('knows which publication a row is measured against', () => {
    expect(rows.map(publishedFamily)).toEqual(['STG', 'STG', 'STG', 'STG', 'HEFT paper', 'HEFT paper', null]);
    expect(publishedFamily(blankRow({ dataset: 'bpplib', published_best_known: 1000, published_lower_bound: 1000 }))).toBe('BPPLIB');
  });

  it('gap statistics per publication and solver, best mean first, runs without a solution counted but not averaged', () => {
    const stats = gapStats(rows, publishedFamily);
    expect(stats.map((s) => `${s.group}/${s.solver}`)).toEqual(['STG/milp', 'STG/heft', 'STG/cpop', 'STG/random', 'HEFT paper/heft', 'HEFT paper/cpop']);
    const heft = stats.find((s) => s.group === 'STG' && s.solver === 'heft')!;
    expect(heft.meanGap).toBeCloseTo(2 / 94, 12); // 96 vs the optimum 94
    expect(stats.find((s) => s.solver === 'milp')).toMatchObject({ kind: 'exact', atBest: 1, meanGap: 0 });
    expect(stats.find((s) => s.solver === 'random')).toMatchObject({ runs: 1, solved: 0, withGap: 0, meanGap: null, worstGap: null });
    expect(stats.find((s) => s.group === 'HEFT paper' && s.solver === 'cpop')!.meanGap).toBeCloseTo(6 / 80, 12);
  });

  it('one line per instance configuration: the published figures, the suite best and who reached it', () => {
    const [stg, paper] = publishedComparisons(rows);
    expect(stg).toMatchObject({ family: 'STG', cluster: '4x1', publishedBestKnown: 94, provenOptimal: true, suiteBest: 94, suiteBestSolvers: ['milp'], gap: 0, runs: 4 });
    expect(paper).toMatchObject({ family: 'HEFT paper', publishedLowerBound: null, publishedBestKnown: 80, provenOptimal: false, suiteBest: 80, suiteBestSolvers: ['heft'] });
  });
});

describe('predicted against measured completion', () => {
  const placement = (solver: string, predicted: number, measured: number | null, instance = 'flink-join-seed1') =>
    blankRow({ dataset: 'generated', instance, cluster: null, variant: 'shared', solver, objective: predicted, predicted_completion: predicted, measured_completion: measured });

  it('counts clear pairs the runtime ordered the same way, Kendall tau-b, and the regret of trusting the model', () => {
    const rows = [
      placement('a', 100, 120),
      placement('b', 110, 115),
      placement('c', 150, 160),
      placement('d', 101, null), // not executed: left out
      placement('solo', 50, 55, 'other-instance'), // one placement: nothing to compare
    ];
    const agreement = completionAgreement(rows);
    expect(agreement.instances).toHaveLength(1);
    const [inst] = agreement.instances;
    // pairs (a,b): a predicted sooner, measured later -> disagree; (a,c) and (b,c) agree
    expect(inst).toMatchObject({ placements: 3, clearPairs: 3, agreeingPairs: 2, predictedBest: ['a'], measuredBest: 'b' });
    expect(inst!.kendallTau).toBeCloseTo(1 / 3, 12);
    expect(inst!.regret).toBeCloseTo((120 - 115) / 115, 12);
    expect(agreement).toMatchObject({ decided: 1, predictedBestWasBest: 0, clearPairs: 3, agreeingPairs: 2 });
    expect(agreement.ratioBySolver.find((r) => r.solver === 'a')!.meanRatio).toBeCloseTo(1.2, 12);
    expect(agreement.ratioBySolver.map((r) => r.solver)).toEqual(['a', 'b', 'c', 'solo']);
  });

  it('ignores predicted differences below the threshold (the model calls them a tie)', () => {
    const agreement = completionAgreement([placement('a', 100, 130), placement('b', 101, 120)], 0.02);
    expect(agreement.clearPairs).toBe(0);
    // both are the model's best: no decision, and the regret is the mean over the tie, (130 - 120) / 120 / 2
    expect(agreement.instances[0]).toMatchObject({ predictedBest: ['a', 'b'], measuredBest: 'b' });
    expect(agreement.instances[0]!.regret).toBeCloseTo(10 / 120 / 2, 12);
    expect(agreement).toMatchObject({ decided: 0, predictedBestWasBest: 0 });
    expect(completionAgreement([placement('a', 100, 130), placement('b', 101, 120)], 0).clearPairs).toBe(1);
  });
});

describe("Kendall's tau-b", () => {
  it('is 1 for the same order, -1 for the reverse, and corrects for ties', () => {
    expect(kendallTauB([[1, 10], [2, 20], [3, 30]])).toBe(1);
    expect(kendallTauB([[1, 30], [2, 20], [3, 10]])).toBe(-1);
    // x = (1, 2, 2), y = (1, 2, 3): 2 concordant pairs, one tie in x -> 2 / sqrt(2 * 3)
    expect(kendallTauB([[1, 1], [2, 2], [2, 3]])).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(kendallTauB([[1, 5], [2, 5]])).toBeNull();
    expect(kendallTauB([[1, 5]])).toBeNull();
  });
});

describe('markdown', () => {
  it('formats a table with right-aligned numbers, "-" for null and escaped pipes', () => {
    expect(markdownTable(['solver', 'gap'], [['a|b', percent(0.05341)], ['c', null]], ['left', 'right'])).toBe(
      '| solver | gap |\n| --- | ---: |\n| a\\|b | 5.34% |\n| c | - |',
    );
    expect(decimal(1 / 3)).toBe('0.333');
    expect(decimal(2)).toBe('2');
  });
});
