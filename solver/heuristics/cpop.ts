import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { averageCosts, downwardRankMs, upwardRankMs } from './common/ranks.ts';
import { ScheduleBuilder } from './common/schedule-builder.ts';
import { variantOf } from './common/results.ts';
import { EftSelector, noSlotFor, runReadyList } from './common/list-scheduling.ts';

/**
 * CPOP, Critical-Path-on-a-Processor (Topcuoglu, Hariri, Wu, IEEE TPDS 13(3):260-274, 2002,
 * doi:10.1109/71.993206, Section 4.2).
 *
 * Paper → slotlab as in heft.ts (task = subtask, processor = slot, averages over slots).
 * 1. priority(s) = rank_u(s) + rank_d(s); |CP| = the highest entry priority. The critical path starts at that
 *    entry and repeatedly follows the successor of highest priority (the one whose priority equals |CP|).
 * 2. The critical-path processor p_CP minimises the summed durations of the critical-path subtasks; all
 *    slots of a TaskManager are equally fast, so p_CP is the first slot of that TaskManager.
 * 3. Ready list by priority: a critical-path subtask goes to p_CP, any other to the slot with the earliest
 *    finish time; both insertion-based.
 * Under `shared` and `exclusive`, where one slot cannot run the whole path, a critical-path subtask goes to
 * the best slot of p_CP's TaskManager and, if none can take it, to the earliest-finish slot anywhere.
 * Deterministic: ignores the rng.
 */
export const cpopHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const costs = averageCosts(instance);
  const up = upwardRankMs(instance, costs);
  const down = downwardRankMs(instance, costs);
  const priority = new Float64Array(instance.subtasks.length);
  for (let s = 0; s < priority.length; s++) priority[s] = up[s]! + down[s]!;
  const onPath = criticalPath(instance, priority);
  const cpTm = criticalPathTaskManager(instance, onPath);
  const cpSlot = instance.taskManagers[cpTm]!.firstSlot;

  const builder = new ScheduleBuilder(instance, variant, 'insertion');
  const select = new EftSelector(builder);
  const stuck = runReadyList(instance, priority, (s) => {
    let ok: boolean;
    if (onPath[s] === 1)
      ok = (variant === 'sequenced' ? select.chooseSlot(s, cpSlot) : select.chooseOn(s, cpTm)) || select.choose(s);
    else ok = select.choose(s);
    if (!ok) return false;
    builder.place(s, select.slot, select.startMs);
    return true;
  });
  if (stuck !== -1) return noSlotFor('cpop', instance, variant, stuck);
  const path = [...onPath.keys()].filter((s) => onPath[s] === 1).map((s) => instance.subtasks[s]!.id);
  return builder.result(`critical path ${path.join(' -> ')} on ${instance.slots[cpSlot]!.id}`);
};

/** Marks the critical path: from the entry of highest priority, always the successor of highest priority. */
export function criticalPath(instance: DagPlacementInstance, priority: Float64Array): Uint8Array {
  const n = instance.subtasks.length;
  const onPath = new Uint8Array(n);
  let s = -1;
  for (let i = 0; i < n; i++) if (instance.inEdges[i]!.length === 0 && (s === -1 || priority[i]! > priority[s]!)) s = i;
  while (s !== -1) {
    onPath[s] = 1;
    let next = -1;
    for (const e of instance.outEdges[s]!) {
      const t = instance.edges[e]!.to;
      if (next === -1 || priority[t]! > priority[next]! || (priority[t] === priority[next] && t < next)) next = t;
    }
    s = next;
  }
  return onPath;
}

/** The TaskManager on which the critical path's subtasks take the least time in total (ties: the first). */
function criticalPathTaskManager(instance: DagPlacementInstance, onPath: Uint8Array): number {
  let best = 0;
  let bestMs = Number.POSITIVE_INFINITY;
  for (let k = 0; k < instance.taskManagers.length; k++) {
    let total = 0;
    for (let s = 0; s < onPath.length; s++) if (onPath[s] === 1) total += instance.durationMs(s, k);
    if (total < bestMs) {
      bestMs = total;
      best = k;
    }
  }
  return best;
}

export const cpop = heuristicSolver('cpop', 'dag-placement', 'CPOP (Topcuoglu, Hariri, Wu, IEEE TPDS 2002): critical path on one processor, others by earliest finish time', cpopHeuristic);
