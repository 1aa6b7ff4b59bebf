import type { DagPlacementHeuristic, Solver } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import type { DagPlacementInstance, PlacementVariant } from '../../models/dag-placement/instance.ts';
import { averageCosts, downwardRankMs, topologicalPriority, upwardRankMs } from './common/ranks.ts';
import { variantOf } from './common/results.ts';
import { EftSelector, eftListSchedule, noSlotFor, type SlotSelection } from './common/list-scheduling.ts';
import { Heap, byHighestKey } from './common/heap.ts';
import { ScheduleBuilder, type StartRule } from './common/schedule-builder.ts';

/**
 * The parametric list scheduler: one ready list, one priority, one start rule, one slot selection, every
 * combination registered as `list:<priority>:<start rule>:<selection>` so that a suite can sweep the family
 * (the decomposition of list scheduling into these three components follows H. Topcuoglu, S. Hariri, M.-Y. Wu,
 * IEEE TPDS 13(3):260-274, 2002, doi:10.1109/71.993206, Sections 4-5; saga's parametric schedulers split it
 * the same way).
 *
 * - priority (the ready list takes the highest first, ties the lower index; `common/ranks.ts`):
 *   `upward-rank` rank_u (HEFT); `downward-rank` the smallest rank_d first (closest to the entry);
 *   `cpop` rank_u + rank_d (CPOP's priority); `topological` `instance.subtasks` order (an arbitrary
 *   topological order, as in MCT, MET and OLB);
 * - start rule (`common/schedule-builder.ts`): `insertion` may fill an idle gap between placed subtasks,
 *   `append` starts after what the slot already runs;
 * - selection (`common/list-scheduling.ts`, EftSelector): `eft` the slot with the earliest finish time,
 *   `est` the one with the earliest start time (ties: the earlier finish, then the lower TaskManager);
 *   `lookahead-<d>` (d = 1, 2): the TaskManager chosen by simulating the next d placements
 *   (`lookaheadListSchedule`), after the look-ahead variant of HEFT (L. F. Bittencourt, R. Sakellariou,
 *   E. R. M. Madeira, "DAG scheduling using a lookahead variant of the Heterogeneous Earliest Finish Time
 *   algorithm", Euromicro PDP 2010, doi:10.1109/PDP.2010.56), which looks at the current task's children;
 *   here the look-ahead follows the ready list itself, so depth d looks at the d subtasks the list takes next.
 * Members that coincide with named schedulers give identical schedules (tests): `list:upward-rank:insertion:eft`
 * = `heft`, `list:topological:append:eft` = `mct`. CPOP is not a member (it pins its critical path to one
 * processor). Valid under all three variants. Deterministic: ignores the rng.
 */
export const LIST_PRIORITIES = ['upward-rank', 'downward-rank', 'cpop', 'topological'] as const;
export type ListPriority = (typeof LIST_PRIORITIES)[number];
export const LIST_START_RULES: readonly StartRule[] = ['insertion', 'append'];
export const LIST_SELECTIONS: readonly SlotSelection[] = ['eft', 'est'];

export function listPriority(instance: DagPlacementInstance, priority: ListPriority): Float64Array {
  if (priority === 'topological') return topologicalPriority(instance);
  const costs = averageCosts(instance);
  if (priority === 'upward-rank') return upwardRankMs(instance, costs);
  const down = downwardRankMs(instance, costs);
  if (priority === 'downward-rank') return down.map((d) => -d);
  const up = upwardRankMs(instance, costs);
  return up.map((u, s) => u + down[s]!);
}

/** Selection of the family: by earliest finish, earliest start, or a look-ahead of depth d. */
export type ListSelection = SlotSelection | `lookahead-${number}`;
export const LIST_LOOKAHEAD_DEPTHS: readonly number[] = [1, 2];
export const LIST_FAMILY_SELECTIONS: readonly ListSelection[] = [...LIST_SELECTIONS, ...LIST_LOOKAHEAD_DEPTHS.map((d) => `lookahead-${d}` as const)];

export function listSchedulerName(priority: ListPriority, rule: StartRule, selection: ListSelection): string {
  return `list:${priority}:${rule}:${selection}`;
}

