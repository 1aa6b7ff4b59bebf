import { createDagPlacementInstance, type DagPlacementInstance, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import type { Placement } from '../../models/solution.ts';

/**
 * A test instance small enough to compute by hand. One TaskManager, 3 slots, 2 cores: a (10 ms) and b (4 ms) feed
 * c (6 ms); d (5 ms) is independent. a in slot 0, b and c in slot 1, d in slot 2.
 * Model under `shared` (earliest schedule, topological order a, b, d, c): a [0,10] core 0, b [0,4] core 1,
 * d [4,9] core 1, c [10,16] core 0 (a's); makespan 16. Under `sequenced`: d [0,5] in its own slot, the rest alike.
 */
export function twoCoresInstance(variant: PlacementVariant = 'shared'): DagPlacementInstance {
  return createDagPlacementInstance({
    name: 'two-cores',
    variant,
    job: {
      operators: [
        { id: 'a', parallelism: 1, workMs: 10 },
        { id: 'b', parallelism: 1, workMs: 4 },
        { id: 'd', parallelism: 1, workMs: 5 },
        { id: 'c', parallelism: 1, workMs: 6 },
      ],
      edges: [
        { from: 'a', to: 'c', partitioning: 'forward' },
        { from: 'b', to: 'c', partitioning: 'forward' },
      ],
    },
    cluster: { taskManagers: [{ id: 'tm1', slotCount: 3, cpuCores: 2 }] },
  });
}

export const TWO_CORES_PLACEMENT: Placement = {
  assignments: [
    { subtask: 'a#0', taskManager: 'tm1', slot: 0 },
    { subtask: 'b#0', taskManager: 'tm1', slot: 1 },
    { subtask: 'd#0', taskManager: 'tm1', slot: 2 },
    { subtask: 'c#0', taskManager: 'tm1', slot: 1 },
  ],
};
