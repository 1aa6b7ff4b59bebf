import { SlotlabError } from '../../../models/errors.ts';
import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import type { IndexedSchedule } from '../../../models/solution.ts';
import { DagSlotCuts } from '../../../models/dag-placement/resources.ts';
import { scheduleResult, type HeuristicResult } from './results.ts';

/** A scheduler tried to place a subtask where the model forbids it: a bug in that scheduler, never a result. */
export class ScheduleConflictError extends SlotlabError {
  override name = 'ScheduleConflictError';
}

/** Most intervals a chunk of a Timeline holds before it is split in two. */
const CHUNK_MAX = 128;

/** One run of consecutive busy intervals of a Timeline, with the largest idle gap between two of them. */
interface Chunk {
  readonly starts: number[];
  readonly ends: number[];
  /** max over i >= 1 of starts[i] − ends[i−1]; −Infinity with fewer than two intervals. */
  innerGapMs: number;
}

/**
 * Busy intervals [start, end) of one resource (a sequenced slot, or one CPU core of a shared TaskManager),
 * sorted and disjoint. Zero-length work occupies nothing and is never stored.
 *
 * The intervals are kept in chunks of at most CHUNK_MAX, in order, and a max segment tree over the chunks holds the
 * largest idle gap that ends in each chunk (between two of its intervals, or between the previous chunk's last
 * interval and its first). The insertion search (earliestFit) thereby skips every chunk whose gaps are all too
 * short instead of walking interval by interval: O(CHUNK_MAX + log(chunks)) per query instead of O(intervals).
 * The skip is only a filter: a gap is tested with the same floating-point comparison as the plain scan
 * (t + d <= next start), and the filter's threshold is lowered by a margin far above rounding, so that the search
 * returns exactly the time the plain scan over the sorted intervals returns.
 */
class Timeline {
  private readonly chunks: Chunk[] = [];
  /** Last end of each chunk (sorted, since the intervals are disjoint). */
  private readonly chunkLastEnds: number[] = [];
  /** Max segment tree over chunks: leaf c = the largest gap ending in chunk c; −Infinity past the last chunk. */
  private tree = new Float64Array(2).fill(Number.NEGATIVE_INFINITY);
  private leaves = 1;

  get lastEndMs(): number {
    const n = this.chunkLastEnds.length;
    return n === 0 ? 0 : this.chunkLastEnds[n - 1]!;
  }

  /** Every end time, in order (the memory-limited search tries each). */
  endsMs(): number[] {
    return this.chunks.flatMap((c) => c.ends);
  }

  /** The first chunk whose last end is after t (chunks.length when none). */
  private chunkEndingAfter(t: number): number {
    return Timeline.firstEndingAfter(this.chunkLastEnds, t);
  }

