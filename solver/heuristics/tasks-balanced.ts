import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { choiceParam } from './common/results.ts';
import { flinkPlacement } from './common/flink-slot-matching.ts';
import { SLOT_SHARING_STRATEGIES } from './common/flink-slot-sharing.ts';

/**
 * Flink's `taskmanager.load-balance.mode: TASKS` slot matching (FLIP-370, `TasksBalancedRequestSlotMatchingStrategy`):
 * slot requests (execution slot sharing groups) sorted by their loading, the number of subtasks, heaviest
 * first; each goes to a free slot of the TaskManager with the fewest subtasks so far (ties: the TaskManager
 * listed first). The groups come from `params.slotSharing`: `local-input` (default, so that only the matching
 * differs from `first-fit` and `least-utilization`) or `task-balanced` (then it is `flink-task-balanced`).
 * Times: the model's earliest schedule (common/flink-slot-matching.ts). Deterministic: ignores the rng.
 */
export const tasksBalancedHeuristic: DagPlacementHeuristic = (instance, options) =>
  flinkPlacement(instance, options, { name: 'tasks-balanced', sharing: choiceParam('tasks-balanced', options, 'slotSharing', SLOT_SHARING_STRATEGIES, 'local-input'), matching: 'tasks' });

export const tasksBalanced = heuristicSolver('tasks-balanced', 'dag-placement', "Heaviest slot request to the TaskManager with the fewest tasks (Flink's load-balance mode TASKS)", tasksBalancedHeuristic);
