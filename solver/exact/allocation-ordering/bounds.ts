/**
 * Lower bounds of the allocation–ordering search (allocation.ts, ordering.ts), each valid for every completion of
 * a partial allocation or partial ordering:
 * - the allocated path bound: heads H(s, k) and tails T(s, k) per TaskManager k that s may use, where an allocated
 *   subtask takes its duration on its TaskManager and an edge between two allocated ends costs its transfer time
 *   when they differ (Orr & Sinnen's "allocated critical path", Euro-Par 2015); an edge with an unallocated end
 *   costs what the cheaper of two cases costs: the end joins s on k (then the inputs that join s run one after
 *   another there) or it sits elsewhere and the transfer is paid (`bestSplit`: communication counted even before
 *   both ends are allocated; on exact-comm/layered-30x4-s3-matrix the root bound rose from 384 to 479, optimum 543);
 * - per TaskManager, the Jackson preemptive schedule of its allocated subtasks with those heads and tails
 *   (optimal for the preemptive one-machine problem 1|r_j,pmtn|max(C_j + q_j), so a lower bound for the
 *   non-preemptive one; Carlier 1982);
 * - the area bound: the unallocated work must fit beside each TaskManager's allocated load, at its rate;
 * - sequencing on a TaskManager in heads and tails: every ancestor of s allocated to the TaskManager s runs on ends
 *   before s starts there, so H(s, k) ≥ r + Σ d(a) over those ancestors a with head ≥ r, for every r (the
 *   one-machine head adjustment of Carlier & Pinson's immediate selections, restricted to precedence); descendants
 *   likewise for tails;
 * - the search's domains (`AllocationBoundState.refuted`): TaskManagers refuted for an unallocated subtask are left
 *   out, and a subtask with one TaskManager left counts as allocated there; bounds of the completions below the
 *   search's target, which is what pruning needs (all of the above with no option refuted otherwise).
 */
import type { AoProblem } from './problem.ts';

const EPS = 1e-9;

/**
 * max_j (C_j + q_j) of the Jackson preemptive schedule of the jobs `jobs[0..m)` with release r, processing p and
 * tail q (indexed by subtask): at every release the released job with the largest tail runs. `scratch` holds ≥ m
 * entries (sorted copy of the jobs, remaining times).
 */
export function jacksonPreemptiveBound(jobs: Int32Array, m: number, r: Float64Array, p: Float64Array, q: Float64Array, order: Int32Array, remaining: Float64Array): number {
  if (m === 0) return 0;
  for (let i = 0; i < m; i++) order[i] = jobs[i]!;
  // insertion sort by release (m is small: the subtasks of one TaskManager)
  for (let i = 1; i < m; i++) {
    const x = order[i]!;
    const rx = r[x]!;
    let j = i - 1;
    while (j >= 0 && r[order[j]!]! > rx) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = x;
  }
  for (let i = 0; i < m; i++) remaining[i] = p[order[i]!]!;
  let t = r[order[0]!]!;
  let next = 0; // first job not yet released
  let active = 0; // released, unfinished jobs sit in order[0..next) with remaining > 0
  let best = 0;
  while (next < m || active > 0) {
    if (active === 0 && r[order[next]!]! > t) t = r[order[next]!]!;
    while (next < m && r[order[next]!]! <= t + EPS) {
      if (remaining[next]! > EPS) active++;
      else {
        // a zero-duration subtask ends at its release
        remaining[next] = 0;
        const v = t + q[order[next]!]!;
        if (v > best) best = v;
      }
      next++;
    }
    if (active === 0) continue;
    // the released unfinished job with the largest tail
    let pick = -1;
    for (let i = 0; i < next; i++) if (remaining[i]! > 0 && (pick === -1 || q[order[i]!]! > q[order[pick]!]!)) pick = i;
    const release = next < m ? r[order[next]!]! : Infinity;
    const run = Math.min(remaining[pick]!, release - t);
    t += run;
    remaining[pick] = remaining[pick]! - run;
    if (remaining[pick]! <= EPS) {
      remaining[pick] = 0;
      active--;
      const v = t + q[order[pick]!]!;
      if (v > best) best = v;
    }
  }
  return best;
}

