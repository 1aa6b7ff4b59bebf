import type { Key, RecordBatch } from '../records/batch.ts';
import type { OperatorContext } from './context.ts';

/**
 * The operator contract. An operator definition checks its parameters in the job master (before any worker
 * starts) and creates one operator instance per subtask inside the TaskManager worker that runs it, from the
 * subtask's `OperatorContext` (`./context.ts`).
 */

export interface Output {
  /** Sends one record to every output (partitioned per the edge: forward, hash on key, rebalance, broadcast). */
  emit(key: Key, value: number, time: number): void;
  /** Sends one record to one channel of one output, bypassing the partitioner (replayed operators). */
  emitTo(output: number, channel: number, key: Key, value: number, time: number): void;
  /** Number of outputs (consumer operators). */
  readonly outputCount: number;
}

/**
 * An operator's snapshot for a checkpoint (plain JSON: it is written to disk by runtime/checkpoint/store.ts).
 * `checkpointId` is the checkpoint whose barrier the subtask has aligned, or `'final'` when the subtask has finished
 * (its last state, which a later checkpoint and the job's end take as its acknowledgement).
 */
export type SnapshotFn = (checkpointId: number | 'final') => OperatorState;

/** JSON: what an operator's snapshot holds (offsets, keyed state, staged sink output). */
export type OperatorState = unknown;

export interface SourceOperator {
  readonly role: 'source';
  /** Emits up to about `maxRecords` records; returns false once the source is exhausted. */
  produce(out: Output, maxRecords: number): boolean | Promise<boolean>;
  /** The source's position (a replayable source resumes from it when restored: `OperatorContext.restoredState`). */
  snapshot?: SnapshotFn;
}

export interface StreamOperator {
  readonly role: 'stream';
  /** One batch from channel `channel` (producer subtask index) of input `input` (producer operator, in job edge order). */
  process(input: number, channel: number, batch: RecordBatch, out: Output): void | Promise<void>;
  /** That channel will send nothing more. */
  endOfChannel?(input: number, channel: number, out: Output): void | Promise<void>;
  /** Every input channel has ended: emit what is left. */
  finish?(out: Output): void | Promise<void>;
  /** Keyed state, staged sink output (`SinkState`): restored from `OperatorContext.restoredState`. */
  snapshot?: SnapshotFn;
  /** The job master completed this checkpoint (a sink drops the transactions it staged up to it: committed). */
  notifyCheckpointComplete?(checkpointId: number): void;
}

export type Operator = SourceOperator | StreamOperator;

/**
 * A sink's staged output for one checkpoint (two-phase commit): the records it received between two barriers,
 * committed by the job master when that checkpoint completes (`'final'`: after the last barrier, committed when the
 * job ends or the next checkpoint completes). Committing is idempotent: a transaction is committed once per
 * subtask and id.
 */
export interface SinkTransaction extends SinkResult {
  readonly checkpointId: number | 'final';
}

/** A sink's snapshot: its transactions not yet known to be committed. */
export interface SinkState {
  readonly staged: readonly SinkTransaction[];
}

/** What one sink subtask saw. `digest` is the sum mod 2^32 of per-record hashes: equal multisets, equal digests. */
export interface SinkResult {
  readonly records: number;
  readonly valueSum: number;
  readonly digest: number;
  /** Every record, when the sink keeps its output (`keep: true`): [key, value, time]. */
  readonly kept?: ReadonlyArray<readonly [Key, number, number]>;
}

export type InputArity = 'none' | 'one-or-more' | 'two' | 'any';

/** Where a parameter check reports problems: the instance (file) name and the operator's JSON path. */
export interface ParamsSite {
  readonly source: string;
  /** e.g. `job.operators[tokenize]` */
  readonly at: string;
  readonly operatorId: string;
  readonly parallelism: number;
  /** Producer operator ids, in job edge order. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Folders searched for relative file names. */
  readonly dataDirs: readonly string[];
}

export interface OperatorDefinition {
  /** Canonical kind, e.g. `flat-map`. */
  readonly kind: string;
  /** Other spellings accepted in job graphs (`flatMap`, `source`); matched case-insensitively, ignoring `-` and `_`. */
  readonly aliases: readonly string[];
  readonly description: string;
  readonly inputs: InputArity;
  /** Keeps state in managed memory (window, join): it gets a share of its slot's managed memory (context.ts, ManagedMemory). */
  readonly usesManagedMemory?: boolean;
  /** Checks the parameters and returns them completed with defaults. Throws InvalidInstanceError. */
  prepare(params: Readonly<Record<string, unknown>>, site: ParamsSite): Record<string, unknown>;
  /** Sources whose output size is known before the run: records emitted by subtask `subtaskIndex`. */
  recordsEmitted?(params: Readonly<Record<string, unknown>>, subtaskIndex: number, parallelism: number): number;
  create(ctx: OperatorContext): Operator;
  /**
   * How its subtasks take part in checkpoints: `stateless` (nothing to snapshot: map, filter, ...), `snapshot`
   * (its instances implement `snapshot` and resume from `restoredState`). Absent: not supported yet, so a job with
   * this operator cannot checkpoint or recover.
   */
  readonly checkpoints?: 'stateless' | 'snapshot';
  /**
   * Rescaling with state (runtime/rescale-state.ts): the snapshots of this operator's p subtasks (index order;
   * undefined where a subtask took none) redistributed to `to.toParallelism` subtasks. Keyed state moves by key group
   * (`to.ownerOf`). Absent on a `snapshot` operator: its state cannot follow a change of parallelism.
   */
  rescaleState?(states: ReadonlyArray<OperatorState | undefined>, to: StateRescaling): Array<OperatorState | undefined>;
}

/** A change of one operator's parallelism, for `OperatorDefinition.rescaleState`. */
export interface StateRescaling {
  readonly operatorId: string;
  readonly fromParallelism: number;
  readonly toParallelism: number;
  /** The new subtask index that owns a key (its key group's owner: models/scaling/key-groups.ts). */
  ownerOf(key: Key): number;
}
