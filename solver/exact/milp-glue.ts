/**
 * Glue between a model's formulation and a MILP backend: pick the backend
 * (by name, or an instance the caller owns and passes in `SolveOptions.backend`),
 * solve, decode through the formulation, and report a `SolveResult`.
 */
import type { Formulation, MilpResult } from '../../models/milp/index.ts';
import { createMilpBackend, DEFAULT_MILP_BACKEND, type MilpBackendName } from '../milp/backends.ts';
import type { SolveOptions, SolveResult } from '../types.ts';

/** Solver name for a backend: `milp` is the default backend, `milp:<name>` a specific one. */
export function milpSolverName(backend: MilpBackendName | 'default'): string {
  return backend === 'default' ? 'milp' : `milp:${backend}`;
}

export interface FormulationRun<S> {
  readonly milp: MilpResult;
  readonly solution: S | undefined;
}

/** Solves a formulation with the named backend (or `options.backend` when it is that backend). */
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
    const milp = await backend.solve(formulation.model, {
      timeLimitMs,
      relativeGap: options.relativeGap ?? 0,
      ...(options.log ? { log: options.log } : {}),
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
  const gap =
    objective !== undefined && bestBound !== undefined
      ? objective === bestBound
        ? 0
        : Math.abs(objective - bestBound) / Math.max(Math.abs(objective), 1e-9)
      : milp.gap;
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