  /** Index in `ends` of the first end after t (ends are sorted because the intervals are disjoint; so are chunks' last ends). */
  private static firstEndingAfter(ends: readonly number[], t: number): number {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Earliest t >= ready with [t, t + d) free. `insertion`: the first idle gap long enough (HEFT's insertion-based
   * policy); otherwise after the last busy interval.
   *
   * `giveUpAtMs`: a caller that only wants a start finishing before that time (a slot choice that already holds a
   * finish) gets +Infinity as soon as the candidate start t has t + d >= giveUpAtMs. Candidates only grow during the
   * scan and floating-point addition is monotone, so the true earliest start would finish no earlier: the answer to
   * "does it finish before giveUpAtMs" is the same as with the whole scan.
   */
  earliestFit(readyMs: number, durationMs: number, insertion: boolean, giveUpAtMs = Number.POSITIVE_INFINITY): number {
    const lastEnd = this.lastEndMs;
    if (!insertion) return Math.max(readyMs, lastEnd);
    if (readyMs >= lastEnd) return readyMs;
    // Only a gap of at least d (less a rounding margin) can stop the scan. When no gap of the whole timeline passes
    // that filter (the tree's root) and ready is not before the first interval, the part of a gap after ready is no
    // longer either, so the plain scan ends after the last interval: O(1), the common case of a busy cluster.
    const threshold = durationMs - 1e-9 * (durationMs + lastEnd);
    if (!(this.tree[1]! >= threshold) && readyMs >= this.chunks[0]!.starts[0]!) return lastEnd + durationMs >= giveUpAtMs ? Number.POSITIVE_INFINITY : lastEnd;
    // The plain scan: t = ready; for each interval i ending after ready: if t + d <= start_i return t, else t = end_i.
    let c = this.chunkEndingAfter(readyMs);
    let chunk = this.chunks[c]!;
    let i = Timeline.firstEndingAfter(chunk.ends, readyMs);
    if (readyMs + durationMs <= chunk.starts[i]!) return readyMs;
    // The rest of this chunk is scanned only when its largest gap passes the filter; later chunks are found by the tree.
    if (!(chunk.innerGapMs >= threshold)) i = chunk.starts.length - 1;
    let t = chunk.ends[i]!;
    for (i++; i < chunk.starts.length; i++) {
      if (t + durationMs >= giveUpAtMs) return Number.POSITIVE_INFINITY;
      if (t + durationMs <= chunk.starts[i]!) return t;
      t = chunk.ends[i]!;
    }
    for (;;) {
      if (t + durationMs >= giveUpAtMs) return Number.POSITIVE_INFINITY;
      c = this.firstChunkWithGap(c + 1, threshold);
      if (c === -1) return lastEnd;
      t = this.chunkLastEnds[c - 1]!;
      chunk = this.chunks[c]!;
      for (i = 0; i < chunk.starts.length; i++) {
        if (t + durationMs >= giveUpAtMs) return Number.POSITIVE_INFINITY;
        if (t + durationMs <= chunk.starts[i]!) return t;
        t = chunk.ends[i]!;
      }
    }
  }

  fits(t: number, durationMs: number): boolean {
    const c = this.chunkEndingAfter(t);
    if (c === this.chunks.length) return true;
    const chunk = this.chunks[c]!;
    return t + durationMs <= chunk.starts[Timeline.firstEndingAfter(chunk.ends, t)]!;
  }

  insert(startMs: number, endMs: number): boolean {
    let c = this.chunkEndingAfter(startMs);
    let i: number;
    if (c === this.chunks.length) {
      // after every interval: append to the last chunk (a new one when there is none or it is full)
      if (c === 0 || this.chunks[c - 1]!.starts.length >= CHUNK_MAX) {
        this.chunks.push({ starts: [], ends: [], innerGapMs: Number.NEGATIVE_INFINITY });
        this.chunkLastEnds.push(endMs);
        if (this.chunks.length > this.leaves) this.rebuildTree();
      } else c--;
      i = this.chunks[c]!.starts.length;
    } else {
      i = Timeline.firstEndingAfter(this.chunks[c]!.ends, startMs);
      if (endMs > this.chunks[c]!.starts[i]!) return false;
    }
    const chunk = this.chunks[c]!;
    if (i === chunk.starts.length) {
      // appended (the common case): the chunk's gaps only gain the one before the new interval, O(log chunks)
      if (i > 0) chunk.innerGapMs = Math.max(chunk.innerGapMs, startMs - chunk.ends[i - 1]!);
      chunk.starts.push(startMs);
      chunk.ends.push(endMs);
      this.chunkLastEnds[c] = endMs;
      this.setLeaf(c);
      if (c + 1 < this.chunks.length) this.setLeaf(c + 1);
      return true;
    }
    chunk.starts.splice(i, 0, startMs);
    chunk.ends.splice(i, 0, endMs);
    if (chunk.starts.length > CHUNK_MAX) {
      const half = chunk.starts.length >> 1;
      const right: Chunk = { starts: chunk.starts.splice(half), ends: chunk.ends.splice(half), innerGapMs: Number.NEGATIVE_INFINITY };
      this.chunks.splice(c + 1, 0, right);
      this.chunkLastEnds.splice(c + 1, 0, right.ends[right.ends.length - 1]!);
      this.chunkLastEnds[c] = chunk.ends[chunk.ends.length - 1]!;
      Timeline.measure(chunk);
      Timeline.measure(right);
      this.rebuildTree();
      return true;
    }
    this.chunkChanged(c);
    return true;
  }

  /** Removes the busy interval [start, end) if it is there (undo of `insert`); false when it is not. */
  remove(startMs: number, endMs: number): boolean {
    const c = this.chunkEndingAfter(startMs);
    if (c === this.chunks.length) return false;
    const chunk = this.chunks[c]!;
    const i = Timeline.firstEndingAfter(chunk.ends, startMs);
    if (i >= chunk.starts.length || chunk.starts[i] !== startMs || chunk.ends[i] !== endMs) return false;
    chunk.starts.splice(i, 1);
    chunk.ends.splice(i, 1);
    if (chunk.starts.length === 0) {
      this.chunks.splice(c, 1);
      this.chunkLastEnds.splice(c, 1);
      this.rebuildTree();
      return true;
    }
    this.chunkChanged(c);
    return true;
  }

  /** After chunk c gained or lost an interval (and still has one): its last end, its gap, the tree leaves it bounds. */
  private chunkChanged(c: number): void {
    const chunk = this.chunks[c]!;
    this.chunkLastEnds[c] = chunk.ends[chunk.ends.length - 1]!;
    Timeline.measure(chunk);
    this.setLeaf(c);
    if (c + 1 < this.chunks.length) this.setLeaf(c + 1);
  }

  private static measure(chunk: Chunk): void {
    let gap = Number.NEGATIVE_INFINITY;
    for (let i = 1; i < chunk.starts.length; i++) {
      const g = chunk.starts[i]! - chunk.ends[i - 1]!;
      if (g > gap) gap = g;
    }
    chunk.innerGapMs = gap;
  }

  /** The largest gap ending in chunk c: inside it, or before its first interval after the previous chunk. */
  private gapEndingIn(c: number): number {
    const chunk = this.chunks[c]!;
    if (c === 0 || chunk.starts.length === 0) return chunk.innerGapMs;
    return Math.max(chunk.innerGapMs, chunk.starts[0]! - this.chunkLastEnds[c - 1]!);
  }

  private setLeaf(c: number): void {
    const tree = this.tree;
    let i = c + this.leaves;
    tree[i] = this.gapEndingIn(c);
    for (i >>= 1; i >= 1; i >>= 1) tree[i] = Math.max(tree[2 * i]!, tree[2 * i + 1]!);
  }

  private rebuildTree(): void {
    while (this.leaves < this.chunks.length) this.leaves *= 2;
    const tree = (this.tree = new Float64Array(2 * this.leaves).fill(Number.NEGATIVE_INFINITY));
    for (let c = 0; c < this.chunks.length; c++) tree[c + this.leaves] = this.gapEndingIn(c);
    for (let i = this.leaves - 1; i >= 1; i--) tree[i] = Math.max(tree[2 * i]!, tree[2 * i + 1]!);
  }

  /** The first chunk c >= from whose largest gap is at least `threshold`; -1 when none. */
  private firstChunkWithGap(from: number, threshold: number): number {
    if (from >= this.chunks.length) return -1;
    const tree = this.tree;
    let i = from + this.leaves;
    for (;;) {
      if (tree[i]! >= threshold) {
        while (i < this.leaves) {
          i *= 2;
          if (!(tree[i]! >= threshold)) i++;
        }
        return i - this.leaves;
      }
      while (i & 1) i >>= 1; // climb while a right child
      if (i === 0) return -1;
      i++;
    }
  }
}

/** How a start time is searched: `insertion` may fill an idle gap between placed subtasks; `append` only after them. */
export type StartRule = 'insertion' | 'append';

interface MemoryInterval {
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
}

/**
 * The one place where list schedulers turn "subtask s goes to slot l" into times, under any variant:
 * - `sequenced`: each slot is a timeline; a subtask occupies its slot from start to end (insertion or append);
 *   memory: the subtasks running at once on a TaskManager must fit (checked only when memory is limited);
 * - `shared`: each TaskManager has `coreCount` core timelines (at most that many subtasks run at once); a slot
 *   holds at most one subtask per operator, all of one slot sharing group; memory is reserved for the whole job;
 * - `exclusive`: a slot holds one subtask for the whole job, which starts when its inputs have arrived.
 * Fine-grained resources (every variant): a slot is offered to a subtask only when its TaskManager can cut it to the
 * profile of the subtask's slot sharing group (or grow it, under `sequenced`, to the maximum of the groups it runs),
 * given the slots it has cut already (models/dag-placement/resources.ts `DagSlotCuts`, the fits rule of
 * models/resources); so every scheduler built on this class considers only slots that fit, by its own selection rule.
 * Start times always respect precedence plus transfer time across TaskManagers. `place` refuses anything the
 * model forbids (overlap, early start, second subtask of an operator in a slot, memory) with a
 * ScheduleConflictError, so a scheduler can never hand out an invalid schedule silently.
 * All state is indexed by `instance.subtasks` / `instance.slots` / `instance.taskManagers` positions.
 */
export class ScheduleBuilder {
  readonly slotOfSubtask: Int32Array;
  readonly startMs: Float64Array;
  readonly endMs: Float64Array;
  /** The slot picked by the last `earliestStartOnTaskManager` call (-1 when none could host). */
  chosenSlot = -1;
  private placedCount = 0;
  private readonly insertion: boolean;
  private readonly tmOfSlot: Int32Array;
  /** The slots of TaskManager k are firstSlotOf[k] .. firstSlotOf[k + 1] − 1. */
  private readonly firstSlotOf: Int32Array;
  /** The slot timelines when every slot can host every subtask (`sequenced`, memory never binds, no resource profiles). */
  private readonly plainSlots: Timeline[] | undefined;
  private readonly slotTimelines: Timeline[] | undefined;
  private readonly coreTimelines: Timeline[][] | undefined;
  private readonly slotUsed: Uint8Array | undefined;
  private readonly slotOperators: Array<Set<number> | undefined> | undefined;
  private readonly slotGroup: Array<string | undefined> | undefined;
  private readonly reservedBytes: Float64Array;
  private readonly memoryIntervals: MemoryInterval[][] | undefined;
  /** `shared`: the CPU core (index on its TaskManager) each placed subtask runs on, for `unplace`. */
  private readonly coreOfSubtask: Int32Array;
  /** Fine-grained resources: the slots cut so far (undefined when no TaskManager gives resources). */
  private readonly cuts: DagSlotCuts | undefined;

