/**
 * The ordering phase of the allocation–ordering search (Orr & Sinnen, Euro-Par 2015): every subtask's TaskManager
 * is fixed; find the order on each TaskManager (one slot each) that minimises the makespan, or prove that none
 * beats the target.
 *
 * Depth-first branch and bound over schedules built by appending one subtask at a time to its TaskManager at
 * max(inputs' arrival, TaskManager free), in non-decreasing order of (start, subtask index). Every schedule with
 * this allocation is dominated by one built so (regenerating a schedule in the order of its starts only moves starts
 * earlier; Kasahara & Narita 1984), and each such schedule is built once, so the phase is duplicate-free as the
 * paper's ordering phase is. Bounds at a node, with s0 the last start: earliest starts (scheduled inputs' ends plus
 * transfers, unscheduled predecessors' earliest ends, the TaskManager's free time, s0) plus duration plus the
 * allocated tail; and per TaskManager the Jackson preemptive schedule of its unscheduled subtasks on those
 * earliest starts and tails (bounds.ts). Closed set: a searched node is remembered by its scheduled set with its
 * profile (last start and subtask, free time per TaskManager, end of every scheduled subtask with an unscheduled
 * successor); a node whose set was searched from a profile no later in any entry is dominated and skipped. At most
 * `MEMO_CAP` profiles are kept per solve (the memory cap); beyond it the search goes on without remembering.
 */
import { jacksonPreemptiveBound } from './bounds.ts';
import type { AoProblem } from './problem.ts';

export class SearchStop extends Error {}

/** Profiles kept in the ordering phase's closed sets, over one solve. */
export const MEMO_CAP = 2_000_000;

/** Shared node counter and clock of one solve. */
export interface SearchClock {
  nodes: number;
  deadline: number;
  /** A shared flag another thread sets to stop the search (e.g. a solver racing it has finished), or undefined. */
  readonly stop?: Int32Array;
  /** Profiles remembered so far (see MEMO_CAP). */
  memo: number;
}

/** Profiles kept per scheduled set (a longer list would make the dominance test the bottleneck). */
const PROFILES_PER_SET = 32;

export function tick(clock: SearchClock): void {
  clock.nodes++;
  if (performance.now() > clock.deadline || stopRequested(clock)) throw new SearchStop();
}

/** True once the clock's shared stop flag is set. */
export function stopRequested(clock: SearchClock): boolean {
  return clock.stop !== undefined && Atomics.load(clock.stop, 0) !== 0;
}

