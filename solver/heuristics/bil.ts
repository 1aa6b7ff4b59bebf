import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { appendFreeTimesMs, readySetSchedule, Releases, type PairRule } from './common/ready-set.ts';
import { KeyedMinHeap } from './common/heap.ts';
import { ScheduleBuilder } from './common/schedule-builder.ts';

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
  const { outStart, outList, to } = instance.edgeArrays;
  if (instance.uniformNetwork && K > 1) {
    // One transfer time per edge between any two TaskManagers: the min over q ≠ p of BIL(c, q) + c(e) is the smallest
    // BIL(c, ·) plus c(e), or the second smallest when p holds the smallest (adding c(e) keeps the order of doubles,
    // so this is the same double): O(out-degree × K) per subtask instead of O(out-degree × K²).
    const tail = new Float64Array(K);
    for (let s = n - 1; s >= 0; s--) {
      tail.fill(0);
      for (let j = outStart[s]!; j < outStart[s + 1]!; j++) {
        const e = outList[j]!;
        const c = to[e]!;
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
      for (let j = outStart[s]!; j < outStart[s + 1]!; j++) {
        const e = outList[j]!;
        const c = to[e]!;
        let best = bil[c * K + p]!;
        for (let q = 0; q < K; q++) if (q !== p) best = Math.min(best, bil[c * K + q]! + instance.transferMs(e, p, q));
        if (best > tail) tail = best;
      }
      bil[s * K + p] = instance.durationMs(s, p) + tail;
    }
  return bil;
}

/**
 * Each subtask's finite BIMs in ascending order (the node-selection priority is one of them), kept across steps: a
 * placement moves one TaskManager's column, so a row is updated by one removal and one insertion instead of re-sorted.
 */
class SortedBimRows {
  /** BIM(s, p) as last read (+Infinity: p cannot take s). */
  readonly bimOf: Float64Array;
  /** The finite BIMs of s, ascending, in sorted[s * K, s * K + finite[s]). */
  private readonly sorted: Float64Array;
  /** -1: s not read yet. */
  readonly finite: Int32Array;

  constructor(
    n: number,
    private readonly K: number,
  ) {
    this.bimOf = new Float64Array(n * K);
    this.sorted = new Float64Array(n * K);
    this.finite = new Int32Array(n).fill(-1);
  }

  /** Reads every BIM of s afresh. */
  reset(s: number, bim: (s: number, p: number) => number): void {
    const K = this.K;
    const base = s * K;
    let count = 0;
    for (let p = 0; p < K; p++) {
      const v = bim(s, p);
      this.bimOf[base + p] = v;
      if (v !== Number.POSITIVE_INFINITY) this.sorted[base + count++] = v;
    }
    this.finite[s] = count;
    this.sorted.subarray(base, base + count).sort();
  }

  /** BIM(s, p) is now v. */
  update(s: number, p: number, v: number): void {
    const base = s * this.K;
    const old = this.bimOf[base + p]!;
    if (v === old) return;
    this.bimOf[base + p] = v;
    if (old !== Number.POSITIVE_INFINITY) this.remove(s, old);
    if (v !== Number.POSITIVE_INFINITY) this.insert(s, v);
  }

  /** The k-th smallest finite BIM of s (its largest when k exceeds their number); NaN when it has none. */
  kth(s: number, k: number): number {
    const count = this.finite[s]!;
    return count === 0 ? Number.NaN : this.sorted[s * this.K + Math.min(k, count) - 1]!;
  }

  private remove(s: number, v: number): void {
    const base = s * this.K;
    const sorted = this.sorted;
    let lo = 0;
    let hi = this.finite[s]! - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[base + mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(base + lo, base + lo + 1, base + this.finite[s]!);
    this.finite[s] = this.finite[s]! - 1;
  }

  private insert(s: number, v: number): void {
    const base = s * this.K;
    const sorted = this.sorted;
    let i = base + this.finite[s]!;
    while (i > base && sorted[i - 1]! > v) {
      sorted[i] = sorted[i - 1]!;
      i--;
    }
    sorted[i] = v;
    this.finite[s] = this.finite[s]! + 1;
  }
}

/**
 * BIL's processor selection for the chosen subtask with k candidates: the lowest revised BIM*(s, p) = BIM(s, p) +
 * w(s, p) · max(k / K − 1, 0); among the TaskManagers that tie on it (`tied`, ascending), `tieBreak` picks one
 * (`othersBimStarSumTie` is the definition). -1 when no TaskManager can take s.
 */
function revisedBimTaskManager(
  instance: DagPlacementInstance,
  chosen: number,
  k: number,
  bim: (s: number, p: number) => number,
  tieBreak: (tied: readonly number[], stretch: number) => number,
  row: Float64Array,
): number {
  const K = instance.taskManagers.length;
  const inf = Number.POSITIVE_INFINITY;
  const stretch = Math.max(k / K - 1, 0);
  let bestValue = inf;
  let ties = 0;
  let first = -1;
  for (let p = 0; p < K; p++) {
    const v = (row[p] = bim(chosen, p) + instance.durationMs(chosen, p) * stretch);
    if (v === inf || v > bestValue) continue;
    if (v < bestValue) {
      bestValue = v;
      ties = 0;
      first = p;
    }
    ties++;
  }
  if (bestValue === inf) return -1;
  if (ties === 1) return first;
  const tied: number[] = [];
  for (let p = first; p < K; p++) if (row[p] === bestValue) tied.push(p);
  return tieBreak(tied, stretch);
}

/**
 * BIL's tie-break, the definition: among the tied TaskManagers, the one where the other candidates' BIM* sum
 * largest (the first of them on equal sums), each sum taken in ascending candidate order (`others`; the candidates
 * outer: one row of each read once).
 */
function othersBimStarSumTie(
  instance: DagPlacementInstance,
  chosen: number,
  bim: (s: number, p: number) => number,
  others: readonly number[],
  tied: readonly number[],
  stretch: number,
): number {
  const sums = new Float64Array(tied.length);
  for (const o of others) {
    if (o === chosen) continue;
    for (let j = 0; j < tied.length; j++) sums[j] = sums[j]! + (bim(o, tied[j]!) + instance.durationMs(o, tied[j]!) * stretch);
  }
  let best = 0;
  for (let j = 1; j < tied.length; j++) if (sums[j]! > sums[best]!) best = j;
  return tied[best]!;
}

/**
 * The BIL pair rule, the definition (a scan of every candidate at every step). It keeps, per candidate, its BIMs in
 * ascending order across calls (`SortedBimRows`): since the previous call only the column of the TaskManager just
 * used (`view.lastTaskManager`) can have moved, so each call refreshes one entry per candidate (O(candidates) plus the
 * shifts in the sorted rows). `bilHeuristic` serves the same choices without the scan where starts are
 * max(ready, free) (`bilServedSchedule`).
 */
export function bilRule(instance: DagPlacementInstance, bil: Float64Array): PairRule {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const rows = new SortedBimRows(n, K);
  const revisedRow = new Float64Array(K);
  return (candidates, view) => {
    const k = candidates.length;
    const last = view.lastTaskManager;
    const bim = (s: number, p: number) => view.startMs(s, p) + bil[s * K + p]!;
    let chosen = -1;
    let chosenPriority = Number.NEGATIVE_INFINITY;
    for (const s of candidates) {
      if (rows.finite[s] === -1) rows.reset(s, bim);
      else if (last !== -1) rows.update(s, last, bim(s, last));
      const priority = rows.kth(s, k);
      if (Number.isNaN(priority)) continue;
      if (chosen === -1 || priority > chosenPriority) {
        chosen = s;
        chosenPriority = priority;
      }
    }
    if (chosen === -1) return undefined;
    const bimRead = (s: number, q: number) => rows.bimOf[s * K + q]!;
    const p = revisedBimTaskManager(instance, chosen, k, bimRead, (tied, stretch) => othersBimStarSumTie(instance, chosen, bimRead, candidates, tied, stretch), revisedRow);
    return p === -1 ? undefined : { s: chosen, k: p };
  };
}

/** A set of subtask indices listed in ascending order in O(members + n / 1024) (a bitset with a summary of its non-empty words). */
class AscendingSet {
  private readonly words: Int32Array;
  private readonly summary: Int32Array;

  constructor(n: number) {
    this.words = new Int32Array((n >> 5) + 1);
    this.summary = new Int32Array((n >> 10) + 1);
  }

  add(s: number): void {
    const w = s >> 5;
    this.words[w] = this.words[w]! | (1 << (s & 31));
    this.summary[w >> 5] = this.summary[w >> 5]! | (1 << (w & 31));
  }

  delete(s: number): void {
    const w = s >> 5;
    this.words[w] = this.words[w]! & ~(1 << (s & 31));
    if (this.words[w] === 0) this.summary[w >> 5] = this.summary[w >> 5]! & ~(1 << (w & 31));
  }

  /** The members, ascending. */
  toArray(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.summary.length; i++)
      for (let m = this.summary[i]!; m !== 0; m &= m - 1) {
        const w = (i << 5) | (31 - Math.clz32(m & -m));
        for (let b = this.words[w]!; b !== 0; b &= b - 1) out.push((w << 5) | (31 - Math.clz32(b & -b)));
      }
    return out;
  }
}

/** BIL's tie-breaks in a served run: decided by the running sums' bounds, or by the ordered sum (they overlapped). */
export interface TieBreakCounts {
  readonly decided: number;
  readonly fellBack: number;
}

/**
 * Per TaskManager p, the sum over the candidates of BIM*(o, p) = BIM(o, p) + w(o, p) · stretch, kept as running sums
 * updated when a candidate is released or placed and when free(p) moves, so that BIL's tie-break costs O(tied
 * TaskManagers) instead of O(candidates × tied). BIM(o, p) = max(ready(o, p), free(p)) + BIL(o, p) (or ready + BIL
 * for a zero duration, +∞ where p cannot take o), so the sum is Σ constant parts + free(p) × (the candidates that
 * wait for p) + Σ ready of the others (a min-heap of those, moved over as free(p) passes them) + stretch × Σ w, with
 * a count of the +∞ terms. Sums taken in another order can differ in the last bits, so each running sum carries a
 * bound on its rounding error (u · |result| per addition) and the ordered sum's bound ((k + 16) · 4u · Σ terms, the
 * terms being non-negative) is added: a TaskManager is chosen only when its lower bound exceeds every other tied
 * one's upper bound; otherwise the exact ordered sum decides (`othersBimStarSumTie`) and the tied sums are rebuilt.
 */
class BimStarSums {
  private static readonly u = Number.EPSILON / 2;
  private readonly infinite: Int32Array;
  private readonly constant: Float64Array;
  private readonly constantError: Float64Array;
  private readonly duration: Float64Array;
  private readonly durationError: Float64Array;
  private readonly readySum: Float64Array;
  private readonly readyError: Float64Array;
  private readonly waiting: Int32Array;
  /** per (o, p): 1 while o's ready time counts in readySum[p] (ready ≥ free(p)) */
  private readonly ahead: Uint8Array;
  private readonly aheadHeap: KeyedMinHeap[];
  private readonly aheadLive: Int32Array;
  private decided = 0;
  private fellBack = 0;

  constructor(
    private readonly instance: DagPlacementInstance,
    n: number,
    private readonly K: number,
    private readonly kind: Uint8Array,
    private readonly readyMs: Float64Array,
    private readonly bil: Float64Array,
    private readonly freeMs: Float64Array,
  ) {
    this.infinite = new Int32Array(K);
    this.constant = new Float64Array(K);
    this.constantError = new Float64Array(K);
    this.duration = new Float64Array(K);
    this.durationError = new Float64Array(K);
    this.readySum = new Float64Array(K);
    this.readyError = new Float64Array(K);
    this.waiting = new Int32Array(K);
    this.ahead = new Uint8Array(n * K);
    this.aheadHeap = Array.from({ length: K }, () => new KeyedMinHeap());
    this.aheadLive = new Int32Array(K);
  }

  private addConstant(p: number, v: number): void {
    const sum = (this.constant[p] = this.constant[p]! + v);
    this.constantError[p] = this.constantError[p]! + BimStarSums.u * Math.abs(sum);
  }

  private addDuration(p: number, v: number): void {
    const sum = (this.duration[p] = this.duration[p]! + v);
    this.durationError[p] = this.durationError[p]! + BimStarSums.u * Math.abs(sum);
  }

  private addReady(p: number, v: number): void {
    const sum = (this.readySum[p] = this.readySum[p]! + v);
    this.readyError[p] = this.readyError[p]! + BimStarSums.u * Math.abs(sum);
  }

  /** Adds (sign 1) or takes away (sign −1) o's term at p; `ahead` says which group its ready time is in. */
  private account(o: number, p: number, sign: 1 | -1): void {
    const i = o * this.K + p;
    const kind = this.kind[i]!;
    if (kind === 0) this.infinite[p] = this.infinite[p]! + sign;
    else if (kind === 1) this.addConstant(p, sign * (this.readyMs[i]! + this.bil[i]!));
    else {
      this.addConstant(p, sign * this.bil[i]!);
      this.addDuration(p, sign * this.instance.durationMs(o, p));
      if (this.ahead[i] === 1) this.addReady(p, sign * this.readyMs[i]!);
      else this.waiting[p] = this.waiting[p]! + sign;
    }
  }

  /** o became a candidate (its kind and ready times set). */
  add(o: number): void {
    const K = this.K;
    for (let p = 0; p < K; p++) {
      const i = o * K + p;
      if (this.kind[i] === 2 && this.readyMs[i]! >= this.freeMs[p]!) {
        this.ahead[i] = 1;
        this.aheadHeap[p]!.push(this.readyMs[i]!, o);
        this.aheadLive[p] = this.aheadLive[p]! + 1;
      }
      this.account(o, p, 1);
    }
  }

  /** o was placed (no longer a candidate: `isCandidate(o)` false). */
  remove(o: number, isCandidate: (s: number) => boolean): void {
    const K = this.K;
    for (let p = 0; p < K; p++) {
      this.account(o, p, -1);
      const i = o * K + p;
      if (this.ahead[i] === 1) {
        this.ahead[i] = 0;
        this.aheadLive[p] = this.aheadLive[p]! - 1;
        const heap = this.aheadHeap[p]!;
        if (heap.size > 2 * this.aheadLive[p]! + 32) heap.retain(isCandidate);
      }
    }
  }

  /** free(p) moved (later): the candidates whose ready time it passed now wait for p. */
  freeMoved(p: number, isCandidate: (s: number) => boolean): void {
    const heap = this.aheadHeap[p]!;
    const free = this.freeMs[p]!;
    const K = this.K;
    while (heap.size > 0) {
      const o = heap.topId();
      if (!isCandidate(o)) {
        heap.pop();
        continue;
      }
      const r = heap.topKey();
      if (r >= free) break;
      heap.pop();
      this.ahead[o * K + p] = 0;
      this.addReady(p, -r);
      this.aheadLive[p] = this.aheadLive[p]! - 1;
      this.waiting[p] = this.waiting[p]! + 1;
    }
  }

  /** Rebuilds p's running sums from the candidates (after a fallback: their error bounds start afresh). */
  private rebuild(p: number, candidates: readonly number[]): void {
    this.infinite[p] = this.waiting[p] = 0;
    this.constant[p] = this.constantError[p] = 0;
    this.duration[p] = this.durationError[p] = 0;
    this.readySum[p] = this.readyError[p] = 0;
    for (const o of candidates) this.account(o, p, 1);
  }

  /**
   * The tie-break for `chosen` (a candidate, BIM*(chosen, p) = chosenRow[p], finite on the tied TaskManagers): the
   * same TaskManager as `othersBimStarSumTie` over `candidates()` (ascending), which it calls when the bounds cannot
   * separate the sums.
   */
  pick(
    chosen: number,
    tied: readonly number[],
    stretch: number,
    k: number,
    chosenRow: Float64Array,
    candidates: () => readonly number[],
    exact: (others: readonly number[]) => number,
  ): number {
    const u = BimStarSums.u;
    // +∞ sums (another candidate cannot go there): the first such TaskManager, as the ordered sums' comparison
    for (const p of tied) if (this.infinite[p]! > 0) return this.settle(p);
    let best = -1;
    let bestLow = Number.NEGATIVE_INFINITY;
    let bestValue = Number.NEGATIVE_INFINITY;
    const values: number[] = [];
    const errors: number[] = [];
    for (const p of tied) {
      const waitingPart = this.freeMs[p]! * this.waiting[p]!;
      const durationPart = this.duration[p]! * stretch;
      const own = chosenRow[p]!;
      const value = this.constant[p]! + waitingPart + this.readySum[p]! + durationPart - own;
      const magnitude = Math.abs(this.constant[p]!) + Math.abs(waitingPart) + Math.abs(this.readySum[p]!) + Math.abs(durationPart) + Math.abs(own);
      const error = this.constantError[p]! + this.readyError[p]! + this.durationError[p]! * stretch + (k + 16) * 4 * u * magnitude;
      if (!(magnitude < 1e300)) return this.fallBack(tied, candidates, exact);
      values.push(value);
      errors.push(error);
      if (value > bestValue) {
        bestValue = value;
        bestLow = value - error;
        best = values.length - 1;
      }
    }
    for (let j = 0; j < values.length; j++) if (j !== best && !(values[j]! + errors[j]! < bestLow)) return this.fallBack(tied, candidates, exact);
    return this.settle(tied[best]!);
  }

  counts(): TieBreakCounts {
    return { decided: this.decided, fellBack: this.fellBack };
  }

  private settle(p: number): number {
    this.decided++;
    return p;
  }

  private fallBack(tied: readonly number[], candidates: () => readonly number[], exact: (others: readonly number[]) => number): number {
    this.fellBack++;
    const all = candidates();
    for (const p of tied) this.rebuild(p, all);
    return exact(all);
  }
}

/**
 * BIL served without reading every candidate at every step, where every start on TaskManager p is max(ready(s, p),
 * free(p)) (`appendFreeTimesMs`, the builder's free times at the start; the ready time when the duration is 0): the same choices as `bilRule`'s
 * scan (bil-flb.test.ts compares them, exact doubles).
 * - With k ≥ K candidates every candidate has at most k finite BIMs, so its priority is its largest, and the
 *   candidate of highest priority holds the largest BIM over all (candidate, TaskManager) pairs. BIM(s, p) =
 *   max(ready + BIL, free(p) + BIL) (addition is monotone, so this is the same double), hence the largest pair is
 *   the larger of max over pairs of ready + BIL (fixed when s is released: one heap of candidates by their largest)
 *   and, per TaskManager p, free(p) + the largest BIL(s, p) among the candidates (fixed too: one heap per p). A step
 *   reads K + 1 heap tops, O(K + log candidates), and the ties (the lowest subtask of that value) from the entries
 *   within rounding of the tops; nothing is rescanned when free(p) moves.
 * - With k < K candidates (fewer than K: a narrow graph, its start and end) the priorities are k-th smallest BIMs:
 *   each candidate's sorted row is brought up to date from a log of the TaskManagers used since it was last read
 *   (or re-read when more than K steps old), and the candidates are scanned, O(k) rows per step.
 * The processor selection is the scan's (`revisedBimTaskManager`, O(K) per step); its tie-break reads running sums
 * (`BimStarSums`, O(tied TaskManagers)) and sums over the candidates only when their error bounds overlap.
 */
export function bilServedSchedule(
  instance: DagPlacementInstance,
  builder: ScheduleBuilder,
  bil: Float64Array,
  freeMs: Float64Array,
): { readonly builder: ScheduleBuilder; readonly stuck: number; readonly tieBreaks: TieBreakCounts } {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const inf = Number.POSITIVE_INFINITY;
  const readyMs = new Float64Array(n * K);
  // per (s, p): 0 p cannot take s; 1 duration 0 (starts at its ready time); 2 starts at max(ready, free(p))
  const kind = new Uint8Array(n * K);
  const startOf = (i: number, p: number) => {
    const r = readyMs[i]!;
    return kind[i] === 2 && freeMs[p]! > r ? freeMs[p]! : r;
  };
  const bim = (s: number, p: number) => {
    const i = s * K + p;
    return kind[i] === 0 ? inf : startOf(i, p) + bil[i]!;
  };
  // the candidates (released, unplaced), in no order; candidate[s] = 1 while s is one
  const candidate = new Uint8Array(n);
  const ascending = new AscendingSet(n); // the same, for the tie-break's sums in ascending order
  const list: number[] = [];
  const position = new Int32Array(n);
  // the heaps of the k ≥ K case (keys negated: min-heaps, the lower subtask first on equal keys); dead entries (placed
  // subtasks) are dropped at the top and compacted away when they outnumber the live ones
  const byReadyLevel = new KeyedMinHeap(); // −max_p (ready(s, p) + BIL(s, p)) over the finite p
  const byLevel = Array.from({ length: K }, () => new KeyedMinHeap()); // per p: −BIL(s, p) where s starts at max(ready, free(p))
  const liveLevel = new Int32Array(K);
  let liveReadyLevel = 0;
  const isCandidate = (s: number) => candidate[s] === 1;
  // the k < K case: sorted rows, brought up to date from the log of TaskManagers used (log[step] for each step)
  const rows = new SortedBimRows(n, K);
  const syncedAt = new Int32Array(n);
  const log = new Int32Array(n);
  let step = 0;
  const sync = (s: number) => {
    const from = syncedAt[s]!;
    if (rows.finite[s] === -1 || step - from > K) rows.reset(s, bim);
    else for (let j = from; j < step; j++) rows.update(s, log[j]!, bim(s, log[j]!));
    syncedAt[s] = step;
  };
  const row = new Float64Array(K);
  const revisedRow = new Float64Array(K);
  const sums = new BimStarSums(instance, n, K, kind, readyMs, bil, freeMs);
  const admit = (s: number) => {
    builder.readyByTaskManager(s, row);
    let largest = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < K; p++) {
      const i = s * K + p;
      const r = row[p]!;
      readyMs[i] = r;
      const t = builder.earliestStartOnTaskManager(s, p, r);
      if (t === inf) continue;
      kind[i] = instance.durationMs(s, p) === 0 ? 1 : 2;
      if (t !== startOf(i, p)) throw new Error(`bil: start ${t} of subtask ${s} on TaskManager ${p} is not max(ready, free)`);
      largest = Math.max(largest, r + bil[i]!);
      if (kind[i] === 2) {
        byLevel[p]!.push(-bil[i]!, s);
        liveLevel[p] = liveLevel[p]! + 1;
      }
    }
    if (largest !== Number.NEGATIVE_INFINITY) {
      byReadyLevel.push(-largest, s);
      liveReadyLevel++;
    }
    candidate[s] = 1;
    sums.add(s);
    ascending.add(s);
    position[s] = list.length;
    list.push(s);
  };
  const dropDeadTop = (heap: KeyedMinHeap) => {
    while (heap.size > 0 && candidate[heap.topId()] === 0) heap.pop();
  };
  /** The candidate of largest BIM over every pair (ties: the lower subtask), -1 when none has a finite BIM. */
  const largestPair = (): number => {
    let value = Number.NEGATIVE_INFINITY;
    dropDeadTop(byReadyLevel);
    if (byReadyLevel.size > 0) value = -byReadyLevel.topKey();
    for (let p = 0; p < K; p++) {
      const h = byLevel[p]!;
      dropDeadTop(h);
      if (h.size > 0 && freeMs[p]! - h.topKey() > value) value = freeMs[p]! - h.topKey();
    }
    if (value === Number.NEGATIVE_INFINITY) return -1;
    let best = byReadyLevel.size > 0 && -byReadyLevel.topKey() === value ? byReadyLevel.topId() : -1;
    for (let p = 0; p < K; p++) {
      const h = byLevel[p]!;
      if (h.size === 0) continue;
      const free = freeMs[p]!;
      const top = h.topKey();
      if (free - top !== value) continue;
      // other levels whose sum with free(p) rounds to the same value lie within rounding of the top's
      h.forEachAtMost(top + 1e-9 * (Math.abs(free) + Math.abs(top)), (s, key) => {
        if (candidate[s] === 1 && free - key === value && (best === -1 || s < best)) best = s;
      });
    }
    return best;
  };
  /** The candidate of highest k-th smallest BIM (ties: the lower subtask), -1 when none has a finite BIM. */
  const scanCandidates = (k: number): number => {
    let chosen = -1;
    let chosenPriority = Number.NEGATIVE_INFINITY;
    for (const s of list) {
      sync(s);
      const priority = rows.kth(s, k);
      if (Number.isNaN(priority)) continue;
      if (chosen === -1 || priority > chosenPriority || (priority === chosenPriority && s < chosen)) {
        chosen = s;
        chosenPriority = priority;
      }
    }
    return chosen;
  };
  const lowestCandidate = () => list.reduce((a, b) => Math.min(a, b));
  const releases = new Releases(instance);
  for (const s of releases.roots()) admit(s);
  while (list.length > 0) {
    const k = list.length;
    const s = k >= K ? largestPair() : scanCandidates(k);
    if (s === -1) return { builder, stuck: lowestCandidate(), tieBreaks: sums.counts() };
    const p = revisedBimTaskManager(
      instance,
      s,
      k,
      bim,
      (tied, stretch) =>
        sums.pick(s, tied, stretch, k, revisedRow, () => ascending.toArray(), (others) => othersBimStarSumTie(instance, s, bim, others, tied, stretch)),
      revisedRow,
    );
    if (p === -1) return { builder, stuck: lowestCandidate(), tieBreaks: sums.counts() };
    const i = s * K + p;
    const startAt = builder.earliestStartOnTaskManager(s, p, readyMs[i]!);
    if (startAt !== startOf(i, p)) throw new Error(`bil: start ${startAt} of subtask ${s} on TaskManager ${p} is not max(ready, free)`);
    builder.place(s, builder.chosenSlot, startAt);
    candidate[s] = 0;
    sums.remove(s, isCandidate);
    ascending.delete(s);
    const last = list.pop()!;
    if (last !== s) {
      list[position[s]!] = last;
      position[last] = position[s]!;
    }
    if (byReadyLevel.size > 2 * --liveReadyLevel + 32) byReadyLevel.retain(isCandidate);
    for (let q = 0; q < K; q++) {
      if (kind[s * K + q] !== 2) continue;
      liveLevel[q] = liveLevel[q]! - 1;
      if (byLevel[q]!.size > 2 * liveLevel[q]! + 32) byLevel[q]!.retain(isCandidate);
    }
    const free = builder.appendFreeMs(p)!;
    if (free < freeMs[p]!) throw new Error(`bil: TaskManager ${p} became free earlier`);
    freeMs[p] = free;
    sums.freeMoved(p, isCandidate);
    log[step++] = p;
    for (const t of releases.after(s)) admit(t);
  }
  return { builder, stuck: -1, tieBreaks: sums.counts() };
}

export const bilHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const levels = bestImaginaryLevelMs(instance);
  const builder = new ScheduleBuilder(instance, variant, 'append');
  const freeMs = appendFreeTimesMs(builder);
  const schedule = freeMs !== undefined ? bilServedSchedule(instance, builder, levels, freeMs) : readySetSchedule(instance, variant, 'append', bilRule(instance, levels), false);
  if (schedule.stuck !== -1) return noSlotFor('bil', instance, variant, schedule.stuck);
  return schedule.builder.result();
};

export const bil = heuristicSolver('bil', 'dag-placement', 'BIL, Best Imaginary Level (Oh & Ha, Euro-Par 1996): ready subtask by k-th smallest BIM = start + imaginary level, TaskManager by revised BIM', bilHeuristic);