  constructor(
    readonly instance: DagPlacementInstance,
    readonly variant: PlacementVariant,
    readonly rule: StartRule,
  ) {
    const n = instance.subtasks.length;
    const S = instance.slots.length;
    this.insertion = rule === 'insertion';
    this.slotOfSubtask = new Int32Array(n).fill(-1);
    this.startMs = new Float64Array(n);
    this.endMs = new Float64Array(n);
    this.coreOfSubtask = new Int32Array(variant === 'shared' ? n : 0);
    this.tmOfSlot = new Int32Array(S);
    for (const slot of instance.slots) this.tmOfSlot[slot.index] = slot.taskManager;
    this.firstSlotOf = new Int32Array(instance.taskManagers.length + 1);
    for (const tm of instance.taskManagers) this.firstSlotOf[tm.index + 1] = tm.firstSlot + tm.slotCount;
    this.reservedBytes = new Float64Array(instance.taskManagers.length);
    const profiles = instance.derived.slotProfiles;
    this.cuts = profiles === undefined ? undefined : new DagSlotCuts(instance, profiles);
    if (variant === 'sequenced') {
      this.slotTimelines = Array.from({ length: S }, () => new Timeline());
      if (instance.derived.memoryMatters) this.memoryIntervals = instance.taskManagers.map(() => []);
      if (this.memoryIntervals === undefined && this.cuts === undefined) this.plainSlots = this.slotTimelines;
    } else if (variant === 'shared') {
      this.coreTimelines = instance.taskManagers.map((tm) => Array.from({ length: tm.coreCount }, () => new Timeline()));
      this.slotOperators = new Array(S);
      this.slotGroup = new Array(S);
    } else this.slotUsed = new Uint8Array(S);
  }

