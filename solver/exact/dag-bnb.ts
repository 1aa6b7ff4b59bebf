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
import { roundUpMakespanBound } from '../../models/dag-placement/bounds.ts';
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
  if (instance.derived.slotProfiles !== undefined) return 'the branch and bound does not model fine-grained resource profiles';
  return null;
}

class Stop extends Error {}

/** Failed states kept at most (zero-communication instances only). */
const MEMO_LIMIT = 2_000_000;
const EPS = 1e-9;

/**
 * What the search reads and never changes: durations and transfer times per TaskManager pair, the instance's
 * derived facts (fastest durations, tails, classes of identical TaskManagers, zero communication), and the work
 * measure of the energetic bound.
 */
class SearchData {
  readonly n: number;
  readonly K: number;
  readonly L: number;
  /** d_sk, ms. */
  readonly dur: Float64Array[];
  /** c_e(a, b) at a·K + b, ms (0 on one TaskManager). */
  readonly comm: readonly Float64Array[];
  readonly minDur: Float64Array;
  /** Fastest path after s, excluding s. */
  readonly tail: Float64Array;
  readonly tmClass: Int32Array;
  readonly tmOfSlot: Int32Array;
  readonly zeroComm: boolean;
  readonly preds: number[][];
  /** Every duration and transfer is an integer (`derived.integralTimes`): optimal makespans are, so bounds round up. */
  readonly integral: boolean;
  /** All subtasks by decreasing tail, with the ends of equal-tail groups marked. */
  readonly byTail: Int32Array;
  readonly groupEnd: Uint8Array;
  /** Work per subtask and rate per slot of the energetic bound (see `rate`). */
  readonly work: Float64Array;
  readonly rate: Float64Array;

  constructor(readonly instance: DagPlacementInstance) {
    const n = (this.n = instance.subtasks.length);
    const K = (this.K = instance.taskManagers.length);
    this.L = instance.slots.length;
    const { derived } = instance;
    this.dur = instance.subtasks.map((s) => Float64Array.from(instance.taskManagers, (tm) => instance.durationMs(s.index, tm.index)));
    this.comm = derived.transferMatrices;
    this.minDur = derived.fastestMs;
    this.tail = derived.tailMs;
    this.tmClass = derived.taskManagerClasses('sequenced');
    this.tmOfSlot = Int32Array.from(instance.slots, (l) => l.taskManager);
    this.zeroComm = derived.zeroCommunication;
    this.preds = instance.subtasks.map((s) => instance.inEdges[s.index]!.map((e) => instance.edges[e]!.from));
    this.integral = derived.integralTimes;
    const tail = this.tail;
    const byTail = (this.byTail = Int32Array.from(instance.subtasks.map((st) => st.index).sort((x, y) => tail[y]! - tail[x]! || x - y)));
    this.groupEnd = Uint8Array.from(byTail, (x, i) => (i === n - 1 || tail[byTail[i + 1]!] !== tail[x] ? 1 : 0));
    // Work is measured at speed 1 on related TaskManagers (duration = work / speed; speeds are positive): a slot of
    // a TaskManager with speed f does f units of work per ms. On unrelated ones, in fastest durations.
    const related = derived.relatedMachines;
    this.rate = Float64Array.from(instance.slots, (l) => (related ? instance.taskManagers[l.taskManager]!.speedFactor : 1));
    this.work = derived.energeticWork; // derived.ts: workMs on related TaskManagers, else the fastest duration
  }

  roundUp(v: number): number {
    return roundUpMakespanBound(this.instance, v);
  }
}

/** The partial schedule of the current search node; `place` and `unplace` are each other's inverse. */
class PartialSchedule {
  readonly scheduled: Uint8Array;
  /** Unscheduled predecessors per subtask. */
  readonly missing: Int32Array;
  readonly slotOf: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Free time per slot. */
  readonly free: Float64Array;
  /** Subtasks per TaskManager. */
  readonly tmUsed: Int32Array;
  /** The scheduled set as bits (memo keys). */
  readonly bits: Int32Array;