export interface OrderingResult {
  readonly makespanMs: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

/**
 * The best ordering of allocation `alloc` with makespan strictly below `targetMs` (after rounding when times are
 * integral), or undefined when none exists. `tail` holds the allocated tails (transfers counted between different
 * TaskManagers), as `allocationBound` leaves them for a full allocation. Throws SearchStop at the deadline.
 */
export function bestOrdering(p: AoProblem, alloc: Int32Array, tail: Float64Array, targetMs: number, clock: SearchClock): OrderingResult | undefined {
  const { n, K, dur, preds, predEdges, comm } = p;
  const d = Float64Array.from(alloc, (k, s) => dur[s * K + k]!);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const done = new Uint8Array(n);
  const missing = Int32Array.from(preds, (ps) => ps.length);
  const free = new Float64Array(K);
  const est = new Float64Array(n);
  const jobsOf = Array.from({ length: K }, () => new Int32Array(n));
  const count = new Int32Array(K);
  const order = new Int32Array(n);
  const remaining = new Float64Array(n);
  const rel = new Int32Array(n);
  let best: OrderingResult | undefined;
  let ub = targetMs;
  // a makespan strictly below ub is wanted: with integral times, at most ub − 1
  const prunes = (bound: number) => (p.integral ? p.roundUp(bound) >= ub - 1e-9 : bound >= ub - 1e-9 * Math.max(1, ub));

  const arrival = (s: number): number => p.arrivalMs(s, alloc, end, free);

  /** Lower bound on the makespan of every completion of the current node (last start s0). */
  const nodeBound = (s0: number, makespan: number): number => {
    let bound = makespan;
    count.fill(0);
    for (let s = 0; s < n; s++) {
      if (done[s]) continue;
      const k = alloc[s]!;
      let t = free[k]! > s0 ? free[k]! : s0;
      const ps = preds[s]!;
      const es = predEdges[s]!;
      for (let i = 0; i < ps.length; i++) {
        const q = ps[i]!;
        const v = (done[q] ? end[q]! : est[q]! + d[q]!) + comm[es[i]!]![alloc[q]! * K + k]!;
        if (v > t) t = v;
      }
      // unscheduled ancestors on the same TaskManager all run there before s: t ≥ r + Σ d over those with est ≥ r
      const list = jobsOf[k]!;
      let c = 0;
      for (let i = 0; i < count[k]!; i++) {
        const a = list[i]!;
        if (p.reach[a * n + s] !== 1) continue;
        let j = c++;
        while (j > 0 && est[rel[j - 1]!]! < est[a]!) {
          rel[j] = rel[j - 1]!;
          j--;
        }
        rel[j] = a;
      }
      let sum = 0;
      for (let i = 0; i < c; i++) {
        sum += d[rel[i]!]!;
        const v = est[rel[i]!]! + sum;
        if (v > t) t = v;
      }
      est[s] = t;
      const path = t + d[s]! + tail[s]!;
      if (path > bound) bound = path;
      jobsOf[k]![count[k]!] = s;
      count[k] = count[k]! + 1;
    }
    for (let k = 0; k < K; k++) {
      const m = count[k]!;
      if (m === 0) continue;
      const v = m === 1 ? est[jobsOf[k]![0]!]! + d[jobsOf[k]![0]!]! + tail[jobsOf[k]![0]!]! : jacksonPreemptiveBound(jobsOf[k]!, m, est, d, tail, order, remaining);
      if (v > bound) bound = v;
    }
    return bound;
  };

  // closed set: scheduled set → profiles [s0, last, free per TaskManager, end per subtask or −1]
  const closed = new Map<string, Float64Array[]>();
  const bits = new Int32Array(Math.ceil(n / 32) || 1);
  const hasOpenSucc = (x: number) => {
    const js = p.succs[x]!;
    for (let j = 0; j < js.length; j++) if (!done[js[j]!]) return true;
    return false;
  };
  const profile = (s0: number, last: number): Float64Array => {
    const v = new Float64Array(2 + K + n);
    v[0] = s0;
    v[1] = last;
    for (let k = 0; k < K; k++) v[2 + k] = free[k]!;
    for (let x = 0; x < n; x++) v[2 + K + x] = done[x] && hasOpenSucc(x) ? end[x]! : -1;
    return v;
  };
  const dominated = (list: Float64Array[], v: Float64Array): boolean => {
    outer: for (const w of list) {
      if (w[0]! > v[0]! + 1e-9 || (Math.abs(w[0]! - v[0]!) <= 1e-9 && w[1]! > v[1]!)) continue;
      for (let i = 2; i < v.length; i++) if (w[i]! > v[i]! + 1e-9) continue outer;
      return true;
    }
    return false;
  };

  const candidates: number[][] = Array.from({ length: n + 1 }, () => []);
  const starts: number[][] = Array.from({ length: n + 1 }, () => []);
  const bounds: number[][] = Array.from({ length: n + 1 }, () => []);

  /** Appends s at t on its TaskManager (its slot is free from its end on); returns the slot's previous free time. */
  const appendAt = (s: number, t: number): number => {
    const k = alloc[s]!;
    const prevFree = free[k]!;
    done[s] = 1;
    start[s] = t;
    end[s] = t + d[s]!;
    if (end[s]! > t) free[k] = end[s]!;
    return prevFree;
  };
  /** Undoes `appendAt(s, ...)`. */
  const takeBack = (s: number, prevFree: number): void => {
    free[alloc[s]!] = prevFree;
    done[s] = 0;
  };
  const search = (depth: number, s0: number, last: number, makespan: number): void => {
    tick(clock);
    let key: string | undefined;
    let here: Float64Array | undefined;
    if (depth > 0 && depth < n - 1) {
      key = Array.prototype.join.call(bits, ',');
      here = profile(s0, last);
      const list = closed.get(key);
      if (list && dominated(list, here)) return;
    }
    if (depth === n) {
      if (!prunes(makespan)) {
        best = { makespanMs: makespan, start: start.slice(), end: end.slice() };
        ub = makespan;
      }
      return;
    }
    const cand = candidates[depth]!;
    const st = starts[depth]!;
    const bd = bounds[depth]!;
    cand.length = 0;
    st.length = 0;
    bd.length = 0;
    for (let s = 0; s < n; s++) {
      if (done[s] || missing[s] !== 0) continue;
      const t = arrival(s);
      if (t < s0 - 1e-9 || (t <= s0 + 1e-9 && s < last)) continue; // not canonical: built in another order
      // child bound
      const prevFree = appendAt(s, t);
      const b = nodeBound(t, Math.max(makespan, end[s]!));
      takeBack(s, prevFree);
      if (prunes(b)) continue;
      cand.push(s);
      st.push(t);
      bd.push(b);
    }
    // best bound first
    const idx = cand.map((_, i) => i).sort((a, b) => bd[a]! - bd[b]! || st[a]! - st[b]!);
    const cs = idx.map((i) => cand[i]!);
    const ts = idx.map((i) => st[i]!);
    const bs = idx.map((i) => bd[i]!);
    for (let i = 0; i < cs.length; i++) {
      if (prunes(bs[i]!)) break;
      const s = cs[i]!;
      const t = ts[i]!;
      const prevFree = appendAt(s, t);
      const ps = p.succs[s]!;
      for (let j = 0; j < ps.length; j++) missing[ps[j]!]!--;
      bits[s >>> 5] = bits[s >>> 5]! | (1 << (s & 31));
      search(depth + 1, t, s, Math.max(makespan, end[s]!));
      bits[s >>> 5] = bits[s >>> 5]! & ~(1 << (s & 31));
      for (let j = 0; j < ps.length; j++) missing[ps[j]!]!++;
      takeBack(s, prevFree);
    }
    // searched to the end: nothing below the (current) target from this node or any it dominates
    if (key !== undefined && here !== undefined && clock.memo < MEMO_CAP) {
      const list = closed.get(key);
      if (list) {
        if (list.length < PROFILES_PER_SET) list.push(here);
      }
      else closed.set(key, [here]);
      clock.memo++;
    }
  };
  search(0, 0, -1, 0);
  return best;
}
