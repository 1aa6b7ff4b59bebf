import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import { IndexedHeap, KeyedMinHeap } from './heap.ts';
import { ScheduleBuilder, type StartRule } from './schedule-builder.ts';

/**
 * The ready-set engine of the schedulers that choose a (subtask, TaskManager) pair at each step instead of
 * taking subtasks in a fixed priority order: Min-Min, Max-Min, Sufferage, ETF (and critical-path), DLS. Written
 * once here; each of those files only says which pair it takes.
 *
 * The candidates are ready subtasks (every predecessor placed). For each candidate s and TaskManager k the
 * engine keeps the earliest start of s on k (over k's slots, by the builder's start rule) and the finish time,
 * and per subtask the TaskManager of earliest start and of earliest finish. A placement on k changes only k's
 * column (placements on one TaskManager never change another's slots, cores or memory) and only makes entries
 * later, so entries are refreshed lazily and only subtasks whose best TaskManager was k are rescanned.
 * `batches`: the candidates of a step are the subtasks that were ready when the current batch began (a "mapping
 * event" of Maheswaran et al. 1999); subtasks released meanwhile wait for the next batch. Otherwise a released
 * subtask is a candidate at once.
 *
 * Cost per step: the subtasks to rescan are found in per-TaskManager buckets (the released subtasks whose choice
 * depends on that TaskManager: their earliest start or finish, or a ranked rule's best and second best), not by
 * walking the ready set, and a subtask whose start on the TaskManager just used did not move is not rescanned. A rule
 * that scans the candidates costs O(candidates) per step (O(candidates × TaskManagers) for one that reads every
 * entry, as BIL does); a rule with a `keyed` order (ETF's earliest start, critical-path) or a `ranked` order
 * (Min-Min, Max-Min, Sufferage, DLS) is served from an indexed heap of candidates (one entry each) in O(log
 * candidates) plus the rescans (a keyed rule: O(TaskManagers) each; a ranked rule: O(log TaskManagers) per entry
 * refreshed, from a per-candidate heap of its TaskManagers). A ranked rule that takes the best pair over all
 * (candidate, TaskManager) pairs (`pairs`: Min-Min, DLS) is served per TaskManager where starts are max(ready, free)
 * (`pairSchedule`: no rescans at all, O(K + log candidates) per step and O(K log candidates) per subtask), so that
 * those schedulers stay near n log n × K on wide graphs. The scan stays the definition: ready-set.test.ts checks
 * that the served schedules are the scanned ones.
 */

/** What a pair rule sees: the candidates' start and finish times per TaskManager (+Infinity: k cannot take s). */
export interface ReadyView {
  readonly taskManagerCount: number;
  startMs(s: number, k: number): number;
  finishMs(s: number, k: number): number;
  /** The TaskManager where s starts first (ties: the earlier finish, then the lower one); -1 when none can take s. */
  earliestStartTaskManager(s: number): number;
  /** The TaskManager where s finishes first (ties: the lower one); -1 when none can take s. */
  earliestFinishTaskManager(s: number): number;
  /** The schedule so far (read only: where and when the placed subtasks run; FLB reads its predecessors' ends). */
  readonly builder: ScheduleBuilder;
  /**
   * The TaskManager of the last placement (-1 before the first): since the rule's previous call only its column of
   * entries can have moved, so a rule that keeps figures per candidate across calls refreshes that column only (BIL).
   */
  readonly lastTaskManager: number;
}

/** The pair a rule picks: subtask s on TaskManager k (the engine takes k's slot with the earliest start). */
export interface ReadyChoice {
  readonly s: number;
  readonly k: number;
}

/**
 * Picks a pair among `candidates` (ascending subtask index), or undefined when none can be placed anywhere.
 * `keyed`, when present, says that the rule takes the candidate with the earliest start on its earliest-start
 * TaskManager, ties by the higher `level`, then the lower index (as the scan does): the engine then keeps the
 * candidates in a heap on that order instead of calling the scan, with exactly the same choices. With `enabling`
 * (FLB) a candidate that can start on its enabling TaskManager no later than its last message arrives (an EP task)
 * competes with its start there instead; on equal starts EP tasks go first, then the smaller last-message time, then
 * the higher level, then the lower index.
 */
export type PairRule = ((candidates: readonly number[], view: ReadyView) => ReadyChoice | undefined) & {
  readonly keyed?: KeyedOrder;
  readonly ranked?: RankedOrder;
};

export interface KeyedOrder {
  readonly level: ArrayLike<number>;
  /** FLB: when s is released, its enabling TaskManager (-1: none) and its last message arrival time (LMT). */
  readonly enabling?: (s: number, builder: ScheduleBuilder) => { readonly taskManager: number; readonly lmtMs: number };
}