export function listScheduler(priority: ListPriority, rule: StartRule, selection: ListSelection): DagPlacementHeuristic {
  const name = listSchedulerName(priority, rule, selection);
  const depth = selection.startsWith('lookahead-') ? Number(selection.slice('lookahead-'.length)) : undefined;
  return (instance, options) => {
    const variant = variantOf(instance, options);
    const p = listPriority(instance, priority);
    const { builder, stuck } =
      depth === undefined ? eftListSchedule(instance, variant, p, rule, selection as SlotSelection) : lookaheadListSchedule(instance, variant, p, rule, depth);
    if (stuck !== -1) return noSlotFor(name, instance, variant, stuck);
    return builder.result();
  };
}

/**
 * The list schedule with look-ahead selection of depth d: subtasks leave the ready list as in `runReadyList`
 * (highest priority first, ties the lower index). For the current subtask s and each TaskManager k (its slot with
 * the earliest start under the start rule), s is placed there on trial, then the next d subtasks the ready list
 * would hand out (this sequence does not depend on where s goes) are placed on trial, each on its earliest-finish
 * slot; the score of k is the latest finish among s and those d subtasks. s goes to the TaskManager of lowest
 * score (ties: the earlier finish of s, then the lower TaskManager), and the trials are taken back
 * (`ScheduleBuilder.unplace`, newest first). A trial subtask no slot can take scores +∞. Depth 0 is exactly the
 * `eft` selection (a test checks it). Cost: d + 1 earliest-finish searches per subtask and TaskManager, so about
 * (d + 1) · K times the `eft` member's; at depth 1, when the next subtask is not a successor of s, 2K searches per
 * subtask, at depth 2, when neither next subtask is a successor of s and the second is not one of the first, about 5K
 * (the shortcuts below). Where no shortcut applies (a next subtask is a successor), the TaskManagers are tried by
 * increasing finish of s and the trials stop at the first whose lower bound of the score (that finish, plus the next
 * subtask's shortest duration when it is a successor of s) exceeds the best score. `shortcut = false` runs every trial
 * of every TaskManager, and a test checks that both give one schedule.
 */
