/**
 * The allocation–ordering (AO) state space of Orr & Sinnen: "A duplicate-free state-space model for optimal task
 * scheduling", Euro-Par 2015 (LNCS 9233, pp. 516–527, doi:10.1007/978-3-662-48096-0_40), and "Optimal task
 * scheduling for partially heterogeneous systems" / "Further improving the state-space model for optimal task
 * scheduling" (Orr & Sinnen, 2017–2021). Paper "processor" = a TaskManager with one slot; "task" = a subtask.
 *
 * Phase 1, allocation: subtasks are given a TaskManager one at a time, in a fixed topological order (ready
 * subtasks by decreasing bottom level, problem.ts). Identical TaskManagers (`derived.taskManagerClasses`: same
 * durations, uniform network) are interchangeable while empty, so a subtask goes to at most one empty TaskManager
 * of each class: every partition of the subtasks into groups is generated once per labelling up to that symmetry
 * (the paper's processor normalisation). Phase 2, ordering: for each complete allocation, the best order on every
 * TaskManager (ordering.ts). Bounds in phase 1 (bounds.ts) count communication wherever both ends are allocated:
 * allocated path, Jackson preemptive bound per TaskManager, area bound.
 *
 * Search: depth-first branch and bound (the paper's DFBnB variant: memory linear in the depth, no open list; the
 * ordering phase's closed set is capped, ordering.ts). At every node each unallocated subtask is probed on every
 * TaskManager it may use; the node's bound is the largest of their least child bounds and the search branches on
 * that subtask (fail first), children best bound first; options that the node's own path bound through the subtask
 * on that TaskManager already prunes are not probed. A refuted option stays refuted in the node's subtree (a trail),
 * and the bounds read these domains (bounds.ts); a probe recomputes only what its option changes (`probeAllocation`). The start is the best registered heuristic or list schedule
 * improved by the local search over allocations (local-search.ts); the search runs below it, then bisects (see
 * below). A search cut by the deadline keeps its incumbent and the bound the refuted targets proved.
 */
import { AllocationBoundState, allocationBound, probeAllocation, saveBase } from './bounds.ts';
import { bestOrdering, SearchStop, stopRequested, type OrderingResult, type SearchClock } from './ordering.ts';
import type { AoProblem } from './problem.ts';

export interface AllocationOrderingResult {
  /** A schedule strictly better than the given upper bound, if one was found. */
  readonly best?: { readonly alloc: Int32Array; readonly ordering: OrderingResult };
  /** Proven lower bound on the optimum: the root bound raised by every failed target, or the best makespan when the search completed. */
  readonly lowerBoundMs: number;
  readonly complete: boolean;
  readonly nodes: number;
  /** Complete allocations whose ordering phase ran. */
  readonly orderings: number;
  /** Nodes of the allocation phase (the rest of `nodes` are ordering nodes). */
  readonly allocationNodes: number;
  /** Targets tried: the search below the incumbent, then bisection (or doubling) steps. */
  readonly targets: number;
}

/** Share of the remaining time searched below the incumbent before bisection takes over (the solvers' default). */
export const DIRECT_SHARE = 0.5;

/**
 * `deadline` ends the search; until `directDeadline` it searches below the incumbent, then bisects (see below). Both
 * performance.now() ms. `stop`: a shared flag (Int32Array over a SharedArrayBuffer) that ends the search as the
 * deadline does once another thread sets it.
 */
