import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementInstance, type DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { seededRng } from '../../models/rng.ts';
import type { Schedule } from '../../models/solution.ts';
import type { PlacementVariant } from '../../models/dag-placement/instance.ts';
import { flinkDefault } from './flink-default.ts';
import { flinkTaskBalanced } from './flink-task-balanced.ts';
import { firstFitDag } from './first-fit.ts';
import { leastUtilizationDag } from './least-utilization.ts';
import { tasksBalanced } from './tasks-balanced.ts';
import { utilizationSorted } from './utilization-sorted.ts';
import { localInputPreferredGroups, taskBalancedGroups } from './common/flink-slot-sharing.ts';
import type { Solver } from '../types.ts';

const rng = seededRng(7);

async function run(solver: Solver<'dag-placement'>, instance: DagPlacementInstance, variant?: PlacementVariant) {
  const result = await solver.solve(instance, variant === undefined ? { rng } : { rng, variant });
  if (result.solution) expect(validateDagPlacement(instance, result.solution, variant ?? instance.variant)).toEqual([]);
  return result;
}

/** Subtasks per slot, largest first. */
function slotLoads(schedule: Schedule): number[] {
  const count = new Map<string, number>();
  for (const a of schedule.assignments) count.set(`${a.taskManager}/${a.slot}`, (count.get(`${a.taskManager}/${a.slot}`) ?? 0) + 1);
  return [...count.values()].sort((a, b) => b - a);
}

/** Subtasks per TaskManager, in TaskManager order. */
function tmLoads(instance: DagPlacementInstance, schedule: Schedule): number[] {
  return instance.taskManagers.map((tm) => schedule.assignments.filter((a) => a.taskManager === tm.id).length);
}

// FLIP-370 ("Support Balanced Tasks Scheduling", Flink 1.20/2.0), its example: five job vertices with
// parallelisms 1, 4, 4, 2, 3 in one slot sharing group need 4 slots. The default strategy fills them with
// 5, 4, 3, 2 subtasks (range 3), the task-balanced strategy with 4, 4, 3, 3 (range 1).
function flip370(partitioning: 'hash' | 'rebalance'): DagPlacementSpec {
  const parallelism = [1, 4, 4, 2, 3];
  return {
    name: 'flip-370-example',
    variant: 'shared',
    job: {
      operators: parallelism.map((p, i) => ({ id: `v${i + 1}`, parallelism: p, workMs: 10 })),
      edges: [1, 2, 3, 4].map((i) => ({ from: `v${i}`, to: `v${i + 1}`, partitioning: i === 2 ? ('forward' as const) : partitioning })),
    },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }, { id: 'tm2', slotCount: 2 }] },
  };
}

describe("FLIP-370's example: parallelisms 1, 4, 4, 2, 3 sharing 4 slots", () => {
  for (const partitioning of ['hash', 'rebalance'] as const) {
    const instance = createDagPlacementInstance(flip370(partitioning));
    it(`default (LocalInputPreferredSlotSharingStrategy) loads the slots 5, 4, 3, 2: range 3 (${partitioning} edges)`, async () => {
      const groups = localInputPreferredGroups(instance).members.map((m) => m.length);
      expect(groups).toEqual([5, 4, 3, 2]);
      const result = await run(flinkDefault, instance);
      expect(result.status).toBe('feasible');
      const loads = slotLoads(result.solution!);
      expect(loads).toEqual([5, 4, 3, 2]);
      expect(loads[0]! - loads[loads.length - 1]!).toBe(3);
    });
    it(`task-balanced (TaskBalancedPreferredSlotSharingStrategy) loads them 4, 4, 3, 3: range 1 (${partitioning} edges)`, async () => {
      expect(taskBalancedGroups(instance).members.map((m) => m.length).sort((a, b) => b - a)).toEqual([4, 4, 3, 3]);
      const result = await run(flinkTaskBalanced, instance);
      const loads = slotLoads(result.solution!);
      expect(loads).toEqual([4, 4, 3, 3]);
      expect(loads[0]! - loads[loads.length - 1]!).toBe(1);
      // TASKS matching: heaviest groups first, each to the TaskManager with fewer subtasks: 7 and 7
      expect(tmLoads(instance, result.solution!)).toEqual([7, 7]);
    });
  }

  it('task-balanced deals round-robin with a carried cursor: v1 -> 0; v2, v3 -> 0..3; v4 -> 1, 2; v5 -> 3, 0, 1', () => {
    const instance = createDagPlacementInstance(flip370('hash'));
    const { groupOfSubtask } = taskBalancedGroups(instance);
    const of = (id: string) => groupOfSubtask[instance.subtaskById.get(id)!.index];
    expect(['v1#0', 'v4#0', 'v4#1', 'v5#0', 'v5#1', 'v5#2'].map(of)).toEqual([0, 1, 2, 3, 0, 1]);
  });
});

