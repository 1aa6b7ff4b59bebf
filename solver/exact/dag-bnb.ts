/**
 * Branch and bound for `sequenced` DAG placement (P|prec,c_ij|Cmax on slots,
 * with TaskManager-dependent durations and transfer times between TaskManagers).
 *
 * Search space: schedules built by appending one subtask at a time to a slot,
 * at max(its inputs' arrival, the slot's free time), in non-decreasing order of
 * (start, subtask index). This is complete: re-generating any schedule in the
 * order of its start times with the same placement only moves starts earlier,
 * and iterating that reaches a schedule (no longer) that its own order
 * regenerates exactly — one the search enumerates. (This canonical order is the
 * idea of depth-first/implicit heuristic search for P|prec|Cmax; Kasahara &
 * Narita, IEEE Trans. Computers C-33(11), 1984.)
 *
 * Bounds at a node, with s0 the last start (every later subtask starts ≥ s0):
 * - path: for every unscheduled subtask, earliest start (scheduled inputs'
 *   ends, s0, unscheduled predecessors' earliest ends) + fastest duration + the
 *   fastest path after it;
 * - area: (Σ_slots max(free_l, s0) + Σ unscheduled fastest durations) / #slots.
 * Slots in the same state (same TaskManager, or identical unused TaskManagers,
 * or identical TaskManagers when no transfer costs anything; same free time)
 * are tried once. Memory limits are not modelled here (the MILP has them).
 */
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { makespanMs, type IndexedSchedule } from '../../models/solution.ts';

export interface DagBnbOptions {
  /** Makespan of a known schedule (ms); only strictly better schedules are searched for. */
  readonly upperBoundMs: number;
  /** Proven lower bound (ms) to start the targets from. */
  readonly lowerBoundMs: number;
  readonly deadline: number;
  /**
   * `deepen` (default): targets rise from the lower bound; the first schedule found is optimal.
   * `descend`: targets fall from just below the upper bound; every schedule found improves the
   * incumbent (a heuristic use with a short deadline), and a failed target proves the incumbent optimal.
   */
  readonly direction?: 'deepen' | 'descend';
}

export interface DagBnbResult {
  /** A schedule better than the given upper bound, if one was found (then optimal when `complete`). */
  readonly schedule?: IndexedSchedule;
  /** Best makespan known at the end (the given upper bound if nothing better was found). */
  readonly makespanMs: number;
  /** Proven lower bound on the optimum (ms). */
  readonly lowerBoundMs: number;
  /** True when optimality of `makespanMs` is proven. */
  readonly complete: boolean;
  readonly nodes: number;
  /** Targets tried (iterative deepening levels). */
  readonly targets: number;
}

/** Why the branch and bound does not apply, or null. */
export function dagBnbNotApplicable(instance: DagPlacementInstance, variant: string): string | null {
  if (variant !== 'sequenced') return `the branch and bound handles the sequenced variant, not ${variant}`;
  if (instance.derived.memoryMatters) return 'the branch and bound does not model memory limits';
  return null;
}

class Stop extends Error {}

