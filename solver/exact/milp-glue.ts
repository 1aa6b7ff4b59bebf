/**
 * Glue between a model's formulation and a MILP backend: pick the backend
 * (by name, or an instance the caller owns and passes in `SolveOptions.backend`),
 * solve, decode through the formulation, and report a `SolveResult`.
 */
import { relativeGap, type Formulation, type MilpResult } from '../../models/milp/index.ts';
import { createMilpBackend, DEFAULT_MILP_BACKEND, type MilpBackendName } from '../milp/backends.ts';
import type { MilpProgress } from '../milp/backend.ts';
import type { InstanceByModel, ModelKind, SolutionByModel } from '../../models/model-kind.ts';
import { NO_PARAMS, type NoParams } from '../params.ts';
import { defineSolver, solveDeadlineMs, type SolveOptions, type SolveResult, type Solver, type SolverOptions } from '../types.ts';

/** Solver name for a backend: `milp` is the default backend, `milp:<name>` a specific one. */
export function milpSolverName(backend: MilpBackendName | 'default'): string {
  return backend === 'default' ? 'milp' : `milp:${backend}`;
}

/** The backends every MILP solver is registered under: `milp` (default backend), `milp:highs`, `milp:lp-solver`. */
const REGISTERED_BACKENDS: readonly (MilpBackendName | 'default')[] = ['default', 'highs', 'lp-solver'];

/**
 * The registry entries of one model's MILP solver, one per backend, named by `milpSolverName`; `method` says in a
 * few words what is solved (it follows "MILP (<backend>): " in the description).
 */
export function milpSolvers<M extends ModelKind>(
  model: M,
  method: string,
  solve: (instance: InstanceByModel[M], options: SolverOptions<NoParams>, backend: MilpBackendName | 'default') => Promise<SolveResult<SolutionByModel[M]>>,
): readonly Solver<M>[] {
  return Object.freeze(
    REGISTERED_BACKENDS.map((backend): Solver<M> =>
      defineSolver<M, NoParams>({
        name: milpSolverName(backend),
        model,
        kind: 'exact',
        description: `MILP (${backend === 'default' ? 'default backend' : backend}): ${method}`,
        params: NO_PARAMS,
        run: (instance, options) => withMilpBackend(backend, options, (withBackend) => solve(instance, withBackend, backend)),
      }),
    ),
  );
}

/**
 * Runs `body` with a backend of the wanted kind in `options.backend`: the caller's when it is that backend, else one
 * created here, shared by every MILP of the solve and disposed at the end. A solver calls `prepareBackend` as soon
 * as it knows it will solve a MILP, so that the HiGHS runtime loads while it builds the model instead of inside the
 * time left to the backend.
 */
export async function withMilpBackend<O extends Omit<SolveOptions, 'params'>, R>(backendName: MilpBackendName | 'default', options: O, body: (options: O) => Promise<R>): Promise<R> {
  const wanted = backendName === 'default' ? DEFAULT_MILP_BACKEND : backendName;
  if (options.backend && options.backend.name === wanted) return body(options);
  const owned = createMilpBackend(wanted);
  try {
    return await body({ ...options, backend: owned });
  } finally {
    owned.dispose();
  }
}

/** Starts loading the solve's backend (`MilpBackend.prepare`), when `withMilpBackend` gave it one. */
export function prepareBackend(options: Pick<SolveOptions, 'backend'>): void {
  options.backend?.prepare?.();
}

export interface FormulationRun<S> {
  readonly milp: MilpResult;
  readonly solution: S | undefined;
}

/**
 * Solves a formulation with the named backend (or `options.backend` when it is that backend), within the solve's
 * deadline (`options.deadlineMs`; without one, `timeLimitMs` from now): the backend's budget is what remains of it.
 */
export async function runFormulation<S>(
  formulation: Formulation<S>,
  backendName: MilpBackendName | 'default',
  options: Omit<SolveOptions, 'params'>,
  timeLimitMs: number = options.timeLimitMs ?? Number.POSITIVE_INFINITY,
): Promise<FormulationRun<S>> {
  const wanted = backendName === 'default' ? DEFAULT_MILP_BACKEND : backendName;
  const owned = options.backend && options.backend.name === wanted ? undefined : createMilpBackend(wanted);
  const backend = owned ?? options.backend!;
  try {
    const deadlineMs = options.deadlineMs ?? solveDeadlineMs({ timeLimitMs });
    const milp = await backend.solve(formulation.model, {
      timeLimitMs: options.timeLimitMs ?? timeLimitMs,
      ...(Number.isFinite(deadlineMs) ? { deadlineMs } : {}),
      relativeGap: options.relativeGap ?? 0,
      ...(options.log ? { log: options.log } : {}),
      ...(options.onProgress ? { progress: milpProgress(options.onProgress, backend.name) } : {}),
    });
    const solution = milp.values && (milp.status === 'optimal' || milp.status === 'feasible') ? formulation.decode(milp.values) : undefined;
    return { milp, solution };
  } finally {
    owned?.dispose();
  }
}

/** Passes a backend's incumbents and bounds on as `SolveProgress`, only when one improves. */
function milpProgress(onProgress: NonNullable<SolveOptions['onProgress']>, source: string): (event: MilpProgress) => void {
  let incumbent = Number.POSITIVE_INFINITY;
  let bound = Number.NEGATIVE_INFINITY;
  return (event) => {
    const better = event.objective !== undefined && event.objective < incumbent;
    const higher = event.bound !== undefined && Number.isFinite(event.bound) && event.bound > bound;
    if (better) incumbent = event.objective!;
    if (higher) bound = event.bound!;
    if (better || higher) onProgress({ ...(better ? { incumbent } : {}), ...(higher ? { bound } : {}), source });
  };
}

/** A SolveResult from a MILP result; `objective` is the model's own evaluation of the decoded solution. */
export function toSolveResult<S>(
  solver: string,
  milp: MilpResult,
  solution: S | undefined,
  objective: number | undefined,
  extra: { timeMs?: number; message?: string; bestBound?: number } = {},
): SolveResult<S> {
  const bestBound = extra.bestBound ?? milp.bestBound;
  const gap = objective !== undefined && bestBound !== undefined ? relativeGap(objective, bestBound) : milp.gap;
  return {
    solver,
    status: solution === undefined && (milp.status === 'optimal' || milp.status === 'feasible') ? 'error' : milp.status,
    ...(solution !== undefined ? { solution } : {}),
    ...(objective !== undefined ? { objective } : {}),
    ...(bestBound !== undefined ? { bestBound } : {}),
    ...(gap !== undefined ? { gap } : {}),
    timeMs: extra.timeMs ?? milp.timeMs,
    ...(milp.nodes !== undefined ? { nodes: milp.nodes } : {}),
    backend: milp.backend,
    message: extra.message ?? milp.message,
  };
}