  get complete(): boolean {
    return this.placedCount === this.instance.subtasks.length;
  }

  isPlaced(s: number): boolean {
    return this.slotOfSubtask[s] !== -1;
  }

  taskManagerOfSlot(l: number): number {
    return this.tmOfSlot[l]!;
  }

  /** When all inputs of s have arrived on TaskManager k (its predecessors must be placed). */
  readyMs(s: number, k: number): number {
    let ready = 0;
    const { from: fromOf, inStart, inList } = this.instance.edgeArrays;
    for (let j = inStart[s]!; j < inStart[s + 1]!; j++) {
      const e = inList[j]!;
      const p = fromOf[e]!;
      const slot = this.slotOfSubtask[p]!;
      if (slot === -1) throw this.conflict(`${this.id(s)} is scheduled before its predecessor ${this.id(p)}`);
      const from = this.tmOfSlot[slot]!;
      const t = this.endMs[p]! + (from === k ? 0 : this.instance.transferMs(e, from, k));
      if (t > ready) ready = t;
    }
    return ready;
  }

  /** readyMs(s, k) for every TaskManager k into `out`; O(in-degree + K) on a uniform network. */
  readyByTaskManager(s: number, out: Float64Array): Float64Array {
    const K = this.instance.taskManagers.length;
    if (!this.instance.uniformNetwork || K === 1) {
      for (let k = 0; k < K; k++) out[k] = this.readyMs(s, k);
      return out;
    }
    // Remote arrival does not depend on the receiving TaskManager: keep the two latest remote arrivals from
    // different TaskManagers, then raise each TaskManager by its local predecessors.
    let best = 0;
    let bestTm = -1;
    let second = 0;
    const { from: fromOf, inStart, inList } = this.instance.edgeArrays;
    const first = inStart[s]!;
    const end = inStart[s + 1]!;
    for (let j = first; j < end; j++) {
      const e = inList[j]!;
      const p = fromOf[e]!;
      const slot = this.slotOfSubtask[p]!;
      if (slot === -1) throw this.conflict(`${this.id(s)} is scheduled before its predecessor ${this.id(p)}`);
      const from = this.tmOfSlot[slot]!;
      const remote = this.endMs[p]! + this.instance.transferMs(e, from, from === 0 ? 1 : 0);
      if (from === bestTm) {
        if (remote > best) best = remote;
      } else if (remote > best) {
        second = best;
        best = remote;
        bestTm = from;
      } else if (remote > second) second = remote;
    }
    for (let k = 0; k < K; k++) out[k] = k === bestTm ? second : best;
    for (let j = first; j < end; j++) {
      const p = fromOf[inList[j]!]!;
      const from = this.tmOfSlot[this.slotOfSubtask[p]!]!;
      if (this.endMs[p]! > out[from]!) out[from] = this.endMs[p]!;
    }
    return out;
  }

