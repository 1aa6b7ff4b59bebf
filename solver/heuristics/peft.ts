import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { averageCosts, type AverageCosts } from './common/ranks.ts';
import { ScheduleBuilder } from './common/schedule-builder.ts';
import { variantOf } from './common/results.ts';
import { EftSelector, noSlotFor, runReadyList } from './common/list-scheduling.ts';

/**
 * PEFT, Predict Earliest Finish Time (H. Arabnejad, J. G. Barbosa, "List scheduling algorithm for
 * heterogeneous systems by an optimistic cost table", IEEE TPDS 25(3):682-694, 2014, doi:10.1109/TPDS.2013.57).
 *
 * Paper → slotlab: task = subtask, processor = slot; c̄ is the average transfer time (common/ranks.ts), paid
 * only when the successor runs on another TaskManager (slots of one TaskManager exchange data for free, so the
 * Optimistic Cost Table is kept per TaskManager, which is exact for this cost model).
 * 1. OCT(s, k) = max over successors t of min over TaskManagers w of [OCT(t, w) + w(t, w) + c̄(s,t)·[w ≠ k]],
 *    0 for exit subtasks.
 * 2. rank_oct(s) = mean of OCT(s, ·) over slots; the ready list takes the highest rank_oct first.
 * 3. Processor selection: the slot minimising O_EFT = EFT(s, slot) + OCT(s, its TaskManager), insertion-based.
 * Variants as in heft.ts. Deterministic: ignores the rng.
 */
export const peftHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const K = instance.taskManagers.length;
  const oct = optimisticCostTable(instance, averageCosts(instance));
  const rank = new Float64Array(instance.subtasks.length);
  const S = instance.slots.length;
  for (let s = 0; s < rank.length; s++) {
    let total = 0;
    for (let k = 0; k < K; k++) total += instance.taskManagers[k]!.slotCount * oct[s * K + k]!;
    rank[s] = total / S;
  }
  const builder = new ScheduleBuilder(instance, variant, 'insertion');
  const select = new EftSelector(builder);
  let row = 0;
  const lookAhead = (k: number) => oct[row + k]!;
  const stuck = runReadyList(instance, rank, (s) => {
    row = s * K;
    if (!select.choose(s, lookAhead)) return false;
    builder.place(s, select.slot, select.startMs);
    return true;
  });
  if (stuck !== -1) return noSlotFor('peft', instance, variant, stuck);
  return builder.result();
};

/** OCT as a flat array: OCT(s, k) at s·K + k, in ms. */
export function optimisticCostTable(instance: DagPlacementInstance, costs: AverageCosts): Float64Array {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const oct = new Float64Array(n * K);
  // best[t] = min over w of OCT(t, w) + w(t, w), the optimistic remaining time from t's start.
  const best = new Float64Array(n);
  for (let s = n - 1; s >= 0; s--) {
    for (const e of instance.outEdges[s]!) {
      const t = instance.edges[e]!.to;
      const remote = best[t]! + costs.meanTransferMs[e]!;
      for (let k = 0; k < K; k++) {
        const local = oct[t * K + k]! + instance.durationMs(t, k);
        const v = local < remote ? local : remote;
        if (v > oct[s * K + k]!) oct[s * K + k] = v;
      }
    }
    let b = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      const v = oct[s * K + k]! + instance.durationMs(s, k);
      if (v < b) b = v;
    }
    best[s] = b;
  }
  return oct;
}

export const peft = heuristicSolver('peft', 'dag-placement', 'PEFT (Arabnejad & Barbosa, IEEE TPDS 2014): optimistic cost table rank, EFT + OCT slot selection', peftHeuristic);