  constructor(private readonly data: SearchData) {
    const { instance, n, K, L } = data;
    this.scheduled = new Uint8Array(n);
    this.missing = Int32Array.from(instance.inEdges, (e) => e.length);
    this.slotOf = new Int32Array(n).fill(-1);
    this.start = new Float64Array(n);
    this.end = new Float64Array(n);
    this.free = new Float64Array(L);
    this.tmUsed = new Int32Array(K);
    this.bits = new Int32Array(Math.ceil(n / 32) || 1);
  }

  /** When all inputs of s have arrived on TaskManager k (its predecessors are scheduled). */
  readyOn(s: number, k: number): number {
    const { instance, comm, tmOfSlot, K } = this.data;
    let t = 0;
    for (const e of instance.inEdges[s]!) {
      const p = instance.edges[e]!.from;
      const v = this.end[p]! + comm[e]![tmOfSlot[this.slotOf[p]!]! * K + k]!;
      if (v > t) t = v;
    }
    return t;
  }

  /** Places s in slot l over [st, en); returns the slot's previous free time for `unplace`. */
  place(s: number, l: number, st: number, en: number): number {
    const prevFree = this.free[l]!;
    this.scheduled[s] = 1;
    this.bits[s >>> 5] = this.bits[s >>> 5]! | (1 << (s & 31));
    this.slotOf[s] = l;
    this.start[s] = st;
    this.end[s] = en;
    if (en > st) this.free[l] = en;
    const k = this.data.tmOfSlot[l]!;
    this.tmUsed[k] = this.tmUsed[k]! + 1;
    const { instance } = this.data;
    for (const e of instance.outEdges[s]!) this.missing[instance.edges[e]!.to]!--;
    return prevFree;
  }

  unplace(s: number, l: number, prevFree: number): void {
    const { instance } = this.data;
    for (const e of instance.outEdges[s]!) this.missing[instance.edges[e]!.to]!++;
    const k = this.data.tmOfSlot[l]!;
    this.tmUsed[k] = this.tmUsed[k]! - 1;
    this.free[l] = prevFree;
    this.scheduled[s] = 0;
    this.bits[s >>> 5] = this.bits[s >>> 5]! & ~(1 << (s & 31));
    this.slotOf[s] = -1;
  }

  /**
   * The state's key for the memo of failed states (zero-communication instances only, where it determines the
   * future): scheduled set, last start and subtask, slot availability by TaskManager class, running subtasks' ends.
   */
  key(s0: number, x0: number): string {
    const { n, L, tmClass, tmOfSlot } = this.data;
    const slotsKey: string[] = [];
    for (let l = 0; l < L; l++) slotsKey.push(`${tmClass[tmOfSlot[l]!]}:${Math.max(this.free[l]!, s0)}`);
    slotsKey.sort();
    let running = '';
    for (let q = 0; q < n; q++) if (this.scheduled[q] && this.end[q]! > s0) running += `${q}:${this.end[q]},`;
    return `${this.bits.join(',')}|${s0}|${x0}|${slotsKey.join(',')}|${running}`;
  }

  toSchedule(): IndexedSchedule {
    return { slotOfSubtask: this.slotOf.slice(), startMs: this.start.slice(), endMs: this.end.slice() };
  }
}

/**
 * The lower bound at a node whose last start is s0 (every later subtask starts at or after s0): the path bound
 * (earliest start + fastest duration + tail of every unscheduled subtask) and the energetic bound over the
 * windows [a, T − q] (the subtasks with head ≥ a and tail ≥ q must fit there, on slots available from
 * max(their free time, s0, a)).
 */
class NodeBound {
  /** Earliest start of each unscheduled subtask at the current node. */
  private readonly est: Float64Array;
  private readonly headValues: Float64Array;
  /** Slots sorted by availability: available from availH[i], at rate availR[i]. */
  private readonly availH: Float64Array;
  private readonly availR: Float64Array;

  constructor(
    private readonly data: SearchData,
    private readonly state: PartialSchedule,
  ) {
    this.est = new Float64Array(data.n);
    this.headValues = new Float64Array(data.n);
    this.availH = new Float64Array(data.L);
    this.availR = new Float64Array(data.L);
  }

