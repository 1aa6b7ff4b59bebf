import type { DagPlacementInstance, PlacementVariant } from './dag-placement/instance.ts';
import type { SlotAllocation, SlotAllocationInstance } from './slot-allocation/instance.ts';
import type { LoadBalancingInstance, TaskAssignment } from './load-balancing/instance.ts';
import type { Placement } from './solution.ts';
import type { Violation } from './violation.ts';
import { validateDagPlacement } from './dag-placement/validator.ts';
import { validateSlotAllocation } from './slot-allocation/validator.ts';
import { validateLoadBalancing } from './load-balancing/validator.ts';
import { evaluateDagPlacement } from './dag-placement/evaluate.ts';
import { slotAllocationObjective } from './slot-allocation/instance.ts';
import { evaluateLoadBalancing } from './load-balancing/instance.ts';

export type ModelInstance = SlotAllocationInstance | LoadBalancingInstance | DagPlacementInstance;
export type ModelSolution = SlotAllocation | TaskAssignment | Placement;

/** The model's own validator for any instance; the solution must be of the instance's model. */
export function validateSolution(instance: ModelInstance, solution: ModelSolution, variant?: PlacementVariant): Violation[] {
  switch (instance.kind) {
    case 'dag-placement':
      return validateDagPlacement(instance, solution as Placement, variant ?? instance.variant);
    case 'slot-allocation':
      return validateSlotAllocation(instance, solution as SlotAllocation);
    case 'load-balancing':
      return validateLoadBalancing(instance, solution as TaskAssignment);
  }
}

/** The model's objective recomputed from the solution (DAG placement: predicted completion time in ms). */
export function objectiveOf(instance: ModelInstance, solution: ModelSolution, variant?: PlacementVariant): number {
  switch (instance.kind) {
    case 'dag-placement':
      return evaluateDagPlacement(instance, solution as Placement, variant ?? instance.variant).makespanMs;
    case 'slot-allocation':
      return slotAllocationObjective(instance, solution as SlotAllocation);
    case 'load-balancing':
      return evaluateLoadBalancing(instance, solution as TaskAssignment).objective;
  }
}

/** What the objective measures, for people. */
export function objectiveLabel(instance: ModelInstance): string {
  switch (instance.kind) {
    case 'dag-placement':
      return 'makespan (ms)';
    case 'slot-allocation':
      return 'sum of squared free slots';
    case 'load-balancing':
      return instance.objective === 'max-utilization' ? 'max utilisation (ms of work at TM speed)' : 'squared deviation from the ideal utilisation';
  }
}

/** One line describing an instance's size. */
export function describeInstance(instance: ModelInstance): string {
  switch (instance.kind) {
    case 'dag-placement':
      return `${instance.name} (dag-placement, ${instance.variant}): ${instance.operators.length} operators, ${instance.subtasks.length} subtasks, ${instance.edges.length} subtask edges, ${instance.taskManagers.length} TaskManagers, ${instance.slots.length} slots`;
    case 'slot-allocation':
      return `${instance.name} (slot-allocation): ${instance.taskManagers.length} TaskManagers, ${instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0)} slots, ${instance.jobs.length} jobs`;
    case 'load-balancing':
      return `${instance.name} (load-balancing, ${instance.objective}): ${instance.tasks.length} tasks, ${instance.taskManagers.length} TaskManagers`;
  }
}
