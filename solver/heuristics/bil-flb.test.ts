import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, PLACEMENT_VARIANTS, type DagPlacementInstance, type DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { seededRng, type Rng } from '../../models/rng.ts';
import { heftFixtureDagPlacementSpec, readHeftFixture } from '../../datasets/loaders/heft-paper.ts';
import { documentExampleSpec } from '../../models/test/document-example.ts';
import { solveWith } from '../registry.ts';
import { averageCosts, upwardRankMs } from './common/ranks.ts';
import { appendFreeTimesMs, readySetSchedule, type PairRule } from './common/ready-set.ts';
import { bestImaginaryLevelMs, bil, bilRule, bilServedSchedule } from './bil.ts';
import { ScheduleBuilder } from './common/schedule-builder.ts';
import { randomLayeredDag } from '../../datasets/generators/layered-dag.ts';
import { heterogeneousCluster } from '../../datasets/generators/heterogeneous-cluster.ts';
import { flb, flbRule } from './flb.ts';

const options = { rng: seededRng(1) };

/** A chain of n tasks on unrelated TaskManagers (a duration per TaskManager) with a uniform link. */
function chainSpec(rng: Rng, n: number, taskManagers: number): DagPlacementSpec {
  const tms = Array.from({ length: taskManagers }, (_, k) => `tm${k + 1}`);
  return {
    name: `chain-${rng.seed}`,
    variant: 'sequenced',
    job: {
      operators: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, parallelism: 1, durationMsByTaskManager: Object.fromEntries(tms.map((tm) => [tm, rng.int(1, 30)])) })),
      edges: Array.from({ length: n - 1 }, (_, i) => ({ from: `t${i}`, to: `t${i + 1}`, partitioning: 'forward' as const, bytes: rng.int(0, 40) })),
    },
    cluster: { taskManagers: tms.map((id) => ({ id, slotCount: 1 })), defaultLink: { bandwidthBytesPerMs: 2, latencyMs: rng.int(0, 5) } },
  };
}

/** Homogeneous: identical TaskManagers of one slot, one uniform link, a random layered DAG. */
function homogeneousSpec(rng: Rng, n: number, taskManagers: number): DagPlacementSpec {
  const edges: { from: string; to: string; partitioning: 'hash'; bytes: number }[] = [];
  for (let j = 1; j < n; j++) for (let i = Math.max(0, j - 4); i < j; i++) if (rng.next() < 0.4) edges.push({ from: `t${i}`, to: `t${j}`, partitioning: 'hash', bytes: rng.int(0, 30) });
  return {
    name: `homogeneous-${rng.seed}`,
    variant: 'sequenced',
    job: { operators: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, parallelism: 1, workMs: rng.int(1, 20) })), edges },
    cluster: { taskManagers: Array.from({ length: taskManagers }, (_, k) => ({ id: `tm${k + 1}`, slotCount: 1 })), defaultLink: { bandwidthBytesPerMs: 1, latencyMs: 1 } },
  };
}

describe('BIL (Oh & Ha, Euro-Par 1996)', () => {
  it('is optimal on linear graphs, as the paper proves: equal to the exact optimum on 12 random chains', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const instance = createDagPlacementInstance(chainSpec(seededRng(seed), 7, 3));
      const r = await solveWith('bil', instance, options);
      const exact = await solveWith('bnb', instance, { ...options, timeLimitMs: 30_000 });
      expect(exact.status).toBe('optimal');
      expect(validateDagPlacement(instance, r.solution!)).toEqual([]);
      expect(r.objective, `seed ${seed}`).toBe(exact.objective);
    }
  });
});

describe('FLB (Radulescu & van Gemund, ICPP 1999)', () => {
  it('on homogeneous systems each step starts a ready subtask as early as any ready subtask could start (as ETF)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const instance = createDagPlacementInstance(homogeneousSpec(seededRng(seed), 14, 3));
      const costs = averageCosts(instance);
      const rule = flbRule(instance, upwardRankMs(instance, costs), costs.meanTransferMs);
      let steps = 0;
      const checked: PairRule = (candidates, view) => {
        const choice = rule(candidates, view)!;
        let earliest = Number.POSITIVE_INFINITY;
        for (const s of candidates) for (let k = 0; k < view.taskManagerCount; k++) earliest = Math.min(earliest, view.startMs(s, k));
        expect(view.startMs(choice.s, choice.k)).toBe(earliest);
        steps++;
        return choice;
      };
      const { builder, stuck } = readySetSchedule(instance, 'sequenced', 'append', checked, false);
      expect(stuck).toBe(-1);
      expect(steps).toBe(14);
      expect(validateDagPlacement(instance, builder.result().solution!)).toEqual([]);
    }
  });
});