  /** Whether slot l may take subtask s now, whatever the time (operator, group, exclusivity, memory, resource profiles). */
  canHost(s: number, l: number): boolean {
    return this.canHostIgnoringProfiles(s, l) && (this.cuts === undefined || this.cuts.canTake(l, s));
  }

  private canHostIgnoringProfiles(s: number, l: number): boolean {
    const sub = this.instance.subtasks[s]!;
    const k = this.tmOfSlot[l]!;
    const capacity = this.instance.taskManagers[k]!.memoryBytes;
    switch (this.variant) {
      case 'exclusive':
        return this.slotUsed![l] === 0 && this.reservedBytes[k]! + sub.memoryBytes <= capacity;
      case 'shared': {
        if (this.coreTimelines![k]!.length === 0) return false;
        if (this.slotOperators![l]?.has(sub.operatorIndex)) return false;
        const group = this.slotGroup![l];
        if (group !== undefined && group !== sub.slotSharingGroup) return false;
        return this.reservedBytes[k]! + sub.memoryBytes <= capacity;
      }
      case 'sequenced':
        return sub.memoryBytes <= capacity;
    }
  }

  /** Earliest start of s in slot l when its inputs are there at `readyMs`; +Infinity when l cannot take s. */
  earliestStartInSlot(s: number, l: number, readyMs: number): number {
    if (!this.canHost(s, l)) return Number.POSITIVE_INFINITY;
    const k = this.tmOfSlot[l]!;
    switch (this.variant) {
      case 'exclusive':
        return readyMs;
      case 'shared':
        return this.coreStart(k, readyMs, this.instance.durationMs(s, k));
      case 'sequenced':
        return this.sequencedStart(s, l, k, readyMs, this.instance.durationMs(s, k));
    }
  }

