import type { LoadBalancingInstance } from '../../models/load-balancing/instance.ts';
import type { LoadBalancingHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { orderByDecreasing } from './common/sort.ts';
import { TaskManagerLoads, assignGreedily, assignmentResult, noTaskManagerFor } from './common/load-balancing.ts';

/**
 * LPT, Longest Processing Time first (R. L. Graham, "Bounds on multiprocessing timing anomalies", SIAM J.
 * Appl. Math. 17(2):416-429, 1969): tasks sorted by decreasing load (ties: instance order), then list
 * scheduling (ls.ts). On identical TaskManagers the makespan is at most (4/3 − 1/(3m)) times the optimum;
 * {2m−1, 2m−1, 2m−2, 2m−2, …, m+1, m+1, m, m, m} reaches it (4m − 1 against 3m). Uses each task's own load,
 * so key skew inside an operator is seen. Deterministic: ignores the rng.
 */
export const lptHeuristic: LoadBalancingHeuristic = (instance) => {
  const { tmOfTask, stuck } = lptAssignment(instance);
  if (stuck !== -1) return noTaskManagerFor('lpt', instance, stuck);
  return assignmentResult(instance, tmOfTask);
};

/**
 * LPT's assignment (TaskManager position per task), respecting slots and memory; `stuck` is the first task no
 * TaskManager could take, -1 when all were assigned. The exact `bnb` starts from it too.
 */
export function lptAssignment(instance: LoadBalancingInstance): { readonly tmOfTask: Int32Array; readonly stuck: number } {
  const loads = new TaskManagerLoads(instance);
  const order = orderByDecreasing(loads.taskLoad); // stable: equal loads keep the instance order
  const tmOfTask = new Int32Array(instance.tasks.length);
  const stuck = assignGreedily(loads, order, tmOfTask);
  return { tmOfTask, stuck };
}

export const lpt = heuristicSolver('lpt', 'load-balancing', 'LPT (Graham 1969): tasks by decreasing load, each to the least-loaded TaskManager', lptHeuristic);
