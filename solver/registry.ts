import { SolverNotApplicableError } from '../models/errors.ts';
import { infeasibilityReasonOf } from '../models/validate.ts';
import { HEURISTICS } from './heuristics/index.ts';
import { EXACT_SOLVERS } from './exact/index.ts';
import type { AnyInstance, AnySolver, ModelKind, SolveOptions, SolveResult, SolutionByModel } from './types.ts';

/** All solvers, frozen. A name may serve several models (e.g. `round-robin`); (model, name) is unique. */
export const SOLVERS: readonly AnySolver[] = Object.freeze([...EXACT_SOLVERS, ...HEURISTICS]);

export function solversFor(model: ModelKind): AnySolver[] {
  return SOLVERS.filter((s) => s.model === model);
}

export function solverNames(): string[] {
  return [...new Set(SOLVERS.map((s) => s.name))].sort();
}

/** The solver `name` for `model`; a clear error when nobody has that name or it solves other models. */
export function findSolver(name: string, model: ModelKind): AnySolver {
  const found = SOLVERS.find((s) => s.name === name && s.model === model);
  if (found) return found;
  const others = SOLVERS.filter((s) => s.name === name).map((s) => s.model);
  if (others.length > 0)
    throw new SolverNotApplicableError(`solver "${name}" solves ${others.join(' and ')} instances, not ${model}; solvers for ${model}: ${solversFor(model).map((s) => s.name).join(', ') || 'none yet'}`);
  throw new SolverNotApplicableError(`no solver is named "${name}"; known solvers: ${solverNames().join(', ') || 'none yet'}`);
}

/**
 * Runs solver `name` on `instance`. An instance that fails the model's quick feasibility checks is answered
 * `status: 'infeasible'` with the reason, without running the solver; errors thrown by a solver become
 * `status: 'error'` results.
 */
export async function solveWith<I extends AnyInstance>(name: string, instance: I, options: SolveOptions): Promise<SolveResult<SolutionByModel[I['kind']]>> {
  const solver = findSolver(name, instance.kind) as unknown as { solve(i: I, o: SolveOptions): Promise<SolveResult<SolutionByModel[I['kind']]>> };
  const t0 = performance.now();
  const reason = infeasibilityReasonOf(instance, instance.kind === 'dag-placement' ? options.variant : undefined);
  if (reason !== null) return { solver: name, status: 'infeasible', timeMs: performance.now() - t0, message: reason };
  try {
    return await solver.solve(instance, options);
  } catch (error) {
    if (error instanceof SolverNotApplicableError) throw error;
    return { solver: name, status: 'error', timeMs: performance.now() - t0, message: error instanceof Error ? error.message : String(error) };
  }
}
