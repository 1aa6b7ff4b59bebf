/**
 * Glue between a model's formulation and a MILP backend: pick the backend
 * (by name, or an instance the caller owns and passes in `params.backend`),
 * solve, decode through the formulation, and report a `SolveResult`.
 */
import { relativeGap, type Formulation, type MilpResult } from '../../models/milp/index.ts';
import type { MilpBackend } from '../milp/backend.ts';
import { createMilpBackend, DEFAULT_MILP_BACKEND, type MilpBackendName } from '../milp/backends.ts';
import type { InstanceByModel, ModelKind, SolutionByModel, SolveOptions, SolveResult, Solver } from '../types.ts';

/** Solver-specific options read from `SolveOptions.params` by the exact solvers. */
export interface ExactParams {
  /** A backend object the caller owns (reused across solves, disposed by the caller). */
  readonly backend?: MilpBackend;
  /** Receives the backend's log lines. */
  readonly log?: (line: string) => void;
}

function isBackend(value: unknown): value is MilpBackend {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { solve?: unknown }).solve === 'function' &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}

export function readExactParams(options: SolveOptions): ExactParams {
  const p = options.params ?? {};
  const backend = isBackend(p.backend) ? p.backend : undefined;
  const log = typeof p.log === 'function' ? (p.log as (line: string) => void) : undefined;
  return { ...(backend ? { backend } : {}), ...(log ? { log } : {}) };
}

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
  solve: (instance: InstanceByModel[M], options: SolveOptions, backend: MilpBackendName | 'default') => Promise<SolveResult<SolutionByModel[M]>>,
): readonly Solver<M>[] {
  return Object.freeze(
    REGISTERED_BACKENDS.map((backend): Solver<M> =>
      Object.freeze({
        name: milpSolverName(backend),
        model,
        kind: 'exact' as const,
        description: `MILP (${backend === 'default' ? 'default backend' : backend}): ${method}`,
        solve: (instance: InstanceByModel[M], options: SolveOptions) => solve(instance, options, backend),
      }),
    ),
  );
}

export interface FormulationRun<S> {
  readonly milp: MilpResult;
  readonly solution: S | undefined;
}

/** Solves a formulation with the named backend (or `params.backend` when it has that name or `backendName` is 'default'). */
export async function runFormulation<S>(
  formulation: Formulation<S>,
  backendName: MilpBackendName | 'default',
  options: SolveOptions,
  timeLimitMs: number = options.timeLimitMs ?? Number.POSITIVE_INFINITY,
): Promise<FormulationRun<S>> {
  const params = readExactParams(options);
  const wanted = backendName === 'default' ? DEFAULT_MILP_BACKEND : backendName;
  const owned = params.backend && params.backend.name === wanted ? undefined : createMilpBackend(wanted);
  const backend = owned ?? params.backend!;
  try {
    const milp = await backend.solve(formulation.model, {
      timeLimitMs,
      relativeGap: options.relativeGap ?? 0,
      ...(params.log ? { log: params.log } : {}),
    });
    const solution = milp.values && (milp.status === 'optimal' || milp.status === 'feasible') ? formulation.decode(milp.values) : undefined;
    return { milp, solution };
  } finally {
    owned?.dispose();
  }
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
