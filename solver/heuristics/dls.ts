import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { bottomLevelMs } from './common/ranks.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { readySetSchedule, servedAs, type PairRule, type RankedOrder } from './common/ready-set.ts';

/**
 * DLS, Dynamic Level Scheduling (G. C. Sih, E. A. Lee, "A compile-time scheduling heuristic for
 * interconnection-constrained heterogeneous processor architectures", IEEE TPDS 4(2):175-187, 1993,
 * doi:10.1109/71.207593).
 *
 * Paper → slotlab: node = subtask; processor = TaskManager (its slot with the earliest start); E(N, P) =
 * `durationMs(s, k)`; E*(N) = the median duration over slots (a TaskManager with n slots counts n times; the
 * lower middle value for an even count); SL*(N) = the static level with E* (the longest chain of E* to an
 * exit, no communication); DA(N, P) = when the inputs are there, TF(P) = when the processor is free, so
 * max(DA, TF) is the append-only earliest start; Δ(N, P) = E*(N) − E(N, P).
 * Step: over all ready subtasks and TaskManagers the pair with the largest dynamic level
 * DL(N, P) = SL*(N) − max(DA, TF) + Δ(N, P) is scheduled. Ties: the lower subtask index, then TaskManager.
 * Valid under all three variants. Deterministic: ignores the rng. `dlsScan` defines the choice; the ready-set engine
 * serves it from a heap (`dlsOrder`): a subtask's best pair is its TaskManager of largest DL, DL only falls when a
 * start grows, so only the subtasks whose best TaskManager was just used get a new key.
 */
export function medianDurationMs(instance: DagPlacementInstance): Float64Array {
  const median = new Float64Array(instance.subtasks.length);
  const values = new Float64Array(instance.taskManagers.reduce((total, tm) => total + tm.slotCount, 0));
  for (let s = 0; s < median.length; s++) {
    let at = 0;
    for (const tm of instance.taskManagers) {
      const d = instance.durationMs(s, tm.index);
      for (let i = 0; i < tm.slotCount; i++) values[at++] = d;
    }
    values.sort(); // a typed array sorts numerically
    median[s] = values[(values.length - 1) >> 1]!;
  }
  return median;
}

export function dlsScan(instance: DagPlacementInstance, staticLevel: Float64Array, median: Float64Array): PairRule {
  return (candidates, view) => {
    let best: { s: number; k: number } | undefined;
    let bestLevel = Number.NEGATIVE_INFINITY;
    for (const s of candidates)
      for (let k = 0; k < view.taskManagerCount; k++) {
        const t = view.startMs(s, k);
        if (t === Number.POSITIVE_INFINITY) continue;
        const dl = staticLevel[s]! - t + (median[s]! - instance.durationMs(s, k));
        if (dl > bestLevel) {
          bestLevel = dl;
          best = { s, k };
        }
      }
    return best;
  };
}

/** The dynamic level as a ranked order: entry score −DL(s, k) (DL computed exactly as in `dlsScan`), the largest DL first. */
export function dlsOrder(instance: DagPlacementInstance, staticLevel: Float64Array, median: Float64Array): RankedOrder {
  // −DL(s, k) = t − SL*(s) − E*(s) + E(s, k): the start plus a per-pair offset, so the engine can serve the pair of
  // largest DL per TaskManager (RankedOrder.pairs); scaleMs bounds the magnitude of the terms (the rounding slack)
  let scaleMs = 0;
  for (let s = 0; s < instance.subtasks.length; s++) {
    let longest = 0;
    for (let k = 0; k < instance.taskManagers.length; k++) longest = Math.max(longest, instance.durationMs(s, k));
    scaleMs = Math.max(scaleMs, Math.abs(staticLevel[s]!) + Math.abs(median[s]!) + longest);
  }
  return {
    depth: 1,
    entryScore: (s, k, t) => -(staticLevel[s]! - t + (median[s]! - instance.durationMs(s, k))),
    subtaskKey: (first) => -first,
    takes: 'largest',
    pairs: { offsetMs: (s, k) => instance.durationMs(s, k) - (staticLevel[s]! + median[s]!), scaleMs },
  };
}

export const dlsHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const median = medianDurationMs(instance);
  const level = bottomLevelMs(instance, median);
  const { builder, stuck } = readySetSchedule(instance, variant, 'append', servedAs(dlsScan(instance, level, median), dlsOrder(instance, level, median)), false);
  if (stuck !== -1) return noSlotFor('dls', instance, variant, stuck);
  return builder.result();
};

export const dls = heuristicSolver('dls', 'dag-placement', 'DLS (Sih & Lee, IEEE TPDS 1993): the ready (subtask, TaskManager) pair of largest dynamic level', dlsHeuristic);