/**
 * The least T ≥ max_k load_k with Σ_k rate_k · (T − load_k)⁺ ≥ amount: the unallocated work (amount, in work
 * units) processed beside the allocated loads (ms) on TaskManagers of the given rates.
 */
export function areaBound(load: Float64Array, rate: Float64Array, amount: number, sorted: Int32Array): number {
  const K = load.length;
  for (let k = 0; k < K; k++) sorted[k] = k;
  const idx = Array.from(sorted.subarray(0, K)).sort((a, b) => load[a]! - load[b]!);
  // sweep the loads in increasing order: between idx[i] and idx[i+1] the rate sum is Σ_{≤i} rate
  let rateSum = 0;
  let filled = 0; // work placed below the current level
  for (let i = 0; i < K; i++) {
    const k = idx[i]!;
    rateSum += rate[k]!;
    const level = load[k]!;
    const nextLevel = i + 1 < K ? load[idx[i + 1]!]! : Infinity;
    const capacity = rateSum * (nextLevel - level);
    if (filled + capacity >= amount) return Math.max(load[idx[K - 1]!]!, level + (amount - filled) / rateSum);
    filled += capacity;
  }
  return load[idx[K - 1]!]!;
}

/** Scratch space and results of `allocationBound`, reused across calls. */
export class AllocationBoundState {
  /** Head and tail of each allocated subtask on its TaskManager (for a full allocation: exact without sequencing). */
  readonly head: Float64Array;
  readonly tail: Float64Array;
  readonly d: Float64Array;
  /** H(s, k) at s·K + k: earliest start of s if it ran on TaskManager k. */
  readonly headOn: Float64Array;
  readonly load: Float64Array;
  readonly jobsOf: Int32Array[];
  readonly count: Int32Array;
  readonly order: Int32Array;
  readonly remaining: Float64Array;
  readonly sorted: Int32Array;
  /** Scratch: related subtasks on one TaskManager, sorted by head (or tail). */
  readonly related: Int32Array;
  /** T(s, k) at s·K + k: least tail of s if it ran on TaskManager k. */
  readonly tailAll: Float64Array;
  /** Scratch of `bestSplit`: the unallocated neighbours of one subtask. */
  readonly sideAway: Float64Array;
  readonly sideHere: Float64Array;
  readonly sideDuration: Float64Array;
  readonly sideEdge: Float64Array;
  /**
   * refuted[s·K + k] = 1: the search proved that no completion of the current partial allocation with s on k beats
   * its target (allocation.ts). The bounds then leave k out for an unallocated s (its head and tail there are
   * infinite, and an unallocated neighbour of s cannot join it on k), which makes them bounds of the completions
   * below the target only: sound for pruning against that target, not as a general lower bound. All 0 by default.
   */
  readonly refuted: Uint8Array;
  /** Least path bound through each subtask (min over the TaskManagers it may use of H + d + T). */
  readonly path: Float64Array;
  /** Work of the unallocated subtasks (the area bound's amount). */
  unallocatedWork = 0;
  /** What `saveBase` kept: the node's own bound state, restored after every `probeAllocation`. */
  readonly base: {
    readonly head: Float64Array;
    readonly tail: Float64Array;
    readonly d: Float64Array;
    readonly headOn: Float64Array;
    readonly tailAll: Float64Array;
    readonly path: Float64Array;
    readonly load: Float64Array;
    unallocatedWork: number;
    bound: number;
  };
  /**
   * The allocation the bounds use: `alloc`, plus every unallocated subtask with exactly one TaskManager not refuted
   * (it must go there below the target). Its load, Jackson bound and sequencing count it there.
   */
  readonly eff: Int32Array;
  /** The last `allocationBound`. */
  bound = 0;
  constructor(readonly problem: AoProblem) {
    const { n, K } = problem;
    this.head = new Float64Array(n);
    this.tail = new Float64Array(n);
    this.d = new Float64Array(n);
    this.headOn = new Float64Array(n * K);
    this.load = new Float64Array(K);
    this.jobsOf = Array.from({ length: K }, () => new Int32Array(n));
    this.count = new Int32Array(K);
    this.order = new Int32Array(n);
    this.remaining = new Float64Array(n);
    this.sorted = new Int32Array(K);
    this.related = new Int32Array(n);
    this.tailAll = new Float64Array(n * K);
    this.sideAway = new Float64Array(n);
    this.sideHere = new Float64Array(n);
    this.sideDuration = new Float64Array(n);
    this.sideEdge = new Float64Array(n);
    this.path = new Float64Array(n);
    this.refuted = new Uint8Array(n * K);
    this.base = {
      head: new Float64Array(n),
      tail: new Float64Array(n),
      d: new Float64Array(n),
      headOn: new Float64Array(n * K),
      tailAll: new Float64Array(n * K),
      path: new Float64Array(n),
      load: new Float64Array(K),
      unallocatedWork: 0,
      bound: 0,
    };
    this.eff = new Int32Array(n);
  }
}