/**
 * A rule whose choice reads, per candidate, only its best `depth` TaskManagers under a score of the entries:
 * `entryScore(s, k, startMs)`, lower is better, must not decrease when the start grows (a stale entry's score is then
 * a lower bound of its true one); the best TaskManagers of s are the `depth` lowest by (score, TaskManager). The
 * candidate's key is `subtaskKey(first score, second score (+Infinity when none), s)`; the rule takes the candidate of
 * smallest (or largest) key, ties the lower index, on its best TaskManager; a candidate that no TaskManager can take
 * is never taken. The engine then keeps the candidates in a heap on that key (rescanning only the subtasks whose best
 * or second-best TaskManager was the one just used) instead of calling the scan, with exactly the scan's choices.
 * Min-Min and Max-Min (the earliest finish), Sufferage (the two earliest finishes) and DLS (the largest dynamic
 * level) are ranked rules.
 */
export interface RankedOrder {
  readonly depth: 1 | 2;
  entryScore(s: number, k: number, startMs: number): number;
  subtaskKey(firstScore: number, secondScore: number, s: number): number;
  readonly takes: 'smallest' | 'largest';
  /**
   * Present when the rule's choice is the (candidate, TaskManager) pair of smallest entry score over every pair, ties
   * the lower subtask, then the lower TaskManager (Min-Min: the smallest earliest finish; DLS: the largest dynamic
   * level), and the score is the start plus a per-pair offset up to rounding: |entryScore(s, k, t) − (t +
   * offsetMs(s, k))| ≤ 1e-12 × (|t| + |offsetMs(s, k)| + scaleMs). The engine then serves the rule per TaskManager
   * (`pairSchedule`) wherever starts are max(ready, free) (ScheduleBuilder.appendFreeMs).
   */
  readonly pairs?: { offsetMs(s: number, k: number): number; readonly scaleMs: number };
}

/** A scan rule served by the engine in a ranked order (the scan stays the definition, which tests compare it with). */
export function servedAs(scan: PairRule, ranked: RankedOrder): PairRule {
  return Object.assign((candidates: readonly number[], view: ReadyView) => scan(candidates, view), { ranked });
}

/** The earliest finish, as a ranked order's entry score (Min-Min, Max-Min, Sufferage): start + duration, as `finishMs`. */
export function finishScore(instance: DagPlacementInstance): RankedOrder['entryScore'] {
  return (s, k, startMs) => startMs + instance.durationMs(s, k);
}

/** Min-Min's and Max-Min's order: each candidate's earliest finish (on its earliest-finish TaskManager), smallest or largest first. */
export function earliestFinishOrder(instance: DagPlacementInstance, takes: RankedOrder['takes']): RankedOrder {
  const order: RankedOrder = { depth: 1, entryScore: finishScore(instance), subtaskKey: (first) => first, takes };
  // Min-Min's choice is the pair of earliest finish (start + duration, the same addition): served per TaskManager
  return takes === 'smallest' ? { ...order, pairs: { offsetMs: (s, k) => instance.durationMs(s, k), scaleMs: 0 } } : order;
}

/**
 * The predecessor countdown: which subtasks a placement releases (all predecessors placed), in ascending order (the
 * engine's, and BIL's served path, bil.ts).
 */
export class Releases {
  private readonly waiting: Int32Array;
  private readonly released: number[] = [];

  constructor(private readonly instance: DagPlacementInstance) {
    const { inStart } = instance.edgeArrays;
    this.waiting = Int32Array.from({ length: instance.subtasks.length }, (_, s) => inStart[s + 1]! - inStart[s]!);
  }

  /** The subtasks without predecessors, ascending. */
  roots(): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.waiting.length; s++) if (this.waiting[s] === 0) out.push(s);
    return out;
  }

  /** The subtasks that s's placement releases, ascending (the array is reused by the next call). */
  after(s: number): readonly number[] {
    const released = this.released;
    released.length = 0;
    const { outStart, outList, to } = this.instance.edgeArrays;
    for (let j = outStart[s]!; j < outStart[s + 1]!; j++) {
      const t = to[outList[j]!]!;
      this.waiting[t] = this.waiting[t]! - 1;
      if (this.waiting[t] === 0) released.push(t);
    }
    return released.sort((a, b) => a - b);
  }
}

/** Released, unplaced subtasks whose earliest-start (or earliest-finish) TaskManager is k, per k; O(1) add and remove. */
class Buckets {
  private readonly members: number[][];
  private readonly position: Int32Array;
  private readonly bucketOf: Int32Array;

