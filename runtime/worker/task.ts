import { nowMs, yieldToEventLoop } from '../clock.ts';
import type { InputGate, InputItem } from '../channels/input.ts';
import type { OutputCollector } from '../channels/output.ts';
import type { Operator } from '../operators/types.ts';
import type { RecordBatch } from '../records/batch.ts';
import type { ExecutionMode, SubtaskPlan } from '../plan.ts';
import type { WorkAccount } from './cpu.ts';
import type { SubtaskMetrics } from './protocol.ts';

/** A running subtask yields to the event loop at least this often (ms), so messages and credits get through. */
const YIELD_INTERVAL_MS = 2;

export type TaskState = 'created' | 'deployed' | 'running' | 'finished' | 'failed';

/** An error thrown by a subtask, with the subtask it came from. */
export class SubtaskError extends Error {
  override name = 'SubtaskError';
  constructor(
    readonly subtask: number,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** Thrown inside a subtask that was cancelled (its job ended elsewhere); never reported. */
export class TaskCancelledError extends Error {
  override name = 'TaskCancelledError';
}

/** How a subtask takes part in checkpoints and fault injection (from its TaskManager). */
export interface TaskCheckpointing {
  /** The subtask aligned checkpoint `checkpointId` and took its snapshot (sources: recorded their offset). */
  acknowledge(checkpointId: number, state: unknown): void;
  /** Records processed (stream: records in; source: records out) since the last call, for fault injection. */
  onRecords(records: number): void;
  /** Fault injection: the subtask throws once it has processed this many records (records in; source: out). */
  readonly throwAfterRecords: number | undefined;
}

export const NO_CHECKPOINTING: TaskCheckpointing = { acknowledge: () => undefined, onRecords: () => undefined, throwAfterRecords: undefined };

/** A subtask's counters so far, the running busy and back-pressure intervals included (for the sliding-window rates). */
export interface LiveCounters {
  readonly busyMs: number;
  readonly backPressuredMs: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
}

/**
 * One subtask in a TaskManager: waits until it is deployed, its slot's turn has come (`sequenced`), in
 * `blocking` mode every input is complete and (`shared`, blocking) its core's turn has come; then runs its
 * operator over its inputs, measuring busy time
 * (in the operator), back-pressure (waiting for credits) and records and bytes in and out.
 */
export class Task {
  state: TaskState = 'created';
  private deployedAt = 0;
  private startAt = 0;
  private busyMs = 0;
  private backPressuredMs = 0;
  private recordsIn = 0;
  private bytesIn = 0;
  private readonly deployed: Promise<void>;
  private slotTurn: Promise<void> = Promise.resolve();
  private coreTurn: Promise<void> | undefined;
  /** Time from ready (deployed, slot's turn, inputs complete) until this subtask's emulated core was free. */
  private coreWaitMs = 0;
  private markDeployed!: () => void;
  /** When the running busy (operator code) or back-pressured interval began, else null. */
  private busySince: number | null = null;
  private backPressuredSince: number | null = null;
  private cancelled = false;
  /** Rejects the wait in progress (a task waits for one thing at a time) when the task is cancelled. */
  private wake: ((error: Error) => void) | null = null;
  private finishedSignal!: () => void;
  /** Resolves when this task has finished (the next subtask of its slot may start). */
  readonly finished: Promise<void>;

  constructor(
    readonly plan: SubtaskPlan,
    private readonly operator: Operator,
    private readonly gate: InputGate | null,
    private readonly output: OutputCollector,
    private readonly account: WorkAccount,
    private readonly mode: ExecutionMode,
    private readonly batchRecords: number,
    /** Returns one credit, and the batch's buffers, for a processed batch of channel `channelId` (pipelined mode). */
    private readonly returnCredit: (channelId: number, batch: RecordBatch) => void,
    /** Called when the subtask has nothing to process and is about to wait for input. */
    private readonly onIdle: () => void,
    private readonly onRunning: (at: number) => void,
    private readonly checkpointing: TaskCheckpointing = NO_CHECKPOINTING,
  ) {
    this.deployed = new Promise((resolve) => {
      this.markDeployed = resolve;
    });
    this.finished = new Promise((resolve) => {
      this.finishedSignal = resolve;
    });
  }

  /** Checkpoints the job master triggered at this source, not yet injected (sources only). */
  private readonly triggers: number[] = [];
  /** Records processed so far, for the injected failure. */
  private processed = 0;

  /**
   * The job master triggers checkpoint `checkpointId` (sources): between two `produce` calls the source records its
   * offset, seals its buffers and sends barrier `checkpointId` down every channel. A source that has finished
   * ignores it (the job master takes its final state).
   */
  triggerCheckpoint(checkpointId: number): void {
    this.triggers.push(checkpointId);
  }

  private count(records: number): void {
    if (records <= 0) return;
    this.processed += records;
    this.checkpointing.onRecords(records);
    const limit = this.checkpointing.throwAfterRecords;
    if (limit !== undefined && this.processed >= limit) throw new Error(`injected failure after ${limit} records`);
  }

  /** `sequenced`: this task's slot runs it only after `previous` (the slot's preceding subtask) has finished. */
  runAfter(previous: Promise<void>): void {
    this.slotTurn = previous;
  }

  /**
   * `shared`, blocking: this task holds one of its TaskManager's emulated cores from start to end, after
   * `previous` (the preceding subtask on that core, in the predicted schedule's order) has finished. The wait
   * for it is reported as CPU wait.
   */
  runAfterOnCore(previous: Promise<void>): void {
    this.coreTurn = previous;
  }

  /** Stops the subtask at its next step (its job ended elsewhere): `run` rejects with TaskCancelledError. */
  cancel(): void {
    this.cancelled = true;
    const wake = this.wake;
    this.wake = null;
    wake?.(new TaskCancelledError(`subtask ${this.plan.id} cancelled`));
  }

  /** Waits for `p`, or rejects with TaskCancelledError once the subtask is cancelled. */
  private until<T>(p: Promise<T>): Promise<T> {
    if (this.cancelled) return Promise.reject(new TaskCancelledError(`subtask ${this.plan.id} cancelled`));
    return new Promise<T>((resolve, reject) => {
      this.wake = reject;
      p.then(
        (value) => {
          this.wake = null;
          resolve(value);
        },
        (error: unknown) => {
          this.wake = null;
          reject(error);
        },
      );
    });
  }

  /** The counters at `now`, the running intervals included; busy excludes waits for an emulated core. */
  live(now: number): LiveCounters {
    return {
      busyMs: this.busyMs - this.account.cpuWaitMs + (this.busySince === null ? 0 : now - this.busySince),
      backPressuredMs: this.backPressuredMs + (this.backPressuredSince === null ? 0 : now - this.backPressuredSince),
      recordsIn: this.recordsIn,
      recordsOut: this.output.recordsOut,
    };
  }

  /** Its figures until `now` (a subtask stopped before its end: a stop-with-checkpoint). */
  metricsSoFar(now: number): SubtaskMetrics {
    const live = this.live(now);
    const startAt = this.state === 'running' ? this.startAt : now;
    return {
      deployedAt: this.state === 'created' ? now : this.deployedAt,
      startAt,
      endAt: now,
      busyMs: live.busyMs,
      backPressuredMs: live.backPressuredMs,
      cpuWaitMs: this.account.cpuWaitMs + this.coreWaitMs,
      recordsIn: this.recordsIn,
      recordsOut: this.output.recordsOut,
      bytesIn: this.bytesIn,
      bytesOut: this.output.bytesOut,
    };
  }

  deploy(): void {
    if (this.state !== 'created') return;
    this.state = 'deployed';
    this.deployedAt = nowMs();
    this.markDeployed();
  }

  /** Runs to the end; rejects with a SubtaskError when the operator throws. */
  async run(): Promise<{ metrics: SubtaskMetrics; finalState: unknown }> {
    await this.until(this.deployed);
    await this.until(this.slotTurn);
    if (this.mode === 'blocking' && this.gate !== null) await this.until(this.gate.whenComplete());
    if (this.coreTurn !== undefined) {
      const ready = nowMs();
      await this.until(this.coreTurn);
      this.coreWaitMs = nowMs() - ready;
    }
    this.state = 'running';
    this.startAt = nowMs();
    this.onRunning(this.startAt);
    let endAt: number;
    try {
      if (this.operator.role === 'source') await this.runSource(this.operator);
      else await this.runStream(this.operator);
      const t = nowMs();
      this.busySince = t;
      await this.account.settle();
      endAt = nowMs();
      this.busySince = null;
      this.busyMs += endAt - t;
      // The work is done at endAt; the end markers (blocking: the whole partition) leave now, so every
      // transfer starts no earlier than the producer's end, as in the model.
      this.output.finish();
    } catch (error) {
      this.state = 'failed';
      this.busySince = null;
      this.backPressuredSince = null;
      if (error instanceof TaskCancelledError) throw error;
      throw new SubtaskError(this.plan.index, error);
    }
    this.state = 'finished';
    this.finishedSignal();
    // The finished subtask's last state: a later checkpoint takes it as this subtask's acknowledgement (sinks: the
    // final transaction, committed when the job ends or that checkpoint completes).
    const finalState = this.operator.snapshot ? this.operator.snapshot('final') : null;
    return {
      metrics: {
        deployedAt: this.deployedAt,
        startAt: this.startAt,
        endAt,
        busyMs: this.busyMs - this.account.cpuWaitMs,
        backPressuredMs: this.backPressuredMs,
        cpuWaitMs: this.account.cpuWaitMs + this.coreWaitMs,
        recordsIn: this.recordsIn,
        recordsOut: this.output.recordsOut,
        bytesIn: this.bytesIn,
        bytesOut: this.output.bytesOut,
      },
      finalState,
    };
  }

  private async drain(): Promise<void> {
    if (!this.output.backlogged()) return;
    const t = nowMs();
    this.backPressuredSince = t;
    await this.until(this.output.whenDrained());
    this.backPressuredSince = null;
    this.backPressuredMs += nowMs() - t;
  }

  private async runSource(op: Extract<Operator, { role: 'source' }>): Promise<void> {
    let lastYield = nowMs();
    for (;;) {
      if (this.cancelled) throw new TaskCancelledError(`subtask ${this.plan.id} cancelled`);
      const t = nowMs();
      this.busySince = t;
      // a source's records count when emitted (read), not when their batch is sealed: progress and stop-with-checkpoint
      // follow what it has read even while its batches fill slowly
      const emittedBefore = this.output.recordsEmitted;
      const more = await op.produce(this.output, this.batchRecords);
      const after = nowMs();
      this.busySince = null;
      this.busyMs += after - t;
      this.count(this.output.recordsEmitted - emittedBefore);
      // checkpoints triggered meanwhile: offset, then the barrier behind every record emitted so far
      while (this.triggers.length > 0) {
        const checkpointId = this.triggers.shift()!;
        const state = op.snapshot ? op.snapshot(checkpointId) : null;
        this.output.barrier(checkpointId);
        this.checkpointing.acknowledge(checkpointId, state);
      }
      await this.drain();
      if (!more) break;
      if (after - lastYield >= YIELD_INTERVAL_MS) {
        await yieldToEventLoop();
        lastYield = nowMs();
      }
    }
    this.output.flush();
    await this.drain();
  }

  private async runStream(op: Extract<Operator, { role: 'stream' }>): Promise<void> {
    const gate = this.gate!;
    const pipelined = this.mode === 'pipelined';
    let lastYield = nowMs();
    // Barrier alignment (Carbone et al. 2015): after barrier n on a channel, that channel's items are held until
    // barrier n has arrived on every channel that has not ended; then the snapshot is taken, the barrier forwarded,
    // and the held items are processed first, each channel in its own order.
    let aligning: number | undefined;
    const blocked = new Set<number>();
    const ended = new Set<number>();
    let held: InputItem[] = [];
    let replay: InputItem[] = [];
    const aligned = (): boolean => blocked.size + [...ended].filter((c) => !blocked.has(c)).length === gate.channelCount;
    const completeAlignment = (checkpointId: number): void => {
      const state = op.snapshot ? op.snapshot(checkpointId) : null;
      this.output.barrier(checkpointId);
      this.checkpointing.acknowledge(checkpointId, state);
      aligning = undefined;
      blocked.clear();
      replay = held.concat(replay);
      held = [];
    };
    for (;;) {
      if (this.cancelled) throw new TaskCancelledError(`subtask ${this.plan.id} cancelled`);
      const item = replay.length > 0 ? replay.shift() : gate.poll();
      if (item === undefined) {
        if (gate.exhausted) break;
        if (pipelined) this.onIdle();
        await this.until(gate.arrival());
        lastYield = nowMs();
        continue;
      }
      if (aligning !== undefined && blocked.has(item.channelId)) {
        held.push(item);
        continue;
      }
      if (item.barrier !== undefined) {
        aligning ??= item.barrier;
        blocked.add(item.channelId);
        if (aligned()) completeAlignment(aligning);
        await this.drain();
        continue;
      }
      const t = nowMs();
      this.busySince = t;
      if (item.batch === null) {
        ended.add(item.channelId);
        if (op.endOfChannel) await op.endOfChannel(item.input, item.channel, this.output);
      } else {
        this.recordsIn += item.batch.length;
        this.bytesIn += item.batch.bytes;
        await op.process(item.input, item.channel, item.batch, this.output);
        if (pipelined) this.returnCredit(item.channelId, item.batch);
        this.count(item.batch.length);
      }
      const after = nowMs();
      this.busySince = null;
      this.busyMs += after - t;
      if (item.batch === null && aligning !== undefined && aligned()) completeAlignment(aligning);
      await this.drain();
      if (after - lastYield >= YIELD_INTERVAL_MS) {
        await yieldToEventLoop();
        lastYield = nowMs();
      }
    }
    const t = nowMs();
    this.busySince = t;
    if (op.finish) await op.finish(this.output);
    this.output.flush();
    this.busySince = null;
    this.busyMs += nowMs() - t;
    await this.drain();
  }

  /** The job master completed checkpoint `checkpointId`: sinks drop what they staged up to it (committed). */
  checkpointComplete(checkpointId: number): void {
    if (this.operator.role === 'stream') this.operator.notifyCheckpointComplete?.(checkpointId);
  }
}
