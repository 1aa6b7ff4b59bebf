import type { LoadBalancingHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { TaskManagerLoads, assignGreedily, assignmentResult, noTaskManagerFor } from './common/load-balancing.ts';

/**
 * LS, Graham's list scheduling (R. L. Graham, "Bounds for certain multiprocessing anomalies", Bell System
 * Technical Journal 45(9):1563-1581, 1966): tasks in the instance's order, each to the TaskManager that is
 * least loaded (on speed-scaled TaskManagers: where it finishes first), among those with a free slot and enough
 * memory. Paper → slotlab: job = task (a subtask with its own load), machine = TaskManager. On identical
 * TaskManagers the makespan is at most (2 − 1/m) times the optimum, and m(m−1) unit tasks followed by one task
 * of length m reach that bound (2m − 1 against m). Deterministic: ignores the rng.
 */
export const lsHeuristic: LoadBalancingHeuristic = (instance) => {
  const order = new Int32Array(instance.tasks.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const tmOfTask = new Int32Array(instance.tasks.length);
  const stuck = assignGreedily(new TaskManagerLoads(instance), order, tmOfTask);
  if (stuck !== -1) return noTaskManagerFor('ls', instance, stuck);
  return assignmentResult(instance, tmOfTask);
};

export const ls = heuristicSolver('ls', 'load-balancing', "Graham's list scheduling (1966): each task in order to the least-loaded TaskManager", lsHeuristic);