  at(s0: number): number {
    const { b, count } = this.pathBound(s0);
    if (count === 0) return this.data.roundUp(b);
    return this.data.roundUp(Math.max(b, this.energyBound(s0)));
  }

  /** max over scheduled ends and over unscheduled s of est_s + p_s + q_s; fills `est`. */
  private pathBound(s0: number): { b: number; count: number } {
    const { instance, n, K, preds, minDur, tail, comm, tmOfSlot } = this.data;
    const { scheduled, end, slotOf } = this.state;
    const est = this.est;
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
            const v = end[p]! + comm[e]![tmOfSlot[slotOf[p]!]! * K + k]!;
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
    return { b, count };
  }

  /** Energy in windows [a, T − q], a over the heads of the unscheduled subtasks. */
  private energyBound(s0: number): number {
    const { n, L, byTail, groupEnd, work, rate, tail } = this.data;
    const { scheduled, free } = this.state;
    const { est, availH, availR } = this;
    let b = 0;
    let hc = 0;
    for (let s = 0; s < n; s++) if (!scheduled[s]) this.headValues[hc++] = est[s]!;
    const heads = this.headValues.subarray(0, hc).sort();
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
          const v = this.level(w) + tail[x]!;
          if (v > b) b = v;
        }
      }
    }
    return b;
  }

  /** Least T at which the sorted available slots do `w` work before T. */
  private level(w: number): number {
    const { L } = this.data;
    const { availH, availR } = this;
    let sumR = 0;
    let sumRH = 0;
    for (let l = 0; l < L; l++) {
      sumR += availR[l]!;
      sumRH += availR[l]! * availH[l]!;
      const lv = (w + sumRH) / sumR;
      if (l === L - 1 || lv <= availH[l + 1]!) return lv;
    }
    return Infinity;
  }
}

/** Depth-first search for a schedule with makespan ≤ target, over canonical list schedules. */
class TargetSearch {
  nodes = 0;
  found: IndexedSchedule | undefined;
  private target = 0;
  private readonly state: PartialSchedule;
  private readonly bound: NodeBound;
  private readonly memo = new Map<string, { target: number; threshold: number }>();

  constructor(
    private readonly data: SearchData,
    private readonly deadline: number,
  ) {
    this.state = new PartialSchedule(data);
    this.bound = new NodeBound(data, this.state);
  }

  /** -1 when a schedule ending by `target` exists (in `found`), else the least bound above the target (a new lower bound). */
  run(target: number): number {
    this.target = target;
    return this.dfs(0, 0, -1);
  }

  /**
   * Branching: every ready subtask s in every slot l (one slot per state class) at max(its inputs' arrival, the
   * slot's free time), kept when it is canonical (start ≥ s0, and subtask index > x0 at equal start) and its
   * path bound meets the target; ordered by end + tail, then start, then subtask.
   */
  private candidates(s0: number, x0: number): { cand: Array<[number, number, number, number]>; threshold: number } {
    const { n, L, tmOfSlot, tmClass, zeroComm, dur, tail } = this.data;
    const { scheduled, missing, free, tmUsed } = this.state;
    let threshold = Infinity;
    const cand: Array<[number, number, number, number]> = [];
    for (let s = 0; s < n; s++) {
      if (scheduled[s] || missing[s] !== 0) continue;
      const seen = new Set<string>();
      for (let l = 0; l < L; l++) {
        const k = tmOfSlot[l]!;
        // slots in the same state: same TaskManager, or identical TaskManagers (unused, or no transfer costs)
        const slotKey = zeroComm || tmUsed[k] === 0 ? `c${tmClass[k]}|${free[l]}` : `t${k}|${free[l]}`;
        if (seen.has(slotKey)) continue;
        seen.add(slotKey);
        const st = Math.max(this.state.readyOn(s, k), free[l]!);
        if (st < s0 - EPS || (Math.abs(st - s0) <= EPS && s < x0)) continue; // canonical order
        const en = st + dur[s]![k]!;
        const v = this.data.roundUp(en + tail[s]!);
        if (v > this.target + EPS) {
          if (v < threshold) threshold = v;
          continue;
        }
        cand.push([s, l, st, en]);
      }
    }
    cand.sort((a, b) => a[3] + tail[a[0]]! - (b[3] + tail[b[0]]!) || a[2] - b[2] || a[0] - b[0]);
    return { cand, threshold };
  }

