/**
 * A model of the time a job takes to recover from a failure, as Flink's documentation breaks it down ("Task
 * Failure Recovery"; the checkpointing docs: recovery replays the records since the last completed checkpoint):
 *
 *   recovery = detection + restart delay + redeploy + replay,   replay = records to replay / processing rate
 *
 * Every term is predicted from what is known before the failure:
 * - detection: until the failure is noticed (a TaskManager lost: up to `heartbeat.timeout`; a crashed worker
 *   thread or a subtask that throws: at once, 0);
 * - restart delay: the restart strategy's delay for this attempt;
 * - redeploy: re-planning, building and starting the restarted subtasks, at what the job's first deployment cost in
 *   this run (`predictRedeployMs`);
 * - replay: the sources re-emit what they had emitted between the checkpoint restored from and the failure, at the
 *   rate they ran at before the failure; the slowest source decides.
 *
 * Everything is in the same (wall) ms as the run. Recovery ends when the job is back where it was at the failure:
 * every restarted source running again and back at its pre-failure offset.
 */
export interface RecoveryTimeInput {
  readonly detectionMs: number;
  readonly restartDelayMs: number;
  readonly redeployMs: number;
  /** Records the sources emitted between the restored checkpoint and the failure (the slowest source's share). */
  readonly replayRecords: number;
  /** That source's emission rate before the failure, records per ms. */
  readonly recordsPerMs: number;
}

export interface RecoveryTimePrediction extends RecoveryTimeInput {
  readonly replayMs: number;
  readonly recoveryMs: number;
}

/** The four terms of one recovery in ms, as the runtime measured them or as the model predicts them. */
export interface RecoveryTerms {
  readonly detectionMs: number;
  readonly delayMs: number;
  readonly redeployMs: number;
  readonly replayMs: number;
}

/** Time to re-emit `records` at `recordsPerMs` (0 for nothing to replay; infinite for records at no rate). */
export function replayTimeMs(records: number, recordsPerMs: number): number {
  return records <= 0 ? 0 : recordsPerMs > 0 ? records / recordsPerMs : Number.POSITIVE_INFINITY;
}

export function predictRecoveryMs(input: RecoveryTimeInput): RecoveryTimePrediction {
  const replayMs = replayTimeMs(input.replayRecords, input.recordsPerMs);
  return { ...input, replayMs, recoveryMs: input.detectionMs + input.restartDelayMs + input.redeployMs + replayMs };
}

/** What deploying the job cost the first time, measured in the run before any failure. */
export interface DeploymentCost {
  /** Building the execution plan on the job master (placement evaluated, channels laid out). */
  readonly planMs: number;
  /** Building one subtask on a TaskManager (the slowest TaskManager's time / its subtasks); TaskManagers build in parallel. */
  readonly initMsPerSubtask: number;
  /** From `start` until every source ran: the job master's messages to the TaskManagers and the sources' first steps. */
  readonly startMs: number;
}

/**
 * The redeploy term: re-planning (only when subtasks move off a lost TaskManager), building the restarted subtasks on
 * the TaskManager that gets the most of them, and starting them, each at the first deployment's measured cost.
 */
export function predictRedeployMs(first: DeploymentCost, restart: { readonly replanned: boolean; readonly maxSubtasksPerTaskManager: number }): number {
  return (restart.replanned ? first.planMs : 0) + first.initMsPerSubtask * restart.maxSubtasksPerTaskManager + first.startMs;
}
