import type { Rng } from '../models/rng.ts';
import { OptionError } from '../models/errors.ts';
import { PLACEMENT_VARIANTS, type PlacementVariant } from '../models/dag-placement/instance.ts';
import type { InstanceByModel, ModelKind, SolutionByModel } from '../models/model-kind.ts';
import { infeasibilityOf, resourceMetricsOf, resourceViolationOf } from '../models/validate.ts';
import type { MilpBackend } from './milp/backend.ts';
import { NO_PARAMS, parseSolverParams, type NoParams, type SolverParams } from './params.ts';

/**
 * One signature per model. Every solver, heuristic or exact, takes an instance and options and returns a
 * SolveResult; the registry (solver/registry.ts) lists them all by (model, name). The model vocabulary
 * (`ModelKind`, `InstanceByModel`, `SolutionByModel`) lives in models/model-kind.ts.
 */
export type SolveStatus = 'optimal' | 'feasible' | 'infeasible' | 'unbounded' | 'timeout' | 'error';

export interface SolveOptions {
  /** Seeded randomness; deterministic solvers ignore it. */
  readonly rng: Rng;
  /**
   * Wall-clock limit in ms of the whole solve (heuristic starts, model building, presolve, the backend, decoding).
   * Exact solvers stop and report what they proved (`statusAtLimit`). Default: none.
   */
  readonly timeLimitMs?: number;
  /**
   * The absolute deadline of the solve (`performance.now()` ms). The registry entry (`defineSolver`) sets it once,
   * from `timeLimitMs`, when the solve starts; every phase takes its budget from it (`remainingMs`), so no phase gets
   * a fresh budget. Callers leave it unset unless they nest one solve in another that has its own deadline.
   */
  readonly deadlineMs?: number;
  /** Relative MIP gap at which exact solvers may stop. Default 0 (prove optimality). */
  readonly relativeGap?: number;
  /** DAG placement: solve under this variant instead of the instance's own. */
  readonly variant?: PlacementVariant;
  /**
   * Solver-specific options as plain data (as a suite writes them). Each solver declares its own (solver/params.ts;
   * `slotlab solvers --params NAME`); an unknown key or a mistyped value is refused with an OptionError.
   */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Exact MILP solvers: a backend the caller owns (reused across solves, disposed by the caller), used when it is the backend the solver would create. */
  readonly backend?: MilpBackend;
  /** Exact MILP solvers: receives the backend's log lines. */
  readonly log?: (line: string) => void;
  /**
   * Exact solvers: told the objective of each better solution found and each better proven bound while they run
   * (the heuristic start, the MILP backend's incumbents and bounds, branch and bound's improvements), for progress
   * on screen. Never needed for the answer.
   */
  readonly onProgress?: (event: SolveProgress) => void;
}

/** A solver's news while it runs: a better incumbent's objective and/or a better proven bound (model units). */
export interface SolveProgress {
  readonly incumbent?: number;
  readonly bound?: number;
  /** What produced it: `heuristic start (heft)`, `highs`, `bnb`. */
  readonly source: string;
}

/** What a solver's own code receives: the options with its params parsed and typed, and the solve's deadline set. */
export type SolverOptions<P> = Omit<SolveOptions, 'params'> & { readonly params: P };

/**
 * The deadline of a solve that starts at `startedAt` (performance.now() ms): `options.deadlineMs` when set (one
 * deadline for a whole solve, however it is nested), else `startedAt + timeLimitMs`; Infinity without a limit.
 */
export function solveDeadlineMs(options: Pick<SolveOptions, 'timeLimitMs' | 'deadlineMs'>, startedAt: number = performance.now()): number {
  if (options.deadlineMs !== undefined) return options.deadlineMs;
  return options.timeLimitMs === undefined ? Number.POSITIVE_INFINITY : startedAt + options.timeLimitMs;
}

/** Milliseconds left until `deadlineMs` (performance.now() ms), never negative; Infinity without a deadline. */
export function remainingMs(deadlineMs: number): number {
  return Math.max(0, deadlineMs - performance.now());
}

/** True once the deadline has passed. */
export function pastDeadline(deadlineMs: number): boolean {
  return performance.now() >= deadlineMs;
}

/**
 * The one rule for the status of a solve stopped by its time limit: `feasible` when it holds a solution that the
 * model's validator accepts (with the best proven bound and the gap when it has one), `timeout` when it holds none.
 * A proof found before the limit stays `optimal`; `error` is for failures (a backend crash, an exception, values
 * that violate the model), never for the limit itself.
 */
export function statusAtLimit(hasSolution: boolean): 'feasible' | 'timeout' {
  return hasSolution ? 'feasible' : 'timeout';
}

/** `Time limit of 3000 ms reached`: how every message names the limit (the solve's own, never a phase's remainder). */
export function limitReached(options: Pick<SolveOptions, 'timeLimitMs'>): string {
  return `Time limit${options.timeLimitMs !== undefined ? ` of ${options.timeLimitMs} ms` : ''} reached`;
}

export interface SolveResult<S> {
  /** Registry name of the solver that produced it. */
  readonly solver: string;
  readonly status: SolveStatus;
  readonly solution?: S;
  /** Objective of `solution` as the model's evaluator computes it (DAG placement: makespan in ms). */
  readonly objective?: number;
  /** Best proven lower bound (minimisation), when the solver proves one. */
  readonly bestBound?: number;
  /** (objective − bestBound) / objective, when both are known. */
  readonly gap?: number;
  readonly timeMs: number;
  readonly nodes?: number;
  /** Exact backend used, e.g. `highs`. */
  readonly backend?: string;
  /** Why: infeasibility reason, error text, what a timeout proved. */
  readonly message?: string;
  /** Figures of the solution beside the objective (fine-grained resources: strandedCpuCores, strandedMemoryBytes). */
  readonly metrics?: Readonly<Record<string, number>>;
}

