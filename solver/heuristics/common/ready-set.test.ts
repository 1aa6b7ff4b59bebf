import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, PLACEMENT_VARIANTS, type DagPlacementInstance, type PlacementVariant } from '../../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../../models/dag-placement/validator.ts';
import { seededRng } from '../../../models/rng.ts';
import type { ClusterSpec } from '../../../models/graphs/cluster.ts';
import { randomLayeredDag } from '../../../datasets/generators/layered-dag.ts';
import { heterogeneousCluster } from '../../../datasets/generators/heterogeneous-cluster.ts';
import { averageCosts, bottomLevelMs, upwardRankMs } from './ranks.ts';
import { earliestFinishOrder, earliestStartRule, earliestStartScan, readySetSchedule, type PairRule } from './ready-set.ts';
import { minMinScan } from '../minmin.ts';
import { maxMinScan } from '../maxmin.ts';
import { sufferageOrder, sufferageScan } from '../sufferage.ts';
import { dlsOrder, dlsScan, medianDurationMs } from '../dls.ts';
import { ScheduleBuilder } from './schedule-builder.ts';
import { flbRule } from '../flb.ts';

/**
 * The engine serves keyed and ranked rules from heaps instead of calling their scans (ETF, FLB, Min-Min, Max-Min,
 * Sufferage, DLS). The scan is the definition: on every instance the served schedule must be the scanned one, slot
 * for slot and time for time (exact doubles), including where the scheduler gets stuck. The instances are built for
 * ties (identical TaskManagers, equal durations) and for TaskManagers that cannot take a subtask (shared: one subtask
 * per operator and slot; exclusive: one subtask per slot, too few slots).
 */
function instances(): Array<{ name: string; instance: DagPlacementInstance; variant: PlacementVariant }> {
  const out: Array<{ name: string; instance: DagPlacementInstance; variant: PlacementVariant }> = [];
  for (let seed = 1; seed <= 4; seed++) {
    const rng = seededRng(7000 + seed);
    const ties = seed <= 2;
    const job = randomLayeredDag(rng, {
      layers: [6, 10],
      width: [5, 12],
      edgeProbability: 0.3,
      parallelism: seed % 2 === 0 ? [1, 3] : 1,
      workMs: ties ? [2, 4] : [1, 60],
      bytes: seed === 1 ? 0 : [0, 20_000_000],
      forwardProbability: 0.5,
    });
    const base: ClusterSpec = heterogeneousCluster(rng, { taskManagers: [4, 7], slotsPerTaskManager: [1, 3], speedFactor: ties ? [1, 1] : [0.5, 2] });
    const subtasks = job.operators.reduce((t, op) => t + (op.parallelism ?? 1), 0);
    for (const variant of PLACEMENT_VARIANTS) {
      // exclusive: enough slots on seeds 1-3, too few on seed 4 (the schedulers get stuck, and must agree where)
      const perTm = Math.ceil(subtasks / base.taskManagers.length) + (seed === 4 ? -2 : 1);
      const cluster = variant === 'exclusive' ? { ...base, taskManagers: base.taskManagers.map((tm) => ({ ...tm, slotCount: perTm })) } : base;
      out.push({ name: `seed ${seed} ${variant}`, instance: createDagPlacementInstance({ name: `ready-set-${seed}`, variant, job, cluster }), variant });
    }
  }
  return out;
}

