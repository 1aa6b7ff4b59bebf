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
 *   steady rate they ran at before the failure (start-up left out); the slowest source decides.
 *
 * Everything is in the same (wall) ms as the run. Recovery ends when the job is back where it was at the failure:
 * every restarted source running again and back at its pre-failure offset; a restart that reruns no source is back
 * once its subtasks are deployed (built on their TaskManagers), so neither its measured nor its predicted redeploy
 * holds a start.
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
  /** Building one subtask on a TaskManager thread that is up and has built one before (`warmBuildMsPerSubtask`). */
  readonly buildMsPerSubtask: number;
  /**
   * One exchange between the job master and its TaskManagers: the first deployment's `start` until every source ran
   * (the message out, the TaskManager's turn, the sources' first step), its only exchange with threads already up.
   */
  readonly exchangeMs: number;
}

/** What a restart redeploys, known when it is decided. */
export interface RedeployShape {
  /** Subtasks moved off a lost TaskManager: the job master builds a new plan. */
  readonly replanned: boolean;
  /** The most restarted subtasks one TaskManager builds (they build in parallel; region failover builds fewer). */
  readonly maxSubtasksPerTaskManager: number;
  /** The restart reruns a source: it is back once its sources run again, so the start exchange counts. */
  readonly restartsSources: boolean;
}

/**
 * The redeploy term, each part at the first deployment's measured cost: re-planning (only when subtasks move off a
 * lost TaskManager); the deploy exchange (`init` out to the TaskManagers, `ready` back) with the restarted subtasks
 * built on the TaskManager that gets the most of them; and, when sources restart, the start exchange (recovery ends
 * at their running again; a restart of no source is back once its subtasks are built).
 *
 *   redeploy = [replanned] plan + exchange + build per subtask × most subtasks on one TaskManager + [sources] exchange
 */
export function predictRedeployMs(first: DeploymentCost, restart: RedeployShape): number {
  return (
    (restart.replanned ? first.planMs : 0) +
    first.exchangeMs +
    first.buildMsPerSubtask * restart.maxSubtasksPerTaskManager +
    (restart.restartsSources ? first.exchangeMs : 0)
  );
}

/**
 * The build time of one subtask on a warm TaskManager thread, from the first deployment's builds (per TaskManager,
 * each subtask's build in order): the median of every build after a TaskManager's first. A fresh thread's first build
 * also compiles the runtime's code it runs for every subtask (the cold, one-off part); a restart builds on threads
 * that did this already. With no second build anywhere (one subtask per TaskManager), the median of all builds.
 */
export function warmBuildMsPerSubtask(buildsPerTaskManager: ReadonlyArray<readonly number[]>): number {
  const later = buildsPerTaskManager.flatMap((builds) => builds.slice(1));
  const sample = [...(later.length > 0 ? later : buildsPerTaskManager.flat())].sort((a, b) => a - b);
  if (sample.length === 0) return 0;
  const mid = sample.length >> 1;
  return sample.length % 2 === 1 ? sample[mid]! : (sample[mid - 1]! + sample[mid]!) / 2;
}
