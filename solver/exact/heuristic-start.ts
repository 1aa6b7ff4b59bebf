/**
 * The starting solution of an exact solver: the best answer of the registered heuristics of its model
 * (solver/heuristics/index.ts, `HEURISTICS`), each checked by the model's validator before it is used.
 *
 * - Every heuristic of the model runs once, in the list's order, with the solve's variant. On instances of at most
 *   `ALWAYS_RUN_SIZE` (items × TaskManagers) all of them run, whatever the clock says (they are cheap there, and
 *   the start then does not depend on the machine's load); on larger ones only while the budget lasts (the first
 *   always runs), so a slow heuristic costs at most one overrun.
 * - Heuristics that draw random numbers get a fixed seed (`HEURISTIC_SEED`): the start, and so the exact solver's
 *   answer, does not depend on the caller's rng.
 * - An answer that fails the validator, throws or has no solution is skipped; the objective used is the model's own
 *   evaluation (models/validate.ts), never the heuristic's claim.
 *
 * This imports the heuristics' list, not the registry (registry → exact → registry would be a cycle).
 */
import type { PlacementVariant } from '../../models/dag-placement/instance.ts';
import type { CheckedSolutionByModel, InstanceByModel, ModelKind, SolutionByModel } from '../../models/model-kind.ts';
import { seededRng } from '../../models/rng.ts';
import { objectiveOf, validateSolution } from '../../models/validate.ts';
import { HEURISTICS } from '../heuristics/index.ts';
import type { AnySolver, Solver } from '../types.ts';

/** Seed given to heuristics that draw random numbers. */
export const HEURISTIC_SEED = 1;
/** Default budget for all heuristics together: this share of the time limit, at most `HEURISTIC_BUDGET_MS`. */
export const HEURISTIC_SHARE = 0.05;
export const HEURISTIC_BUDGET_MS = 1_000;
/** Up to this many subtasks (tasks) × TaskManagers every heuristic runs regardless of the budget. */
export const ALWAYS_RUN_SIZE = 50_000;

/** Items × TaskManagers: subtasks for DAG placement, tasks for load balancing, jobs for slot allocation. */
function instanceSize(instance: InstanceByModel[ModelKind]): number {
  switch (instance.kind) {
    case 'dag-placement':
      return instance.subtasks.length * instance.taskManagers.length;
    case 'load-balancing':
      return instance.tasks.length * instance.taskManagers.length;
    case 'slot-allocation':
      return instance.jobs.length * instance.taskManagers.length;
  }
}

export interface HeuristicStart<M extends ModelKind> {
  readonly solution: SolutionByModel[M];
  /** The model's objective of `solution` (DAG placement: makespan, ms). */
  readonly objective: number;
  /** Registry name of the heuristic that found it. */
  readonly heuristic: string;
}

export interface HeuristicStartOptions {
  readonly variant?: PlacementVariant;
  /** Wall-clock budget in ms for all heuristics together on instances above `ALWAYS_RUN_SIZE` (the first always runs). Default: `heuristicBudgetMs(undefined)`. */
  readonly budgetMs?: number;
  /** The solve's deadline (performance.now() ms): past it no further heuristic runs, whatever the instance's size (the first always runs). */
  readonly deadlineMs?: number;
}

/** The heuristics' budget within a solve limited to `timeLimitMs` (none: the cap), never past the solve's deadline. */
export function heuristicBudgetMs(timeLimitMs: number | undefined, deadlineMs: number = Number.POSITIVE_INFINITY): number {
  return Math.max(0, Math.min(HEURISTIC_BUDGET_MS, HEURISTIC_SHARE * (timeLimitMs ?? Number.POSITIVE_INFINITY), deadlineMs - performance.now()));
}

function heuristicsOf<M extends ModelKind>(model: M): Solver<M>[] {
  return HEURISTICS.filter((s: AnySolver): s is AnySolver & Solver<M> => s.model === model);
}

/** The best validated answer of the model's registered heuristics, or undefined when none produced a valid one. */
export async function bestHeuristicSolution<M extends ModelKind>(model: M, instance: InstanceByModel[M], options: HeuristicStartOptions = {}): Promise<HeuristicStart<M> | undefined> {
  const deadline = performance.now() + (options.budgetMs ?? heuristicBudgetMs(undefined));
  let best: HeuristicStart<M> | undefined;
  const budgeted = instanceSize(instance) > ALWAYS_RUN_SIZE;
  let first = true;
  for (const heuristic of heuristicsOf(model)) {
    if (!first && ((budgeted && performance.now() >= deadline) || performance.now() >= (options.deadlineMs ?? Infinity))) break;
    first = false;
    let solution: SolutionByModel[M] | undefined;
    try {
      const r = await heuristic.solve(instance, { rng: seededRng(HEURISTIC_SEED), ...(options.variant ? { variant: options.variant } : {}) });
      if (r.status !== 'optimal' && r.status !== 'feasible') continue;
      solution = r.solution;
    } catch {
      continue; // a heuristic that fails gives no start; the exact solver does not depend on it
    }
    if (solution === undefined) continue;
    const checked = solution as CheckedSolutionByModel[M];
    if (validateSolution<M>(instance, checked, options.variant).length > 0) continue;
    const objective = objectiveOf<M>(instance, checked, options.variant);
    if (!Number.isFinite(objective) || (best && objective >= best.objective)) continue;
    best = { solution, objective, heuristic: heuristic.name };
  }
  return best;
}