export function searchAllocationOrdering(p: AoProblem, upperBoundMs: number, lowerBoundMs: number, deadline: number, directDeadline: number = deadline, stop?: Int32Array): AllocationOrderingResult {
  const { n, K, allocOrder, tmClass } = p;
  const alloc = new Int32Array(n).fill(-1);
  const used = new Int32Array(K);
  const st = new AllocationBoundState(p);
  const clock: SearchClock = { nodes: 0, deadline, memo: 0, ...(stop ? { stop } : {}) };
  let ub = upperBoundMs;
  let best: AllocationOrderingResult['best'];
  let orderings = 0;
  let allocationNodes = 0;
  const prunes = (bound: number) => (p.integral ? p.roundUp(bound) >= ub - 1e-9 : bound >= ub - 1e-9 * Math.max(1, ub));
  const rootBound = Math.max(lowerBoundMs, allocationBound(p, alloc, st));
  const classSeen = new Int32Array(K);
  const quick = new Float64Array(n * K);
  const options: number[][] = Array.from({ length: n }, () => []);
  const optionBounds: number[][] = Array.from({ length: n }, () => []);
  // Options refuted below a node stay refuted in its subtree: a bound proved for (partial allocation A, x on k)
  // covers every completion of A with x on k, hence of every descendant of A (and the target only falls).
  // refuted[x·K + k] = 1, with a trail undone when the search leaves the node that refuted the option.
  // The bounds read it too (AllocationBoundState.refuted): an unallocated subtask's refuted TaskManagers are left out
  // of its heads and tails, which prunes more below the target. Probing again after new refutations until nothing
  // changes (up to 3 or 10 rounds per node) cut the allocation nodes on s3-matrix by 6 % only and cost more CPU.
  const refuted = st.refuted;
  const trail = new Int32Array(n * K);
  let trailLength = 0;
  const refute = (i: number): void => {
    refuted[i] = 1;
    trail[trailLength++] = i;
  };

  const search = (depth: number): void => {
    const mark = trailLength;
    try {
      searchNode(depth);
    } finally {
      while (trailLength > mark) refuted[trail[--trailLength]!] = 0;
    }
  };
  const searchNode = (depth: number): void => {
    // an allocation node probes every unallocated subtask on every TaskManager: the clock is read at each one
    clock.nodes++;
    if (performance.now() > clock.deadline || stopRequested(clock)) throw new SearchStop();
    allocationNodes++;
    if (depth === n) {
      orderings++;
      allocationBound(p, alloc, st); // leaves the allocated tails in st.tail
      const r = bestOrdering(p, alloc, st.tail.slice(), ub, clock);
      if (r) {
        best = { alloc: alloc.slice(), ordering: r };
        ub = r.makespanMs;
      }
      return;
    }
    // probing: every unallocated subtask tried on every TaskManager it may use; the node's bound is the largest
    // of the subtasks' least child bounds, and the search branches on that subtask (fail first)
    let s = -1;
    let sBound = -Infinity;
    const ks = options[depth]!;
    const bs = optionBounds[depth]!;
    // the node's own bound first: its path bound through x on k, H(x, k) + d(x, k) + T(x, k), bounds every child
    // that puts x on k, so options it prunes are not probed (and a subtask left with none fails the node at once)
    const nodeBound = allocationBound(p, alloc, st);
    if (prunes(nodeBound)) return;
    saveBase(st); // the base of every probe at this node (probeAllocation recomputes only what x on k changes)
    for (let x = 0; x < n; x++) {
      if (alloc[x]! >= 0) continue;
      let open = false;
      for (let k = 0; k < K; k++) {
        if (refuted[x * K + k]) continue;
        const v = st.headOn[x * K + k]! + p.dur[x * K + k]! + st.tailAll[x * K + k]!;
        quick[x * K + k] = v;
        if (prunes(v)) refute(x * K + k);
        else open = true;
      }
      if (!open) return;
    }
    for (let i = 0; i < n; i++) {
      const x = allocOrder[i]!;
      if (alloc[x]! >= 0) continue;
      classSeen.fill(0);
      let least = Infinity;
      const xs: number[] = [];
      const xb: number[] = [];
      for (let k = 0; k < K; k++) {
        if (used[k] === 0) {
          // empty TaskManagers of one class are interchangeable: try the first one only
          if (classSeen[tmClass[k]!]) continue;
          classSeen[tmClass[k]!] = 1;
        }
        if (refuted[x * K + k]) continue;
        const b = probeAllocation(p, alloc, st, x, k);
        if (!prunes(b)) {
          xs.push(k);
          xb.push(b);
          if (b < least) least = b;
        } else refute(x * K + k);
      }
      if (least > sBound || (least === sBound && xs.length < ks.length)) {
        s = x;
        sBound = least;
        ks.length = 0;
        bs.length = 0;
        ks.push(...xs);
        bs.push(...xb);
        if (xs.length === 0) break; // this subtask fits nowhere: the node fails
      }
    }
    if (ks.length === 0) return;
    const idx = ks.map((_, i) => i).sort((a, b) => bs[a]! - bs[b]! || ks[a]! - ks[b]!);
    const kk = idx.map((i) => ks[i]!);
    const bb = idx.map((i) => bs[i]!);
    for (let i = 0; i < kk.length; i++) {
      if (prunes(bb[i]!)) break;
      const k = kk[i]!;
      alloc[s] = k;
      used[k] = used[k]! + 1;
      search(depth + 1);
      used[k] = used[k]! - 1;
      alloc[s] = -1;
    }
  };

  // Two phases. (1) Until `directDeadline`: one depth-first branch and bound below the incumbent (the local
  // search's, local-search.ts, often at or next to the optimum): each schedule found lowers the target, and a
  // completed search proves the best one optimal. On exact-comm/layered-30x4-s3-matrix this proved 543 in 6.2 s of
  // CPU where bisecting from the root bound took 17.1 s (each refuted target near the optimum costs nearly a whole
  // proof). (2) Then targets by bisection between the proven bound and the incumbent: a target T with nothing below
  // it is a proven bound, otherwise its schedule is the new incumbent and the search below it goes on to the end
  // (the proof). Where the bound is weak (CCR 10: root bound about half the optimum) and the incumbent far above,
  // low targets prune hard and find the optimum where the search below the incumbent wanders (Sinnen-style set,
  // n30 CCR 10 on 8 TaskManagers: 1409 proven in 2.7 s by bisection; 1567 after 10 s below the incumbent).
  // Without an incumbent, targets double from the root bound until one is met.
  let lower = p.roundUp(rootBound);
  let targets = 0;
  let complete = false;
  const close = (a: number, b: number) => (p.integral ? a >= b - 1e-9 : a >= b - 1e-7 * Math.max(1, Math.abs(b)));
  try {
    let settled = close(lower, ub);
    if (!settled && Number.isFinite(ub) && directDeadline > performance.now()) {
      clock.deadline = Math.min(directDeadline, deadline);
      try {
        targets++;
        if (!prunes(rootBound)) search(0);
        settled = true; // nothing below the best schedule found, or below the incumbent
      } catch (error) {
        if (!(error instanceof SearchStop) || performance.now() > deadline || stopRequested(clock)) throw error;
        alloc.fill(-1);
        used.fill(0);
      }
      clock.deadline = deadline;
    }
    while (!settled && !close(lower, ub)) {
      const incumbent = ub;
      let target = Number.isFinite(ub) ? (lower + ub) / 2 : lower * 2 + 1;
      if (p.integral) target = Math.ceil(target);
      if (close(lower, target) || (p.integral && target >= ub - 1)) target = ub;
      targets++;
      ub = target;
      const before = best;
      if (!prunes(rootBound)) search(0);
      if (best !== before) {
        // a schedule below the target, and the search went on to completion below each better one: optimal
        lower = ub;
        break;
      }
      ub = incumbent;
      lower = target; // nothing below the target
    }
    complete = true;
  } catch (error) {
    if (!(error instanceof SearchStop)) throw error;
  }
  if (best === undefined || best.ordering.makespanMs > upperBoundMs) ub = upperBoundMs;
  else ub = best.ordering.makespanMs;
  return {
    ...(best !== undefined ? { best } : {}),
    lowerBoundMs: complete ? ub : lower,
    complete,
    nodes: clock.nodes,
    orderings,
    allocationNodes,
    targets,
  };
}
