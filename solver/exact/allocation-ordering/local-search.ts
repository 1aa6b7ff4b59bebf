/**
 * The allocation–ordering search's incumbent: an iterated local search over allocations (which TaskManager each
 * subtask runs on), each allocation scored by list scheduling it, the best one then ordered exactly.
 *
 * Why: the depth-first search proves fastest below an incumbent close to the optimum (on the 30-subtask instances of
 * datasets/data/exact-comm, searching below the optimum + 1 took a third of the CPU time of bisecting towards it
 * from the heuristics' start), and the registered heuristics start 5–7 % above the optimum there. The local search is
 * the classic one for P|prec,c_ij|Cmax with a fixed-allocation list scheduler as the evaluator (e.g. Sinnen,
 * "Task Scheduling for Parallel Systems", Wiley 2007, ch. 6: list scheduling given a processor allocation; the
 * allocation as the search space is Orr & Sinnen's AO model, allocation.ts):
 * - score of an allocation: the better of two list schedules on it, appending each subtask to its TaskManager at
 *   max(inputs' arrival, TaskManager free): (a) ready subtask with the largest allocated bottom level first,
 *   (b) ready subtask with the earliest start first (ties: larger bottom level);
 * - moves: one subtask to another TaskManager, first improvement over a shuffled neighbourhood, sideways moves
 *   accepted; at a local optimum a kick (three random subtasks moved at random) from the best allocation;
 * - budget: a fixed number of schedule evaluations (so the start does not depend on the machine's load), cut by
 *   the given deadline; randomness from a fixed seed (the exact answer must not depend on the caller's rng);
 * - the best allocation's order is then improved by the exact ordering phase (ordering.ts) within that deadline.
 */
import { seededRng } from '../../../models/rng.ts';
import { allocationBound, AllocationBoundState } from './bounds.ts';
import { bestOrdering, SearchStop, type OrderingResult } from './ordering.ts';
import type { AoProblem } from './problem.ts';

export interface LocalSearchResult {
  readonly alloc: Int32Array;
  readonly ordering: OrderingResult;
  readonly evaluations: number;
}

const SEED = 1;
const KICK_MOVES = 3;

/** Scores allocations by list scheduling them (see the file's comment). */
class AllocationScorer {
  readonly bottom: Float64Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  private readonly missing: Int32Array;
  private readonly ready: Int32Array;
  private readonly free: Float64Array;
  constructor(readonly p: AoProblem) {
    this.bottom = new Float64Array(p.n);
    this.start = new Float64Array(p.n);
    this.end = new Float64Array(p.n);
    this.missing = new Int32Array(p.n);
    this.ready = new Int32Array(p.n);
    this.free = new Float64Array(p.K);
  }

  /** The makespan of the better rule; `start`/`end` then hold that rule's schedule. */
  score(alloc: Int32Array): number {
    const { n, K, dur, succs, succEdges, comm, allocOrder } = this.p;
    for (let i = n - 1; i >= 0; i--) {
      const s = allocOrder[i]!;
      const ks = alloc[s]!;
      let rest = 0;
      const js = succs[s]!;
      const es = succEdges[s]!;
      for (let j = 0; j < js.length; j++) {
        const v = comm[es[j]!]![ks * K + alloc[js[j]!]!]! + this.bottom[js[j]!]!;
        if (v > rest) rest = v;
      }
      this.bottom[s] = dur[s * K + ks]! + rest;
    }
    const a = this.listSchedule(alloc, false);
    const startA = this.start.slice();
    const endA = this.end.slice();
    const b = this.listSchedule(alloc, true);
    if (a <= b) {
      this.start.set(startA);
      this.end.set(endA);
      return a;
    }
    return b;
  }

