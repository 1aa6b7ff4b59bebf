import type { SlotAllocationSpec } from '../slot-allocation/instance.ts';
import type { DagPlacementSpec, PlacementVariant } from '../dag-placement/instance.ts';
import type { Placement } from '../solution.ts';

/**
 * The source document's example: operators A -> B (all-to-all, hash) and B -> C (forward), parallelism 2 each,
 * on 2 TaskManagers with 3 slots. Work and bytes are ours, chosen so that hand computation is easy:
 * A 10 ms, B 20 ms, C 5 ms per subtask; A->B carries 400 bytes (100 per subtask edge), B->C 200 bytes
 * (100 per subtask edge); a link costs 1 ms latency + 100 bytes / 50 bytes/ms = 3 ms per subtask edge.
 */
export function documentExampleSpec(variant: PlacementVariant = 'exclusive'): DagPlacementSpec {
  return {
    name: 'document-example',
    variant,
    job: {
      operators: [
        { id: 'A', parallelism: 2, workMs: 10 },
        { id: 'B', parallelism: 2, workMs: 20 },
        { id: 'C', parallelism: 2, workMs: 5 },
      ],
      edges: [
        { from: 'A', to: 'B', partitioning: 'hash', bytes: 400 },
        { from: 'B', to: 'C', partitioning: 'forward', bytes: 200 },
      ],
    },
    cluster: {
      taskManagers: [
        { id: 'tm1', slotCount: 3 },
        { id: 'tm2', slotCount: 3 },
      ],
      defaultLink: { latencyMs: 1, bandwidthBytesPerMs: 50 },
    },
  };
}

/** The document's placement: A1, A2, B1 on TM1; B2, C1, C2 on TM2 (subtask ids are 0-based: A1 = A#0). */
export const documentPlacement: Placement = {
  assignments: [
    { subtask: 'A#0', taskManager: 'tm1', slot: 0 },
    { subtask: 'A#1', taskManager: 'tm1', slot: 1 },
    { subtask: 'B#0', taskManager: 'tm1', slot: 2 },
    { subtask: 'B#1', taskManager: 'tm2', slot: 0 },
    { subtask: 'C#0', taskManager: 'tm2', slot: 1 },
    { subtask: 'C#1', taskManager: 'tm2', slot: 2 },
  ],
};

/**
 * The slot-allocation example of the design document: 3 TaskManagers × 4 slots, jobs a (3 slots) and b (4 slots);
 * its optimum leaves free slots 2, 2, 1 (objective 9).
 */
export function slotAllocationDesignExampleSpec(name = 'design-example'): SlotAllocationSpec {
  return {
    name,
    taskManagers: [
      { id: 'tm1', slotCount: 4 },
      { id: 'tm2', slotCount: 4 },
      { id: 'tm3', slotCount: 4 },
    ],
    jobs: [
      { id: 'a', slotDemand: 3 },
      { id: 'b', slotDemand: 4 },
    ],
  };
}

/** Infeasible by counting: jobs needing 3 + 2 slots on 2 TaskManagers × 2 slots. */
export function slotAllocationOverDemandSpec(name = 'demand-5-of-4'): SlotAllocationSpec {
  return {
    name,
    taskManagers: [
      { id: 'tm1', slotCount: 2 },
      { id: 'tm2', slotCount: 2 },
    ],
    jobs: [
      { id: 'a', slotDemand: 3 },
      { id: 'b', slotDemand: 2 },
    ],
  };
}
