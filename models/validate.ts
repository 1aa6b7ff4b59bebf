import type { PlacementVariant } from './dag-placement/instance.ts';
import type { AnyInstance, CheckedSolutionByModel, InstanceByModel, ModelKind } from './model-kind.ts';
import type { Violation } from './violation.ts';
import { validateDagPlacement } from './dag-placement/validator.ts';
import { validateSlotAllocation } from './slot-allocation/validator.ts';
import { validateLoadBalancing } from './load-balancing/validator.ts';
import { evaluateDagPlacement } from './dag-placement/evaluate.ts';
import { hasResourceProfiles, slotAllocationObjective, slotAllocationStranded } from './slot-allocation/instance.ts';
import { evaluateLoadBalancing } from './load-balancing/instance.ts';
import { dagPlacementInfeasibility } from './dag-placement/feasibility.ts';
import { hasDagResourceProfiles } from './dag-placement/resources.ts';
import { slotAllocationInfeasibility } from './slot-allocation/feasibility.ts';
import { loadBalancingInfeasibility } from './load-balancing/feasibility.ts';

/**
 * One function per model for each question a caller asks of any instance; indexed by the instance's kind, so that
 * an instance and its solution stay paired by type (no casts at the call sites).
 */
interface ModelFunctions<M extends ModelKind> {
  validate(instance: InstanceByModel[M], solution: CheckedSolutionByModel[M], variant: PlacementVariant | undefined): Violation[];
  objective(instance: InstanceByModel[M], solution: CheckedSolutionByModel[M], variant: PlacementVariant | undefined): number;
  infeasibility(instance: InstanceByModel[M], variant: PlacementVariant | undefined): string | undefined;
}

const MODELS: { readonly [M in ModelKind]: ModelFunctions<M> } = Object.freeze({
  'dag-placement': {
    validate: (instance, solution, variant) => validateDagPlacement(instance, solution, variant ?? instance.variant),
    objective: (instance, solution, variant) => evaluateDagPlacement(instance, solution, variant ?? instance.variant).makespanMs,
    infeasibility: (instance, variant) => dagPlacementInfeasibility(instance, variant ?? instance.variant),
  },
  'slot-allocation': {
    validate: (instance, solution) => validateSlotAllocation(instance, solution),
    objective: (instance, solution) => slotAllocationObjective(instance, solution),
    infeasibility: (instance) => slotAllocationInfeasibility(instance),
  },
  'load-balancing': {
    validate: (instance, solution) => validateLoadBalancing(instance, solution),
    objective: (instance, solution) => evaluateLoadBalancing(instance, solution).objective,
    infeasibility: (instance) => loadBalancingInfeasibility(instance),
  },
});

function functionsOf<M extends ModelKind>(instance: InstanceByModel[M]): ModelFunctions<M> {
  // `InstanceByModel[M]['kind']` is M, which TypeScript does not reduce for a generic M: the one cast of the dispatch.
  return MODELS[instance.kind as M];
}

/** The model's own validator for any instance; the solution must be of the instance's model. */
export function validateSolution<M extends ModelKind>(instance: InstanceByModel[M], solution: CheckedSolutionByModel[M], variant?: PlacementVariant): Violation[] {
  return functionsOf(instance).validate(instance, solution, variant);
}

/** The model's objective recomputed from the solution (DAG placement: predicted completion time in ms). */
export function objectiveOf<M extends ModelKind>(instance: InstanceByModel[M], solution: CheckedSolutionByModel[M], variant?: PlacementVariant): number {
  return functionsOf(instance).objective(instance, solution, variant);
}

/**
 * The model's infeasibility check (models/<model>/feasibility.ts): a sentence saying why no solution can exist,
 * or undefined (which does not prove feasibility). `variant` applies to DAG placement only. The solver registry
 * answers `status: 'infeasible'` with it before any solver runs.
 */
export function infeasibilityOf<M extends ModelKind>(instance: InstanceByModel[M], variant?: PlacementVariant): string | undefined {
  return functionsOf(instance).infeasibility(instance, variant);
}

/** What the objective measures, for people. */
export function objectiveLabel(instance: AnyInstance): string {
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
export function describeInstance(instance: AnyInstance): string {
  switch (instance.kind) {
    case 'dag-placement':
      return `${instance.name} (dag-placement, ${instance.variant}): ${instance.job.ids.length} operators, ${instance.subtasks.length} subtasks, ${instance.edgeArrays.from.length} subtask edges, ${instance.taskManagers.length} TaskManagers, ${instance.slots.length} slots`;
    case 'slot-allocation':
      return `${instance.name} (slot-allocation): ${instance.taskManagers.length} TaskManagers, ${instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0)} slots, ${instance.jobs.length} jobs`;
    case 'load-balancing':
      return `${instance.name} (load-balancing, ${instance.objective}): ${instance.tasks.length} tasks, ${instance.taskManagers.length} TaskManagers`;
  }
}

/**
 * Fine-grained resources: stranded CPU cores and memory bytes of a solution (models/resources, `strandedOn`), or
 * undefined when the instance has no resource profiles. The solver registry adds them to every result as `metrics`.
 */
export function resourceMetricsOf(instance: AnyInstance, solution: unknown): Readonly<Record<string, number>> | undefined {
  if (instance.kind === 'slot-allocation' && hasResourceProfiles(instance) && solution !== undefined) {
    const s = slotAllocationStranded(instance, solution as Parameters<typeof slotAllocationStranded>[1]);
    return { strandedCpuCores: s.strandedCpuCores, strandedMemoryBytes: s.strandedMemoryBytes, strandedShare: s.strandedShare };
  }
  return undefined;
}

/**
 * Fine-grained resources: the first 'resources' violation of a solution (slots its TaskManagers cannot cut), or
 * undefined. The solver registry checks every answer with it, so that a solver that does not model profiles (most
 * heuristics, the DAG placement MILPs) never hands out a placement that does not fit: it answers `error` instead.
 */
export function resourceViolationOf(instance: AnyInstance, solution: unknown, variant?: PlacementVariant): string | undefined {
  const profiled = instance.kind === 'slot-allocation' ? hasResourceProfiles(instance) : instance.kind === 'dag-placement' ? hasDagResourceProfiles(instance) : false;
  if (!profiled || solution === undefined) return undefined;
  const violations = validateSolution(instance as InstanceByModel[ModelKind], solution as CheckedSolutionByModel[ModelKind], variant);
  return violations.find((v) => v.constraint === 'resources')?.message;
}
