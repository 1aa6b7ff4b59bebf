import type { DagPlacementInstance } from '../../../models/dag-placement/instance.ts';

/**
 * Average costs and ranks shared by the list schedulers (HEFT, CPOP, PEFT, critical path).
 *
 * Vocabulary (Topcuoglu, Hariri, Wu 2002): a paper "processor" is a slot here, a "task" a subtask. The average
 * computation cost w̄(s) is the mean duration of s over all slots (a TaskManager with n slots counts n times);
 * the average communication cost c̄(e) is the mean transfer time of edge e over all ordered pairs of distinct
 * slots: pairs on one TaskManager cost nothing, the others cost latency + bytes / bandwidth of their link. With
 * one slot per TaskManager and uniform links this is the paper's c̄ = L̄ + data / B̄.
 * All arrays are indexed like `instance.subtasks` (a topological order) or `instance.edges`.
 */
export interface AverageCosts {
  /** w̄(s), ms. */
  readonly meanDurationMs: Float64Array;
  /** c̄(e), ms. */
  readonly meanTransferMs: Float64Array;
}

export function averageCosts(instance: DagPlacementInstance): AverageCosts {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const S = instance.slots.length;
  const meanDurationMs = new Float64Array(n);
  const slotCount = Float64Array.from(instance.taskManagers, (tm) => tm.slotCount);
  for (let s = 0; s < n; s++) {
    let total = 0;
    for (let k = 0; k < K; k++) total += slotCount[k]! * instance.durationMs(s, k);
    meanDurationMs[s] = total / S;
  }
  // Mean over ordered pairs of distinct slots of (latency + bytes / bandwidth), 0 within a TaskManager:
  // c̄(e) = L̄ + bytes · (1/B)‾, both averaged with weight n_a · n_b over pairs of TaskManagers a ≠ b.
  const pairs = S * (S - 1);
  let latency = 0;
  let inverseBandwidth = 0;
  if (pairs > 0 && K > 1) {
    if (instance.uniformNetwork) {
      const link = instance.link(0, 1);
      const crossPairs = S * S - instance.taskManagers.reduce((t, tm) => t + tm.slotCount * tm.slotCount, 0);
      latency = crossPairs * link.latencyMs;
      inverseBandwidth = crossPairs / link.bandwidthBytesPerMs; // Infinity bandwidth adds 0
    } else
      for (let a = 0; a < K; a++)
        for (let b = 0; b < K; b++) {
          if (a === b) continue;
          const w = instance.taskManagers[a]!.slotCount * instance.taskManagers[b]!.slotCount;
          const link = instance.link(a, b);
          latency += w * link.latencyMs;
          inverseBandwidth += w / link.bandwidthBytesPerMs;
        }
    latency /= pairs;
    inverseBandwidth /= pairs;
  }
  const edgeBytes = instance.edgeArrays.bytes;
  const meanTransferMs = new Float64Array(edgeBytes.length);
  for (let e = 0; e < edgeBytes.length; e++) meanTransferMs[e] = edgeBytes[e] === 0 ? 0 : latency + edgeBytes[e]! * inverseBandwidth;
  return { meanDurationMs, meanTransferMs };
}

/** rank_u(s) = w̄(s) + max over successors t of (c̄(s,t) + rank_u(t)): the length of the longest path to an exit. */
export function upwardRankMs(instance: DagPlacementInstance, costs: AverageCosts): Float64Array {
  const n = instance.subtasks.length;
  const rank = new Float64Array(n);
  const { to, outStart, outList } = instance.edgeArrays;
  for (let s = n - 1; s >= 0; s--) {
    let tail = 0;
    for (let j = outStart[s]!; j < outStart[s + 1]!; j++) {
      const e = outList[j]!;
      const v = costs.meanTransferMs[e]! + rank[to[e]!]!;
      if (v > tail) tail = v;
    }
    rank[s] = costs.meanDurationMs[s]! + tail;
  }
  return rank;
}

/** rank_d(s) = max over predecessors p of (rank_d(p) + w̄(p) + c̄(p,s)); 0 for entry subtasks. */
export function downwardRankMs(instance: DagPlacementInstance, costs: AverageCosts): Float64Array {
  const n = instance.subtasks.length;
  const rank = new Float64Array(n);
  const { from, inStart, inList } = instance.edgeArrays;
  for (let s = 0; s < n; s++) {
    let head = 0;
    for (let j = inStart[s]!; j < inStart[s + 1]!; j++) {
      const e = inList[j]!;
      const p = from[e]!;
      const v = rank[p]! + costs.meanDurationMs[p]! + costs.meanTransferMs[e]!;
      if (v > head) head = v;
    }
    rank[s] = head;
  }
  return rank;
}

/** Bottom level without communication: w̄(s) + max over successors of their bottom level (the static level of HLFET). */
export function bottomLevelMs(instance: DagPlacementInstance, meanDurationMs: Float64Array): Float64Array {
  const n = instance.subtasks.length;
  const level = new Float64Array(n);
  const { to, outStart, outList } = instance.edgeArrays;
  for (let s = n - 1; s >= 0; s--) {
    let tail = 0;
    for (let j = outStart[s]!; j < outStart[s + 1]!; j++) {
      const v = level[to[outList[j]!]!]!;
      if (v > tail) tail = v;
    }
    level[s] = meanDurationMs[s]! + tail;
  }
  return level;
}

/** An arbitrary topological priority: `instance.subtasks` order (earlier subtasks first), for a ready list. */
export function topologicalPriority(instance: DagPlacementInstance): Float64Array {
  const n = instance.subtasks.length;
  const priority = new Float64Array(n);
  for (let s = 0; s < n; s++) priority[s] = n - s;
  return priority;
}