describe('LocalInputPreferredSlotSharingStrategy', () => {
  const spec: DagPlacementSpec = {
    name: 'two-groups',
    variant: 'shared',
    job: {
      operators: [
        { id: 'src', parallelism: 3, workMs: 1 },
        { id: 'map', parallelism: 3, workMs: 1 },
        { id: 'win', parallelism: 2, workMs: 1, slotSharingGroup: 'windows' },
        { id: 'sink', parallelism: 1, workMs: 1, slotSharingGroup: 'windows' },
      ],
      edges: [
        { from: 'src', to: 'map', partitioning: 'forward', bytes: 30 },
        { from: 'map', to: 'win', partitioning: 'hash', bytes: 60 },
        { from: 'win', to: 'sink', partitioning: 'rebalance', bytes: 20 },
      ],
    },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 3 }, { id: 'tm2', slotCount: 3 }], defaultLink: { latencyMs: 1 } },
  };
  const instance = createDagPlacementInstance(spec);

  it('keeps a forward chain in one group and never mixes slot sharing groups', () => {
    const { groupOfSubtask, members } = localInputPreferredGroups(instance);
    const of = (id: string) => groupOfSubtask[instance.subtaskById.get(id)!.index];
    for (const j of [0, 1, 2]) expect(of(`map#${j}`)).toBe(of(`src#${j}`));
    expect(members).toHaveLength(3 + 2); // largest parallelism per slot sharing group
    expect(of('sink#0')).toBe(of('win#0')); // its producer's group
    expect(new Set([of('win#0'), of('win#1')]).has(of('src#0'))).toBe(false);
  });

  it('needs 3 + 2 = 5 slots under shared: with 4 it says infeasible, naming the groups', async () => {
    const small = createDagPlacementInstance({ ...spec, cluster: { taskManagers: [{ id: 'tm1', slotCount: 4 }] } });
    const result = await run(flinkDefault, small);
    expect(result.status).toBe('infeasible');
    expect(result.message).toMatch(/default: 3, windows: 2; 5 in all\) but the cluster has 4 usable slots/);
  });

  it('under exclusive every subtask takes a slot of its own (9 subtasks, 6 slots: infeasible)', async () => {
    const result = await run(flinkDefault, instance, 'exclusive');
    expect(result.status).toBe('infeasible');
    const wide = createDagPlacementInstance({ ...spec, cluster: { taskManagers: [{ id: 'tm1', slotCount: 5 }, { id: 'tm2', slotCount: 5 }] } });
    const ok = await run(flinkDefault, wide, 'exclusive');
    expect(ok.status).toBe('feasible');
    expect(slotLoads(ok.solution!)).toEqual(new Array(9).fill(1));
  });

  it('under sequenced, groups beyond the slot count queue on the same slots', async () => {
    const one = createDagPlacementInstance({ ...spec, cluster: { taskManagers: [{ id: 'tm1', slotCount: 2 }] } });
    const result = await run(flinkDefault, one, 'sequenced');
    expect(result.status).toBe('feasible');
    expect(slotLoads(result.solution!).reduce((t, x) => t + x, 0)).toBe(9);
  });

  it('first-fit places exactly like flink-default (Flink\'s default matching is AnyMatching)', async () => {
    const a = await run(flinkDefault, instance);
    const b = await run(firstFitDag, instance);
    expect(b.solution).toEqual(a.solution);
  });
});

