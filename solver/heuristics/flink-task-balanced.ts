import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { flinkPlacement } from './common/flink-slot-matching.ts';

/**
 * Apache Flink's balanced tasks scheduling (FLIP-370, `taskmanager.load-balance.mode: TASKS`), both levels:
 * slot sharing by `TaskBalancedPreferredSlotSharingStrategy` (round-robin dealing of each operator's subtasks
 * into as many execution slot sharing groups as the group's largest parallelism, the cursor carried across
 * operators; common/flink-slot-sharing.ts), then `TasksBalancedRequestSlotMatchingStrategy`: groups by
 * decreasing number of subtasks, each to the TaskManager with the fewest subtasks so far
 * (common/flink-slot-matching.ts). FLIP-370's example, parallelisms 1, 4, 4, 2, 3 sharing 4 slots, gives slot
 * loads 4, 4, 3, 3 where the default gives 5, 4, 3, 2. Vocabulary and variants as in flink-default.ts.
 * Deterministic: ignores the rng.
 */
export const flinkTaskBalancedHeuristic: DagPlacementHeuristic = (instance, options) =>
  flinkPlacement(instance, options, { name: 'flink-task-balanced', sharing: 'task-balanced', matching: 'tasks' });

export const flinkTaskBalanced = heuristicSolver(
  'flink-task-balanced',
  'dag-placement',
  "Flink's FLIP-370 balanced tasks scheduling: TaskBalancedPreferredSlotSharingStrategy groups, heaviest group to the TaskManager with fewest tasks",
  flinkTaskBalancedHeuristic,
);