  private dfs(depth: number, s0: number, x0: number): number {
    if (depth === this.data.n) {
      this.found = this.state.toSchedule();
      return -1;
    }
    // The clock at every node: a node bounds each of its branches (the energetic bound is quadratic), which costs
    // milliseconds on 50-subtask graphs, far more than reading the clock.
    this.nodes++;
    if (performance.now() > this.deadline) throw new Stop();
    let key: string | undefined;
    if (this.data.zeroComm && depth > 0) {
      key = this.state.key(s0, x0);
      const seenBefore = this.memo.get(key);
      if (seenBefore && seenBefore.target >= this.target - EPS) return seenBefore.threshold;
    }
    const branches = this.candidates(s0, x0);
    const cand = branches.cand;
    let threshold = branches.threshold;
    for (const [s, l, st, en] of cand) {
      const prevFree = this.state.place(s, l, st, en);
      const b = this.bound.at(st);
      const result = b > this.target + EPS ? b : this.dfs(depth + 1, st, s);
      this.state.unplace(s, l, prevFree);
      if (result < 0) return -1;
      if (result < threshold) threshold = result;
    }
    if (key !== undefined && this.memo.size < MEMO_LIMIT) this.memo.set(key, { target: this.target, threshold });
    return threshold;
  }
}

export function dagBranchAndBound(instance: DagPlacementInstance, options: DagBnbOptions): DagBnbResult {
  const data = new SearchData(instance);
  const search = new TargetSearch(data, options.deadline);
  return options.direction === 'descend' ? descendingTargets(search, data, options) : deepeningTargets(search, options);
}

/** Targets fall from just below the incumbent: every schedule found improves it; a failed target proves it optimal. */
function descendingTargets(search: TargetSearch, data: SearchData, options: DagBnbOptions): DagBnbResult {
  let best = options.upperBoundMs;
  let bestSchedule: IndexedSchedule | undefined;
  let targets = 0;
  const below = (v: number) => (data.integral ? Math.ceil(v - 1e-7) - 1 : v * (1 - 1e-9) - 1e-9);
  try {
    for (;;) {
      const target = below(best);
      if (target < options.lowerBoundMs - EPS) break; // the incumbent meets the lower bound
      targets++;
      if (search.run(target) >= 0) break; // nothing at or below the target: the incumbent is optimal
      bestSchedule = search.found!;
      best = makespanMs(bestSchedule);
    }
    return { ...(bestSchedule ? { schedule: bestSchedule } : {}), makespanMs: best, lowerBoundMs: best, complete: true, nodes: search.nodes, targets };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ...(bestSchedule ? { schedule: bestSchedule } : {}), makespanMs: best, lowerBoundMs: options.lowerBoundMs, complete: false, nodes: search.nodes, targets };
  }
}

/** Targets rise from the lower bound: the first schedule found is optimal; each failure names the next target. */
function deepeningTargets(search: TargetSearch, options: DagBnbOptions): DagBnbResult {
  const upper = options.upperBoundMs;
  let target = options.lowerBoundMs;
  let targets = 0;
  try {
    while (target < upper - EPS) {
      targets++;
      const next = search.run(target);
      if (next < 0) {
        const makespan = makespanMs(search.found!);
        return { schedule: search.found!, makespanMs: makespan, lowerBoundMs: makespan, complete: true, nodes: search.nodes, targets };
      }
      target = next; // no schedule ends by the old target: the optimum is at least this
    }
    return { makespanMs: upper, lowerBoundMs: upper, complete: true, nodes: search.nodes, targets };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { makespanMs: upper, lowerBoundMs: target, complete: false, nodes: search.nodes, targets };
  }
}