export function dagBranchAndBound(instance: DagPlacementInstance, options: DagBnbOptions): DagBnbResult {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const slots = instance.slots;
  const L = slots.length;
  const dur = instance.subtasks.map((s) => Float64Array.from(instance.taskManagers, (tm) => instance.durationMs(s.index, tm.index)));
  const minDur = instance.derived.fastestMs;
  const zeroComm = instance.derived.zeroCommunication;
  const commCache = instance.edges.map((e) => {
    const c = new Float64Array(K * K);
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) c[a * K + b] = a === b ? 0 : instance.transferMs(e.index, a, b);
    return c;
  });
  const tmClass = instance.derived.taskManagerClasses('sequenced');
  const tail = instance.derived.tailMs; // fastest path after s, excluding s
  const preds = instance.subtasks.map((s) => instance.inEdges[s.index]!.map((e) => instance.edges[e]!.from));

  const scheduled = new Uint8Array(n);
  const missing = Int32Array.from(instance.inEdges, (e) => e.length);
  const slotOf = new Int32Array(n).fill(-1);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const free = new Float64Array(L);
  const tmUsed = new Int32Array(K);
  const est = new Float64Array(n);
  let remainingMin = minDur.reduce((a, b) => a + b, 0);
  let target = options.lowerBoundMs; // current target: find a schedule with makespan ≤ target
  let found: IndexedSchedule | undefined;
  let nodes = 0;
  const eps = 1e-9;

  // Integral data: every makespan is an integer, so bounds round up.
  const integral = dur.every((row) => row.every((v) => Number.isInteger(v))) && commCache.every((c) => c.every((v) => Number.isInteger(v)));
  const roundUp = (v: number): number => (integral ? Math.ceil(v - 1e-7) : v);
  // All subtasks by decreasing tail, with the ends of equal-tail groups marked.
  const byTail = Int32Array.from(instance.subtasks.map((st) => st.index).sort((x, y) => tail[y]! - tail[x]! || x - y));
  const groupEnd = Uint8Array.from(byTail, (x, i) => (i === n - 1 || tail[byTail[i + 1]!] !== tail[x] ? 1 : 0));
  const headValues = new Float64Array(n);
  // Work is measured at speed 1 on related TaskManagers (duration = work / speed): a slot of a
  // TaskManager with speed f does f units of work per ms. On unrelated ones, in fastest durations.
  const related = instance.derived.relatedMachines; // speed factors are positive (the cluster checks them)
  const rate = Float64Array.from(slots, (l) => (related ? instance.taskManagers[l.taskManager]!.speedFactor : 1));
  const work = Float64Array.from(instance.subtasks, (st) => (related ? st.workMs : minDur[st.index]!));
  const availH = new Float64Array(L);
  const availR = new Float64Array(L);

  /** Least T at which the slots (available from availH[l], rate availR[l], sorted by availH) do `w` work before T. */
  const level = (w: number): number => {
    let sumR = 0;
    let sumRH = 0;
    for (let l = 0; l < L; l++) {
      sumR += availR[l]!;
      sumRH += availR[l]! * availH[l]!;
      const lv = (w + sumRH) / sumR;
      if (l === L - 1 || lv <= availH[l + 1]!) return lv;
    }
    return Infinity;
  };

  const bound = (s0: number): number => {
    let b = 0;
    let count = 0;
    for (let s = 0; s < n; s++) {
      if (scheduled[s]) {
        if (end[s]! > b) b = end[s]!;
        continue;
      }
      let t = s0;
      let anyScheduled = false;
      for (const p of preds[s]!) {
        if (scheduled[p]) {
          anyScheduled = true;
          continue;
        }
        const r = est[p]! + minDur[p]!;
        if (r > t) t = r;
      }
      if (anyScheduled) {
        // the inputs already placed arrive on the best TaskManager no earlier than this
        let bestArrival = Infinity;
        for (let k = 0; k < K; k++) {
          let arrival = 0;
          for (const e of instance.inEdges[s]!) {
            const p = instance.edges[e]!.from;
            if (!scheduled[p]) continue;
            const v = end[p]! + commCache[e]![slots[slotOf[p]!]!.taskManager * K + k]!;
            if (v > arrival) arrival = v;
          }
          if (arrival < bestArrival) bestArrival = arrival;
        }
        if (bestArrival > t) t = bestArrival;
      }
      est[s] = t;
      const v = t + minDur[s]! + tail[s]!;
      if (v > b) b = v;
      count++;
    }
    if (count === 0) return roundUp(b);
    // Energy in windows [a, T − q]: the subtasks with head ≥ a and tail ≥ q must fit there,
    // on slots available from max(their free time, s0, a). a ranges over the heads.
    let hc = 0;
    for (let s = 0; s < n; s++) if (!scheduled[s]) headValues[hc++] = est[s]!;
    const heads = headValues.subarray(0, hc).sort();
    for (let h = 0; h < hc; h++) {
      const a = heads[h]!;
      if (h > 0 && heads[h - 1] === a) continue;
      // slots sorted by availability (insertion sort: few slots)
      for (let l = 0; l < L; l++) {
        const h0 = Math.max(free[l]!, s0, a);
        const r0 = rate[l]!;
        let q = l;
        while (q > 0 && availH[q - 1]! > h0) {
          availH[q] = availH[q - 1]!;
          availR[q] = availR[q - 1]!;
          q--;
        }
        availH[q] = h0;
        availR[q] = r0;
      }
      let w = 0;
      let changed = false;
      for (let i = 0; i < n; i++) {
        const x = byTail[i]!;
        if (!scheduled[x] && est[x]! >= a) {
          w += work[x]!;
          changed = true;
        }
        if (groupEnd[i] && changed) {
          changed = false;
          const v = level(w) + tail[x]!;
          if (v > b) b = v;
        }
      }
    }
    return roundUp(b);
  };

  const readyOn = (s: number, k: number): number => {
    let t = 0;
    const ins = instance.inEdges[s]!;
    for (let q = 0; q < ins.length; q++) {
      const e = ins[q]!;
      const p = instance.edges[e]!.from;
      const v = end[p]! + commCache[e]![instance.slots[slotOf[p]!]!.taskManager * K + k]!;
      if (v > t) t = v;
    }
    return t;
  };

  // Failed states (zero-communication instances only, where this key determines the future):
  // scheduled set, last start and subtask, slot availability, running subtasks' ends.
  const memo = new Map<string, { target: number; threshold: number }>();
  const MEMO_LIMIT = 2_000_000;
  const words = Math.ceil(n / 32) || 1;
  const bits = new Int32Array(words);
  const stateKey = (s0: number, x0: number): string => {
    const slotsKey: string[] = [];
    for (let l = 0; l < L; l++) slotsKey.push(`${tmClass[slots[l]!.taskManager]}:${Math.max(free[l]!, s0)}`);
    slotsKey.sort();
    let running = '';
    for (let q = 0; q < n; q++) if (scheduled[q] && end[q]! > s0) running += `${q}:${end[q]},`;
    return `${bits.join(',')}|${s0}|${x0}|${slotsKey.join(',')}|${running}`;
  };

  /** Depth-first search below the current target: -1 when a schedule is found, else the least bound that exceeded the target. */
  const dfs = (depth: number, s0: number, x0: number): number => {
    if (depth === n) {
      found = { slotOfSubtask: slotOf.slice(), startMs: start.slice(), endMs: end.slice() };
      return -1;
    }
    if ((++nodes & 255) === 0 && performance.now() > options.deadline) throw new Stop();
    let key: string | undefined;
    if (zeroComm && depth > 0) {
      key = stateKey(s0, x0);
      const seenBefore = memo.get(key);
      if (seenBefore && seenBefore.target >= target - eps) return seenBefore.threshold;
    }
    let threshold = Infinity;
    // candidates: (subtask, slot, start, end)
    const cand: Array<[number, number, number, number]> = [];
    for (let s = 0; s < n; s++) {
      if (scheduled[s] || missing[s] !== 0) continue;
      const seen = new Set<string>();
      for (let l = 0; l < L; l++) {
        const k = slots[l]!.taskManager;
        const slotKey = zeroComm || tmUsed[k] === 0 ? `c${tmClass[k]}|${free[l]}` : `t${k}|${free[l]}`;
        if (seen.has(slotKey)) continue;
        seen.add(slotKey);
        const st = Math.max(readyOn(s, k), free[l]!);
        if (st < s0 - eps || (Math.abs(st - s0) <= eps && s < x0)) continue; // canonical order
        const en = st + dur[s]![k]!;
        const v = roundUp(en + tail[s]!);
        if (v > target + eps) {
          if (v < threshold) threshold = v;
          continue;
        }
        cand.push([s, l, st, en]);
      }
    }
    cand.sort((a, b) => a[3] + tail[a[0]]! - (b[3] + tail[b[0]]!) || a[2] - b[2] || a[0] - b[0]);
    for (const [s, l, st, en] of cand) {
      const k = slots[l]!.taskManager;
      const prevFree = free[l]!;
      scheduled[s] = 1;
      bits[s >>> 5] = bits[s >>> 5]! | (1 << (s & 31));
      slotOf[s] = l;
      start[s] = st;
      end[s] = en;
      if (en > st) free[l] = en;
      tmUsed[k] = tmUsed[k]! + 1;
      remainingMin -= minDur[s]!;
      for (const e of instance.outEdges[s]!) missing[instance.edges[e]!.to]!--;
      const b = bound(st);
      let result: number;
      if (b > target + eps) result = b;
      else result = dfs(depth + 1, st, s);
      for (const e of instance.outEdges[s]!) missing[instance.edges[e]!.to]!++;
      remainingMin += minDur[s]!;
      tmUsed[k] = tmUsed[k]! - 1;
      free[l] = prevFree;
      scheduled[s] = 0;
      bits[s >>> 5] = bits[s >>> 5]! & ~(1 << (s & 31));
      slotOf[s] = -1;
      if (result < 0) return -1;
      if (result < threshold) threshold = result;
    }
    if (key !== undefined && memo.size < MEMO_LIMIT) memo.set(key, { target, threshold });
    return threshold;
  };

  let targets = 0;
  const upper = options.upperBoundMs;
  if (options.direction === 'descend') {
    let best = upper;
    let bestSchedule: IndexedSchedule | undefined;
    const step = (v: number) => (integral ? Math.ceil(v - 1e-7) - 1 : v * (1 - 1e-9) - 1e-9);
    try {
      for (;;) {
        target = step(best);
        if (target < options.lowerBoundMs - eps) break; // the incumbent meets the lower bound
        targets++;
        if (dfs(0, 0, -1) >= 0) break; // nothing at or below the target: the incumbent is optimal
        bestSchedule = found;
        best = makespanMs(found!);
      }
      return { ...(bestSchedule ? { schedule: bestSchedule } : {}), makespanMs: best, lowerBoundMs: best, complete: true, nodes, targets };
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
      return { ...(bestSchedule ? { schedule: bestSchedule } : {}), makespanMs: best, lowerBoundMs: options.lowerBoundMs, complete: false, nodes, targets };
    }
  }
  try {
    while (target < upper - eps) {
      targets++;
      const next = dfs(0, 0, -1);
      if (next < 0) {
        const mk = makespanMs(found!);
        return { schedule: found!, makespanMs: mk, lowerBoundMs: mk, complete: true, nodes, targets };
      }
      target = next; // no schedule ends by the old target: the optimum is at least this
    }
    return { makespanMs: upper, lowerBoundMs: upper, complete: true, nodes, targets };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { makespanMs: upper, lowerBoundMs: target, complete: false, nodes, targets };
  }
}
