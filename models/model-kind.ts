import type { DagPlacementInstance } from './dag-placement/instance.ts';
import type { LoadBalancingInstance, TaskAssignment } from './load-balancing/instance.ts';
import type { SlotAllocation, SlotAllocationInstance } from './slot-allocation/instance.ts';
import type { Placement, Schedule } from './solution.ts';

/**
 * The model vocabulary every folder shares: the three models by name, the instance type of each, and the solution
 * types. `datasets/` produces `AnyInstance`s, `solver/` answers with `SolutionByModel[M]`, `benchmarks/` and the
 * CLI validate through models/validate.ts, all with the same names.
 */
export type ModelKind = 'slot-allocation' | 'load-balancing' | 'dag-placement';
export const MODEL_KINDS: readonly ModelKind[] = Object.freeze(['slot-allocation', 'load-balancing', 'dag-placement']);

export interface InstanceByModel {
  'slot-allocation': SlotAllocationInstance;
  'load-balancing': LoadBalancingInstance;
  'dag-placement': DagPlacementInstance;
}

/** What solvers return, per model. DAG placement solvers return a Schedule (a Placement with start/end times). */
export interface SolutionByModel {
  'slot-allocation': SlotAllocation;
  'load-balancing': TaskAssignment;
  'dag-placement': Schedule;
}

/** What the validators and evaluators read, per model: a DAG placement needs no times (the evaluator computes them). */
export interface CheckedSolutionByModel {
  'slot-allocation': SlotAllocation;
  'load-balancing': TaskAssignment;
  'dag-placement': Placement;
}

export type AnyInstance = InstanceByModel[ModelKind];
export type AnySolution = CheckedSolutionByModel[ModelKind];