describe('BIL and FLB on the HEFT paper example and under every variant', () => {
  const heftExample = createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture()));
  it('HEFT paper example (Topcuoglu et al. 2002, Fig. 2): BIL 84, FLB 99 under slotlab\'s model (no published figure; saga gives none)', async () => {
    const b = await solveWith('bil', heftExample, options);
    const f = await solveWith('flb', heftExample, options);
    expect(validateDagPlacement(heftExample, b.solution!)).toEqual([]);
    expect(validateDagPlacement(heftExample, f.solution!)).toEqual([]);
    expect([b.objective, f.objective]).toEqual([84, 99]);
  });

  it.each(PLACEMENT_VARIANTS)('valid under %s on the design document example', async (variant) => {
    const instance = createDagPlacementInstance(documentExampleSpec(variant));
    for (const solver of [bil, flb]) {
      const r = await solver.solve(instance, { ...options, variant });
      expect(r.status, `${solver.name} ${r.message}`).toBe('feasible');
      expect(validateDagPlacement(instance, r.solution!, variant), solver.name).toEqual([]);
    }
  });
});

/**
 * BIL's served path (`bilServedSchedule`) against the scan (`bilRule` on the ready-set engine, through `wrap` when
 * given) on `instance`, sequenced and appended: both place every subtask, in the same slots at the same starts
 * (exact doubles), and the served schedule passes the validator. Returns the served result.
 */
function expectServedAsScanned(instance: DagPlacementInstance, wrap: (rule: PairRule) => PairRule = (rule) => rule) {
  const levels = bestImaginaryLevelMs(instance);
  const builder = new ScheduleBuilder(instance, 'sequenced', 'append');
  const served = bilServedSchedule(instance, builder, levels, appendFreeTimesMs(builder)!);
  const scanned = readySetSchedule(instance, 'sequenced', 'append', wrap(bilRule(instance, levels)), false);
  const label = instance.name;
  expect(served.stuck, label).toBe(-1);
  expect(scanned.stuck, label).toBe(-1);
  expect(Array.from(served.builder.slotOfSubtask), label).toEqual(Array.from(scanned.builder.slotOfSubtask));
  expect(Array.from(served.builder.startMs), label).toEqual(Array.from(scanned.builder.startMs));
  expect(validateDagPlacement(instance, served.builder.result().solution!, 'sequenced'), label).toEqual([]);
  return served;
}

describe('BIL served per TaskManager (bilServedSchedule) gives the scan\'s schedules', () => {
  it('wide and narrow layered DAGs (candidates above and below the TaskManager count), ties, zero durations', () => {
    let placed = 0;
    let wideSteps = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const rng = seededRng(7300 + seed);
      const ties = seed <= 4;
      const job = randomLayeredDag(rng, {
        layers: [5, 9],
        width: seed % 2 === 0 ? [2, 5] : [8, 16],
        edgeProbability: 0.3,
        parallelism: seed % 3 === 0 ? [1, 3] : 1,
        workMs: ties ? [0, 2] : [0, 40],
        bytes: seed % 2 === 0 ? 0 : [0, 20_000_000],
        forwardProbability: 0.5,
      });
      const cluster = heterogeneousCluster(rng, { taskManagers: [2, 6], slotsPerTaskManager: [1, 3], speedFactor: ties ? [1, 1] : [0.5, 2] });
      const instance = createDagPlacementInstance({ name: `bil-served-${seed}`, variant: 'sequenced', job, cluster });
      let steps = 0;
      expectServedAsScanned(instance, (rule) => (candidates, view) => {
        if (candidates.length >= view.taskManagerCount) wideSteps++;
        steps++;
        return rule(candidates, view);
      });
      expect(steps).toBe(instance.subtasks.length);
      placed += instance.subtasks.length;
    }
    expect(placed).toBeGreaterThan(400);
    // both cases were exercised: steps with at least K candidates (the pair heaps) and with fewer (the sorted rows)
    expect(wideSteps).toBeGreaterThan(100);
    expect(placed - wideSteps).toBeGreaterThan(100);
  });
});

describe('BIL\'s tie-break from running sums (BimStarSums) gives the ordered sums\' choices', () => {
  it('identical TaskManagers, wide layers, few distinct durations: hundreds of ties, decided by the bounds or (equal sums) by the ordered sum, the scan\'s schedules', () => {
    let decided = 0;
    let fellBack = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const rng = seededRng(9100 + seed);
      const job = randomLayeredDag(rng, {
        layers: [6, 10],
        width: [20, 40],
        edgeProbability: seed % 2 === 0 ? 0.05 : 0.2,
        parallelism: 1,
        workMs: seed <= 3 ? [1, 3] : [0, 2],
        bytes: seed % 2 === 0 ? [0, 4_000_000] : 0,
        forwardProbability: 0.3,
      });
      const cluster = heterogeneousCluster(rng, { taskManagers: [4, 8], slotsPerTaskManager: [1, 2], speedFactor: [1, 1] });
      const instance = createDagPlacementInstance({ name: `bil-ties-${seed}`, variant: 'sequenced', job, cluster });
      const served = expectServedAsScanned(instance);
      decided += served.tieBreaks.decided;
      fellBack += served.tieBreaks.fellBack;
    }
    // 87 decided by the bounds and 715 by the ordered sum (identical TaskManagers give exactly equal sums)
    expect(decided).toBeGreaterThan(40);
    expect(fellBack).toBeGreaterThan(300);
  });
});