/**
 * The lower bound of a partial allocation (`alloc[s]` = TaskManager or −1): max of the allocated path bound, the
 * Jackson preemptive bound per TaskManager, and the area bound. The path bound is taken per TaskManager a subtask
 * may still use: H(s, k) = max over inputs of (input's end + transfer to k when the input is allocated) and
 * T(s, k) likewise for outputs; the bound is min_k H(s, k) + d(s, k) + T(s, k), so an unallocated subtask whose
 * inputs sit on different TaskManagers pays a transfer wherever it goes. Leaves heads and tails of the allocated
 * subtasks in `st` (a full allocation makes them the ordering phase's exact heads and tails without sequencing),
 * and everything `probeAllocation` starts from.
 */
export function allocationBound(p: AoProblem, alloc: Int32Array, st: AllocationBoundState): number {
  const { n, K, dur, work, fastest } = p;
  const { d, load, jobsOf, count, eff, refuted } = st;
  load.fill(0);
  count.fill(0);
  let unallocatedWork = 0;
  for (let s = 0; s < n; s++) {
    let k = alloc[s]!;
    if (k < 0) {
      // an unallocated subtask with one TaskManager left (the others refuted) is allocated there for the bound
      for (let k2 = 0; k2 < K; k2++) {
        if (refuted[s * K + k2] === 1) continue;
        if (k !== -1) {
          k = -1;
          break;
        }
        k = k2;
      }
    }
    eff[s] = k;
    if (k >= 0) {
      d[s] = dur[s * K + k]!;
      load[k] = load[k]! + d[s]!;
      jobsOf[k]![count[k]!] = s;
      count[k] = count[k]! + 1;
    } else {
      d[s] = fastest[s]!;
      unallocatedWork += work[s]!;
    }
  }
  st.unallocatedWork = unallocatedWork;
  for (let s = 0; s < n; s++) forwardHead(p, eff, st, s);
  for (let s = n - 1; s >= 0; s--) backwardTail(p, eff, st, s);
  return (st.bound = finishBound(p, st));
}

/**
 * `allocationBound` of the allocation with x put on TaskManager k, where `st` holds `allocationBound(p, alloc, st)`
 * with x unallocated and `saveBase(st)` was called after it (the node of the search). Equal to the full bound
 * (tested): putting x on k changes the heads of x and its descendants only and the tails of x and its ancestors only
 * (a head depends on the inputs' heads and the allocated ancestors on the same TaskManager, a tail likewise on the
 * outputs' side), so only those are recomputed, in the same order. Leaves `st` as `saveBase` found it; `alloc` is
 * unchanged. x must be unallocated and k not refuted for x (the search never probes a refuted option).
 */
