import { OptionError, SolverNotApplicableError } from '../models/errors.ts';
import type { InstanceByModel, ModelKind, SolutionByModel } from '../models/model-kind.ts';
import { HEURISTICS } from './heuristics/index.ts';
import { EXACT_SOLVERS } from './exact/index.ts';
import type { AnySolver, SolveOptions, SolveResult, Solver } from './types.ts';

/** All solvers, frozen. A name may serve several models (e.g. `round-robin`); (model, name) is unique. */
export const SOLVERS: readonly AnySolver[] = Object.freeze([...EXACT_SOLVERS, ...HEURISTICS]);

const of = <M extends ModelKind>(model: M) => SOLVERS.filter((s): s is Extract<AnySolver, { model: M }> => s.model === model);
const BY_MODEL: { readonly [M in ModelKind]: readonly Solver<M>[] } = Object.freeze({
  'slot-allocation': of('slot-allocation'),
  'load-balancing': of('load-balancing'),
  'dag-placement': of('dag-placement'),
});

export function solversFor<M extends ModelKind>(model: M): Solver<M>[] {
  return [...BY_MODEL[model]];
}

export function solverNames(): string[] {
  return [...new Set(SOLVERS.map((s) => s.name))].sort();
}

/** Every registered solver named `name` (one per model it serves). */
export function solversNamed(name: string): AnySolver[] {
  return SOLVERS.filter((s) => s.name === name);
}

/** The solver `name` for `model`; a clear error when nobody has that name or it solves other models. */
export function findSolver<M extends ModelKind>(name: string, model: M): Solver<M> {
  const found = solversFor(model).find((s) => s.name === name);
  if (found) return found;
  const others = solversNamed(name).map((s) => s.model);
  if (others.length > 0)
    throw new SolverNotApplicableError(`solver "${name}" solves ${others.join(' and ')} instances, not ${model}; solvers for ${model}: ${solversFor(model).map((s) => s.name).join(', ') || 'none yet'}`);
  throw new SolverNotApplicableError(`no solver is named "${name}"; known solvers: ${solverNames().join(', ') || 'none yet'}`);
}

/**
 * Runs solver `name` on `instance`. The registry entry checks the params (an OptionError when a key is unknown or
 * a value mistyped) and answers an instance that fails the model's infeasibility check `status: 'infeasible'` with
 * the reason, without running the solver; other errors thrown by a solver become `status: 'error'` results.
 */
export async function solveWith<M extends ModelKind>(name: string, instance: InstanceByModel[M] & { readonly kind: M }, options: SolveOptions): Promise<SolveResult<SolutionByModel[M]>> {
  const solver = findSolver(name, instance.kind);
  const t0 = performance.now();
  try {
    return await solver.solve(instance, options);
  } catch (error) {
    if (error instanceof SolverNotApplicableError || error instanceof OptionError) throw error;
    return { solver: name, status: 'error', timeMs: performance.now() - t0, message: error instanceof Error ? error.message : String(error) };
  }
}
