/**
 * What an exact solve reports. Every backend fills one `MilpResult`, after
 * checking its answer with `checkSolution` (no answer is taken at face value).
 *
 * - `optimal`:   the values are feasible and `bestBound` proves them optimal
 *                within the requested relative gap (the gap is reported);
 * - `feasible`:  the values are feasible, optimality is not proven
 *                (time limit with an incumbent, or a backend's unproven claim);
 * - `infeasible`/`unbounded`: proven by the backend;
 * - `timeout`:   the time limit passed without a feasible solution;
 * - `error`:     the backend failed or returned something that did not check.
 */
export type MilpStatus = 'optimal' | 'feasible' | 'infeasible' | 'unbounded' | 'timeout' | 'error';

export interface MilpResult {
  readonly status: MilpStatus;
  /** Objective recomputed from `values` (not the backend's figure); absent without a solution. */
  readonly objective?: number;
  /** Best proven bound on the optimum (lower for minimisation), when the backend reports one. */
  readonly bestBound?: number;
  /** Relative gap |objective − bestBound| / max(|objective|, 1e-9), when both are known. */
  readonly gap?: number;
  /** Wall time of the solve, including model translation, in milliseconds. */
  readonly timeMs: number;
  /** Branch-and-bound nodes, when the backend reports them. */
  readonly nodes?: number;
  /** Variable values indexed by variable index; integer variables are rounded. */
  readonly values?: Float64Array;
  /** One or more sentences saying what was proven, or why not. */
  readonly message: string;
  /** Name of the backend that produced the result (`highs`, `lp-solver`, ...). */
  readonly backend: string;
}

/** Relative gap in the convention of HiGHS: |primal − dual| / max(|primal|, 1e-9); 0 when equal. */
export function relativeGap(objective: number, bound: number): number {
  const diff = Math.abs(objective - bound);
  if (diff === 0) return 0;
  return diff / Math.max(Math.abs(objective), 1e-9);
}
