import type { DagPlacementHeuristic, SlotAllocationHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { flinkPlacement } from './common/flink-slot-matching.ts';
import { SLOT_SHARING_PARAMS, type SlotSharingParams } from './common/flink-slot-sharing.ts';
import { allocateGreedily } from './common/slot-allocation.ts';

/**
 * First fit: take the first resource, in the order they are listed, that has room.
 * - DAG placement: Flink's `AnyMatchingSlotMatchingStrategy` — every execution slot sharing group takes the first
 *   free slot (TaskManagers in listed order). The groups come from the param `slotSharing`: `local-input` (default,
 *   Flink's default strategy, so `first-fit` then places exactly like `flink-default`) or `task-balanced`.
 *   Times: the model's earliest schedule. Details in common/flink-slot-matching.ts.
 * - Slot allocation: jobs in order; each job takes as many slots as it needs from the first TaskManager with
 *   room, then the next (respecting maxSlotsPerTaskManager and slot profiles); then, in job order, jobs that
 *   accept more than their minimum take what is left the same way.
 * Deterministic: ignores the rng.
 */
export const firstFitDagHeuristic: DagPlacementHeuristic<SlotSharingParams> = (instance, options) =>
  flinkPlacement(instance, options, { name: 'first-fit', sharing: options.params.slotSharing, matching: 'any' });

export const firstFitSlotAllocationHeuristic: SlotAllocationHeuristic = (instance) =>
  allocateGreedily(
    'first-fit',
    instance,
    (ledger, j) => {
      for (let i = 0; i < instance.taskManagers.length; i++) if (ledger.room(j, i) > 0) return i;
      return -1;
    },
    true,
  );

export const firstFitDag = heuristicSolver('first-fit', 'dag-placement', "First free slot for each slot sharing group (Flink's AnyMatchingSlotMatchingStrategy)", firstFitDagHeuristic, SLOT_SHARING_PARAMS);
export const firstFitSlotAllocation = heuristicSolver('first-fit', 'slot-allocation', 'First fit: each job takes slots from the first TaskManagers with room', firstFitSlotAllocationHeuristic);