export function probeAllocation(p: AoProblem, alloc: Int32Array, st: AllocationBoundState, x: number, k: number): number {
  const { K, dur, work, descendants, ancestors } = p;
  const { d, load, jobsOf, count, eff } = st;
  if (alloc[x]! >= 0 || st.refuted[x * K + k] === 1) throw new Error(`probeAllocation: subtask ${x} is allocated, or refuted on TaskManager ${k}`);
  if (eff[x] === k) return st.base.bound; // its only TaskManager left: the node's bound counted it there already
  eff[x] = k;
  d[x] = dur[x * K + k]!;
  load[k] = load[k]! + d[x]!;
  jobsOf[k]![count[k]!] = x;
  count[k] = count[k]! + 1;
  st.unallocatedWork -= work[x]!;
  forwardHead(p, eff, st, x);
  const ds = descendants[x]!;
  for (let i = 0; i < ds.length; i++) forwardHead(p, eff, st, ds[i]!);
  // their tails stand, their paths move with their heads
  for (let i = 0; i < ds.length; i++) pathThrough(p, eff, st, ds[i]!);
  backwardTail(p, eff, st, x);
  const as = ancestors[x]!;
  for (let i = 0; i < as.length; i++) backwardTail(p, eff, st, as[i]!);
  const bound = finishBound(p, st);
  eff[x] = -1;
  count[k] = count[k]! - 1;
  restoreBase(st);
  return bound;
}

/** Remembers the state `allocationBound` left (the base of `probeAllocation`). */
export function saveBase(st: AllocationBoundState): void {
  const b = st.base;
  b.head.set(st.head);
  b.tail.set(st.tail);
  b.d.set(st.d);
  b.headOn.set(st.headOn);
  b.tailAll.set(st.tailAll);
  b.path.set(st.path);
  b.load.set(st.load);
  b.unallocatedWork = st.unallocatedWork;
  b.bound = st.bound;
}

function restoreBase(st: AllocationBoundState): void {
  const b = st.base;
  st.head.set(b.head);
  st.tail.set(b.tail);
  st.d.set(b.d);
  st.headOn.set(b.headOn);
  st.tailAll.set(b.tailAll);
  st.path.set(b.path);
  st.load.set(b.load);
  st.unallocatedWork = b.unallocatedWork;
}

/** H(s, k) for every TaskManager k that s may use (its own when allocated), from the heads of s's inputs. */
function forwardHead(p: AoProblem, alloc: Int32Array, st: AllocationBoundState, s: number): void {
  const { K, dur, preds, predEdges, comm } = p;
  const { head, d, jobsOf, count, headOn, refuted } = st;
  const ks = alloc[s]!;
  const ps = preds[s]!;
  const es = predEdges[s]!;
  for (let k = ks >= 0 ? ks : 0; k < (ks >= 0 ? ks + 1 : K); k++) {
    if (ks < 0 && refuted[s * K + k] === 1) {
      headOn[s * K + k] = Infinity; // s cannot go there (below the target): no head, no "joins s on k" case
      continue;
    }
    let h = 0;
    let m = 0;
    for (let i = 0; i < ps.length; i++) {
      const q = ps[i]!;
      const kq = alloc[q]!;
      if (kq >= 0) {
        const v = head[q]! + d[q]! + comm[es[i]!]![kq * K + k]!;
        if (v > h) h = v;
        continue;
      }
      // an unallocated input either joins s on k (then it ends on k) or ends elsewhere and pays the transfer
      const c = comm[es[i]!]!;
      let away = Infinity;
      for (let k2 = 0; k2 < K; k2++) {
        if (k2 === k) continue;
        const v = headOn[q * K + k2]! + dur[q * K + k2]! + c[k2 * K + k]!;
        if (v < away) away = v;
      }
      m = pushSide(st, m, away, headOn[q * K + k]! + dur[q * K + k]!, dur[q * K + k]!, headOn[q * K + k]!);
    }
    if (m > 0) {
      const v = bestSplit(st, m);
      if (v > h) h = v;
    }
    headOn[s * K + k] = sequencedAfter(st, jobsOf[k]!, count[k]!, s, h, head, d, true);
  }
  if (ks >= 0) head[s] = headOn[s * K + ks]!;
}

