import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { earliestFinishOrder, readySetSchedule, servedAs, type PairRule } from './common/ready-set.ts';

/**
 * Max-Min (O. H. Ibarra, C. E. Kim, JACM 24(2):280-289, 1977, doi:10.1145/322003.322011; as compared in
 * T. D. Braun, H. J. Siegel, N. Beck et al., JPDC 61(6):810-837, 2001, doi:10.1006/jpdc.2000.1714).
 *
 * Paper → slotlab as in minmin.ts (machine = TaskManager, ETC = `durationMs`, completion time with append-only
 * starts, meta-task = the batch of subtasks ready when it began).
 * Step: for every candidate its minimum completion time over TaskManagers; the candidate whose minimum is the
 * *largest* is placed where it reaches it (long subtasks first, so that short ones fill in around them). Ties:
 * the lower subtask index; the TaskManager: the earliest finish, then the lower one. Valid under all three
 * variants. Deterministic: ignores the rng.
 */
export const maxMinScan: PairRule = (candidates, view) => {
  let best: { s: number; k: number } | undefined;
  let bestMs = Number.NEGATIVE_INFINITY;
  for (const s of candidates) {
    const k = view.earliestFinishTaskManager(s);
    if (k === -1) continue;
    const f = view.finishMs(s, k);
    if (f > bestMs) {
      bestMs = f;
      best = { s, k };
    }
  }
  return best;
};

export const maxMinHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const { builder, stuck } = readySetSchedule(instance, variant, 'append', servedAs(maxMinScan, earliestFinishOrder(instance, 'largest')), true);
  if (stuck !== -1) return noSlotFor('max-min', instance, variant, stuck);
  return builder.result();
};

export const maxMin = heuristicSolver('max-min', 'dag-placement', 'Max-Min (Ibarra & Kim 1977; Braun et al. JPDC 2001): the ready subtask with the largest minimum completion time first', maxMinHeuristic);
