import type { DagPlacementHeuristic, LoadBalancingHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { variantOf } from './common/results.ts';
import { ScheduleBuilder } from './common/schedule-builder.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { TaskManagerLoads, assignmentResult, noTaskManagerFor } from './common/load-balancing.ts';

/**
 * Round robin, the baseline that ignores costs: items are dealt in order onto the resources in turn.
 * - DAG placement: subtasks in topological order onto slots tm1/0, tm1/1, …, tm2/0, … in turn, skipping a slot
 *   that cannot take the subtask under the variant; each starts as early as its inputs and its slot allow,
 *   after what the slot already runs (no gap filling).
 * - Load balancing: tasks in instance order onto TaskManagers in turn, skipping one without a free slot or
 *   memory; loads are not looked at.
 * Deterministic: ignores the rng.
 */
export const roundRobinDagHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const S = instance.slots.length;
  const builder = new ScheduleBuilder(instance, variant, 'append');
  let cursor = 0;
  for (let s = 0; s < instance.subtasks.length; s++) {
    let placed = false;
    for (let i = 0; i < S && !placed; i++) {
      const l = (cursor + i) % S;
      if (!builder.canHost(s, l)) continue;
      const start = builder.earliestStartInSlot(s, l, builder.readyMs(s, builder.taskManagerOfSlot(l)));
      if (start === Number.POSITIVE_INFINITY) continue;
      builder.place(s, l, start);
      cursor = (l + 1) % S;
      placed = true;
    }
    if (!placed) return noSlotFor('round-robin', instance, variant, s);
  }
  return builder.result();
};

export const roundRobinLoadBalancingHeuristic: LoadBalancingHeuristic = (instance) => {
  const K = instance.taskManagers.length;
  const loads = new TaskManagerLoads(instance);
  const tmOfTask = new Int32Array(instance.tasks.length);
  let cursor = 0;
  for (let t = 0; t < instance.tasks.length; t++) {
    let k = -1;
    for (let i = 0; i < K; i++) {
      const c = (cursor + i) % K;
      if (loads.canTake(t, c)) {
        k = c;
        break;
      }
    }
    if (k === -1) return noTaskManagerFor('round-robin', instance, t);
    loads.add(t, k);
    tmOfTask[t] = k;
    cursor = (k + 1) % K;
  }
  return assignmentResult(instance, tmOfTask);
};

export const roundRobinDag = heuristicSolver('round-robin', 'dag-placement', 'Round robin baseline: subtasks in topological order onto slots in turn', roundRobinDagHeuristic);
export const roundRobinLoadBalancing = heuristicSolver('round-robin', 'load-balancing', 'Round robin baseline: tasks in order onto TaskManagers in turn, loads ignored', roundRobinLoadBalancingHeuristic);
