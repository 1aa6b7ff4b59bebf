import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { flinkPlacement } from './common/flink-slot-matching.ts';
import { SLOT_SHARING_PARAMS, type SlotSharingParams } from './common/flink-slot-sharing.ts';

/**
 * The source documents' strategy: slots sorted by resource utilisation, least utilised first. Each execution
 * slot sharing group (from the param `slotSharing`: `local-input`, the default, or `task-balanced`), in the order
 * the job needs them, takes a free slot of the TaskManager whose resources are least used so far:
 * utilisation = max(CPU share, memory share), CPU share = Σ durations of the subtasks placed there /
 * (its parallel units × the fair share of the work per unit), memory share = memory in use / memory. Unlike
 * `least-utilization` (slots counted) and `tasks-balanced` (subtasks counted), it weighs the work and the
 * TaskManager's speed. Times: the model's earliest schedule (common/flink-slot-matching.ts).
 * Deterministic: ignores the rng.
 */
export const utilizationSortedHeuristic: DagPlacementHeuristic<SlotSharingParams> = (instance, options) =>
  flinkPlacement(instance, options, {
    name: 'utilization-sorted',
    sharing: options.params.slotSharing,
    matching: 'utilization-sorted',
  });

export const utilizationSorted = heuristicSolver('utilization-sorted', 'dag-placement', 'Slots sorted by resource utilisation (CPU time, memory), least utilised first (the source documents)', utilizationSortedHeuristic, SLOT_SHARING_PARAMS);
