/**
 * A model of the time a job takes to recover from a failure, as Flink's documentation breaks it down ("Task
 * Failure Recovery"; the checkpointing docs: recovery replays the records since the last completed checkpoint):
 *
 *   recovery = detection + restart delay + redeploy + replay,   replay = records to replay / processing rate
 *
 * - detection: until the failure is noticed (a TaskManager lost: up to `heartbeat.timeout`; a crashed worker
 *   thread or a subtask that throws: at once);
 * - restart delay: the restart strategy's delay for this attempt;
 * - redeploy: cancelling the failed attempt and deploying the job again (restoring the checkpoint's state);
 * - replay: the sources re-emit what they had emitted between the checkpoint restored from and the failure, at the
 *   rate they ran at before the failure.
 *
 * Everything is in the same (wall) ms as the run. Recovery ends when the job is back where it was at the failure.
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

export function predictRecoveryMs(input: RecoveryTimeInput): RecoveryTimePrediction {
  const replayMs = input.replayRecords <= 0 ? 0 : input.recordsPerMs > 0 ? input.replayRecords / input.recordsPerMs : Number.POSITIVE_INFINITY;
  return { ...input, replayMs, recoveryMs: input.detectionMs + input.restartDelayMs + input.redeployMs + replayMs };
}
