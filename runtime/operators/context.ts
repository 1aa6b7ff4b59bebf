/**
 * What an operator instance knows about the subtask it runs as: built by the TaskManager worker from the job plan
 * (`runtime/worker/operator-context.ts`) and handed to `OperatorDefinition.create`. Operators see this and nothing
 * else of the plan, so `runtime/operators/` imports nothing from the rest of the runtime but records. Times are
 * wall ms (model ms x time scale).
 */

/** How `work` spends time: `cpu` burns real CPU on the worker's thread; `emulated` waits without using the CPU. */
export type CostKind = 'emulated' | 'cpu';

export interface OperatorContext {
  /** Prepared parameters (defaults filled in, files resolved). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Flink's 0-based subtask index within the operator. */
  readonly subtaskIndex: number;
  /** The operator's parallelism (its number of subtasks). */
  readonly parallelism: number;
  /** Per input (producer operator, in job edge order): the channels into this subtask (one per producer subtask; one for `forward`). */
  readonly inputChannelCounts: readonly number[];
  /** Per output (consumer operator, in job edge order), per channel: the records planned before the run (replayed producers, sized sources); undefined when not known. */
  readonly plannedOutputRecords: readonly (readonly (number | undefined)[])[];
  /** Records this subtask will receive, when every producer's output is planned; undefined for a source or when not known. */
  readonly expectedInputRecords: number | undefined;
  /** Wall ms per model time unit. */
  readonly timeScaleMsPerUnit: number;
  /** The speed factor of the TaskManager the subtask runs on. */
  readonly speedFactor: number;
  /** durationMs(subtask, TaskManager) x time scale: what a replayed (synthetic) subtask spends. */
  readonly durationMs: number;
  /**
   * Spends `ms` of wall time on work: `cpu` burns real CPU on this worker's thread; `emulated` waits without
   * using the CPU (under `shared` it holds one of the TaskManager's emulated cores meanwhile). Amounts below
   * a millisecond are accumulated and paid together, so per-record costs keep their average rate.
   */
  work(ms: number, cost: CostKind): Promise<void> | void;
  /** The snapshot this subtask acknowledged in the checkpoint the job restores from; undefined: start fresh. */
  readonly restoredState: unknown;
}