  /**
   * Earliest start of s on TaskManager k over its slots (ties: the lowest slot), with the slot in `chosenSlot`;
   * +Infinity (and chosenSlot -1) when no slot of k can take s.
   *
   * `giveUpAtMs` (a slot choice by earliest finish that already holds a finish): +Infinity as soon as it is certain
   * that s cannot finish on k before that time (`Timeline.earliestFit`); when it can, the answer is exact. Only
   * `sequenced` with memory that never binds and no resource profiles uses it (the other cases search as without it).
   */
  earliestStartOnTaskManager(s: number, k: number, readyMs: number, giveUpAtMs = Number.POSITIVE_INFINITY): number {
    const first = this.firstSlotOf[k]!;
    const end = this.firstSlotOf[k + 1]!;
    this.chosenSlot = -1;
    if (this.plainSlots !== undefined) {
      // sequenced, memory never binds, no resource profiles (every slot can host): one duration, the timelines searched directly
      const d = this.instance.durationMs(s, k);
      if (d === 0) {
        this.chosenSlot = first;
        return readyMs;
      }
      let best = Number.POSITIVE_INFINITY;
      for (let l = first; l < end; l++) {
        const t = this.plainSlots[l]!.earliestFit(readyMs, d, this.insertion, giveUpAtMs);
        if (t < best) {
          best = t;
          this.chosenSlot = l;
          if (t === readyMs) break; // no slot starts earlier; ties go to the lower slot
        }
      }
      return best;
    }
    if (this.variant === 'sequenced') {
      let best = Number.POSITIVE_INFINITY;
      for (let l = first; l < end; l++) {
        const t = this.earliestStartInSlot(s, l, readyMs);
        if (t < best) {
          best = t;
          this.chosenSlot = l;
        }
      }
      return best;
    }
    for (let l = first; l < end; l++)
      if (this.canHost(s, l)) {
        this.chosenSlot = l;
        return this.variant === 'exclusive' ? readyMs : this.coreStart(k, readyMs, this.instance.durationMs(s, k));
      }
    return Number.POSITIVE_INFINITY;
  }

  /**
   * When every start on TaskManager k is `max(readyMs, freeMs)` (a subtask of zero duration: `readyMs`), that `freeMs`:
   * the earliest end of the last subtask over k's slots (0 before any). That holds under `sequenced` with `append`
   * starts, memory that never binds and no resource profiles (the min over slots of max(ready, last end) is the max of
   * ready and the min of the last ends; exact in doubles); undefined in every other case, and for a TaskManager
   * without slots. The ready-set engine serves pair rules per TaskManager from it (common/ready-set.ts).
   */
  appendFreeMs(k: number): number | undefined {
    if (this.insertion || this.slotTimelines === undefined || this.memoryIntervals !== undefined || this.cuts !== undefined) return undefined;
    const tm = this.instance.taskManagers[k]!;
    if (tm.slotCount === 0) return undefined;
    let free = Number.POSITIVE_INFINITY;
    for (let l = tm.firstSlot; l < tm.firstSlot + tm.slotCount; l++) free = Math.min(free, this.slotTimelines[l]!.lastEndMs);
    return free;
  }

