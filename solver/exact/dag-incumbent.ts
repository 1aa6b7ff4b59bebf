/**
 * Incumbents for the exact DAG placement solvers: list schedules under every
 * variant, from a few priority rules, each checked by the model's validator.
 * The best one bounds the time-indexed model's horizon and is its MIP start;
 * when it meets the critical-path / work lower bound it is optimal outright.
 *
 * List scheduling (ready list, highest priority first; Graham 1969, with the
 * earliest-finish-time slot choice of HEFT: Topcuoglu, Hariri & Wu, IEEE TPDS
 * 13(3), 2002): each subtask goes to the slot where it finishes first, inserted
 * into the earliest idle gap of a sequenced slot, or on the earliest free CPU
 * core of a shared TaskManager, or into an unused slot under exclusive.
 */
import type { DagPlacementInstance, PlacementVariant } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { toSchedule, type IndexedSchedule } from '../../models/solution.ts';

export interface ListScheduleResult {
  readonly schedule: IndexedSchedule;
  readonly makespanMs: number;
  readonly rule: string;
}

/** Upward rank: mean duration plus the longest mean-cost path to an exit (HEFT's rank_u). */
export function upwardRank(instance: DagPlacementInstance): Float64Array {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const rank = new Float64Array(n);
  for (let s = n - 1; s >= 0; s--) {
    let mean = 0;
    for (let k = 0; k < K; k++) mean += instance.durationMs(s, k);
    mean /= K;
    let best = 0;
    for (const e of instance.outEdges[s]!) {
      const edge = instance.edges[e]!;
      let c = 0;
      if (K > 1) {
        for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) if (a !== b) c += instance.transferMs(e, a, b);
        c /= K * (K - 1);
      }
      best = Math.max(best, c + rank[edge.to]!);
    }
    rank[s] = mean + best;
  }
  return rank;
}

/** Downward rank: longest mean-cost path from an entry, excluding the subtask itself. */
function downwardRank(instance: DagPlacementInstance): Float64Array {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const mean = (s: number) => {
    let t = 0;
    for (let k = 0; k < K; k++) t += instance.durationMs(s, k);
    return t / K;
  };
  const rank = new Float64Array(n);
  for (let s = 0; s < n; s++)
    for (const e of instance.inEdges[s]!) {
      const p = instance.edges[e]!.from;
      rank[s] = Math.max(rank[s]!, rank[p]! + mean(p));
    }
  return rank;
}