  constructor(taskManagers: number, subtasks: number) {
    this.members = Array.from({ length: taskManagers }, () => []);
    this.position = new Int32Array(subtasks);
    this.bucketOf = new Int32Array(subtasks).fill(-1);
  }

  /** Moves s to bucket k (-1: none). */
  set(s: number, k: number): void {
    const old = this.bucketOf[s]!;
    if (old === k) return;
    if (old !== -1) {
      const list = this.members[old]!;
      const last = list.pop()!;
      if (last !== s) {
        const at = this.position[s]!;
        list[at] = last;
        this.position[last] = at;
      }
    }
    this.bucketOf[s] = k;
    if (k !== -1) {
      this.position[s] = this.members[k]!.length;
      this.members[k]!.push(s);
    }
  }

  of(k: number): readonly number[] {
    return this.members[k]!;
  }
}

export function readySetSchedule(
  instance: DagPlacementInstance,
  variant: PlacementVariant,
  rule: StartRule,
  pick: PairRule,
  batches: boolean,
): { readonly builder: ScheduleBuilder; readonly stuck: number } {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const builder = new ScheduleBuilder(instance, variant, rule);
  const pairs = pick.ranked?.pairs;
  const freeMs = pairs === undefined ? undefined : appendFreeTimesMs(builder);
  if (pairs !== undefined && freeMs !== undefined) return pairSchedule(instance, builder, pick.ranked!, pairs, batches, freeMs);
  const readyMs = new Float64Array(n * K);
  const startMs = new Float64Array(n * K);
  const slotOf = new Int32Array(n * K);
  const row = new Float64Array(K);
  // Entry (s, k) is computed lazily and recomputed when TaskManager k has changed since (its version moved on):
  // a placement only adds occupancy, so an entry can only grow, and a TaskManager that was not a subtask's best
  // stays not best; only subtasks whose best TaskManager was the one just used are rescanned.
  const tmVersion = new Int32Array(K);
  const entryVersion = new Int32Array(n * K).fill(-1);
  const bestStartTm = new Int32Array(n).fill(-1);
  const bestFinishTm = new Int32Array(n).fill(-1);
  const start = (s: number, k: number) => {
    const i = s * K + k;
    if (entryVersion[i] !== tmVersion[k]) {
      startMs[i] = builder.earliestStartOnTaskManager(s, k, readyMs[i]!);
      slotOf[i] = builder.chosenSlot;
      entryVersion[i] = tmVersion[k]!;
    }
    return startMs[i]!;
  };
  const finish = (s: number, k: number) => {
    const t = start(s, k);
    return t === Number.POSITIVE_INFINITY ? t : t + instance.durationMs(s, k);
  };
  // The best entries of s over all TaskManagers, as a full scan of fresh entries would find them (earliest start,
  // ties the earlier finish then the lower TaskManager; earliest finish, ties the lower TaskManager), refreshing only
  // what can win: a stale entry holds a lower bound of its true value (entries only grow), so once every stale entry
  // whose stored value beats the best fresh one is refreshed, the best stored value is the best true value.
  const keyed = pick.keyed !== undefined; // a keyed rule reads the earliest start only
  const durationRow = new Float64Array(K);
  // A keyed rule needs only the earliest-start TaskManager: the same choice as `rescan` makes, with a finish time
  // (a duration lookup) computed only where two starts tie, not for every TaskManager.
  const rescanKeyed = (s: number) => {
    const base = s * K;
    const inf = Number.POSITIVE_INFINITY;
    let fs = inf; // the earliest fresh start
    for (let k = 0; k < K; k++) {
      if (entryVersion[base + k] !== tmVersion[k]) continue;
      const t = startMs[base + k]!;
      if (t < fs) fs = t;
    }
    // refresh the stale entries that could beat or tie it (a stale entry is a lower bound of its true start)
    for (let k = 0; k < K; k++) {
      if (entryVersion[base + k] === tmVersion[k]) continue;
      const t = startMs[base + k]!;
      if (t !== inf && t <= fs) start(s, k);
    }
    let bs = -1;
    let bsStart = inf;
    let bsFinish = Number.NaN; // computed when a tie needs it
    for (let k = 0; k < K; k++) {
      const t = startMs[base + k]!;
      if (t === inf || t > bsStart) continue;
      if (t < bsStart) {
        bs = k;
        bsStart = t;
        bsFinish = Number.NaN;
        continue;
      }
      if (Number.isNaN(bsFinish)) bsFinish = bsStart + instance.durationMs(s, bs);
      const f = t + instance.durationMs(s, k);
      if (f < bsFinish) {
        bs = k;
        bsFinish = f;
      }
    }
    bestStartTm[s] = bs;
    bestFinishTm[s] = -1;
  };
  const rescan = (s: number) => {
    if (keyed) return rescanKeyed(s);
    const base = s * K;
    const inf = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) durationRow[k] = instance.durationMs(s, k);
    // the best fresh entry by (start, finish, k), then by (finish, k)
    let fs = inf;
    let ff = inf;
    let bestFinish = keyed ? Number.NEGATIVE_INFINITY : inf;
    for (let k = 0; k < K; k++) {
      if (entryVersion[base + k] !== tmVersion[k]) continue;
      const t = startMs[base + k]!;
      if (t === inf) continue;
      const f = t + durationRow[k]!;
      if (t < fs || (t === fs && f < ff)) {
        fs = t;
        ff = f;
      }
      if (!keyed && f < bestFinish) bestFinish = f;
    }
    // refresh the stale entries that could beat them (a tie on both goes to the lower k, which may be the stale one)
    for (let k = 0; k < K; k++) {
      if (entryVersion[base + k] === tmVersion[k]) continue;
      const t = startMs[base + k]!;
      if (t === inf) continue;
      if (t <= fs || t + durationRow[k]! <= bestFinish) start(s, k);
    }
    let bs = -1;
    let bf = -1;
    let bsStart = inf;
    let bsFinish = inf;
    let bfFinish = inf;
    for (let k = 0; k < K; k++) {
      const t = startMs[base + k]!;
      if (t === inf) continue;
      const f = t + durationRow[k]!;
      if (t < bsStart || (t === bsStart && f < bsFinish)) {
        bs = k;
        bsStart = t;
        bsFinish = f;
      }
      if (f < bfFinish) {
        bf = k;
        bfFinish = f;
      }
    }
    bestStartTm[s] = bs;
    bestFinishTm[s] = keyed ? -1 : bf;
  };
  // A ranked rule: the best `depth` TaskManagers of s by (score, TaskManager), from a heap of s's TaskManagers per
  // subtask (rankHeap[s * K ...], ordered by the score each entry had when last computed, rankScore[s * K + k]): a stale
  // entry's stored score is a lower bound of its true one (entries only grow, scores do not decrease with the start),
  // so once the top is fresh it is the best TaskManager, and once the lower of its two children is fresh that one is
  // the second best. A rescan refreshes only the entries that reach the top (O(log K) each), not all K.
  const ranked = pick.ranked;
  const rankTm = new Int32Array(ranked === undefined ? 0 : 2 * n).fill(-1);
  const rankKey = new Float64Array(ranked === undefined ? 0 : n);
  const rankHeap = new Int32Array(ranked === undefined ? 0 : n * K);
  const rankScore = new Float64Array(ranked === undefined ? 0 : n * K);
  const rankBefore = (base: number, a: number, b: number) => {
    const va = rankScore[base + a]!;
    const vb = rankScore[base + b]!;
    return va < vb || (va === vb && a < b);
  };
  const siftRankDown = (base: number, i: number) => {
    const k = rankHeap[base + i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= K) break;
      let c = rankHeap[base + l]!;
      let at = l;
      if (l + 1 < K) {
        const r = rankHeap[base + l + 1]!;
        if (rankBefore(base, r, c)) (c = r), (at = l + 1);
      }
      if (!rankBefore(base, c, k)) break;
      rankHeap[base + i] = c;
      i = at;
    }
    rankHeap[base + i] = k;
  };
  const scoreOf = (s: number, k: number, order: RankedOrder) => {
    const t = start(s, k);
    return t === Number.POSITIVE_INFINITY ? t : order.entryScore(s, k, t);
  };
  /** Every TaskManager's score of a released s (its entries just computed), heapified. */
  const initRanked = (s: number, order: RankedOrder) => {
    const base = s * K;
    for (let k = 0; k < K; k++) {
      rankHeap[base + k] = k;
      rankScore[base + k] = scoreOf(s, k, order);
    }
    for (let i = (K >> 1) - 1; i >= 0; i--) siftRankDown(base, i);
  };
  /** Whether the entry at heap position i of s holds its true score; if not, stores it and sifts it down. */
  const settled = (s: number, base: number, i: number, order: RankedOrder) => {
    const k = rankHeap[base + i]!;
    const old = rankScore[base + k]!;
    if (old === Number.POSITIVE_INFINITY) return true; // a TaskManager that cannot take s never can again
    const v = scoreOf(s, k, order);
    if (v === old) return true;
    rankScore[base + k] = v;
    siftRankDown(base, i);
    return false;
  };
  const rescanRanked = (s: number, order: RankedOrder) => {
    const base = s * K;
    const inf = Number.POSITIVE_INFINITY;
    while (!settled(s, base, 0, order));
    const b1 = rankHeap[base]!;
    const v1 = rankScore[base + b1]!;
    let b2 = -1;
    let v2 = inf;
    if (order.depth === 2 && K > 1) {
      for (;;) {
        const i = K > 2 && rankBefore(base, rankHeap[base + 2]!, rankHeap[base + 1]!) ? 2 : 1;
        if (!settled(s, base, i, order)) continue;
        b2 = rankHeap[base + i]!;
        v2 = rankScore[base + b2]!;
        break;
      }
      if (v2 === inf) b2 = -1;
    }
    const none = v1 === inf;
    rankTm[2 * s] = none ? -1 : b1;
    rankTm[2 * s + 1] = b2;
    rankKey[s] = none ? Number.NaN : order.subtaskKey(v1, v2, s);
  };
  let lastTm = -1;
  const view: ReadyView = {
    taskManagerCount: K,
    startMs: start,
    finishMs: finish,
    earliestStartTaskManager: (s) => bestStartTm[s]!,
    earliestFinishTaskManager: (s) => bestFinishTm[s]!,
    builder,
    get lastTaskManager() {
      return lastTm;
    },
  };

  // Released, unplaced subtasks by the TaskManagers their choice depends on (a scan rule: the earliest-start and the
  // earliest-finish one; a ranked rule: its best and second-best): the ones to rescan after a placement on k.
  const byFirstTm = new Buckets(K, n);
  const bySecondTm = new Buckets(K, n);
  // FLB (a keyed order with `enabling`): each released subtask's enabling TaskManager and last message time; an EP
  // task stops being one when its start there passes its LMT (starts only grow, so never the other way)
  const enabling = pick.keyed?.enabling;
  const enablingTm = new Int32Array(enabling === undefined ? 0 : n).fill(-1);
  const lmtMs = new Float64Array(enabling === undefined ? 0 : n);
  const isEnablingTask = (s: number) => {
    if (enabling === undefined) return false;
    const ep = enablingTm[s]!;
    if (ep === -1) return false;
    if (start(s, ep) <= lmtMs[s]!) return true;
    enablingTm[s] = -1;
    return false;
  };
  const fileUnder = (s: number) => {
    byFirstTm.set(s, ranked !== undefined ? rankTm[2 * s]! : bestStartTm[s]!);
    bySecondTm.set(s, ranked !== undefined ? rankTm[2 * s + 1]! : isEnablingTask(s) ? enablingTm[s]! : bestFinishTm[s]!);
  };
  const refresh = (s: number) => {
    if (ranked !== undefined) rescanRanked(s, ranked);
    else rescan(s);
    fileUnder(s);
  };
  const stamp = new Int32Array(n);
  let step = 0;
  const toRescan: number[] = [];
  const rescanAfterPlacementOn = (k: number, onRescan: (s: number) => void) => {
    step++;
    toRescan.length = 0;
    for (const c of byFirstTm.of(k)) if (stamp[c] !== step) toRescan.push(c), (stamp[c] = step);
    for (const c of bySecondTm.of(k)) if (stamp[c] !== step) toRescan.push(c), (stamp[c] = step);
    for (const c of toRescan) {
      // k is one of the TaskManagers c's choice depends on, so its entry on k was fresh: when its start on k did not
      // move, nothing c's choice reads moved (the other TaskManagers' entries are untouched): nothing to rescan
      const i = c * K + k;
      const before = startMs[i]!;
      if (start(c, k) === before) continue;
      refresh(c);
      onRescan(c);
    }
  };
  const computeRow = (s: number) => {
    builder.readyByTaskManager(s, row);
    for (let k = 0; k < K; k++) readyMs[s * K + k] = row[k]!;
    for (let k = 0; k < K; k++) start(s, k);
    if (ranked !== undefined) initRanked(s, ranked);
    refresh(s);
  };
  const place = (s: number, k: number): boolean => {
    const startAt = start(s, k);
    if (startAt === Number.POSITIVE_INFINITY) return false;
    builder.place(s, slotOf[s * K + k]!, startAt);
    lastTm = k;
    tmVersion[k] = tmVersion[k]! + 1;
    byFirstTm.set(s, -1);
    bySecondTm.set(s, -1);
    return true;
  };
  const releases = new Releases(instance);

  if (pick.keyed !== undefined || ranked !== undefined) {
    if (pick.keyed !== undefined && batches) throw new RangeError('readySetSchedule: a keyed rule takes candidates continuously, not in batches');
    return servedSchedule();
  }

  let candidates: number[] = [];
  let next: number[] = [];
  const release = (s: number) => {
    computeRow(s);
    (batches ? next : candidates).push(s);
  };
  for (const s of releases.roots()) release(s);
  for (;;) {
    if (candidates.length === 0) {
      if (next.length === 0) break;
      candidates = next.sort((a, b) => a - b);
      next = [];
    }
    const choice = pick(candidates, view);
    if (choice === undefined) return { builder, stuck: candidates[0]! };
    const { s, k } = choice;
    if (!place(s, k)) return { builder, stuck: s };
    candidates.splice(candidates.indexOf(s), 1);
    rescanAfterPlacementOn(k, () => {});
    for (const t of releases.after(s)) release(t);
    if (!batches) candidates.sort((a, b) => a - b);
  }
  return { builder, stuck: -1 };

  /**
   * A keyed or ranked rule's order from an indexed heap of the candidates (one entry each, moved whenever a
   * candidate's key is recomputed, so the heap never holds more than the candidates); a candidate that no
   * TaskManager can take gets no entry (the scan never picks it; when only such candidates are left, the scan's
   * answer is none, and the lowest of them is reported). Keyed (ETF): the earliest start on the earliest-start
   * TaskManager, then the higher level, then the lower index. Ranked: the smallest or largest key, then the lower
   * index, on the best TaskManager. In batches the heap holds the current batch only.
   */
  function servedSchedule(): { readonly builder: ScheduleBuilder; readonly stuck: number } {
    const level = pick.keyed?.level;
    const largest = ranked?.takes === 'largest';
    // FLB: 0 for an EP task (competing on its enabling TaskManager), 1 otherwise; 1 for every subtask of other rules
    const rankOf = (s: number) => (isEnablingTask(s) ? 0 : 1);
    const tmOf = (s: number) => (ranked !== undefined ? rankTm[2 * s]! : isEnablingTask(s) ? enablingTm[s]! : bestStartTm[s]!);
    // NaN (equal to no entry's key) when no TaskManager can take s any more
    const keyOf = (s: number) => {
      if (ranked !== undefined) return rankKey[s]!;
      const k = tmOf(s);
      return k === -1 ? Number.NaN : start(s, k);
    };
    // one entry per candidate, keyed by its stored key and rank (what keyOf and rankOf gave when it was last filed)
    const heapKey = new Float64Array(n);
    const heapRank = new Uint8Array(n);
    const heap = new IndexedHeap(n, (a, b) => {
      const ka = heapKey[a]!;
      const kb = heapKey[b]!;
      if (ka !== kb) return largest ? ka > kb : ka < kb;
      if (enabling !== undefined) {
        if (heapRank[a] !== heapRank[b]) return heapRank[a]! < heapRank[b]!;
        if (lmtMs[a] !== lmtMs[b]) return lmtMs[a]! < lmtMs[b]!;
      }
      if (level !== undefined && level[a] !== level[b]) return level[a]! > level[b]!;
      return a < b;
    });
    // candidates: every released unplaced subtask, or in batches the current batch
    const candidate = new Uint8Array(n);
    let candidateCount = 0;
    let next: number[] = [];
    const push = (s: number) => {
      if (candidate[s] === 0) return;
      if (tmOf(s) === -1) return heap.remove(s);
      heapKey[s] = keyOf(s);
      heapRank[s] = rankOf(s);
      heap.update(s);
    };
    const admit = (s: number) => {
      candidate[s] = 1;
      candidateCount++;
      push(s);
    };
    const release = (s: number) => {
      if (enabling !== undefined) {
        const e = enabling(s, builder);
        enablingTm[s] = e.taskManager;
        lmtMs[s] = e.lmtMs;
      }
      computeRow(s);
      if (batches) next.push(s);
      else admit(s);
    };
    for (const s of releases.roots()) release(s);
    for (;;) {
      const top = heap.pop();
      if (top === undefined) {
        // the scan would find no candidate that can be placed: the lowest candidate is the one reported
        if (candidateCount > 0) return { builder, stuck: candidate.indexOf(1) };
        if (next.length === 0) break;
        const batch = next;
        next = [];
        for (const s of batch) admit(s);
        continue;
      }
      const s = top;
      const k = tmOf(s);
      if (!place(s, k)) return { builder, stuck: s };
      candidate[s] = 0;
      candidateCount--;
      rescanAfterPlacementOn(k, push);
      for (const t of releases.after(s)) release(t);
    }
    return { builder, stuck: -1 };
  }
}

