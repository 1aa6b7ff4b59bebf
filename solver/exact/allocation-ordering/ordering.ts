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
 * earliest starts and tails (bounds.ts).
 */
import { jacksonPreemptiveBound } from './bounds.ts';
import type { AoProblem } from './problem.ts';

export class SearchStop extends Error {}

/** Shared node counter and clock of one solve. */
export interface SearchClock {
  nodes: number;
  readonly deadline: number;
}

export function tick(clock: SearchClock): void {
  if ((++clock.nodes & 255) === 0 && performance.now() > clock.deadline) throw new SearchStop();
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
  let best: OrderingResult | undefined;
  let ub = targetMs;
  // a makespan strictly below ub is wanted: with integral times, at most ub − 1
  const prunes = (bound: number) => (p.integral ? p.roundUp(bound) >= ub - 1e-9 : bound >= ub - 1e-9 * Math.max(1, ub));

  const arrival = (s: number): number => {
    const k = alloc[s]!;
    let t = free[k]!;
    const ps = preds[s]!;
    const es = predEdges[s]!;
    for (let i = 0; i < ps.length; i++) {
      const q = ps[i]!;
      const v = end[q]! + comm[es[i]!]![alloc[q]! * K + k]!;
      if (v > t) t = v;
    }
    return t;
  };

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

  const candidates: number[][] = Array.from({ length: n + 1 }, () => []);
  const starts: number[][] = Array.from({ length: n + 1 }, () => []);
  const bounds: number[][] = Array.from({ length: n + 1 }, () => []);

  const search = (depth: number, s0: number, last: number, makespan: number): void => {
    tick(clock);
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
      const k = alloc[s]!;
      const prevFree = free[k]!;
      done[s] = 1;
      start[s] = t;
      end[s] = t + d[s]!;
      if (end[s]! > t) free[k] = end[s]!;
      const ms = Math.max(makespan, end[s]!);
      const b = nodeBound(t, ms);
      done[s] = 0;
      free[k] = prevFree;
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
      const k = alloc[s]!;
      const prevFree = free[k]!;
      done[s] = 1;
      start[s] = t;
      end[s] = t + d[s]!;
      if (end[s]! > t) free[k] = end[s]!;
      const ps = p.succs[s]!;
      for (let j = 0; j < ps.length; j++) missing[ps[j]!]!--;
      search(depth + 1, t, s, Math.max(makespan, end[s]!));
      for (let j = 0; j < ps.length; j++) missing[ps[j]!]!++;
      free[k] = prevFree;
      done[s] = 0;
    }
  };
  search(0, 0, -1, 0);
  return best;
}
