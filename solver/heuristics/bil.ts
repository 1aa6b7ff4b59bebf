import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { readySetSchedule, type PairRule } from './common/ready-set.ts';

/**
 * BIL, Best Imaginary Level (H. Oh, S. Ha, "A static scheduling heuristic for heterogeneous processors",
 * Euro-Par'96, LNCS 1124, 1996, doi:10.1007/BFb0024750).
 *
 * Paper → slotlab: node = subtask; processor = TaskManager (its slot with the earliest start); w(n, p) =
 * `durationMs(s, k)`; the IPC overhead c(n, c) between processors p ≠ q = `transferMs(e, p, q)` (slots of one
 * TaskManager exchange data for free).
 * - BIL(n, p) = w(n, p) + max over successors c of min(BIL(c, p), min over q ≠ p of BIL(c, q) + c(n, c)): the
 *   length of the rest of the graph from n when n runs on p and every later node picks its best processor,
 *   contention ignored (`bestImaginaryLevelMs`, bottom-up).
 * - BIM(n, p) = EST(n, p) + BIL(n, p), with EST the append-only earliest start (inputs there and p free).
 * - Node selection: with k ready nodes, a node's priority is its k-th smallest BIM over the processors (its
 *   largest when k exceeds their number); the ready node of highest priority is scheduled (ties: the lower
 *   subtask index).
 * - Processor selection: the revised BIM*(n, p) = BIM(n, p) + w(n, p) · max(k / m − 1, 0) (m processors) is
 *   minimised; ties: the processor on which the other ready nodes' BIM* sum largest (they lose most there), then
 *   the lower TaskManager.
 * The paper proves BIL optimal on linear (chain) graphs; the test checks that against the exact solver. saga's
 * BILScheduler differs: its EST ignores data arrival, it compares the largest BIM first, and its revision uses
 * k / (number of tasks) instead of k / m. Valid under all three variants (a TaskManager that cannot take a
 * subtask has BIM +∞). Deterministic: ignores the rng.
 */
export function bestImaginaryLevelMs(instance: DagPlacementInstance): Float64Array {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const bil = new Float64Array(n * K);
  for (let s = n - 1; s >= 0; s--)
    for (let p = 0; p < K; p++) {
      let tail = 0;
      for (const e of instance.outEdges[s]!) {
        const c = instance.edges[e]!.to;
        let best = bil[c * K + p]!;
        for (let q = 0; q < K; q++) if (q !== p) best = Math.min(best, bil[c * K + q]! + instance.transferMs(e, p, q));
        if (best > tail) tail = best;
      }
      bil[s * K + p] = instance.durationMs(s, p) + tail;
    }
  return bil;
}

export function bilRule(instance: DagPlacementInstance, bil: Float64Array): PairRule {
  const K = instance.taskManagers.length;
  const bims = new Float64Array(K);
  return (candidates, view) => {
    const k = candidates.length;
    const bim = (s: number, p: number) => view.startMs(s, p) + bil[s * K + p]!;
    let chosen = -1;
    let chosenPriority = Number.NEGATIVE_INFINITY;
    for (const s of candidates) {
      let finite = 0;
      for (let p = 0; p < K; p++) {
        const v = bim(s, p);
        if (v !== Number.POSITIVE_INFINITY) bims[finite++] = v;
      }
      if (finite === 0) continue;
      const sorted = bims.subarray(0, finite).sort();
      const priority = sorted[Math.min(k, finite) - 1]!;
      if (chosen === -1 || priority > chosenPriority) {
        chosen = s;
        chosenPriority = priority;
      }
    }
    if (chosen === -1) return undefined;
    const stretch = Math.max(k / K - 1, 0);
    const revised = (s: number, p: number) => bim(s, p) + instance.durationMs(s, p) * stretch;
    let bestTm = -1;
    let bestValue = Number.POSITIVE_INFINITY;
    let bestOthers = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < K; p++) {
      const v = revised(chosen, p);
      if (v === Number.POSITIVE_INFINITY || v > bestValue) continue;
      let others = 0;
      for (const o of candidates) if (o !== chosen) others += revised(o, p);
      if (v < bestValue || others > bestOthers) {
        bestTm = p;
        bestValue = v;
        bestOthers = others;
      }
    }
    return bestTm === -1 ? undefined : { s: chosen, k: bestTm };
  };
}

export const bilHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const { builder, stuck } = readySetSchedule(instance, variant, 'append', bilRule(instance, bestImaginaryLevelMs(instance)), false);
  if (stuck !== -1) return noSlotFor('bil', instance, variant, stuck);
  return builder.result();
};

export const bil = heuristicSolver('bil', 'dag-placement', 'BIL, Best Imaginary Level (Oh & Ha, Euro-Par 1996): ready subtask by k-th smallest BIM = start + imaginary level, TaskManager by revised BIM', bilHeuristic);