/**
 * Each TaskManager's free time (`ScheduleBuilder.appendFreeMs`) when every start on every TaskManager is max(ready,
 * free) (the ready time for a zero duration), the case the per-TaskManager paths serve (`pairSchedule`, and BIL's in
 * bil.ts); undefined otherwise, and when there is no TaskManager.
 */
export function appendFreeTimesMs(builder: ScheduleBuilder): Float64Array | undefined {
  const K = builder.instance.taskManagers.length;
  const freeMs = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const free = builder.appendFreeMs(k);
    if (free === undefined) return undefined;
    freeMs[k] = free;
  }
  return K > 0 ? freeMs : undefined;
}

/**
 * A pair rule (`RankedOrder.pairs`: the pair of smallest score, ties the lower subtask, then TaskManager) where every
 * start on TaskManager k is max(ready, free(k)) (`ScheduleBuilder.appendFreeMs`; ready when the duration is 0), served
 * per TaskManager instead of per candidate. On k a candidate s starts at its ready time while that is not before
 * free(k) (group A: its score is fixed, kept in a heap by score, and in a heap by ready time), and at free(k)
 * otherwise (group B: every member starts at the same free(k), so they are kept in a heap by offset, and the exact
 * scores are computed only for the members whose offset is within rounding of the smallest). free(k) only grows, so a
 * placement on k moves the members of A whose ready time it passed to B, each (s, k) at most once, and changes no
 * other TaskManager's entries: O(K log w) per subtask over the whole run (w: the candidates), instead of a rescan of
 * every candidate whose best TaskManager was k (hundreds per step on a wide graph whose candidates prefer the same
 * fast TaskManagers). Each TaskManager's best (score, subtask) is cached and recomputed only when k took a subtask or
 * its best was placed; the step takes the smallest (score, subtask, TaskManager) over the K cached bests. Entries of
 * placed subtasks (and of members that moved to B) are dropped when they reach a heap's top. Same choices as the scan
 * (common/ready-set.test.ts); `batches` as in `readySetSchedule`.
 */