  /** Places s in slot l from `startMs`; throws ScheduleConflictError when the model forbids it. */
  place(s: number, l: number, startMs: number): void {
    if (this.slotOfSubtask[s] !== -1) throw this.conflict(`${this.id(s)} is placed twice`);
    if (!(l >= 0 && l < this.instance.slots.length)) throw this.conflict(`${this.id(s)} is placed in slot ${l}, which does not exist`);
    const sub = this.instance.subtasks[s]!;
    const k = this.tmOfSlot[l]!;
    const d = this.instance.durationMs(s, k);
    const ready = this.readyMs(s, k);
    if (!(startMs >= ready)) throw this.conflict(`${this.id(s)} would start at ${startMs} ms in ${this.slotId(l)}, before its inputs arrive at ${ready} ms`);
    if (!this.canHost(s, l)) throw this.conflict(`${this.slotId(l)} cannot take ${this.id(s)} under ${this.variant}`);
    const endMs = startMs + d;
    switch (this.variant) {
      case 'exclusive':
        this.slotUsed![l] = 1;
        this.reservedBytes[k] = this.reservedBytes[k]! + sub.memoryBytes;
        break;
      case 'shared': {
        if (d > 0) {
          const core = this.pickCore(k, startMs, d);
          if (core === undefined || !core.insert(startMs, endMs))
            throw this.conflict(`${this.id(s)} (${startMs}-${endMs} ms) finds no free CPU core on ${this.instance.taskManagers[k]!.id}`);
          this.coreOfSubtask[s] = this.coreTimelines![k]!.indexOf(core);
        }
        let ops = this.slotOperators![l];
        if (ops === undefined) this.slotOperators![l] = ops = new Set();
        ops.add(sub.operatorIndex);
        this.slotGroup![l] = sub.slotSharingGroup;
        this.reservedBytes[k] = this.reservedBytes[k]! + sub.memoryBytes;
        break;
      }
      case 'sequenced': {
        if (d > 0) {
          if (!this.slotTimelines![l]!.insert(startMs, endMs)) throw this.conflict(`${this.id(s)} (${startMs}-${endMs} ms) overlaps another subtask in ${this.slotId(l)}`);
          if (this.memoryIntervals !== undefined && sub.memoryBytes > 0) {
            const capacity = this.instance.taskManagers[k]!.memoryBytes;
            if (this.memoryPeak(k, startMs, endMs) + sub.memoryBytes > capacity)
              throw this.conflict(`${this.id(s)} (${startMs}-${endMs} ms) would exceed the memory of ${this.instance.taskManagers[k]!.id}`);
            this.memoryIntervals[k]!.push({ startMs, endMs, bytes: sub.memoryBytes });
          }
        }
        break;
      }
    }
    this.cuts?.take(l, s);
    this.slotOfSubtask[s] = l;
    this.startMs[s] = startMs;
    this.endMs[s] = endMs;
    this.placedCount++;
  }

  /**
   * Takes back the placement of s (a look-ahead's trial; list.ts). Trials must be taken back in the reverse order
   * of their placements (last placed, first taken back), which restores the builder exactly as it was.
   */
  unplace(s: number): void {
    const l = this.slotOfSubtask[s]!;
    if (l === -1) throw this.conflict(`${this.id(s)} is taken back but was never placed`);
    const sub = this.instance.subtasks[s]!;
    const k = this.tmOfSlot[l]!;
    const startMs = this.startMs[s]!;
    const endMs = this.endMs[s]!;
    switch (this.variant) {
      case 'exclusive':
        this.slotUsed![l] = 0;
        this.reservedBytes[k] = this.reservedBytes[k]! - sub.memoryBytes;
        break;
      case 'shared': {
        if (endMs > startMs && !this.coreTimelines![k]![this.coreOfSubtask[s]!]!.remove(startMs, endMs))
          throw this.conflict(`${this.id(s)} is taken back but no CPU core of ${this.instance.taskManagers[k]!.id} runs it`);
        const ops = this.slotOperators![l]!;
        ops.delete(sub.operatorIndex);
        if (ops.size === 0) {
          this.slotOperators![l] = undefined;
          this.slotGroup![l] = undefined;
        }
        this.reservedBytes[k] = this.reservedBytes[k]! - sub.memoryBytes;
        break;
      }
      case 'sequenced':
        if (endMs > startMs) {
          this.slotTimelines![l]!.remove(startMs, endMs);
          const intervals = this.memoryIntervals?.[k];
          if (intervals !== undefined && sub.memoryBytes > 0) {
            const at = intervals.findLastIndex((iv) => iv.startMs === startMs && iv.endMs === endMs && iv.bytes === sub.memoryBytes);
            if (at !== -1) intervals.splice(at, 1);
          }
        }
        break;
    }
    this.cuts?.release(l, s);
    this.slotOfSubtask[s] = -1;
    this.startMs[s] = 0;
    this.endMs[s] = 0;
    this.placedCount--;
  }

