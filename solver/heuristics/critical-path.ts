import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { averageCosts, bottomLevelMs } from './common/ranks.ts';
import { ScheduleBuilder } from './common/schedule-builder.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';

/**
 * Critical-path list scheduling for identical slots: Graham's list scheduling (R. L. Graham, "Bounds on
 * multiprocessing timing anomalies", SIAM J. Appl. Math. 17(2):416-429, 1969) with the critical-path priority
 * of HLFET (T. L. Adam, K. M. Chandy, J. R. Dickson, "A comparison of list schedules for parallel processing
 * systems", CACM 17(12):685-690, 1974): a subtask's priority is its static level, the longest chain of work
 * from it to an exit (mean durations, no communication).
 *
 * Event-driven, never inserting into gaps: at each step the released subtask (all predecessors placed) that
 * can start earliest on some slot is started there; among those that can start at that same earliest time,
 * the one with the highest level goes first (then the lower index; the slot: earliest finish, then the lower
 * TaskManager and slot). On identical slots without communication this is exactly Graham's rule: whenever a
 * slot is idle and a subtask is ready, the ready subtask of highest level starts; so the makespan obeys
 * Graham's bound C ≤ Σp/m + (1 − 1/m)·(longest chain). With heterogeneous speeds or transfers it remains a
 * valid earliest-start list scheduler (ETF, Hwang, Chow, Anger, Lee 1989, with level priority).
 * Targets `sequenced`; under `shared` the cores are the timelines, under `exclusive` every subtask gets an
 * unused slot. Deterministic: ignores the rng.
 */
export const criticalPathHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const n = instance.subtasks.length;
  const K = instance.taskManagers.length;
  const level = bottomLevelMs(instance, averageCosts(instance).meanDurationMs);
  const builder = new ScheduleBuilder(instance, variant, 'append');

  const waiting = new Int32Array(n);
  const readyRows: Array<Float64Array | undefined> = new Array(n);
  const bestStart = new Float64Array(n);
  const bestFinish = new Float64Array(n);
  const bestTm = new Int32Array(n);
  const released: number[] = [];
  const position = new Int32Array(n).fill(-1);

  const evaluate = (s: number) => {
    const ready = readyRows[s]!;
    let start = Number.POSITIVE_INFINITY;
    let finish = Number.POSITIVE_INFINITY;
    let tm = -1;
    for (let k = 0; k < K; k++) {
      const t = builder.earliestStartOnTaskManager(s, k, ready[k]!);
      if (t === Number.POSITIVE_INFINITY) continue;
      const f = t + instance.durationMs(s, k);
      if (t < start || (t === start && f < finish)) {
        start = t;
        finish = f;
        tm = k;
      }
    }
    bestStart[s] = start;
    bestFinish[s] = finish;
    bestTm[s] = tm;
  };
  const release = (s: number) => {
    readyRows[s] = builder.readyByTaskManager(s, new Float64Array(K));
    position[s] = released.length;
    released.push(s);
    evaluate(s);
  };
  for (let s = 0; s < n; s++) {
    waiting[s] = instance.inEdges[s]!.length;
    if (waiting[s] === 0) release(s);
  }

  while (released.length > 0) {
    let pick = released[0]!;
    for (let i = 1; i < released.length; i++) {
      const s = released[i]!;
      if (bestStart[s]! < bestStart[pick]! || (bestStart[s] === bestStart[pick] && (level[s]! > level[pick]! || (level[s] === level[pick] && s < pick)))) pick = s;
    }
    if (bestStart[pick] === Number.POSITIVE_INFINITY) return noSlotFor('critical-path', instance, variant, pick);
    const k = bestTm[pick]!;
    const start = builder.earliestStartOnTaskManager(pick, k, readyRows[pick]![k]!);
    builder.place(pick, builder.chosenSlot, start);
    // swap-remove from the released list
    const last = released.pop()!;
    if (last !== pick) {
      released[position[pick]!] = last;
      position[last] = position[pick]!;
    }
    position[pick] = -1;
    readyRows[pick] = undefined;
    // only TaskManager k changed: re-evaluate the subtasks whose best start was there
    for (const s of released) if (bestTm[s] === k) evaluate(s);
    for (const e of instance.outEdges[pick]!) {
      const t = instance.edges[e]!.to;
      waiting[t] = waiting[t]! - 1;
      if (waiting[t] === 0) release(t);
    }
  }
  return builder.result();
};

export const criticalPath = heuristicSolver('critical-path', 'dag-placement', 'Critical-path list scheduling (Graham 1969 with HLFET levels): the ready subtask of highest level starts on the first free slot', criticalPathHeuristic);