/** T(s, k) for every TaskManager k that s may use, from the tails of its outputs; `st.path[s]` = least path through s. */
function backwardTail(p: AoProblem, alloc: Int32Array, st: AllocationBoundState, s: number): void {
  const { K, dur, succs, succEdges, comm } = p;
  const { tail, d, jobsOf, count, headOn, tailAll, refuted } = st;
  const ks = alloc[s]!;
  const js = succs[s]!;
  const es = succEdges[s]!;
  let bestPath = Infinity;
  for (let k = ks >= 0 ? ks : 0; k < (ks >= 0 ? ks + 1 : K); k++) {
    if (ks < 0 && refuted[s * K + k] === 1) {
      tailAll[s * K + k] = Infinity;
      continue;
    }
    let t = 0;
    let m = 0;
    for (let i = 0; i < js.length; i++) {
      const j = js[i]!;
      const kj = alloc[j]!;
      if (kj >= 0) {
        const v = comm[es[i]!]![k * K + kj]! + d[j]! + tail[j]!;
        if (v > t) t = v;
        continue;
      }
      // an unallocated output either joins s on k or starts elsewhere after the transfer
      const c = comm[es[i]!]!;
      let away = Infinity;
      for (let k2 = 0; k2 < K; k2++) {
        if (k2 === k) continue;
        const v = c[k * K + k2]! + dur[j * K + k2]! + tailAll[j * K + k2]!;
        if (v < away) away = v;
      }
      m = pushSide(st, m, away, dur[j * K + k]! + tailAll[j * K + k]!, dur[j * K + k]!, tailAll[j * K + k]!);
    }
    if (m > 0) {
      const v = bestSplit(st, m);
      if (v > t) t = v;
    }
    t = sequencedAfter(st, jobsOf[k]!, count[k]!, s, t, tail, d, false);
    tailAll[s * K + k] = t;
    const path = headOn[s * K + k]! + dur[s * K + k]! + t;
    if (path < bestPath) bestPath = path;
  }
  if (ks >= 0) tail[s] = tailAll[s * K + ks]!;
  st.path[s] = bestPath;
}

/** `st.path[s]` from the heads and tails in `st`: min over the TaskManagers s may use of H(s, k) + d(s, k) + T(s, k). */
function pathThrough(p: AoProblem, alloc: Int32Array, st: AllocationBoundState, s: number): void {
  const { K, dur } = p;
  const { headOn, tailAll } = st;
  const ks = alloc[s]!;
  let bestPath = Infinity;
  for (let k = ks >= 0 ? ks : 0; k < (ks >= 0 ? ks + 1 : K); k++) {
    const path = headOn[s * K + k]! + dur[s * K + k]! + tailAll[s * K + k]!;
    if (path < bestPath) bestPath = path;
  }
  st.path[s] = bestPath;
}

/** The largest path through a subtask, the Jackson bound of every TaskManager, the area bound. */
function finishBound(p: AoProblem, st: AllocationBoundState): number {
  const { n, K, rate } = p;
  const { head, tail, d, load, jobsOf, count, path } = st;
  let bound = 0;
  for (let s = 0; s < n; s++) if (path[s]! > bound) bound = path[s]!;
  for (let k = 0; k < K; k++) {
    if (count[k]! < 2) continue;
    const v = jacksonPreemptiveBound(jobsOf[k]!, count[k]!, head, d, tail, st.order, st.remaining);
    if (v > bound) bound = v;
  }
  const area = areaBound(load, rate, st.unallocatedWork, st.sorted);
  return area > bound ? area : bound;
}

