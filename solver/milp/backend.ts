/**
 * The one interface every MILP backend implements, and the shared code that
 * turns a backend's raw answer into an honest `MilpResult`: integer variables
 * are rounded, the solution is checked against the model (`checkSolution`),
 * the objective is recomputed, and the bound and gap are derived from what the
 * backend proved, never from what it claims.
 */
import {
  checkSolution,
  describeViolations,
  relativeGap,
  roundIntegers,
  type LinearModel,
  type MilpResult,
  type MilpStatus,
  type SparseModel,
} from '../../models/milp/index.ts';

export interface MilpSolveOptions {
  /** Wall-clock limit for the whole solve, in milliseconds; default 60 000; Infinity for none. */
  readonly timeLimitMs?: number;
  /**
   * Absolute deadline (performance.now() ms) of the solve this call is part of (SolveOptions.deadlineMs). When set,
   * the backend's budget is what remains of it, counted from before the model is converted, and `timeLimitMs` only
   * names the solve's limit in messages.
   */
  readonly deadlineMs?: number;
  /**
   * Relative gap |incumbent − bound| / |incumbent| at which the search may stop
   * and report `optimal`; default 1e-6 (with an integral objective this is exact
   * optimality for objectives below 10⁶).
   */
  readonly relativeGap?: number;
  /** Give the model's MIP start to the backend when it takes one; default true. */
  readonly useStart?: boolean;
  /** Receives the backend's log lines; silent when absent. */
  readonly log?: (line: string) => void;
  /** Receives the incumbent's objective and the proven bound as they improve (backends that report them). */
  readonly progress?: (event: MilpProgress) => void;
}

/** What a backend reports while it runs: the objective of a new incumbent, or the current bound and node count. */
export interface MilpProgress {
  readonly objective?: number;
  readonly bound?: number;
  readonly nodes?: number;
}

export const DEFAULT_TIME_LIMIT_MS = 60_000;
export const DEFAULT_RELATIVE_GAP = 1e-6;

/** The deadline of a backend call that starts at `startedAt`: `deadlineMs` when given, else `startedAt + timeLimitMs`. */
export function backendDeadlineMs(options: MilpSolveOptions, startedAt: number): number {
  return options.deadlineMs ?? startedAt + (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
}

/**
 * How long after its deadline a backend worker that has not answered is terminated: the time HiGHS gets to stop at
 * its own limit and return its incumbent (250 ms + 2 % of the limit). The solve's overall overrun allowance is
 * 1 s + 5 % (benchmarks/time-limits.ts); this leaves the rest to decoding and validation.
 */
export function hardKillGraceMs(limitMs: number): number {
  return 250 + 0.02 * (Number.isFinite(limitMs) ? limitMs : 0);
}

export interface MilpBackend {
  /** Registry name, e.g. `highs`. */
  readonly name: string;
  solve(model: LinearModel, options?: MilpSolveOptions): Promise<MilpResult>;
  /**
   * Starts loading what the backend needs (HiGHS: its worker thread and wasm runtime) without waiting for it, so that
   * it loads while the caller computes a start and builds the model; optional, a no-op where nothing loads.
   */
  prepare?(): void;
  /** Releases what the backend caches (a wasm runtime, workers). Idempotent. */
  dispose(): void;
}

/** A raw answer from a backend, before checking. */
export interface RawAnswer {
  /** The backend's own verdict. */
  readonly claim: 'optimal' | 'incumbent' | 'infeasible' | 'unbounded' | 'timeout' | 'error';
  readonly values?: ArrayLike<number>;
  /** The backend's proven bound on the optimum, if it reports one. */
  readonly bound?: number;
  readonly nodes?: number;
  readonly message: string;
}

/**
 * Turns a raw backend answer into a checked `MilpResult`.
 * - values that violate the model are rejected (`error`, or `timeout` when the
 *   backend only had an unproven incumbent);
 * - `optimal` needs a proof: either a bound within the requested gap, or the
 *   backend's own completed search when it reports no bound (`boundless`).
 */
export function finishAnswer(
  model: SparseModel,
  integralObjective: boolean,
  raw: RawAnswer,
  ctx: { backend: string; startedAt: number; relativeGap: number; boundless?: boolean },
): MilpResult {
  const base = { backend: ctx.backend, ...(raw.nodes !== undefined ? { nodes: raw.nodes } : {}) };
  const timeMs = (): number => performance.now() - ctx.startedAt;
  const plain = (status: MilpStatus, message: string): MilpResult => ({ ...base, status, message, timeMs: timeMs() });
  if (raw.claim === 'infeasible' || raw.claim === 'unbounded' || raw.claim === 'error') return plain(raw.claim, raw.message);
  if (raw.claim === 'timeout' || !raw.values) {
    return plain(raw.claim === 'timeout' ? 'timeout' : 'error', raw.message || 'no solution returned');
  }
  const values = roundIntegers(model, raw.values);
  const check = checkSolution(model, values);
  if (!check.feasible) {
    const why = `${ctx.backend} returned values that violate the model: ${describeViolations(check)}`;
    return plain(raw.claim === 'optimal' ? 'error' : 'timeout', `${raw.message} ${why}`.trim());
  }
  const objective = check.objective;
  const minimize = model.sense === 'minimize';
  let bound = raw.bound;
  if (bound !== undefined && !Number.isFinite(bound)) bound = undefined;
  if (bound !== undefined && integralObjective) bound = minimize ? Math.ceil(bound - 1e-6) : Math.floor(bound + 1e-6);
  if (bound !== undefined) {
    // A bound beyond the incumbent is numerical noise of a proof; clamp it.
    if (minimize ? bound > objective : bound < objective) bound = objective;
  }
  if (model.integer.every((v) => v === 0) && raw.claim === 'optimal' && bound === undefined && !ctx.boundless) {
    bound = objective;
  }
  const gap = bound !== undefined ? relativeGap(objective, bound) : undefined;
  const withSolution = { ...base, objective, values, timeMs: 0 };
  const proven =
    raw.claim === 'optimal' &&
    (gap !== undefined ? gap <= ctx.relativeGap + 1e-12 || Math.abs(objective - bound!) <= 1e-6 : ctx.boundless === true);
  if (proven) {
    return {
      ...withSolution,
      status: 'optimal',
      ...(bound !== undefined ? { bestBound: bound } : {}),
      ...(gap !== undefined ? { gap } : {}),
      message: raw.message,
      timeMs: timeMs(),
    };
  }
  const note =
    raw.claim === 'optimal'
      ? `${ctx.backend} claimed optimality but the gap ${gap} exceeds the requested ${ctx.relativeGap}.`
      : '';
  return {
    ...withSolution,
    status: 'feasible',
    ...(bound !== undefined ? { bestBound: bound } : {}),
    ...(gap !== undefined ? { gap } : {}),
    message: `${raw.message} ${note}`.trim(),
    timeMs: timeMs(),
  };
}
