import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { variantOf } from './common/results.ts';
import { ScheduleBuilder } from './common/schedule-builder.ts';
import { noSlotFor } from './common/list-scheduling.ts';

/**
 * MET, Minimum Execution Time (as defined and compared in T. D. Braun, H. J. Siegel, N. Beck et al., "A
 * comparison of eleven static heuristics for mapping a class of independent tasks onto heterogeneous
 * distributed computing systems", JPDC 61(6):810-837, 2001, doi:10.1006/jpdc.2000.1714; there also called
 * LBA/UDA after R. F. Freund et al. 1998).
 *
 * Paper → slotlab: task = subtask, taken in "arbitrary order", here `instance.subtasks` (a topological order);
 * machine = TaskManager; ETC = `durationMs(s, k)`.
 * Each subtask goes to the TaskManager where it runs fastest, regardless of when that TaskManager is free
 * (ties: the lower TaskManager), into that TaskManager's slot with the earliest append-only start (after what the
 * slot already runs, once its inputs are there). Under `shared` or `exclusive`, when no slot of the fastest
 * TaskManager can take the subtask any more, the next fastest is used (the paper's machines never refuse a task).
 * Deterministic: ignores the rng.
 */
export const metHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const K = instance.taskManagers.length;
  const builder = new ScheduleBuilder(instance, variant, 'append');
  const byDuration = Array.from({ length: K }, (_, k) => k);
  for (let s = 0; s < instance.subtasks.length; s++) {
    byDuration.sort((a, b) => instance.durationMs(s, a) - instance.durationMs(s, b) || a - b);
    let placed = false;
    for (const k of byDuration) {
      const start = builder.earliestStartOnTaskManager(s, k, builder.readyMs(s, k));
      if (start === Number.POSITIVE_INFINITY) continue;
      builder.place(s, builder.chosenSlot, start);
      placed = true;
      break;
    }
    if (!placed) return noSlotFor('met', instance, variant, s);
  }
  return builder.result();
};

export const met = heuristicSolver('met', 'dag-placement', 'MET (Braun et al. JPDC 2001): each subtask in order to the TaskManager where it runs fastest', metHeuristic);
