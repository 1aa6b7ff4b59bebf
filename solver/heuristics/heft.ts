import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { averageCosts, upwardRankMs } from './common/ranks.ts';
import { variantOf } from './common/results.ts';
import { eftListSchedule, noSlotFor } from './common/list-scheduling.ts';

/**
 * HEFT, Heterogeneous Earliest Finish Time (H. Topcuoglu, S. Hariri, M.-Y. Wu, "Performance-effective and
 * low-complexity task scheduling for heterogeneous computing", IEEE TPDS 13(3):260-274, 2002,
 * doi:10.1109/71.993206), insertion-based.
 *
 * Paper → slotlab: task = subtask; processor = slot; w_{i,j} = the subtask's duration on the slot's
 * TaskManager; c_{i,k} = transfer time between different TaskManagers (0 within one); w̄ and c̄ are averaged
 * over slots (common/ranks.ts).
 * 1. Priority: upward rank rank_u (the longest path to an exit with average costs), highest first; the
 *    ready list is equivalent to the paper's sorted list because rank_u decreases along every edge.
 * 2. Processor selection: the slot with the earliest finish time, searching idle gaps between placed subtasks
 *    (insertion-based policy); ties go to the lower TaskManager, then the lower slot.
 * Targets the `sequenced` variant; under `shared` a TaskManager's CPU cores are the timelines and a slot may
 * not hold two subtasks of one operator; under `exclusive` each subtask takes a slot of its own.
 * Deterministic: ignores the rng.
 */
export const heftHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const rank = upwardRankMs(instance, averageCosts(instance));
  const { builder, stuck } = eftListSchedule(instance, variant, rank, 'insertion');
  if (stuck !== -1) return noSlotFor('heft', instance, variant, stuck);
  return builder.result();
};

export const heft = heuristicSolver('heft', 'dag-placement', 'HEFT, insertion-based (Topcuoglu, Hariri, Wu, IEEE TPDS 2002): upward rank, earliest finish time slot', heftHeuristic);