describe('slot matching: first-fit, least-utilization, tasks-balanced, utilization-sorted', () => {
  // Default groups of FLIP-370's job (5, 4, 3, 2 subtasks of 10 ms work) on tm1 (speed 1) and tm2 (speed 4),
  // 3 slots each.
  const base = flip370('hash');
  const instance = createDagPlacementInstance({
    ...base,
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 3 }, { id: 'tm2', slotCount: 3, speedFactor: 4 }] },
  });
  const cases: Array<[Solver<'dag-placement'>, number[]]> = [
    [firstFitDag, [12, 2]], // groups 5, 4, 3 fill tm1, then 2 goes to tm2
    [leastUtilizationDag, [8, 6]], // 0/3 vs 0/3 -> tm1; 1/3 vs 0 -> tm2; tie -> tm1; -> tm2
    [tasksBalanced, [7, 7]], // 5 -> tm1, 4 -> tm2, 3 -> tm2 (4 < 5), 2 -> tm1 (5 < 7)
    [utilizationSorted, [5, 9]], // tm2 runs 4x faster, so its CPU share stays lowest
  ];
  for (const [solver, loads] of cases)
    it(`${solver.name} puts ${loads.join(' and ')} subtasks on tm1 and tm2`, async () => {
      const result = await run(solver, instance);
      expect(tmLoads(instance, result.solution!)).toEqual(loads);
    });

  it('utilization-sorted uses the fast TaskManager best here (shortest makespan of the four)', async () => {
    const spans = await Promise.all(cases.map(async ([s]) => (await run(s, instance)).objective!));
    expect(spans[3]).toBe(Math.min(...spans));
  });

  it('params.slotSharing = task-balanced makes tasks-balanced place like flink-task-balanced', async () => {
    const a = await tasksBalanced.solve(instance, { rng, params: { slotSharing: 'task-balanced' } });
    const b = await run(flinkTaskBalanced, instance);
    expect(a.solution).toEqual(b.solution);
    await expect(tasksBalanced.solve(instance, { rng, params: { slotSharing: 'nearest' } })).rejects.toThrow(/params.slotSharing: should be one of local-input, task-balanced, got "nearest"/);
  });

  it('a group goes only where its memory fits', async () => {
    const tight = createDagPlacementInstance({
      ...base,
      job: { ...base.job, operators: base.job.operators.map((o) => ({ ...o, memoryBytes: 10 })) },
      cluster: { taskManagers: [{ id: 'tm1', slotCount: 4, memoryBytes: 60 }, { id: 'tm2', slotCount: 4, memoryBytes: 100 }] },
    });
    for (const solver of [firstFitDag, leastUtilizationDag, tasksBalanced, utilizationSorted, flinkDefault, flinkTaskBalanced]) {
      const result = await run(solver, tight);
      expect(result.status).toBe('feasible');
      expect(evaluateDagPlacement(tight, result.solution!).makespanMs).toBe(result.objective);
    }
  });

  it('with fractional CPU cores under shared, no more subtasks run at once than ⌊cpuCores⌋ (the validator\'s rule)', async () => {
    const frac = createDagPlacementInstance({ name: 'fractional', variant: 'shared', job: { operators: [{ id: 'a', parallelism: 2, workMs: 10 }], edges: [] }, cluster: { taskManagers: [{ id: 'tm', slotCount: 2, cpuCores: 1.5 }] } });
    for (const solver of [flinkDefault, flinkTaskBalanced, firstFitDag, leastUtilizationDag, tasksBalanced, utilizationSorted]) expect((await run(solver, frac)).objective).toBe(20);
  });
});
