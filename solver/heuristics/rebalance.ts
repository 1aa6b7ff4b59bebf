import type { LoadBalancingHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { TaskManagerLoads, assignGreedily, assignmentResult, noTaskManagerFor } from './common/load-balancing.ts';

/**
 * Rebalancing with a migration cost: start from where the tasks run now and move a task from the most to the
 * least utilised TaskManager only while the move gains more than it costs.
 *
 * 1. Every task with a `currentTaskManager` stays there if that TaskManager still has a slot and memory for it;
 *    the others (new tasks, or tasks their TaskManager cannot hold) are placed by list scheduling (ls.ts).
 * 2. Repeat: src = the most utilised TaskManager, dst = the least utilised one with a free slot. For each task
 *    t on src that dst can hold, gain(t) = u_src − max(u_src − p_t/speed_src, u_dst + p_t/speed_dst), the drop
 *    of the pair's peak utilisation (ms); the cost is `migrationCostMs` when the move takes t away from its
 *    current TaskManager, −migrationCostMs when it brings it back, 0 otherwise. Make the move with the largest
 *    gain − cost if the gain is positive and exceeds the cost; stop when there is none. Every move lowers the
 *    sorted utilisation vector lexicographically, so the loop ends.
 * Each task's own load is used (key skew: subtasks of one operator may differ). The objective reported is the
 * model's (evaluateLoadBalancing); the number of migrations and their total cost are in the message.
 * Deterministic: ignores the rng.
 */
export const rebalanceHeuristic: LoadBalancingHeuristic = (instance) => {
  const n = instance.tasks.length;
  const K = instance.taskManagers.length;
  const tmIndex = new Map(instance.taskManagers.map((tm, k) => [tm.id, k]));
  const home = new Int32Array(n).fill(-1);
  const tmOfTask = new Int32Array(n).fill(-1);
  const loads = new TaskManagerLoads(instance);
  const unplaced: number[] = [];
  for (let t = 0; t < n; t++) {
    const current = instance.tasks[t]!.currentTaskManager;
    if (current !== undefined) home[t] = tmIndex.get(current)!;
    if (home[t] !== -1 && loads.canTake(t, home[t]!)) {
      loads.add(t, home[t]!);
      tmOfTask[t] = home[t]!;
    } else unplaced.push(t);
  }
  const stuck = assignGreedily(loads, unplaced, tmOfTask);
  if (stuck !== -1) return noTaskManagerFor('rebalance', instance, stuck);

  // Tasks per TaskManager, with positions for O(1) removal.
  const members: number[][] = Array.from({ length: K }, () => []);
  const position = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    position[t] = members[tmOfTask[t]!]!.length;
    members[tmOfTask[t]!]!.push(t);
  }
  const cost = instance.migrationCostMs;
  const speed = (k: number) => instance.taskManagers[k]!.speedFactor;
  let moves = 0;
  const maxMoves = 4 * n + 100;
  while (moves < maxMoves) {
    let src = 0;
    for (let k = 1; k < K; k++) if (loads.utilizationMs(k) > loads.utilizationMs(src)) src = k;
    let dst = -1;
    for (let k = 0; k < K; k++)
      if (k !== src && loads.taskCount[k]! < instance.taskManagers[k]!.slotCount && (dst === -1 || loads.utilizationMs(k) < loads.utilizationMs(dst))) dst = k;
    if (dst === -1) break;
    const uSrc = loads.utilizationMs(src);
    const uDst = loads.utilizationMs(dst);
    let best = -1;
    let bestNet = 0;
    for (const t of members[src]!) {
      if (!loads.canTake(t, dst)) continue;
      const p = instance.tasks[t]!.load;
      const gain = uSrc - Math.max(uSrc - p / speed(src), uDst + p / speed(dst));
      const delta = home[t] === src ? cost : home[t] === dst ? -cost : 0;
      if (gain > 0 && gain > delta && gain - delta > bestNet) {
        bestNet = gain - delta;
        best = t;
      }
    }
    if (best === -1) break;
    // move best: src -> dst
    const list = members[src]!;
    const last = list.pop()!;
    if (last !== best) {
      list[position[best]!] = last;
      position[last] = position[best]!;
    }
    position[best] = members[dst]!.length;
    members[dst]!.push(best);
    loads.remove(best, src);
    loads.add(best, dst);
    tmOfTask[best] = dst;
    moves++;
  }
  let migrations = 0;
  for (let t = 0; t < n; t++) if (home[t] !== -1 && tmOfTask[t] !== home[t]) migrations++;
  return assignmentResult(instance, tmOfTask, `${moves} moves; ${migrations} tasks away from their current TaskManager (migration cost ${migrations * cost} ms)`);
};

export const rebalance = heuristicSolver('rebalance', 'load-balancing', 'Rebalancer: move tasks from the most to the least utilised TaskManager while the gain exceeds the migration cost', rebalanceHeuristic);
