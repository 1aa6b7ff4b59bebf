import type { Rng } from '../models/rng.ts';
import type { DagPlacementInstance, PlacementVariant } from '../models/dag-placement/instance.ts';
import type { Schedule } from '../models/solution.ts';
import type { SlotAllocation, SlotAllocationInstance } from '../models/slot-allocation/instance.ts';
import type { LoadBalancingInstance, TaskAssignment } from '../models/load-balancing/instance.ts';

/**
 * One signature per model. Every solver, heuristic or exact, takes an instance and options and returns a
 * SolveResult; the registry (solver/registry.ts) lists them all by (model, name).
 */
export type ModelKind = 'slot-allocation' | 'load-balancing' | 'dag-placement';
export const MODEL_KINDS: readonly ModelKind[] = ['slot-allocation', 'load-balancing', 'dag-placement'];

export type SolveStatus = 'optimal' | 'feasible' | 'infeasible' | 'unbounded' | 'timeout' | 'error';

export interface InstanceByModel {
  'slot-allocation': SlotAllocationInstance;
  'load-balancing': LoadBalancingInstance;
  'dag-placement': DagPlacementInstance;
}

/** DAG placement solvers return a Schedule (a Placement with start/end times). */
export interface SolutionByModel {
  'slot-allocation': SlotAllocation;
  'load-balancing': TaskAssignment;
  'dag-placement': Schedule;
}

export type AnyInstance = InstanceByModel[ModelKind];

export interface SolveOptions {
  /** Seeded randomness; deterministic solvers ignore it. */
  readonly rng: Rng;
  /** Wall-clock limit in ms. Exact solvers stop and report what they proved. Default: none. */
  readonly timeLimitMs?: number;
  /** Relative MIP gap at which exact solvers may stop. Default 0 (prove optimality). */
  readonly relativeGap?: number;
  /** DAG placement: solve under this variant instead of the instance's own. */
  readonly variant?: PlacementVariant;
  /** Solver-specific options, documented by each solver. */
  readonly params?: Readonly<Record<string, unknown>>;
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
}

export interface Solver<M extends ModelKind = ModelKind> {
  readonly name: string;
  readonly model: M;
  readonly kind: 'heuristic' | 'exact';
  /** One line; cite the paper or the Flink class it follows. */
  readonly description: string;
  solve(instance: InstanceByModel[M], options: SolveOptions): Promise<SolveResult<SolutionByModel[M]>>;
}

export type AnySolver = { [M in ModelKind]: Solver<M> }[ModelKind];

/** The shared signature of heuristics, synchronous; `heuristicSolver` wraps one into a registry entry. */
export type Heuristic<M extends ModelKind> = (instance: InstanceByModel[M], options: SolveOptions) => Omit<SolveResult<SolutionByModel[M]>, 'solver' | 'timeMs'>;
export type DagPlacementHeuristic = Heuristic<'dag-placement'>;
export type LoadBalancingHeuristic = Heuristic<'load-balancing'>;
export type SlotAllocationHeuristic = Heuristic<'slot-allocation'>;

export function heuristicSolver<M extends ModelKind>(name: string, model: M, description: string, heuristic: Heuristic<M>): Solver<M> {
  return Object.freeze({
    name,
    model,
    kind: 'heuristic' as const,
    description,
    solve: async (instance: InstanceByModel[M], options: SolveOptions): Promise<SolveResult<SolutionByModel[M]>> => {
      const t0 = performance.now();
      const result = heuristic(instance, options);
      return { ...result, solver: name, timeMs: performance.now() - t0 };
    },
  });
}