  private listSchedule(alloc: Int32Array, earliestFirst: boolean): number {
    const { n, K, dur, preds, succs } = this.p;
    const { bottom, start, end, missing, ready, free } = this;
    free.fill(0);
    let m = 0;
    for (let s = 0; s < n; s++) {
      missing[s] = preds[s]!.length;
      if (missing[s] === 0) ready[m++] = s;
    }
    const arrival = (s: number): number => this.p.arrivalMs(s, alloc, end, free);
    let makespan = 0;
    while (m > 0) {
      let pick = 0;
      let pickStart = earliestFirst ? arrival(ready[0]!) : 0;
      for (let i = 1; i < m; i++) {
        const s = ready[i]!;
        if (earliestFirst) {
          const t = arrival(s);
          if (t < pickStart || (t === pickStart && bottom[s]! > bottom[ready[pick]!]!)) {
            pick = i;
            pickStart = t;
          }
        } else if (bottom[s]! > bottom[ready[pick]!]!) pick = i;
      }
      const s = ready[pick]!;
      ready[pick] = ready[--m]!;
      const t = earliestFirst ? pickStart : arrival(s);
      start[s] = t;
      end[s] = t + dur[s * K + alloc[s]!]!;
      if (end[s]! > free[alloc[s]!]!) free[alloc[s]!] = end[s]!;
      if (end[s]! > makespan) makespan = end[s]!;
      const js = succs[s]!;
      for (let j = 0; j < js.length; j++) {
        const x = js[j]!;
        missing[x] = missing[x]! - 1;
        if (missing[x] === 0) ready[m++] = x;
      }
    }
    return makespan;
  }
}

/**
 * Improves the allocation `initial` (TaskManager per subtask) within `maxEvaluations` scored allocations and the
 * deadline (performance.now() ms); returns the best allocation with an exact best ordering of it.
 */
export function improveAllocation(p: AoProblem, initial: Int32Array, maxEvaluations: number, deadline: number): LocalSearchResult {
  const { n, K } = p;
  const rng = seededRng(SEED);
  const scorer = new AllocationScorer(p);
  const cur = initial.slice();
  let curMs = scorer.score(cur);
  let best = cur.slice();
  let bestMs = curMs;
  let bestStart = scorer.start.slice();
  let bestEnd = scorer.end.slice();
  let evaluations = 1;
  const moves: number[] = [];
  for (let s = 0; s < n; s++) for (let k = 0; k < K; k++) moves.push(s * K + k);
  const out = () => evaluations >= maxEvaluations || ((evaluations & 63) === 0 && performance.now() > deadline);
  while (K > 1 && !out()) {
    // one pass of first-improvement moves over a shuffled neighbourhood
    let improved = false;
    for (let i = moves.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [moves[i], moves[j]] = [moves[j]!, moves[i]!];
    }
    for (const mv of moves) {
      const s = Math.floor(mv / K);
      const k = mv % K;
      if (cur[s] === k) continue;
      if (out()) break;
      const was = cur[s]!;
      cur[s] = k;
      const v = scorer.score(cur);
      evaluations++;
      if (v <= curMs + 1e-9) {
        if (v < curMs - 1e-9) improved = true;
        curMs = v;
        if (v < bestMs - 1e-9) {
          bestMs = v;
          best = cur.slice();
          bestStart = scorer.start.slice();
          bestEnd = scorer.end.slice();
        }
      } else cur[s] = was;
    }
    if (!improved) {
      // a local optimum: kick from the best allocation
      cur.set(best);
      for (let i = 0; i < KICK_MOVES; i++) cur[rng.int(0, n - 1)] = rng.int(0, K - 1);
      curMs = scorer.score(cur);
      evaluations++;
    }
  }
  let ordering: OrderingResult = { makespanMs: bestMs, start: bestStart, end: bestEnd };
  // the best order of that allocation (strictly better than the list schedule's, or nothing)
  const st = new AllocationBoundState(p);
  allocationBound(p, best, st);
  try {
    const r = bestOrdering(p, best, st.tail.slice(), bestMs, { nodes: 0, deadline, memo: 0 });
    if (r) ordering = r;
  } catch (error) {
    if (!(error instanceof SearchStop)) throw error;
  }
  return { alloc: best, ordering, evaluations };
}