  /** The finished schedule (every subtask placed). */
  toIndexedSchedule(): IndexedSchedule {
    if (!this.complete) {
      const missing = this.slotOfSubtask.indexOf(-1);
      throw this.conflict(`the schedule is incomplete: ${this.id(missing)} was never placed`);
    }
    return { slotOfSubtask: this.slotOfSubtask, startMs: this.startMs, endMs: this.endMs };
  }

  result(message?: string): HeuristicResult<'dag-placement'> {
    return scheduleResult(this.instance, this.toIndexedSchedule(), message);
  }

  /** Earliest start over the CPU cores of TaskManager k. */
  private coreStart(k: number, readyMs: number, durationMs: number): number {
    const cores = this.coreTimelines![k]!;
    if (cores.length === 0) return Number.POSITIVE_INFINITY;
    if (durationMs === 0) return readyMs;
    let best = Number.POSITIVE_INFINITY;
    for (const core of cores) {
      const t = core.earliestFit(readyMs, durationMs, this.insertion);
      if (t < best) best = t;
    }
    return best;
  }

  /** A core free over [start, start + d): under `append` the one that became free latest (best fit). */
  private pickCore(k: number, startMs: number, durationMs: number): Timeline | undefined {
    let chosen: Timeline | undefined;
    for (const core of this.coreTimelines![k]!) {
      if (!core.fits(startMs, durationMs)) continue;
      if (this.insertion) return core;
      if (core.lastEndMs <= startMs && (chosen === undefined || core.lastEndMs > chosen.lastEndMs)) chosen = core;
    }
    return chosen ?? this.coreTimelines![k]!.find((c) => c.fits(startMs, durationMs));
  }

  private sequencedStart(s: number, l: number, k: number, readyMs: number, durationMs: number): number {
    const timeline = this.slotTimelines![l]!;
    if (durationMs === 0) return readyMs;
    const bytes = this.instance.subtasks[s]!.memoryBytes;
    if (this.memoryIntervals === undefined || bytes === 0) return timeline.earliestFit(readyMs, durationMs, this.insertion);
    // Memory-limited: try the ready time and every time something ends on this slot or this TaskManager.
    const from = this.insertion ? readyMs : Math.max(readyMs, timeline.lastEndMs);
    const candidates = [from];
    for (const e of timeline.endsMs()) if (e > from) candidates.push(e);
    for (const iv of this.memoryIntervals[k]!) if (iv.endMs > from) candidates.push(iv.endMs);
    candidates.sort((a, b) => a - b);
    const capacity = this.instance.taskManagers[k]!.memoryBytes;
    for (const t of candidates)
      if (timeline.fits(t, durationMs) && this.memoryPeak(k, t, t + durationMs) + bytes <= capacity) return t;
    return Number.POSITIVE_INFINITY;
  }

  /** Most memory in use on TaskManager k at any instant of [a, b). */
  private memoryPeak(k: number, a: number, b: number): number {
    const on = this.memoryIntervals![k]!.filter((iv) => iv.startMs < b && iv.endMs > a);
    let peak = 0;
    for (const at of [a, ...on.map((iv) => iv.startMs).filter((t) => t > a)]) {
      let used = 0;
      for (const iv of on) if (iv.startMs <= at && iv.endMs > at) used += iv.bytes;
      if (used > peak) peak = used;
    }
    return peak;
  }

  private id(s: number): string {
    return this.instance.subtasks[s]?.id ?? `subtask #${s}`;
  }

  private slotId(l: number): string {
    return this.instance.slots[l]?.id ?? `slot #${l}`;
  }

  private conflict(message: string): ScheduleConflictError {
    return new ScheduleConflictError(`${this.instance.name}: ${message}`);
  }
}

