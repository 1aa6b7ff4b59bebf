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
  if (instance.uniformNetwork && K > 1) {
    // One transfer time per edge between any two TaskManagers: the min over q ≠ p of BIL(c, q) + c(e) is the smallest
    // BIL(c, ·) plus c(e), or the second smallest when p holds the smallest (adding c(e) keeps the order of doubles,
    // so this is the same double): O(out-degree × K) per subtask instead of O(out-degree × K²).
    const tail = new Float64Array(K);
    for (let s = n - 1; s >= 0; s--) {
      tail.fill(0);
      for (const e of instance.outEdges[s]!) {
        const c = instance.edges[e]!.to;
        let first = Number.POSITIVE_INFINITY;
        let firstTm = -1;
        let second = Number.POSITIVE_INFINITY;
        for (let q = 0; q < K; q++) {
          const v = bil[c * K + q]!;
          if (v < first) {
            second = first;
            first = v;
            firstTm = q;
          } else if (v < second) second = v;
        }
        const transfer = instance.transferMs(e, 0, 1);
        for (let p = 0; p < K; p++) {
          const best = Math.min(bil[c * K + p]!, (p === firstTm ? second : first) + transfer);
          if (best > tail[p]!) tail[p] = best;
        }
      }
      for (let p = 0; p < K; p++) bil[s * K + p] = instance.durationMs(s, p) + tail[p]!;
    }
    return bil;
  }
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

/**
 * The BIL pair rule. It keeps, per candidate, its BIMs and their finite values in ascending order across calls: since
 * the previous call only the column of the TaskManager just used (`view.lastTaskManager`) can have moved, so each call
 * refreshes one entry per candidate (O(candidates) plus the shifts in the sorted rows) instead of reading and sorting
 * every row (O(candidates × K log K)). The others' BIM* sums (the tie-break between TaskManagers) are computed only
 * when two TaskManagers tie on the revised BIM, in the same candidate order, so with the same rounding.
 */
export function bilRule(instance: DagPlacementInstance, bil: Float64Array): PairRule {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const inf = Number.POSITIVE_INFINITY;
  const bimOf = new Float64Array(n * K); // BIM(s, p) as last read (+Infinity: p cannot take s)
  const sorted = new Float64Array(n * K); // the finite BIMs of s, ascending, in sorted[s * K, s * K + finite[s])
  const finite = new Int32Array(n).fill(-1); // -1: s not seen yet
  const remove = (s: number, v: number) => {
    const base = s * K;
    let lo = 0;
    let hi = finite[s]! - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[base + mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(base + lo, base + lo + 1, base + finite[s]!);
    finite[s] = finite[s]! - 1;
  };
  const insert = (s: number, v: number) => {
    const base = s * K;
    let i = base + finite[s]!;
    while (i > base && sorted[i - 1]! > v) {
      sorted[i] = sorted[i - 1]!;
      i--;
    }
    sorted[i] = v;
    finite[s] = finite[s]! + 1;
  };
  return (candidates, view) => {
    const k = candidates.length;
    const last = view.lastTaskManager;
    let chosen = -1;
    let chosenPriority = Number.NEGATIVE_INFINITY;
    for (const s of candidates) {
      const base = s * K;
      if (finite[s] === -1) {
        finite[s] = 0;
        for (let p = 0; p < K; p++) {
          const v = view.startMs(s, p) + bil[base + p]!;
          bimOf[base + p] = v;
          if (v !== inf) sorted[base + finite[s]!] = v, (finite[s] = finite[s]! + 1);
        }
        sorted.subarray(base, base + finite[s]!).sort();
      } else if (last !== -1) {
        const v = view.startMs(s, last) + bil[base + last]!;
        const old = bimOf[base + last]!;
        if (v !== old) {
          bimOf[base + last] = v;
          if (old !== inf) remove(s, old);
          if (v !== inf) insert(s, v);
        }
      }
      const count = finite[s]!;
      if (count === 0) continue;
      const priority = sorted[base + Math.min(k, count) - 1]!;
      if (chosen === -1 || priority > chosenPriority) {
        chosen = s;
        chosenPriority = priority;
      }
    }
    if (chosen === -1) return undefined;
    const stretch = Math.max(k / K - 1, 0);
    const revised = (s: number, p: number) => bimOf[s * K + p]! + instance.durationMs(s, p) * stretch;
    // the lowest revised BIM; among the TaskManagers that tie on it, the one where the others' BIM* sum largest
    // (the first of them on equal sums)
    let bestValue = inf;
    let ties = 0;
    for (let p = 0; p < K; p++) {
      const v = revised(chosen, p);
      if (v === inf || v > bestValue) continue;
      if (v < bestValue) {
        bestValue = v;
        ties = 0;
      }
      ties++;
    }
    if (bestValue === inf) return undefined;
    let bestTm = -1;
    let bestOthers = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < K; p++) {
      if (revised(chosen, p) !== bestValue) continue;
      if (ties === 1) return { s: chosen, k: p };
      let others = 0;
      for (const o of candidates) if (o !== chosen) others += revised(o, p);
      if (bestTm === -1 || others > bestOthers) {
        bestTm = p;
        bestOthers = others;
      }
    }
    return { s: chosen, k: bestTm };
  };
}

export const bilHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const { builder, stuck } = readySetSchedule(instance, variant, 'append', bilRule(instance, bestImaginaryLevelMs(instance)), false);
  if (stuck !== -1) return noSlotFor('bil', instance, variant, stuck);
  return builder.result();
};

export const bil = heuristicSolver('bil', 'dag-placement', 'BIL, Best Imaginary Level (Oh & Ha, Euro-Par 1996): ready subtask by k-th smallest BIM = start + imaginary level, TaskManager by revised BIM', bilHeuristic);
