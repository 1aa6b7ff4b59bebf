import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import type { ModelKind, SolutionByModel } from '../../../models/model-kind.ts';
import { makespanMs, toSchedule, type IndexedSchedule, type Schedule } from '../../../models/solution.ts';
import type { SolveOptions, SolveResult } from '../../types.ts';

/** What a heuristic returns (the registry wrapper adds `solver` and `timeMs`). */
export type HeuristicResult<M extends ModelKind> = Omit<SolveResult<SolutionByModel[M]>, 'solver' | 'timeMs'>;

/** The variant to solve under: `options.variant` when given (the registry entry has checked it), else the instance's own. */
export function variantOf(instance: DagPlacementInstance, options: Pick<SolveOptions, 'variant'>): PlacementVariant {
  return options.variant ?? instance.variant;
}

/** A proven infeasibility: the instance (under this variant) has no valid solution at all. */
export function infeasible(reason: string): { readonly status: 'infeasible'; readonly message: string } {
  return { status: 'infeasible', message: `Infeasible: ${reason}.` };
}

/**
 * The heuristic found no solution, which does not prove that none exists (or the heuristic does not apply to
 * this variant). The message says which.
 */
export function failed(message: string): { readonly status: 'error'; readonly message: string } {
  return { status: 'error', message };
}

/** A DAG placement result: the schedule in the model's vocabulary and its makespan as objective. */
export function scheduleResult(instance: DagPlacementInstance, schedule: IndexedSchedule, message?: string): HeuristicResult<'dag-placement'> {
  const solution: Schedule = toSchedule(instance, schedule);
  return message === undefined
    ? { status: 'feasible', solution, objective: makespanMs(schedule) }
    : { status: 'feasible', solution, objective: makespanMs(schedule), message };
}