/** One list schedule; undefined when the rules get stuck (no slot can take a subtask). */
export function listSchedule(instance: DagPlacementInstance, variant: PlacementVariant, priority: ArrayLike<number>): IndexedSchedule | undefined {
  const n = instance.subtasks.length;
  const slots = instance.slots;
  const startMs = new Float64Array(n);
  const endMs = new Float64Array(n);
  const slotOf = new Int32Array(n).fill(-1);
  const busy: Array<Array<[number, number]>> = slots.map(() => []); // sequenced: sorted intervals per slot
  const cores = instance.taskManagers.map((tm) => new Float64Array(tm.coreCount));
  const slotOps = slots.map(() => new Set<number>()); // shared: operators in the slot
  const slotGroup: Array<string | undefined> = slots.map(() => undefined);
  const slotUsed = new Uint8Array(slots.length); // exclusive
  const memUsed = new Float64Array(instance.taskManagers.length);
  const onTm: number[][] = instance.taskManagers.map(() => []);
  const missing = Int32Array.from(instance.inEdges, (e) => e.length);
  const ready = new Set<number>();
  for (let s = 0; s < n; s++) if (missing[s] === 0) ready.add(s);

  const sequencedStart = (l: number, from: number, dur: number): number => {
    let t = from;
    for (const [a, b] of busy[l]!) {
      if (dur === 0 || t + dur <= a) break;
      if (b > t) t = b;
    }
    return t;
  };
  const memoryFits = (k: number, s: number, start: number, end: number): boolean => {
    const tm = instance.taskManagers[k]!;
    const need = instance.subtasks[s]!.memoryBytes;
    if (!Number.isFinite(tm.memoryBytes) || need === 0) return true;
    if (variant !== 'sequenced') return memUsed[k]! + need <= tm.memoryBytes;
    // peak memory over [start, end) with the subtasks already there
    const points = [start, ...onTm[k]!.map((q) => startMs[q]!).filter((t) => t > start && t < end)];
    for (const p of points) {
      let sum = need;
      for (const q of onTm[k]!) if (startMs[q]! <= p && endMs[q]! > p && endMs[q]! > startMs[q]!) sum += instance.subtasks[q]!.memoryBytes;
      if (sum > tm.memoryBytes) return false;
    }
    return true;
  };

  for (let step = 0; step < n; step++) {
    let s = -1;
    for (const r of ready) if (s < 0 || priority[r]! > priority[s]! || (priority[r] === priority[s] && r < s)) s = r;
    if (s < 0) return undefined;
    ready.delete(s);
    const st = instance.subtasks[s]!;
    let bestSlot = -1;
    let bestStart = 0;
    let bestEnd = Infinity;
    let bestCore = -1;
    for (const slot of slots) {
      const l = slot.index;
      const k = slot.taskManager;
      if (variant === 'exclusive' && slotUsed[l]) continue;
      if (variant === 'shared') {
        if (slotOps[l]!.has(st.operatorIndex)) continue;
        if (slotGroup[l] !== undefined && slotGroup[l] !== st.slotSharingGroup) continue;
      }
      let readyAt = 0;
      for (const e of instance.inEdges[s]!) {
        const edge = instance.edges[e]!;
        const from = slots[slotOf[edge.from]!]!.taskManager;
        readyAt = Math.max(readyAt, endMs[edge.from]! + instance.transferMs(e, from, k));
      }
      const dur = instance.durationMs(s, k);
      let start = readyAt;
      let core = -1;
      if (variant === 'sequenced') start = sequencedStart(l, readyAt, dur);
      else if (variant === 'shared') {
        const c = cores[k]!;
        core = 0;
        for (let q = 1; q < c.length; q++) if (Math.max(readyAt, c[q]!) < Math.max(readyAt, c[core]!)) core = q;
        start = Math.max(readyAt, c[core]!);
      }
      const end = start + dur;
      if (end < bestEnd - 1e-9 && memoryFits(k, s, start, end)) {
        bestEnd = end;
        bestStart = start;
        bestSlot = l;
        bestCore = core;
      }
    }
    if (bestSlot < 0) return undefined;
    const k = slots[bestSlot]!.taskManager;
    slotOf[s] = bestSlot;
    startMs[s] = bestStart;
    endMs[s] = bestEnd;
    onTm[k]!.push(s);
    memUsed[k] = memUsed[k]! + st.memoryBytes;
    if (variant === 'sequenced') {
      const list = busy[bestSlot]!;
      if (bestEnd > bestStart) {
        list.push([bestStart, bestEnd]);
        list.sort((a, b) => a[0] - b[0]);
      }
    } else if (variant === 'shared') {
      cores[k]![bestCore] = bestEnd;
      slotOps[bestSlot]!.add(st.operatorIndex);
      slotGroup[bestSlot] = st.slotSharingGroup;
    } else slotUsed[bestSlot] = 1;
    for (const e of instance.outEdges[s]!) {
      const j = instance.edges[e]!.to;
      missing[j] = missing[j]! - 1;
      if (missing[j] === 0) ready.add(j);
    }
  }
  return { slotOfSubtask: slotOf, startMs, endMs };
}

/** The best valid list schedule over several priority rules, or undefined. */
export function bestListSchedule(instance: DagPlacementInstance, variant: PlacementVariant): ListScheduleResult | undefined {
  const up = upwardRank(instance);
  const down = downwardRank(instance);
  const n = instance.subtasks.length;
  const outDegree = Float64Array.from(instance.outEdges, (e) => e.length);
  const rules: Array<[string, ArrayLike<number>]> = [
    ['upward-rank', up],
    ['up+down', Float64Array.from(up, (v, s) => v + down[s]!)],
    ['upward-rank, fan-out', Float64Array.from(up, (v, s) => v * (n + 1) + outDegree[s]!)],
    ['least slack', Float64Array.from(up, (v, s) => v + down[s]! * 0.5)],
  ];
  let best: ListScheduleResult | undefined;
  for (const [rule, priority] of rules) {
    const schedule = listSchedule(instance, variant, priority);
    if (!schedule) continue;
    let makespanMs = 0;
    for (let s = 0; s < n; s++) makespanMs = Math.max(makespanMs, schedule.endMs[s]!);
    if (best && makespanMs >= best.makespanMs) continue;
    if (validateDagPlacement(instance, toSchedule(instance, schedule), variant).length > 0) continue;
    best = { schedule, makespanMs, rule };
  }
  return best;
}
