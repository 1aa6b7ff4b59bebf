import type { DagPlacementHeuristic, LoadBalancingHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { variantOf } from './common/results.ts';
import { ScheduleBuilder } from './common/schedule-builder.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { TaskManagerLoads, assignmentResult, noTaskManagerFor } from './common/load-balancing.ts';

/**
 * Seeded random placement, the baseline every heuristic should beat; the same seed gives the same answer.
 * - DAG placement: each subtask, in topological order, into a slot drawn uniformly from those that can take it
 *   under the variant; it starts as early as its inputs and the slot allow (after what the slot already runs).
 * - Load balancing: each task onto a TaskManager drawn uniformly from those with a free slot and memory.
 * Randomness only from `options.rng`.
 */
export const randomDagHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const S = instance.slots.length;
  const builder = new ScheduleBuilder(instance, variant, 'append');
  const candidates = new Int32Array(S);
  for (let s = 0; s < instance.subtasks.length; s++) {
    let count = 0;
    for (let l = 0; l < S; l++) if (builder.canHost(s, l)) candidates[count++] = l;
    if (count === 0) return noSlotFor('random', instance, variant, s);
    const l = candidates[options.rng.int(0, count - 1)]!;
    const start = builder.earliestStartInSlot(s, l, builder.readyMs(s, builder.taskManagerOfSlot(l)));
    if (start === Number.POSITIVE_INFINITY) return noSlotFor('random', instance, variant, s);
    builder.place(s, l, start);
  }
  return builder.result(`seed ${options.rng.seed}`);
};

export const randomLoadBalancingHeuristic: LoadBalancingHeuristic = (instance, options) => {
  const K = instance.taskManagers.length;
  const loads = new TaskManagerLoads(instance);
  const tmOfTask = new Int32Array(instance.tasks.length);
  const candidates = new Int32Array(K);
  for (let t = 0; t < instance.tasks.length; t++) {
    let count = 0;
    for (let k = 0; k < K; k++) if (loads.canTake(t, k)) candidates[count++] = k;
    if (count === 0) return noTaskManagerFor('random', instance, t);
    const k = candidates[options.rng.int(0, count - 1)]!;
    loads.add(t, k);
    tmOfTask[t] = k;
  }
  return assignmentResult(instance, tmOfTask, `seed ${options.rng.seed}`);
};

export const randomDag = heuristicSolver('random', 'dag-placement', 'Seeded random baseline: each subtask into a uniformly drawn slot that can take it', randomDagHeuristic);
export const randomLoadBalancing = heuristicSolver('random', 'load-balancing', 'Seeded random baseline: each task onto a uniformly drawn TaskManager with room', randomLoadBalancingHeuristic);