function rules(instance: DagPlacementInstance): Array<{ name: string; served: PairRule; scan: PairRule; batches: boolean }> {
  const level = bottomLevelMs(instance, averageCosts(instance).meanDurationMs);
  const median = medianDurationMs(instance);
  const dlsLevel = bottomLevelMs(instance, median);
  const costs = averageCosts(instance);
  const flb = flbRule(instance, upwardRankMs(instance, costs), costs.meanTransferMs);
  const scanOnly = (rule: PairRule): PairRule => (candidates, view) => rule(candidates, view);
  const ranked = (scan: PairRule, order: Parameters<typeof Object.assign>[1]) => Object.assign(scanOnly(scan), { ranked: order }) as PairRule;
  return [
    { name: 'etf', served: earliestStartRule(level), scan: earliestStartScan(level), batches: false },
    { name: 'min-min', served: ranked(minMinScan, earliestFinishOrder(instance, 'smallest')), scan: minMinScan, batches: true },
    { name: 'max-min', served: ranked(maxMinScan, earliestFinishOrder(instance, 'largest')), scan: maxMinScan, batches: true },
    { name: 'sufferage', served: ranked(sufferageScan, sufferageOrder(instance)), scan: sufferageScan, batches: false },
    { name: 'flb', served: flb, scan: scanOnly(flb), batches: false },
    { name: 'dls', served: ranked(dlsScan(instance, dlsLevel, median), dlsOrder(instance, dlsLevel, median)), scan: scanOnly(dlsScan(instance, dlsLevel, median)), batches: false },
  ];
}

describe('ready-set engine: rules served from heaps give exactly the scans\' schedules', () => {
  it('ETF, FLB, Min-Min, Max-Min, Sufferage and DLS on 12 instances with ties, every variant, stuck cases included', () => {
    let stuckCases = 0;
    let placed = 0;
    for (const { name, instance, variant } of instances())
      for (const rule of rules(instance)) {
        const served = readySetSchedule(instance, variant, 'append', rule.served, rule.batches);
        const scanned = readySetSchedule(instance, variant, 'append', rule.scan, rule.batches);
        const label = `${name} ${rule.name}`;
        expect(served.stuck, label).toBe(scanned.stuck);
        expect(Array.from(served.builder.slotOfSubtask), label).toEqual(Array.from(scanned.builder.slotOfSubtask));
        expect(Array.from(served.builder.startMs), label).toEqual(Array.from(scanned.builder.startMs));
        if (served.stuck === -1) expect(validateDagPlacement(instance, served.builder.result().solution!, variant), label).toEqual([]);
        else stuckCases++;
        placed += served.builder.slotOfSubtask.filter((l) => l !== -1).length;
      }
    // the stuck exclusive instance is stuck for every rule; the others place everything
    expect(stuckCases).toBe(6);
    expect(placed).toBeGreaterThan(3000);
  });
});

describe('ready-set engine: pair rules served per TaskManager (RankedOrder.pairs) give the scans\' schedules', () => {
  it('Min-Min and DLS under sequenced append starts, with many equal scores and zero durations', () => {
    let placed = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const rng = seededRng(7100 + seed);
      const job = randomLayeredDag(rng, { layers: [5, 9], width: [6, 14], edgeProbability: 0.3, parallelism: seed % 3 === 0 ? [1, 3] : 1, workMs: seed <= 3 ? [0, 2] : [0, 30], bytes: seed % 2 === 0 ? 0 : [0, 20_000_000], forwardProbability: 0.5 });
      const cluster = heterogeneousCluster(rng, { taskManagers: [2, 6], slotsPerTaskManager: [1, 3], speedFactor: seed <= 3 ? [1, 1] : [0.5, 2] });
      const instance = createDagPlacementInstance({ name: `pairs-${seed}`, variant: 'sequenced', job, cluster });
      // the case the per-TaskManager path serves: every start is max(ready, free)
      expect(new ScheduleBuilder(instance, 'sequenced', 'append').appendFreeMs(0)).toBe(0);
      for (const rule of rules(instance).filter((r) => r.name === 'min-min' || r.name === 'dls')) {
        const served = readySetSchedule(instance, 'sequenced', 'append', rule.served, rule.batches);
        const scanned = readySetSchedule(instance, 'sequenced', 'append', rule.scan, rule.batches);
        const label = `pairs-${seed} ${rule.name}`;
        expect(served.stuck, label).toBe(-1);
        expect(Array.from(served.builder.slotOfSubtask), label).toEqual(Array.from(scanned.builder.slotOfSubtask));
        expect(Array.from(served.builder.startMs), label).toEqual(Array.from(scanned.builder.startMs));
        expect(validateDagPlacement(instance, served.builder.result().solution!, 'sequenced'), label).toEqual([]);
        placed += instance.subtasks.length;
      }
    }
    expect(placed).toBeGreaterThan(700);
  });
});
