import { SlotlabError } from '../models/errors.ts';

/**
 * The runtime's errors. Configuration problems are found before any worker starts; a failure during the run
 * names the operator, the subtask and the TaskManager, and is raised only after every worker has exited.
 */

/** The placement or the options cannot be run (invalid placement, pipelined mode on a sequenced slot, ...). */
export class RunConfigurationError extends SlotlabError {
  override name = 'RunConfigurationError';
}

export interface WorkerExit {
  readonly taskManager: string;
  readonly threadId: number;
  readonly exitCode: number;
}

/** A subtask (or a whole TaskManager) failed while the job ran. Every worker has exited when this is thrown. */
export class RunFailedError extends SlotlabError {
  override name = 'RunFailedError';
  constructor(
    message: string,
    /** Operator id of the failed subtask; undefined when a TaskManager failed outside any subtask. */
    readonly operatorId: string | undefined,
    /** Subtask id (`operator#index`). */
    readonly subtaskId: string | undefined,
    readonly taskManager: string | undefined,
    /** The user function's or the runtime's own message. */
    readonly reason: string,
    /** One entry per worker that was started: all of them have exited. */
    readonly workerExits: readonly WorkerExit[],
  ) {
    super(message);
  }
}

/** The job did not finish within `timeoutMs`; lists what was still running. Every worker has exited. */
export class RunTimeoutError extends SlotlabError {
  override name = 'RunTimeoutError';
  constructor(
    message: string,
    readonly unfinishedSubtasks: readonly string[],
    readonly workerExits: readonly WorkerExit[],
  ) {
    super(message);
  }
}
