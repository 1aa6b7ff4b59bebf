import { InvalidInstanceError } from '../../../models/errors.ts';
import { PLACEMENT_VARIANTS, type DagPlacementInstance, type PlacementVariant } from '../../../models/dag-placement/instance.ts';
import { makespanMs, toSchedule, type IndexedSchedule, type Schedule } from '../../../models/solution.ts';
import type { SolveOptions, SolveResult, SolutionByModel, ModelKind } from '../../types.ts';

/** What a heuristic returns (the registry wrapper adds `solver` and `timeMs`). */
export type HeuristicResult<M extends ModelKind> = Omit<SolveResult<SolutionByModel[M]>, 'solver' | 'timeMs'>;

/** The variant to solve under: `options.variant` when given (checked), else the instance's own. */
export function variantOf(instance: DagPlacementInstance, options: SolveOptions): PlacementVariant {
  const v = options.variant;
  if (v === undefined) return instance.variant;
  if (!PLACEMENT_VARIANTS.includes(v))
    throw new InvalidInstanceError('solve options', 'variant', `should be one of ${PLACEMENT_VARIANTS.join(', ')}, got ${JSON.stringify(v)}`);
  return v;
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

/** Reads one string-valued solver parameter from `options.params`, checked against the allowed values. */
export function choiceParam<T extends string>(solver: string, options: SolveOptions, key: string, allowed: readonly T[], fallback: T): T {
  const value = options.params?.[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new InvalidInstanceError(`${solver} options`, `params.${key}`, `should be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}
