import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
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
}

/** The pair a rule picks: subtask s on TaskManager k (the engine takes k's slot with the earliest start). */
export interface ReadyChoice {
  readonly s: number;
  readonly k: number;
}

/** Picks a pair among `candidates` (ascending subtask index), or undefined when none can be placed anywhere. */
export type PairRule = (candidates: readonly number[], view: ReadyView) => ReadyChoice | undefined;

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
  const rescan = (s: number) => {
    let bs = -1;
    let bf = -1;
    let bsStart = Number.POSITIVE_INFINITY;
    let bsFinish = Number.POSITIVE_INFINITY;
    let bfFinish = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      const t = start(s, k);
      if (t === Number.POSITIVE_INFINITY) continue;
      const f = t + instance.durationMs(s, k);
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
    bestFinishTm[s] = bf;
  };
  const view: ReadyView = {
    taskManagerCount: K,
    startMs: start,
    finishMs: finish,
    earliestStartTaskManager: (s) => bestStartTm[s]!,
    earliestFinishTaskManager: (s) => bestFinishTm[s]!,
    builder,
  };

  const waiting = new Int32Array(n);
  let candidates: number[] = [];
  let next: number[] = [];
  const release = (s: number) => {
    builder.readyByTaskManager(s, row);
    for (let k = 0; k < K; k++) readyMs[s * K + k] = row[k]!;
    rescan(s);
    (batches ? next : candidates).push(s);
  };
  for (let s = 0; s < n; s++) {
    waiting[s] = instance.inEdges[s]!.length;
    if (waiting[s] === 0) release(s);
  }
  for (;;) {
    if (candidates.length === 0) {
      if (next.length === 0) break;
      candidates = next.sort((a, b) => a - b);
      next = [];
    }
    const choice = pick(candidates, view);
    if (choice === undefined) return { builder, stuck: candidates[0]! };
    const { s, k } = choice;
    const startAt = start(s, k);
    if (startAt === Number.POSITIVE_INFINITY) return { builder, stuck: s };
    builder.place(s, slotOf[s * K + k]!, startAt);
    tmVersion[k] = tmVersion[k]! + 1;
    candidates.splice(candidates.indexOf(s), 1);
    for (const c of candidates) if (bestStartTm[c] === k || bestFinishTm[c] === k) rescan(c);
    for (const c of next) if (bestStartTm[c] === k || bestFinishTm[c] === k) rescan(c);
    const released: number[] = [];
    for (const e of instance.outEdges[s]!) {
      const t = instance.edges[e]!.to;
      waiting[t] = waiting[t]! - 1;
      if (waiting[t] === 0) released.push(t);
    }
    for (const t of released.sort((a, b) => a - b)) release(t);
    if (!batches) candidates.sort((a, b) => a - b);
  }
  return { builder, stuck: -1 };
}

/**
 * ETF's pair rule (Hwang et al. 1989; etf.ts): the (subtask, TaskManager) pair with the earliest start; ties: the
 * higher `level`, then the lower subtask index; for one subtask, the earlier finish, then the lower TaskManager.
 */
export function earliestStartRule(level: ArrayLike<number>): PairRule {
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
