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
import { infeasibilityReason } from './dag-placement/bounds.ts';

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

/**
 * Quick necessary conditions for feasibility, per model: a sentence saying why no solution can exist, or null
 * (which does not prove feasibility). The registry answers `status: 'infeasible'` with it before any solver runs.
 */
export function infeasibilityReasonOf(instance: ModelInstance, variant?: PlacementVariant): string | null {
  switch (instance.kind) {
    case 'dag-placement':
      return infeasibilityReason(instance, variant ?? instance.variant);
    case 'slot-allocation': {
      const slots = instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
      const demand = instance.jobs.reduce((t, j) => t + j.minSlots, 0);
      if (demand > slots) return `the jobs need at least ${demand} slots in all but the TaskManagers have ${slots}`;
      for (const j of instance.jobs) {
        const reachable = instance.taskManagers.reduce((t, tm) => t + Math.min(tm.slotCount, j.maxSlotsPerTaskManager), 0);
        if (j.minSlots > reachable) return `job ${j.id} needs ${j.minSlots} slots but can get at most ${reachable} (maxSlotsPerTaskManager ${j.maxSlotsPerTaskManager})`;
      }
      return null;
    }
    case 'load-balancing': {
      const slots = instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
      if (instance.tasks.length > slots) return `there are ${instance.tasks.length} tasks but the TaskManagers have ${slots} slots in all`;
      const memory = instance.taskManagers.reduce((t, tm) => t + tm.memoryBytes, 0);
      const need = instance.tasks.reduce((t, x) => t + x.memoryBytes, 0);
      if (need > memory) return `the tasks need ${need} bytes of memory but the TaskManagers have ${memory} in all`;
      return null;
    }
  }
}