export interface Solver<M extends ModelKind = ModelKind> {
  readonly name: string;
  readonly model: M;
  readonly kind: 'heuristic' | 'exact';
  /** One line; cite the paper or the Flink class it follows. */
  readonly description: string;
  /** The solver's own options: their schema and documentation. */
  readonly params: SolverParams<unknown>;
  /**
   * Checks `options.params` (OptionError when a key is unknown or a value mistyped) and `options.variant`, answers
   * `status: 'infeasible'` with the reason when the model's infeasibility check (models/<model>/feasibility.ts)
   * fails, and only then runs the solver.
   */
  solve(instance: InstanceByModel[M], options: SolveOptions): Promise<SolveResult<SolutionByModel[M]>>;
}

export type AnySolver = { [M in ModelKind]: Solver<M> }[ModelKind];

/** A solver as its file writes it: the registry entry (`defineSolver`) checks params, variant and feasibility first. */
export interface SolverDefinition<M extends ModelKind, P> {
  readonly name: string;
  readonly model: M;
  readonly kind: 'heuristic' | 'exact';
  readonly description: string;
  readonly params: SolverParams<P>;
  /** Runs on an instance that passed the model's infeasibility check, with typed params. */
  run(instance: InstanceByModel[M], options: SolverOptions<P>): Promise<SolveResult<SolutionByModel[M]>>;
}

/** The variant an instance is solved under: `options.variant` when given (checked), else the instance's own. */
export function checkedVariant(options: Pick<SolveOptions, 'variant'>): PlacementVariant | undefined {
  const v = options.variant;
  if (v !== undefined && !PLACEMENT_VARIANTS.includes(v)) throw OptionError.value('solve options.variant', `one of ${PLACEMENT_VARIANTS.join(', ')}`, v);
  return v;
}

/** `bnb (load-balancing)`: how messages name a registry entry. */
export function solverLabel(solver: { readonly name: string; readonly model: ModelKind }): string {
  return `${solver.name} (${solver.model})`;
}

/** A registry entry: checks the params once, then the model's feasibility once, then runs the solver. */
export function defineSolver<M extends ModelKind, P>(definition: SolverDefinition<M, P>): Solver<M> {
  const { name, model, kind, description, params } = definition;
  return Object.freeze({
    name,
    model,
    kind,
    description,
    params,
    solve: async (instance: InstanceByModel[M], options: SolveOptions): Promise<SolveResult<SolutionByModel[M]>> => {
      const t0 = performance.now();
      const deadlineMs = solveDeadlineMs(options, t0);
      const typed = parseSolverParams(params, options.params, solverLabel(definition));
      const variant = checkedVariant(options);
      const reason = infeasibilityOf<M>(instance, variant);
      if (reason !== undefined) return { solver: name, status: 'infeasible', timeMs: performance.now() - t0, message: `Infeasible: ${reason}.` };
      const result = await definition.run(instance, { ...options, params: typed, ...(Number.isFinite(deadlineMs) ? { deadlineMs } : {}) });
      // fine-grained resources: an answer whose slots cannot be cut is no answer (heuristics check, not construct)
      const misfit = resourceViolationOf(instance as InstanceByModel[ModelKind], result.solution, variant);
      if (misfit !== undefined)
        return { solver: name, status: 'error', timeMs: result.timeMs, message: `${name} found no placement that fits the resource profiles (its answer: ${misfit}); this does not prove the instance infeasible` };
      const metrics = result.metrics ?? resourceMetricsOf(instance as InstanceByModel[ModelKind], result.solution);
      return metrics === undefined ? result : { ...result, metrics };
    },
  });
}

/** The shared signature of heuristics, synchronous; `heuristicSolver` wraps one into a registry entry. */
export type Heuristic<M extends ModelKind, P = NoParams> = (instance: InstanceByModel[M], options: SolverOptions<P>) => Omit<SolveResult<SolutionByModel[M]>, 'solver' | 'timeMs'>;
export type DagPlacementHeuristic<P = NoParams> = Heuristic<'dag-placement', P>;
export type LoadBalancingHeuristic<P = NoParams> = Heuristic<'load-balancing', P>;
export type SlotAllocationHeuristic<P = NoParams> = Heuristic<'slot-allocation', P>;

export function heuristicSolver<M extends ModelKind>(name: string, model: M, description: string, heuristic: Heuristic<M>): Solver<M>;
export function heuristicSolver<M extends ModelKind, P>(name: string, model: M, description: string, heuristic: Heuristic<M, P>, params: SolverParams<P>): Solver<M>;
export function heuristicSolver<M extends ModelKind, P>(name: string, model: M, description: string, heuristic: Heuristic<M, P>, params?: SolverParams<P>): Solver<M> {
  return defineSolver<M, P>({
    name,
    model,
    kind: 'heuristic',
    description,
    params: params ?? (NO_PARAMS as SolverParams<P>),
    run: async (instance, options) => {
      const t0 = performance.now();
      const result = heuristic(instance, options);
      return { ...result, solver: name, timeMs: performance.now() - t0 };
    },
  });
}
