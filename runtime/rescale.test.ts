import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
import { buildJobPlan, resolveRunOptions, runPlacement } from './index.ts';

/**
 * The `rescale` partitioning runs: each producer subtask feeds its pointwise subset of the consumers round-robin
 * (Flink's RescalePartitioner over the POINTWISE pattern): src(2) -> map(4) fans out, map(4) -> sink(2) fans in.
 */
const instance = createDagPlacementInstance({
  name: 'rescale-fan-out-fan-in',
  variant: 'shared',
  job: {
    operators: [
      { id: 'src', parallelism: 2, workMs: 1, params: { records: 6 } },
      { id: 'map', parallelism: 4, workMs: 1, params: { records: 5 } },
      { id: 'sink', parallelism: 2, workMs: 1 },
    ],
    edges: [
      { from: 'src', to: 'map', partitioning: 'rescale', bytes: 1200 },
      { from: 'map', to: 'sink', partitioning: 'rescale', bytes: 400 },
    ],
  },
  cluster: { taskManagers: [{ id: 'tm1', slotCount: 4 }, { id: 'tm2', slotCount: 4 }], defaultLink: { bandwidthBytesPerMs: 1000, latencyMs: 0.1 } },
});
/** Subtask i in slot i (tm1/0..3, tm2/0..3): one subtask per slot. */
const placement: Placement = {
  assignments: instance.subtasks.map((s) => ({ subtask: s.id, taskManager: s.index < 4 ? 'tm1' : 'tm2', slot: s.index % 4 })),
};

describe('rescale on the runtime', () => {
  it('plans the pointwise channels: src#0 -> map#0,1; src#1 -> map#2,3; map#0,1 -> sink#0; map#2,3 -> sink#1', () => {
    const plan = buildJobPlan(instance, placement, resolveRunOptions(instance));
    const targets = (id: string) => plan.subtasks.find((s) => s.id === id)!.outputs[0]!.channels.map((c) => plan.subtasks[plan.channels[c]!.toSubtask]!.id);
    expect(['src#0', 'src#1'].map(targets)).toEqual([['map#0', 'map#1'], ['map#2', 'map#3']]);
    expect(['map#0', 'map#1', 'map#2', 'map#3'].map(targets)).toEqual([['sink#0'], ['sink#0'], ['sink#1'], ['sink#1']]);
    expect(plan.subtasks.find((s) => s.id === 'sink#1')!.inputs[0]!.channels.map((c) => plan.subtasks[plan.channels[c]!.fromSubtask]!.id)).toEqual(['map#2', 'map#3']);
  });

  it('runs: each map subtask gets 3 of its producer\'s 6 records, each sink subtask 10 records from its two maps', async () => {
    const report = await runPlacement(instance, placement, { timeScaleMsPerUnit: 1 });
    const recordsIn = Object.fromEntries(report.subtasks.map((s) => [s.id, s.recordsIn]));
    expect(recordsIn).toEqual({ 'src#0': 0, 'src#1': 0, 'map#0': 3, 'map#1': 3, 'map#2': 3, 'map#3': 3, 'sink#0': 10, 'sink#1': 10 });
    expect(report.measuredMs).toBeGreaterThanOrEqual(report.predictedMs);
  });
});
