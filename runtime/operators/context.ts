/**
 * What an operator instance knows about the subtask it runs as: built by the TaskManager worker from the job plan
 * (`runtime/worker/operator-context.ts`) and handed to `OperatorDefinition.create`. Operators see this and nothing
 * else of the plan, so `runtime/operators/` imports nothing from the rest of the runtime but records. Times are
 * wall ms (model ms x time scale).
 */

/** How `work` spends time: `cpu` burns real CPU on the worker's thread; `emulated` waits without using the CPU. */
export type CostKind = 'emulated' | 'cpu';

/**
 * The subtask's managed memory, against which operators with state (window, join) account it: Flink keeps such state
 * in the slot's managed memory (RocksDB, batch sort and hash tables). `limitBytes` is the subtask's share of its
 * slot's managed memory (models/dag-placement/resources.ts `managedMemoryOfSubtasks`; Infinity when its TaskManager
 * gives no `resources`). `grow` throws when the state would exceed the limit, with a message naming the subtask, the
 * operator, the state size and the limit.
 */
export interface ManagedMemory {
  readonly limitBytes: number;
  /** State held now, in bytes (as `stateBytes` in ./state-size.ts counts it). */
  readonly usedBytes: number;
  /** The state grew by `bytes` (> 0) or shrank (< 0). Throws ManagedMemoryExceededError past the limit. */
  grow(bytes: number): void;
}

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
  /** The subtask's managed memory (state accounting). */
  readonly managedMemory: ManagedMemory;
  /** The snapshot this subtask acknowledged in the checkpoint the job restores from; undefined: start fresh. */
  readonly restoredState: unknown;
}
