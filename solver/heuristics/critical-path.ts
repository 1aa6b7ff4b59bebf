import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { averageCosts, bottomLevelMs } from './common/ranks.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { earliestStartRule, readySetSchedule } from './common/ready-set.ts';

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
 * valid earliest-start list scheduler: ETF (Hwang, Chow, Anger, Lee 1989) with level priority, the rule it
 * shares with etf.ts (`earliestStartRule` on the ready-set engine, common/ready-set.ts).
 * Targets `sequenced`; under `shared` the cores are the timelines, under `exclusive` every subtask gets an
 * unused slot. Deterministic: ignores the rng.
 */
export const criticalPathHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const level = bottomLevelMs(instance, averageCosts(instance).meanDurationMs);
  const { builder, stuck } = readySetSchedule(instance, variant, 'append', earliestStartRule(level), false);
  if (stuck !== -1) return noSlotFor('critical-path', instance, variant, stuck);
  return builder.result();
};

export const criticalPath = heuristicSolver('critical-path', 'dag-placement', 'Critical-path list scheduling (Graham 1969 with HLFET levels): the ready subtask of highest level starts on the first free slot', criticalPathHeuristic);
