import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { earliestFinishOrder, readySetSchedule, servedAs, type PairRule } from './common/ready-set.ts';

/**
 * Min-Min (O. H. Ibarra, C. E. Kim, "Heuristic algorithms for scheduling independent tasks on nonidentical
 * processors", JACM 24(2):280-289, 1977, doi:10.1145/322003.322011; as compared in T. D. Braun, H. J. Siegel,
 * N. Beck et al., "A comparison of eleven static heuristics for mapping a class of independent tasks onto
 * heterogeneous distributed computing systems", JPDC 61(6):810-837, 2001, doi:10.1006/jpdc.2000.1714).
 *
 * Paper → slotlab: task = subtask; machine = TaskManager (the subtask takes its slot with the earliest start);
 * expected time to compute ETC(t, m) = `durationMs(s, k)`; completion time CT = machine ready time + ETC, here
 * the append-only earliest start (inputs arrived, slot free after what it already runs) + duration; the
 * meta-task (the set of unmapped independent tasks) = the subtasks that were ready when the batch began
 * (common/ready-set.ts, batches).
 * Step: for every candidate its minimum completion time over TaskManagers; the candidate whose minimum is the
 * smallest is placed where it reaches it; repeat until the batch is empty, then the next batch. Ties: the lower
 * subtask index, then the lower TaskManager. Valid under all three variants (the ready set only offers slots that
 * can take the subtask). Deterministic: ignores the rng.
 */
export const minMinScan: PairRule = (candidates, view) => {
  let best: { s: number; k: number } | undefined;
  let bestMs = Number.POSITIVE_INFINITY;
  for (const s of candidates) {
    const k = view.earliestFinishTaskManager(s);
    if (k === -1) continue;
    const f = view.finishMs(s, k);
    if (f < bestMs) {
      bestMs = f;
      best = { s, k };
    }
  }
  return best;
};

export const minMinHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const { builder, stuck } = readySetSchedule(instance, variant, 'append', servedAs(minMinScan, earliestFinishOrder(instance, 'smallest')), true);
  if (stuck !== -1) return noSlotFor('min-min', instance, variant, stuck);
  return builder.result();
};

export const minMin = heuristicSolver('min-min', 'dag-placement', 'Min-Min (Ibarra & Kim 1977; Braun et al. JPDC 2001): the ready subtask with the smallest minimum completion time first', minMinHeuristic);