export function lookaheadListSchedule(
  instance: DagPlacementInstance,
  variant: PlacementVariant,
  priority: ArrayLike<number>,
  rule: StartRule,
  depth: number,
  shortcut = true,
): { readonly builder: ScheduleBuilder; readonly stuck: number } {
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const builder = new ScheduleBuilder(instance, variant, rule);
  const eft = new EftSelector(builder, 'eft');
  const waiting = new Int32Array(n);
  const before = byHighestKey(priority);
  const ready = new Heap(before);
  for (let s = 0; s < n; s++) {
    waiting[s] = instance.inEdges[s]!.length;
    if (waiting[s] === 0) ready.push(s);
  }
  const readyAt = new Float64Array(K);
  // The next `depth` subtasks the ready list hands out after s: popped from the heap (and pushed back), merged
  // with those that s and they release (counted down in `released`, a local overlay of `waiting`).
  const nextAfter = (s: number): number[] => {
    if (depth === 0) return [];
    const popped: number[] = [];
    const local: number[] = [];
    const countdown = new Map<number, number>();
    const releaseFrom = (t: number) => {
      for (const e of instance.outEdges[t]!) {
        const c = instance.edges[e]!.to;
        const left = (countdown.get(c) ?? waiting[c]!) - 1;
        countdown.set(c, left);
        if (left === 0) local.push(c);
      }
    };
    releaseFrom(s);
    const out: number[] = [];
    while (out.length < depth) {
      const top = ready.peek();
      let bestLocal = -1;
      for (let i = 0; i < local.length; i++) if (bestLocal === -1 || before(local[i]!, local[bestLocal]!)) bestLocal = i;
      let t: number;
      if (bestLocal !== -1 && (top === undefined || before(local[bestLocal]!, top))) t = local.splice(bestLocal, 1)[0]!;
      else if (top !== undefined) popped.push((t = ready.pop()!));
      else break;
      out.push(t);
      releaseFrom(t);
    }
    for (const t of popped) ready.push(t);
    return out;
  };
  // Depth 1, when the next subtask t is not a successor of s (`shortcut`): placing s on k changes only k's timelines
  // and not t's input times, so t's earliest finish given s on k is the smaller of its finish on k with s there (one
  // search) and its best finish elsewhere, read from its finishes without s (K searches, once per s): O(K) searches
  // per subtask instead of O(K²). Only the value enters the score, so which TaskManager attains it does not matter.
  const finishWithout = new Float64Array(K);
  const tReady = new Float64Array(K);
  // Depth 2, when neither of the next two subtasks t1, t2 is a successor of s and t2 is not one of t1 (`shortcut`):
  // placing s on k changes only k's timelines, so t1's EFT choice given s on k is its slot on k (one search, s there)
  // or its best elsewhere (the best, or the second best when that is k, of its K finishes without s: the same slot
  // and start as the full search, which takes the lower TaskManager on equal finishes); t2's best finish given s on
  // k and t1 on its choice k1 is the smallest of its finish on k (one search, with s and, when k1 = k, t1 there), on
  // k1 ≠ k with t1 there (two values, for t1's best and second-best TaskManager, computed once per s) and its best
  // finish on the other TaskManagers (the best of its K finishes without s and t1 outside {k, k1}). O(K) searches per
  // subtask instead of O(K²).
  const t1Finish = new Float64Array(K);
  const t1Start = new Float64Array(K);
  const t1Slot = new Int32Array(K);
  const t1Ready = new Float64Array(K);
  const t2Ready = new Float64Array(K);
  const t2Best = [
    { finish: 0, k: -1 },
    { finish: 0, k: -1 },
    { finish: 0, k: -1 },
  ];
  const t2Outside = (a: number, b: number) => {
    for (const e of t2Best) if (e.k !== -1 && e.k !== a && e.k !== b) return e.finish;
    return Number.POSITIVE_INFINITY;
  };
  const finishOn = (t: number, k: number, readyMs: number) => {
    const start = builder.earliestStartOnTaskManager(t, k, readyMs);
    return start === Number.POSITIVE_INFINITY ? start : start + instance.durationMs(t, k);
  };
  // the TaskManagers whose every trial runs (no shortcut applies), with s's start, slot and finish there
  const trialStart = new Float64Array(K);
  const trialFinish = new Float64Array(K);
  const trialSlot = new Int32Array(K);
  const trialTm = new Int32Array(K);
  const minDurationMs = (t: number) => {
    let m = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) m = Math.min(m, instance.durationMs(t, k));
    return m;
  };
  const isSuccessor = (from: number, to: number) => instance.outEdges[from]!.some((e) => instance.edges[e]!.to === to);
  for (let s = ready.pop(); s !== undefined; s = ready.pop()) {
    const next = nextAfter(s);
    const t = next.length === 1 && shortcut && !isSuccessor(s, next[0]!) ? next[0]! : -1;
    const pair = next.length === 2 && shortcut && !isSuccessor(s, next[0]!) && !isSuccessor(s, next[1]!) && !isSuccessor(next[0]!, next[1]!);
    let t1 = -1;
    let t2 = -1;
    let t1First = -1; // t1's best TaskManager without s (lowest finish, then lower index), and second best
    let t1Second = -1;
    let t2WithT1First = Number.POSITIVE_INFINITY; // t2's finish on t1First (t1Second) with t1 placed there
    let t2WithT1Second = Number.POSITIVE_INFINITY;
    if (pair) {
      t1 = next[0]!;
      t2 = next[1]!;
      builder.readyByTaskManager(t1, t1Ready);
      builder.readyByTaskManager(t2, t2Ready);
      for (const e of t2Best) e.k = -1;
      for (let k = 0; k < K; k++) {
        const start = builder.earliestStartOnTaskManager(t1, k, t1Ready[k]!);
        t1Start[k] = start;
        t1Slot[k] = builder.chosenSlot;
        const f = (t1Finish[k] = start === Number.POSITIVE_INFINITY ? start : start + instance.durationMs(t1, k));
        if (f !== Number.POSITIVE_INFINITY) {
          if (t1First === -1 || f < t1Finish[t1First]!) (t1Second = t1First), (t1First = k);
          else if (t1Second === -1 || f < t1Finish[t1Second]!) t1Second = k;
        }
        const g = finishOn(t2, k, t2Ready[k]!);
        if (g === Number.POSITIVE_INFINITY) continue;
        // keep t2's three best finishes (values only enter the score)
        let at = t2Best.findIndex((e) => e.k === -1 || g < e.finish);
        if (at === -1) continue;
        const last = t2Best.pop()!;
        last.finish = g;
        last.k = k;
        t2Best.splice(at, 0, last);
      }
      const withT1 = (k: number) => {
        if (k === -1) return Number.POSITIVE_INFINITY;
        builder.place(t1, t1Slot[k]!, t1Start[k]!);
        const g = finishOn(t2, k, t2Ready[k]!);
        builder.unplace(t1);
        return g;
      };
      t2WithT1First = withT1(t1First);
      t2WithT1Second = withT1(t1Second);
    }
    let first = Number.POSITIVE_INFINITY;
    let firstTm = -1;
    let second = Number.POSITIVE_INFINITY;
    if (t !== -1) {
      builder.readyByTaskManager(t, tReady);
      for (let k = 0; k < K; k++) {
        const start = builder.earliestStartOnTaskManager(t, k, tReady[k]!);
        const f = (finishWithout[k] = start === Number.POSITIVE_INFINITY ? start : start + instance.durationMs(t, k));
        if (f < first) {
          second = first;
          first = f;
          firstTm = k;
        } else if (f < second) second = f;
      }
    }
    builder.readyByTaskManager(s, readyAt);
    let trialCount = 0;
    let bestSlot = -1;
    let bestStart = 0;
    let bestScore = Number.POSITIVE_INFINITY;
    let bestFinish = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      const start = builder.earliestStartOnTaskManager(s, k, readyAt[k]!);
      if (start === Number.POSITIVE_INFINITY) continue;
      const slot = builder.chosenSlot;
      const finish = start + instance.durationMs(s, k);
      let score = finish;
      if (t !== -1) {
        // t's best finish with s on k: on k with s placed there, or the best elsewhere (unchanged by s)
        builder.place(s, slot, start);
        const onK = builder.earliestStartOnTaskManager(t, k, tReady[k]!);
        builder.unplace(s);
        const elsewhere = k === firstTm ? second : first;
        const best = Math.min(onK === Number.POSITIVE_INFINITY ? onK : onK + instance.durationMs(t, k), elsewhere);
        score = best === Number.POSITIVE_INFINITY ? best : Math.max(score, best);
      } else if (pair) {
        builder.place(s, slot, start);
        // t1: on k with s there, or its best elsewhere; on equal finishes the lower TaskManager (as EftSelector)
        const onK = builder.earliestStartOnTaskManager(t1, k, t1Ready[k]!);
        const onKSlot = builder.chosenSlot;
        const f1k = onK === Number.POSITIVE_INFINITY ? onK : onK + instance.durationMs(t1, k);
        const elsewhere = k === t1First ? t1Second : t1First;
        const f1e = elsewhere === -1 ? Number.POSITIVE_INFINITY : t1Finish[elsewhere]!;
        if (f1k === Number.POSITIVE_INFINITY && f1e === Number.POSITIVE_INFINITY) score = Number.POSITIVE_INFINITY;
        else {
          const t1OnK = f1k < f1e || (f1k === f1e && k < elsewhere);
          let f2: number;
          if (t1OnK) {
            builder.place(t1, onKSlot, onK);
            f2 = Math.min(finishOn(t2, k, t2Ready[k]!), t2Outside(k, -1));
            builder.unplace(t1);
          } else f2 = Math.min(finishOn(t2, k, t2Ready[k]!), elsewhere === t1First ? t2WithT1First : t2WithT1Second, t2Outside(k, elsewhere));
          score = f2 === Number.POSITIVE_INFINITY ? f2 : Math.max(score, t1OnK ? f1k : f1e, f2);
        }
        builder.unplace(s);
      } else if (next.length > 0) {
        // every trial: after this loop, by increasing finish of s, pruned by a lower bound of the score
        trialStart[trialCount] = start;
        trialSlot[trialCount] = slot;
        trialFinish[trialCount] = finish;
        trialTm[trialCount++] = k;
        continue;
      }
      if (bestSlot === -1 || score < bestScore || (score === bestScore && finish < bestFinish)) {
        bestScore = score;
        bestFinish = finish;
        bestSlot = slot;
        bestStart = start;
      }
    }
    if (trialCount > 0) {
      // The lowest (score, finish of s, TaskManager), as the loop above takes it, where a trial's score is at least
      // the finish of s plus, when the next subtask is a successor of s, its shortest duration (it starts after s
      // ends): TaskManagers taken by increasing finish of s, and none past the first whose bound exceeds the best score.
      const successorMs = isSuccessor(s, next[0]!) ? minDurationMs(next[0]!) : 0;
      const order = Array.from({ length: trialCount }, (_, i) => i).sort((a, b) => trialFinish[a]! - trialFinish[b]! || trialTm[a]! - trialTm[b]!);
      let bestTm = -1;
      for (const i of order) {
        const finish = trialFinish[i]!;
        if (shortcut && finish + successorMs > bestScore) break; // `shortcut = false` runs every trial
        const slot = trialSlot[i]!;
        const start = trialStart[i]!;
        let score = finish;
        builder.place(s, slot, start);
        const trial: number[] = [];
        for (const t of next) {
          if (!eft.choose(t)) {
            score = Number.POSITIVE_INFINITY;
            break;
          }
          builder.place(t, eft.slot, eft.startMs);
          trial.push(t);
          if (eft.finishMs > score) score = eft.finishMs;
        }
        for (let j = trial.length - 1; j >= 0; j--) builder.unplace(trial[j]!);
        builder.unplace(s);
        const k = trialTm[i]!;
        if (bestSlot === -1 || score < bestScore || (score === bestScore && (finish < bestFinish || (finish === bestFinish && k < bestTm)))) {
          bestScore = score;
          bestFinish = finish;
          bestSlot = slot;
          bestStart = start;
          bestTm = k;
        }
      }
    }
    if (bestSlot === -1) return { builder, stuck: s };
    builder.place(s, bestSlot, bestStart);
    for (const e of instance.outEdges[s]!) {
      const t = instance.edges[e]!.to;
      waiting[t] = waiting[t]! - 1;
      if (waiting[t] === 0) ready.push(t);
    }
  }
  return { builder, stuck: -1 };
}

