import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { flinkPlacement } from './common/flink-slot-matching.ts';
import { SLOT_SHARING_PARAMS, type SlotSharingParams } from './common/flink-slot-sharing.ts';

/**
 * Flink's `taskmanager.load-balance.mode: TASKS` slot matching (FLIP-370, `TasksBalancedRequestSlotMatchingStrategy`):
 * slot requests (execution slot sharing groups) sorted by their loading, the number of subtasks, heaviest
 * first; each goes to a free slot of the TaskManager with the fewest subtasks so far (ties: the TaskManager
 * listed first). The groups come from the param `slotSharing`: `local-input` (default, so that only the matching
 * differs from `first-fit` and `least-utilization`) or `task-balanced` (then it is `flink-task-balanced`).
 * Times: the model's earliest schedule (common/flink-slot-matching.ts). Deterministic: ignores the rng.
 */
export const tasksBalancedHeuristic: DagPlacementHeuristic<SlotSharingParams> = (instance, options) =>
  flinkPlacement(instance, options, { name: 'tasks-balanced', sharing: options.params.slotSharing, matching: 'tasks' });

export const tasksBalanced = heuristicSolver('tasks-balanced', 'dag-placement', "Heaviest slot request to the TaskManager with the fewest tasks (Flink's load-balance mode TASKS)", tasksBalancedHeuristic, SLOT_SHARING_PARAMS);
