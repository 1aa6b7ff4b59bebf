/**
 * slotlab's executing runtime: runs a placement of a DAG placement instance on worker threads (one per
 * TaskManager) with real records and reports the measured completion time beside the model's prediction.
 * Imports models/ only; the caller brings the placement (from a file or a solver). This is the runtime's public
 * surface (`import { runPlacement } from 'slotlab'`); internal: the TaskManager worker and its protocol, channels,
 * record batches, the emulated CPU and the report's assembly.
 */
export { runPlacement } from './job-master.ts';
export { RunConfigurationError, RunFailedError, RunTimeoutError, type WorkerExit } from './errors.ts';
export { EXECUTION_MODES, FAILOVER_STRATEGIES, RUNTIME_DATA_DIR, buildJobPlan, resolveRunOptions, type ExecutionMode, type FailoverStrategy, type JobPlan, type PlacementReplacer, type RunOptions } from './plan.ts';
export type { CheckpointFigures, FailureFigures, RestartFigures, RunReport, SinkRunFigures, SubtaskRunFigures, TaskManagerRunFigures } from './report.ts';
export { OPERATORS, findOperator, operatorKinds } from './operators/index.ts';
export { words } from './operators/functions.ts';
export type { Key } from './records/batch.ts';
export { ClusterInterruptedError, ClusterRuntime, RUNTIME_HEARTBEAT, runCluster, type ClusterRuntimeOptions, type HeartbeatFault, type TaskManagerWorkerRecord } from './cluster/index.ts';
export { CHECKPOINT_FORMAT, CheckpointStore, DEFAULT_RETAINED_CHECKPOINTS, type CompletedCheckpoint, type LatestCheckpoint } from './checkpoint/store.ts';
export { committedOverSegments, rescaleCheckpointState, runRescaledSegment, type RescaleFrom } from './rescale-state.ts';
export type { StoppedAtCheckpoint } from './report.ts';
export { observeSegment, runWithRescales, type Deployment, type RescaleLoopOptions, type RescaleNext, type RescaledRun, type RescaleSegment, type SegmentRunner } from './rescale-loop.ts';
