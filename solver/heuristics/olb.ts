import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { variantOf } from './common/results.ts';
import { ScheduleBuilder } from './common/schedule-builder.ts';
import { noSlotFor } from './common/list-scheduling.ts';

/**
 * OLB, Opportunistic Load Balancing (as defined and compared in T. D. Braun, H. J. Siegel, N. Beck et al., "A
 * comparison of eleven static heuristics for mapping a class of independent tasks onto heterogeneous
 * distributed computing systems", JPDC 61(6):810-837, 2001, doi:10.1006/jpdc.2000.1714: "assigns each task, in
 * arbitrary order, to the next machine that is expected to be available, regardless of the task's expected
 * execution time on that machine").
 *
 * Paper → slotlab: task = subtask, in `instance.subtasks` order (a topological order); machine = slot; "expected
 * to be available" = the earliest time the slot could start the subtask if its inputs were already there
 * (append-only: after what the slot runs; under `shared` the first free CPU core of its TaskManager; under
 * `exclusive` 0 for an unused slot). Ties: the lower slot. The subtask then starts there as soon as its inputs
 * have arrived. Valid under all three variants. Deterministic: ignores the rng.
 */
export const olbHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const S = instance.slots.length;
  const builder = new ScheduleBuilder(instance, variant, 'append');
  for (let s = 0; s < instance.subtasks.length; s++) {
    let slot = -1;
    let availableMs = Number.POSITIVE_INFINITY;
    for (let l = 0; l < S; l++) {
      const t = builder.earliestStartInSlot(s, l, 0);
      if (t < availableMs) {
        availableMs = t;
        slot = l;
      }
    }
    if (slot === -1) return noSlotFor('olb', instance, variant, s);
    const start = builder.earliestStartInSlot(s, slot, builder.readyMs(s, builder.taskManagerOfSlot(slot)));
    if (start === Number.POSITIVE_INFINITY) return noSlotFor('olb', instance, variant, s);
    builder.place(s, slot, start);
  }
  return builder.result();
};

export const olb = heuristicSolver('olb', 'dag-placement', 'OLB (Braun et al. JPDC 2001): each subtask in order to the slot that is free first, durations ignored', olbHeuristic);
