import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import { ScheduleBuilder, type StartRule } from './schedule-builder.ts';

/**
 * The ready-set engine of the schedulers that choose a (subtask, TaskManager) pair at each step instead of
 * taking subtasks in a fixed priority order: Min-Min, Max-Min, Sufferage, ETF, DLS. Written once here; each of
 * those files only says which pair it takes.
 *
 * The candidates are ready subtasks (every predecessor placed). For each candidate s and TaskManager k the
 * engine keeps the earliest start of s on k (over k's slots, by the builder's start rule) and the finish time;
 * after a placement on k only k's column changes, so only that column is recomputed (placements on one
 * TaskManager never change another's slots, cores or memory). `batches`: the candidates of a step are the
 * subtasks that were ready when the current batch began (a "mapping event" of Maheswaran et al. 1999); subtasks
 * released meanwhile wait for the next batch. Otherwise a released subtask is a candidate at once.
 */

/** What a pair rule sees: the candidates' start and finish times per TaskManager (+Infinity: k cannot take s). */
export interface ReadyView {
  readonly taskManagerCount: number;
  startMs(s: number, k: number): number;
  finishMs(s: number, k: number): number;
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
  const evaluate = (s: number, k: number) => {
    const t = builder.earliestStartOnTaskManager(s, k, readyMs[s * K + k]!);
    startMs[s * K + k] = t;
    slotOf[s * K + k] = builder.chosenSlot;
  };
  const view: ReadyView = {
    taskManagerCount: K,
    startMs: (s, k) => startMs[s * K + k]!,
    finishMs: (s, k) => {
      const t = startMs[s * K + k]!;
      return t === Number.POSITIVE_INFINITY ? t : t + instance.durationMs(s, k);
    },
  };

  const waiting = new Int32Array(n);
  let candidates: number[] = [];
  let next: number[] = [];
  const release = (s: number) => {
    builder.readyByTaskManager(s, row);
    for (let k = 0; k < K; k++) {
      readyMs[s * K + k] = row[k]!;
      evaluate(s, k);
    }
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
    const start = startMs[s * K + k]!;
    if (start === Number.POSITIVE_INFINITY) return { builder, stuck: s };
    builder.place(s, slotOf[s * K + k]!, start);
    candidates.splice(candidates.indexOf(s), 1);
    for (const c of candidates) evaluate(c, k);
    for (const c of next) evaluate(c, k);
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

/** The TaskManager where s finishes first (ties: the lower one), or -1 when none can take it. */
export function earliestFinishTaskManager(view: ReadyView, s: number): number {
  let best = -1;
  let bestMs = Number.POSITIVE_INFINITY;
  for (let k = 0; k < view.taskManagerCount; k++) {
    const f = view.finishMs(s, k);
    if (f < bestMs) {
      bestMs = f;
      best = k;
    }
  }
  return best;
}

/**
 * ETF's pair rule (Hwang et al. 1989; etf.ts): the (subtask, TaskManager) pair with the earliest start; ties: the
 * higher `level`, then the lower subtask index; for one subtask, the earlier finish, then the lower TaskManager.
 */
export function earliestStartRule(level: ArrayLike<number>): PairRule {
  return (candidates, view) => {
    let best: { s: number; k: number } | undefined;
    let bestStart = Number.POSITIVE_INFINITY;
    let bestFinish = Number.POSITIVE_INFINITY;
    for (const s of candidates)
      for (let k = 0; k < view.taskManagerCount; k++) {
        const t = view.startMs(s, k);
        if (t === Number.POSITIVE_INFINITY) continue;
        const f = view.finishMs(s, k);
        const better =
          best === undefined ||
          t < bestStart ||
          (t === bestStart && (level[s]! > level[best.s]! || (level[s] === level[best.s] && s === best.s && f < bestFinish)));
        if (better) {
          bestStart = t;
          bestFinish = f;
          best = { s, k };
        }
      }
    return best;
  };
}
