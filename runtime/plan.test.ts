import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../models/dag-placement/instance.ts';
import { earliestSchedule } from '../models/dag-placement/evaluate.ts';
import { toIndexedPlacement, type Placement } from '../models/solution.ts';
import { buildJobPlan, resolveRunOptions } from './plan.ts';
import { TWO_CORES_PLACEMENT, twoCoresInstance } from './test/two-cores.ts';

/** The deployment plan without workers: core sequences under `shared` in blocking mode, and the run's warnings. */

describe('shared, blocking: emulated cores run whole subtasks in the model order', () => {
  // Model (earliestSchedule, topological order a, b, d, c): a [0,10] core 0, b [0,4] core 1, d [4,9] core 1, c [10,16] core 0 (a's).
  const instance = twoCoresInstance('shared');
  const placement = TWO_CORES_PLACEMENT;
  const ids = (plan: ReturnType<typeof buildJobPlan>, q: readonly number[]) => q.map((s) => plan.subtasks[s]!.id);

  it('a bare placement gets the evaluator’s own core timelines', () => {
    const schedule = earliestSchedule(instance, toIndexedPlacement(instance, placement));
    expect(Array.from(schedule.startMs)).toEqual([0, 0, 4, 10]); // a, b, d, c in subtask index order
    const plan = buildJobPlan(instance, placement, resolveRunOptions(instance, { mode: 'blocking' }));
    expect(plan.taskManagers[0]!.coreSequences.map((q) => ids(plan, q))).toEqual([
      ['a#0', 'c#0'],
      ['b#0', 'd#0'],
    ]);
  });

  it('a schedule is laid out by its own start times', () => {
    // c waits for a; d runs last on b's core: a [0,10], b [0,4], c [10,16], d [10,15]
    const times: Record<string, [number, number]> = { 'a#0': [0, 10], 'b#0': [0, 4], 'c#0': [10, 16], 'd#0': [10, 15] };
    const schedule = { assignments: placement.assignments.map((a) => ({ ...a, startMs: times[a.subtask]![0], endMs: times[a.subtask]![1] })) };
    const plan = buildJobPlan(instance, schedule, resolveRunOptions(instance, { mode: 'blocking' }));
    expect(plan.taskManagers[0]!.coreSequences.map((q) => ids(plan, q))).toEqual([
      ['a#0', 'd#0'],
      ['b#0', 'c#0'],
    ]);
  });

  it('carries the model’s prediction (evaluated once, in the plan), in wall ms, under every variant', () => {
    // sequenced: d runs in its own slot from 0, c after b in slot 1 and after a: d [0,5], c [10,16].
    const expected = { shared: { d: [4, 9] }, sequenced: { d: [0, 5] } } as const;
    for (const variant of ['shared', 'sequenced'] as const) {
      const plan = buildJobPlan(instance, placement, resolveRunOptions(instance, { variant, timeScaleMsPerUnit: 2 }));
      expect(plan.predictedMs).toBe(16 * 2);
      expect(plan.subtasks.map((s) => [s.id, s.predictedStartMs / 2, s.predictedEndMs / 2])).toEqual([
        ['a#0', 0, 10],
        ['b#0', 0, 4],
        ['d#0', ...expected[variant].d],
        ['c#0', 10, 16],
      ]);
      expect(plan.taskManagers[0]!.predictedBusyUtilization).toBeCloseTo(25 / (3 * 16), 12);
    }
  });

  it('pipelined and the other variants have no core sequences', () => {
    expect(buildJobPlan(instance, placement, resolveRunOptions(instance, { mode: 'pipelined' })).taskManagers[0]!.coreSequences).toEqual([]);
    expect(buildJobPlan(instance, placement, resolveRunOptions(instance, { variant: 'sequenced' })).taskManagers[0]!.coreSequences).toEqual([]);
  });
});

describe('warnings: real operators and pipelined mode', () => {
  const instance = createDagPlacementInstance({
    name: 'mixed',
    variant: 'exclusive',
    job: {
      operators: [
        { id: 'numbers', parallelism: 1, workMs: 5, kind: 'generator', params: { count: 10 } },
        { id: 'work', parallelism: 1, workMs: 5 },
        { id: 'out', parallelism: 1, workMs: 1, kind: 'sink' },
      ],
      edges: [
        { from: 'numbers', to: 'work', partitioning: 'forward' },
        { from: 'work', to: 'out', partitioning: 'forward' },
      ],
    },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 3 }] },
  });
  const placement: Placement = { assignments: instance.subtasks.map((s, i) => ({ subtask: s.id, taskManager: 'tm1', slot: i })) };

  it('names the operators that run real code, and says that pipelined runs are compared with the blocking model', () => {
    expect(buildJobPlan(instance, placement, resolveRunOptions(instance, { mode: 'blocking' })).warnings).toEqual([
      'real operators run (generator, sink; 2 operators: numbers, out): their time is what their code takes, not the model\'s workMs, so measured and predicted agree only where workMs was calibrated to them (an operator without a kind, or kind "synthetic", replays workMs)',
    ]);
    const pipelined = buildJobPlan(instance, placement, resolveRunOptions(instance, { mode: 'pipelined' })).warnings;
    expect(pipelined).toHaveLength(2);
    expect(pipelined[1]).toMatch(/^pipelined mode: the prediction is the blocking model's .* agreement with it is expected only in blocking mode$/);
  });
});
