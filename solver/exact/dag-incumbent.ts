/**
 * Incumbents for the exact DAG placement solvers: list schedules under every
 * variant, from a few priority rules, each checked by the model's validator.
 * The best one bounds the time-indexed model's horizon and is its MIP start;
 * when it meets the critical-path / work lower bound it is optimal outright.
 *
 * The list scheduler is the heuristics' one engine (solver/heuristics/common:
 * `eftListSchedule` = ready list + earliest-finish-time slot + ScheduleBuilder,
 * insertion-based), and the priorities are built from the heuristics' ranks
 * (common/ranks.ts: rank_u and rank_d of HEFT, Topcuoglu, Hariri & Wu, IEEE TPDS
 * 13(3), 2002). This file only chooses the rules and keeps the best schedule.
 *
 * `bestIncumbent` adds the registered heuristics (heuristic-start.ts): the exact solvers start from the best
 * validated schedule of all of them and of these list schedules.
 */
import type { DagPlacementInstance, PlacementVariant } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { makespanMs, toIndexedSchedule, toSchedule, type IndexedSchedule } from '../../models/solution.ts';
import { eftListSchedule } from '../heuristics/common/list-scheduling.ts';
import { averageCosts, downwardRankMs, upwardRankMs } from '../heuristics/common/ranks.ts';
import { ALWAYS_RUN_SIZE, bestHeuristicSolution } from './heuristic-start.ts';

export interface ListScheduleResult {
  readonly schedule: IndexedSchedule;
  readonly makespanMs: number;
  readonly rule: string;
}

/** Priority rules (highest first): HEFT's rank_u, then variants that weigh the path from the entries and the fan-out. */
function priorityRules(instance: DagPlacementInstance): Array<[string, ArrayLike<number>]> {
  const costs = averageCosts(instance);
  const up = upwardRankMs(instance, costs);
  const down = downwardRankMs(instance, costs);
  const n = instance.subtasks.length;
  return [
    ['upward-rank', up],
    ['up+down', Float64Array.from(up, (v, s) => v + down[s]!)],
    ['upward-rank, fan-out', Float64Array.from(up, (v, s) => v * (n + 1) + instance.outEdges[s]!.length)],
    ['least slack', Float64Array.from(up, (v, s) => v + down[s]! * 0.5)],
  ];
}

/**
 * The best valid list schedule over several priority rules, or undefined when every rule gets stuck. Once one
 * schedule is found, no further rule is tried past the solve's deadline `solveDeadlineMs`, nor, on instances above
 * `ALWAYS_RUN_SIZE` subtasks × TaskManagers, past `budgetDeadlineMs` (heuristic-start.ts: below that size every
 * rule runs within the solve's time, so the start does not depend on the machine's load). Both performance.now() ms.
 */
export function bestListSchedule(instance: DagPlacementInstance, variant: PlacementVariant, budgetDeadlineMs: number = Number.POSITIVE_INFINITY, solveDeadlineMs: number = Number.POSITIVE_INFINITY): ListScheduleResult | undefined {
  let best: ListScheduleResult | undefined;
  const budgeted = instance.subtasks.length * instance.taskManagers.length > ALWAYS_RUN_SIZE;
  for (const [rule, priority] of priorityRules(instance)) {
    if (best && (performance.now() >= solveDeadlineMs || (budgeted && performance.now() >= budgetDeadlineMs))) break;
    const { builder, stuck } = eftListSchedule(instance, variant, priority, 'insertion');
    if (stuck !== -1) continue;
    const schedule = builder.toIndexedSchedule();
    const makespan = makespanMs(schedule);
    if (best && makespan >= best.makespanMs) continue;
    if (validateDagPlacement(instance, toSchedule(instance, schedule), variant).length > 0) continue;
    best = { schedule, makespanMs: makespan, rule };
  }
  return best;
}

/**
 * The best validated schedule of the list schedules above and of every registered DAG placement heuristic (run
 * within `budgetMs`, see heuristic-start.ts); ties go to the list schedule. Undefined when nothing produced one.
 */
export async function bestIncumbent(instance: DagPlacementInstance, variant: PlacementVariant, budgetMs: number, deadlineMs: number = Number.POSITIVE_INFINITY): Promise<ListScheduleResult | undefined> {
  const list = bestListSchedule(instance, variant, performance.now() + budgetMs, deadlineMs);
  const heuristic = await bestHeuristicSolution('dag-placement', instance, { variant, budgetMs, deadlineMs });
  if (!heuristic || (list && list.makespanMs <= heuristic.objective)) return list;
  const schedule = toIndexedSchedule(instance, heuristic.solution);
  return { schedule, makespanMs: makespanMs(schedule), rule: `${heuristic.heuristic} heuristic` };
}