/**
 * Records one unallocated neighbour of s (an input in the forward pass, an output in the backward pass) for
 * `bestSplit`: `away` = its least contribution when it sits on another TaskManager than s (transfer paid), `here` =
 * its contribution when it shares s's TaskManager, `duration` its duration there and `edge` its head (tail) there.
 * Kept sorted by decreasing `away` (insertion: a subtask has few neighbours). Returns the new count.
 */
function pushSide(st: AllocationBoundState, m: number, away: number, here: number, duration: number, edge: number): number {
  const { sideAway, sideHere, sideDuration, sideEdge } = st;
  let j = m;
  while (j > 0 && sideAway[j - 1]! < away) {
    sideAway[j] = sideAway[j - 1]!;
    sideHere[j] = sideHere[j - 1]!;
    sideDuration[j] = sideDuration[j - 1]!;
    sideEdge[j] = sideEdge[j - 1]!;
    j--;
  }
  sideAway[j] = away;
  sideHere[j] = here;
  sideDuration[j] = duration;
  sideEdge[j] = edge;
  return m + 1;
}

/**
 * The least head (tail) of s on a TaskManager k over every choice of which unallocated neighbours share k: the set S
 * that shares k contributes max(max_{S} here, min head + Σ_{S} duration) (they run one after another on k), the
 * others max_{not S} away. Both parts are monotone in S, and S must hold every neighbour whose `away` exceeds the
 * value, so the prefixes of the neighbours by decreasing `away` are the only candidates (the communication-aware
 * head of P|prec,c_ij|Cmax lower bounds; cf. Sinnen 2007, ch. 4, and Orr & Sinnen's allocated critical path, which
 * charges a transfer once both ends are allocated).
 */
function bestSplit(st: AllocationBoundState, m: number): number {
  const { sideAway, sideHere, sideDuration, sideEdge } = st;
  let least = Infinity;
  for (let i = 0; i < m; i++) if (sideEdge[i]! < least) least = sideEdge[i]!;
  let best = sideAway[0]!;
  let here = 0;
  let sum = 0;
  for (let t = 1; t <= m; t++) {
    if (sideHere[t - 1]! > here) here = sideHere[t - 1]!;
    sum += sideDuration[t - 1]!;
    const shared = here > least + sum ? here : least + sum;
    const away = t < m ? sideAway[t]! : 0;
    const v = shared > away ? shared : away;
    if (v < best) best = v;
  }
  return best;
}

/**
 * The head (forward) or tail (backward) of s on a TaskManager raised by the sequencing of s's allocated ancestors
 * (forward) or descendants (backward) on it: max over r of r + Σ d over those with head (tail) ≥ r.
 */
function sequencedAfter(st: AllocationBoundState, jobs: Int32Array, m: number, s: number, value: number, key: Float64Array, d: Float64Array, forward: boolean): number {
  const { reach, n } = st.problem;
  const rel = st.related;
  let c = 0;
  for (let i = 0; i < m; i++) {
    const a = jobs[i]!;
    if (forward ? a < s && reach[a * n + s] === 1 : a > s && reach[s * n + a] === 1) {
      // insertion by decreasing key
      let j = c++;
      const ka = key[a]!;
      while (j > 0 && key[rel[j - 1]!]! < ka) {
        rel[j] = rel[j - 1]!;
        j--;
      }
      rel[j] = a;
    }
  }
  let sum = 0;
  for (let i = 0; i < c; i++) {
    const a = rel[i]!;
    sum += d[a]!;
    const v = key[a]! + sum;
    if (v > value) value = v;
  }
  return value;
}
