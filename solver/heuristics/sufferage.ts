import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { finishScore, readySetSchedule, servedAs, type PairRule, type RankedOrder } from './common/ready-set.ts';

/**
 * Sufferage (M. Maheswaran, S. Ali, H. J. Siegel, D. Hensgen, R. F. Freund, "Dynamic mapping of a class of
 * independent tasks onto heterogeneous computing systems", JPDC 59(2):107-131, 1999, doi:10.1006/jpdc.1999.1581).
 *
 * Paper → slotlab: task = subtask; machine = TaskManager; completion time as in minmin.ts (append-only start +
 * `durationMs`); sufferage value = second-earliest completion time − earliest completion time, over
 * TaskManagers (0 when only one TaskManager can take the subtask); the meta-task = the ready subtasks.
 * Step: the candidate with the largest sufferage (the one that would suffer most if it did not get its best
 * TaskManager) is placed on its best TaskManager; then every value is recomputed. This simplifies the paper's
 * pass, which assigns machines tentatively and may hand a machine over to a task of larger sufferage; saga
 * implements the same simplification. Candidates are taken continuously (a released subtask competes at once),
 * as in saga. Ties: the lower subtask index, then the lower TaskManager. Valid under all three variants.
 * Deterministic: ignores the rng. `sufferageScan` defines the choice; the ready-set engine serves it from a heap of
 * sufferage values (`sufferageOrder`: a value reads only the two earliest finishes, so only the subtasks whose
 * earliest- or second-earliest-finish TaskManager was just used get a new value).
 */
export const sufferageScan: PairRule = (candidates, view) => {
  let best: { s: number; k: number } | undefined;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const s of candidates) {
    let first = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    let firstTm = -1;
    for (let k = 0; k < view.taskManagerCount; k++) {
      const f = view.finishMs(s, k);
      if (f < first) {
        second = first;
        first = f;
        firstTm = k;
      } else if (f < second) second = f;
    }
    if (firstTm === -1) continue;
    const value = second === Number.POSITIVE_INFINITY ? 0 : second - first;
    if (value > bestValue) {
      bestValue = value;
      best = { s, k: firstTm };
    }
  }
  return best;
};

export function sufferageOrder(instance: DagPlacementInstance): RankedOrder {
  const inf = Number.POSITIVE_INFINITY;
  return { depth: 2, entryScore: finishScore(instance), subtaskKey: (first, second) => (second === inf ? 0 : second - first), takes: 'largest' };
}

export const sufferageHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const { builder, stuck } = readySetSchedule(instance, variant, 'append', servedAs(sufferageScan, sufferageOrder(instance)), false);
  if (stuck !== -1) return noSlotFor('sufferage', instance, variant, stuck);
  return builder.result();
};

export const sufferage = heuristicSolver('sufferage', 'dag-placement', 'Sufferage (Maheswaran et al. JPDC 1999): the ready subtask that loses most without its best TaskManager first', sufferageHeuristic);