/** Every member of the family, registered by its systematic name: selection by `eft` or `est` here, the look-ahead members in LIST_LOOKAHEAD_FAMILY. */
export const LIST_FAMILY: readonly Solver<'dag-placement'>[] = Object.freeze(
  LIST_PRIORITIES.flatMap((priority) =>
    LIST_START_RULES.flatMap((rule) =>
      LIST_SELECTIONS.map((selection) =>
        heuristicSolver(
          listSchedulerName(priority, rule, selection),
          'dag-placement',
          `Parametric list scheduler: ${priority} priority, ${rule} starts, slot by earliest ${selection === 'eft' ? 'finish' : 'start'} time`,
          listScheduler(priority, rule, selection),
        ),
      ),
    ),
  ),
);

/** The look-ahead members `list:<priority>:<start rule>:lookahead-<d>`, d in LIST_LOOKAHEAD_DEPTHS, registered by name. */
export const LIST_LOOKAHEAD_FAMILY: readonly Solver<'dag-placement'>[] = Object.freeze(
  LIST_PRIORITIES.flatMap((priority) =>
    LIST_START_RULES.flatMap((rule) =>
      LIST_LOOKAHEAD_DEPTHS.map((depth) =>
        heuristicSolver(
          listSchedulerName(priority, rule, `lookahead-${depth}`),
          'dag-placement',
          `Parametric list scheduler: ${priority} priority, ${rule} starts, TaskManager by a look-ahead of the next ${depth} placement(s) (after Bittencourt et al., PDP 2010)`,
          listScheduler(priority, rule, `lookahead-${depth}`),
        ),
      ),
    ),
  ),
);
