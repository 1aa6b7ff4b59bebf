/**
 * The models layer's public surface: the graphs, the three models (instance, objective/evaluator, validator, bounds,
 * MILP formulation), solutions, typed errors, the seeded generator and the MILP modelling layer. Imports no other
 * folder. `import { ... } from 'slotlab'` re-exports all of it.
 *
 * Internal (imported by path inside slotlab, not part of the surface): index-based solution forms
 * (`IndexedPlacement`, `toIndexedPlacement`), time-indexing plans of the DAG formulation, violation formatting
 * helpers, numeric tolerances, and package-files.ts (where the package's own files are at run time).
 */
export {
  SlotlabError,
  InstanceFormatError,
  InvalidInstanceError,
  CyclicGraphError,
  SolverNotApplicableError,
  isSlotlabError,
  describeValue,
} from './errors.ts';
export { seededRng, shuffled, type Rng } from './rng.ts';

export {
  PARTITIONINGS,
  createJobGraph,
  type Partitioning,
  type OperatorSpec,
  type JobEdgeSpec,
  type JobGraphSpec,
  type OperatorAttributes,
  type JobEdgeAttributes,
  type JobGraph,
} from './graphs/job-graph.ts';
export {
  createCluster,
  parseClusterShorthand,
  linkBetween,
  areAdjacent,
  transferMs,
  type LinkSpec,
  type TaskManagerSpec,
  type ClusterSpec,
  type Link,
  type TaskManagerAttributes,
  type ClusterGraph,
  type Cluster,
} from './graphs/cluster.ts';
export { expandJobGraph, subtaskId, consumerSubtaskIndices, producerSubtaskIndices, pointwiseConsumerRange, type ExecutionGraph, type SubtaskAttributes, type SubtaskEdgeAttributes } from './graphs/execution-graph.ts';
export { topologicalOrder, findCycle } from './graphs/dag.ts';

export {
  PLACEMENT_VARIANTS,
  createDagPlacementInstance,
  compileDagPlacementInstance,
  withVariant,
  type PlacementVariant,
  type DagPlacementSpec,
  type DagPlacementInstance,
  type Subtask,
  type SubtaskEdge,
  type TaskManager,
  type Slot,
  type OperatorInfo,
} from './dag-placement/instance.ts';
export { evaluateDagPlacement, earliestSchedule, type DagPlacementEvaluation, type TaskManagerFigures } from './dag-placement/evaluate.ts';
export { validateDagPlacement } from './dag-placement/validator.ts';
export { makespanLowerBounds, roundUpMakespanBound, type MakespanLowerBounds } from './dag-placement/bounds.ts';
export { dagPlacementInfeasibility } from './dag-placement/feasibility.ts';
export {
  FLINK_OPTION,
  FLINK_VERSIONS,
  LOAD_BALANCE_MODES,
  LOAD_BALANCE_MODE_STRATEGY,
  flinkSettings,
  slotSharingGroupsOfPlacement,
  withSlotSharingGroups,
  type FlinkResourceProfile,
  type FlinkSettings,
  type FlinkSlotSharingGroup,
  type FlinkVersion,
  type LoadBalanceMode,
  type ResourceProfileOf,
} from './dag-placement/flink-settings.ts';
export { formulateDagPlacementTimeIndexed, type DagPlacementFormulation, type TimeIndexedOptions } from './dag-placement/formulation.ts';
export { formulateDagPlacementContinuous, type ContinuousOptions } from './dag-placement/formulation-continuous.ts';

export {
  LOAD_BALANCING_OBJECTIVES,
  createLoadBalancingInstance,
  evaluateLoadBalancing,
  type LoadBalancingObjective,
  type LoadBalancingSpec,
  type LoadBalancingInstance,
  type LoadBalancingTask,
  type LoadBalancingTaskManager,
  type LoadBalancingEvaluation,
  type TaskAssignment,
} from './load-balancing/instance.ts';
export { validateLoadBalancing } from './load-balancing/validator.ts';
export { loadBalancingInfeasibility } from './load-balancing/feasibility.ts';
export { formulateMaxUtilization, formulateSquaredDeviation, type LoadBalancingFormulation, type SquaredDeviationFormulation } from './load-balancing/formulation.ts';

export {
  createSlotAllocationInstance,
  slotAllocationObjective,
  usedSlots,
  type SlotAllocationSpec,
  type SlotAllocationInstance,
  type SlotAllocationJob,
  type SlotAllocationTaskManager,
  type SlotProfile,
  type SlotGrant,
  type SlotAllocation,
} from './slot-allocation/instance.ts';
export { validateSlotAllocation } from './slot-allocation/validator.ts';
export { slotAllocationInfeasibility } from './slot-allocation/feasibility.ts';
export { formulateSlotAllocation } from './slot-allocation/formulation.ts';

export { isSchedule, toPlacement, toSchedule, type Placement, type Schedule, type SubtaskAssignment, type ScheduledAssignment } from './solution.ts';
export { validateSolution, objectiveOf, objectiveLabel, describeInstance, infeasibilityOf } from './validate.ts';
export { MODEL_KINDS, type ModelKind, type InstanceByModel, type SolutionByModel, type AnyInstance, type AnySolution } from './model-kind.ts';
export type { Violation } from './violation.ts';
export { balanceMetrics, type BalanceMetrics } from './metrics.ts';

export * from './milp/index.ts';
export * from './predict/index.ts';
export {
  createRestartStrategy,
  parseFlinkDurationMs,
  RESTART_STRATEGY_DEFAULTS,
  RESTART_STRATEGY_NAMES,
  restartStrategyFromFlinkOptions,
  scaleRestartStrategy,
  type RestartDecision,
  type RestartStrategyConfig,
  type RestartStrategyName,
  type RestartStrategyState,
} from './recovery/restart-strategy.ts';
export * from './resources/index.ts';
export * from './scaling/index.ts';
