import type { DagPlacementHeuristic, Solver } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { averageCosts, downwardRankMs, topologicalPriority, upwardRankMs } from './common/ranks.ts';
import { variantOf } from './common/results.ts';
import { eftListSchedule, noSlotFor, type SlotSelection } from './common/list-scheduling.ts';
import type { StartRule } from './common/schedule-builder.ts';

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
 *   `est` the one with the earliest start time (ties: the earlier finish, then the lower TaskManager).
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

export function listSchedulerName(priority: ListPriority, rule: StartRule, selection: SlotSelection): string {
  return `list:${priority}:${rule}:${selection}`;
}

export function listScheduler(priority: ListPriority, rule: StartRule, selection: SlotSelection): DagPlacementHeuristic {
  const name = listSchedulerName(priority, rule, selection);
  return (instance, options) => {
    const variant = variantOf(instance, options);
    const { builder, stuck } = eftListSchedule(instance, variant, listPriority(instance, priority), rule, selection);
    if (stuck !== -1) return noSlotFor(name, instance, variant, stuck);
    return builder.result();
  };
}

/** Every member of the family, registered by its systematic name. */
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