function pairSchedule(
  instance: DagPlacementInstance,
  builder: ScheduleBuilder,
  order: RankedOrder,
  pairs: NonNullable<RankedOrder['pairs']>,
  batches: boolean,
  freeMs: Float64Array,
): { readonly builder: ScheduleBuilder; readonly stuck: number } {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const inf = Number.POSITIVE_INFINITY;
  const readyMs = new Float64Array(n * K);
  const inB = new Uint8Array(n * K);
  const candidate = new Uint8Array(n);
  let candidateCount = 0;
  const byScore = Array.from({ length: K }, () => new KeyedMinHeap()); // group A by (score, subtask)
  const byReady = Array.from({ length: K }, () => new KeyedMinHeap()); // group A (positive durations) by ready time
  const byOffset = Array.from({ length: K }, () => new KeyedMinHeap()); // group B by (offset, subtask)
  const bestScore = new Float64Array(K).fill(inf);
  const bestOf = new Int32Array(K).fill(-1);
  const dirty = new Uint8Array(K);
  // live members per TaskManager and group: a heap holding more than twice its live members is compacted (O(size),
  // paid for by the dead entries it drops), so no heap grows beyond O(candidates) with entries of placed subtasks
  const liveA = new Int32Array(K);
  const liveB = new Int32Array(K);
  const isCandidate = (s: number) => candidate[s] === 1;
  const compact = (k: number) => {
    const limitA = 2 * liveA[k]! + 32;
    if (byScore[k]!.size > limitA || byReady[k]!.size > limitA) {
      const inA = (s: number) => candidate[s] === 1 && inB[s * K + k] === 0;
      byScore[k]!.retain(inA);
      byReady[k]!.retain(inA);
    }
    if (byOffset[k]!.size > 2 * liveB[k]! + 32) byOffset[k]!.retain(isCandidate);
  };
  const offer = (s: number, k: number, v: number) => {
    if (dirty[k] === 0 && (bestOf[k] === -1 || v < bestScore[k]! || (v === bestScore[k] && s < bestOf[k]!))) {
      bestScore[k] = v;
      bestOf[k] = s;
    }
  };
  const toB = (s: number, k: number) => {
    inB[s * K + k] = 1;
    liveB[k] = liveB[k]! + 1;
    byOffset[k]!.push(pairs.offsetMs(s, k), s);
  };
  const admit = (s: number) => {
    candidate[s] = 1;
    candidateCount++;
    for (let k = 0; k < K; k++) {
      const ready = readyMs[s * K + k]!;
      const positive = instance.durationMs(s, k) !== 0;
      if (!positive || ready >= freeMs[k]!) {
        const v = order.entryScore(s, k, ready);
        liveA[k] = liveA[k]! + 1;
        byScore[k]!.push(v, s);
        if (positive) byReady[k]!.push(ready, s);
        offer(s, k, v);
      } else {
        toB(s, k);
        if (dirty[k] === 0) offer(s, k, order.entryScore(s, k, freeMs[k]!));
      }
    }
  };
  let bs = -1;
  let bv = inf;
  let freeOfK = 0;
  let kOf = 0;
  const closer = (s: number) => {
    if (candidate[s] === 0) return;
    const v = order.entryScore(s, kOf, freeOfK);
    if (bs === -1 || v < bv || (v === bv && s < bs)) {
      bs = s;
      bv = v;
    }
  };
  const recompute = (k: number) => {
    dirty[k] = 0;
    bs = -1;
    bv = inf;
    const a = byScore[k]!;
    while (a.size > 0 && !(candidate[a.topId()] === 1 && inB[a.topId() * K + k] === 0)) a.pop();
    if (a.size > 0) {
      bs = a.topId();
      bv = a.topKey();
    }
    const b = byOffset[k]!;
    while (b.size > 0 && candidate[b.topId()] === 0) b.pop();
    if (b.size > 0) {
      const o = b.topKey();
      freeOfK = freeMs[k]!;
      kOf = k;
      b.forEachAtMost(o + 1e-9 * (Math.abs(freeOfK) + Math.abs(o) + pairs.scaleMs), closer);
    }
    bestOf[k] = bs;
    bestScore[k] = bv;
  };
  const row = new Float64Array(K);
  const releases = new Releases(instance);
  let next: number[] = [];
  const release = (s: number) => {
    builder.readyByTaskManager(s, row);
    readyMs.set(row, s * K);
    if (batches) next.push(s);
    else admit(s);
  };
  for (const s of releases.roots()) release(s);
  for (;;) {
    let s = -1;
    let k = -1;
    let v = inf;
    for (let q = 0; q < K; q++) {
      if (dirty[q] === 1) recompute(q);
      const c = bestOf[q]!;
      if (c !== -1 && (s === -1 || bestScore[q]! < v || (bestScore[q] === v && c < s))) {
        s = c;
        k = q;
        v = bestScore[q]!;
      }
    }
    if (s === -1) {
      if (candidateCount > 0) return { builder, stuck: candidate.indexOf(1) };
      if (next.length === 0) break;
      const batch = next;
      next = [];
      for (const c of batch) admit(c);
      continue;
    }
    const i = s * K + k;
    const startAt = builder.earliestStartOnTaskManager(s, k, readyMs[i]!);
    if (startAt !== (inB[i] === 1 ? freeMs[k] : readyMs[i])) throw new Error(`readySetSchedule: start ${startAt} of subtask ${s} on TaskManager ${k} is not max(ready, free)`);
    builder.place(s, builder.chosenSlot, startAt);
    candidate[s] = 0;
    candidateCount--;
    for (let q = 0; q < K; q++) {
      if (bestOf[q] === s) dirty[q] = 1;
      if (inB[s * K + q] === 1) liveB[q] = liveB[q]! - 1;
      else liveA[q] = liveA[q]! - 1;
      compact(q);
    }
    dirty[k] = 1;
    const free = builder.appendFreeMs(k)!;
    if (free < freeMs[k]!) throw new Error(`readySetSchedule: TaskManager ${k} became free earlier`);
    freeMs[k] = free;
    // the members of A whose ready time the free time passed now start at it: to B
    const r = byReady[k]!;
    while (r.size > 0) {
      const c = r.topId();
      const live = candidate[c] === 1 && inB[c * K + k] === 0;
      if (live && r.topKey() >= free) break;
      r.pop();
      if (!live) continue;
      liveA[k] = liveA[k]! - 1;
      toB(c, k);
    }
    for (const t of releases.after(s)) release(t);
  }
  return { builder, stuck: -1 };
}

/**
 * ETF's pair rule (Hwang et al. 1989; etf.ts): the (subtask, TaskManager) pair with the earliest start; ties: the
 * higher `level`, then the lower subtask index; for one subtask, the earlier finish, then the lower TaskManager.
 */
export function earliestStartRule(level: ArrayLike<number>): PairRule {
  return Object.assign(earliestStartScan(level), { keyed: { level } });
}

/** The scan that defines `earliestStartRule`'s choice (the engine serves the same order from a heap). */
export function earliestStartScan(level: ArrayLike<number>): PairRule {
  return (candidates, view) => {
    let best: { s: number; k: number } | undefined;
    let bestStart = Number.POSITIVE_INFINITY;
    for (const s of candidates) {
      const k = view.earliestStartTaskManager(s);
      if (k === -1) continue;
      const t = view.startMs(s, k);
      if (best === undefined || t < bestStart || (t === bestStart && level[s]! > level[best.s]!)) {
        bestStart = t;
        best = { s, k };
      }
    }
    return best;
  };
}
