import { nowMs } from '../clock.ts';
import type { ChannelPlan, SubtaskPlan } from '../plan.ts';
import { BatchBuilder, cloneBatch, type Key, type RecordBatch } from '../records/batch.ts';
import { hashKey } from '../records/hash.ts';
import { defaultMaxParallelism, subtaskOfKey } from '../../models/scaling/key-groups.ts';
import type { Output } from '../operators/types.ts';

/** How a sealed batch (or the end of a channel) reaches the consumer's TaskManager: in memory or over a port. */
export interface ChannelTransport {
  deliver(channel: ChannelPlan, batch: RecordBatch, arriveAt: number): void;
  end(channel: ChannelPlan, arriveAt: number): void;
  /** Checkpoint barrier `checkpointId`, in the channel's order (after every batch sent before it). */
  barrier(channel: ChannelPlan, checkpointId: number, arriveAt: number): void;
}

/** A checkpoint barrier waiting in a channel behind the batches sent before it. */
interface PendingBarrier {
  readonly barrier: number;
}

/**
 * The producer's end of one channel.
 *
 * Flow control (pipelined): credit-based, as Flink's: the consumer grants `credits` buffers up front and returns
 * one credit each time it has processed a buffer; a batch is transmitted only against a credit, the rest waits
 * in `pending` and the producing subtask stops (back-pressure) until the backlog is gone.
 * Blocking mode: the channel is a blocking result partition; everything is held until the producer finishes,
 * then shipped at once.
 *
 * Link model: each channel has its own wire (no contention between channels, as in the model): a batch of b bytes
 * departs when the wire is free, occupies it b / bandwidth ms and arrives `latencyMs` later. The consumer's
 * TaskManager holds it until then. A batch that the model charges 0 bytes arrives at once.
 *
 * Checkpoint barriers (Carbone et al. 2015) travel in the same queue as the batches, so they never overtake a
 * record sent before them: a barrier behind batches that wait for credit waits with them. As in Flink, an event
 * needs no credit of its own: once it reaches the head of the queue it leaves, and arrives no earlier than the
 * batch before it.
 */
export class OutputChannel {
  private credits: number;
  private readonly pending: Array<RecordBatch | PendingBarrier> = [];
  /** Buffers the consumer has finished with and sent back (Flink's network buffer pool, per channel). */
  private readonly pool: Float64Array[] = [];
  private wireFreeAt = 0;
  private lastArrival = 0;
  recordsOut = 0;
  bytesOut = 0;

  constructor(
    readonly plan: ChannelPlan,
    credits: number,
    private readonly blocking: boolean,
    private readonly transport: ChannelTransport,
    private readonly onDrained: () => void,
    /** Blocking: keep a copy of the partition once shipped, so that a restarted consumer can read it again (region failover). */
    private readonly retain = false,
  ) {
    this.credits = credits;
  }

  /** Blocking with `retain`: the partition as shipped (copies), once the producer finished; else undefined. */
  retained: RecordBatch[] | undefined;

  get backlog(): number {
    return this.blocking ? 0 : this.pending.length;
  }

  send(batch: RecordBatch): void {
    this.recordsOut += batch.length;
    this.bytesOut += batch.bytes;
    this.pending.push(batch);
    if (!this.blocking) this.pump();
  }

  /** Takes back the number columns of a processed batch for reuse. */
  recycle(columns: readonly Float64Array[]): void {
    for (const c of columns) this.pool.push(c);
  }

  /** A column of `length` numbers: a recycled one when the pool has one of that size (contents stale). */
  takeColumn(length: number): Float64Array {
    const c = this.pool.pop();
    return c !== undefined && c.length === length ? c : new Float64Array(length);
  }

  addCredits(n: number): void {
    this.credits += n;
    this.pump();
  }

  /** Checkpoint barrier `checkpointId` after everything sent so far. */
  sendBarrier(checkpointId: number): void {
    this.pending.push({ barrier: checkpointId });
    if (!this.blocking) this.pump();
  }

  private pump(): void {
    if (this.pending.length === 0) return;
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      if ('barrier' in head) {
        this.pending.shift();
        const arriveAt = Math.max(nowMs() + this.plan.latencyMs, this.lastArrival);
        this.lastArrival = arriveAt;
        this.transport.barrier(this.plan, head.barrier, arriveAt);
        continue;
      }
      if (this.credits <= 0) break;
      this.credits--;
      this.transmit(this.pending.shift() as RecordBatch);
    }
    if (this.pending.length === 0) this.onDrained();
  }

  private transmit(batch: RecordBatch): void {
    const now = nowMs();
    let arriveAt = now;
    const { latencyMs, bandwidthBytesPerMs } = this.plan;
    if (batch.wireBytes > 0 && (latencyMs > 0 || bandwidthBytesPerMs !== Number.POSITIVE_INFINITY)) {
      const depart = Math.max(now, this.wireFreeAt);
      this.wireFreeAt = depart + batch.wireBytes / bandwidthBytesPerMs;
      arriveAt = this.wireFreeAt + latencyMs;
    }
    if (arriveAt > this.lastArrival) this.lastArrival = arriveAt;
    this.transport.deliver(this.plan, batch, arriveAt);
  }

  /** The producer is done. Blocking: ship the partition now. Either way, the end marker follows the last batch. */
  finish(): void {
    if (this.blocking) {
      if (this.retain) this.retained = this.pending.flatMap((b) => ('barrier' in b ? [] : [cloneBatch(b)]));
      for (const b of this.pending) if (!('barrier' in b)) this.transmit(b);
      this.pending.length = 0;
    }
    this.transport.end(this.plan, Math.max(nowMs(), this.lastArrival));
  }
}

const FORWARD = 0;
const HASH = 1;
const REBALANCE = 2;
const BROADCAST = 3;
const RESCALE = 4;

interface GateRuntime {
  readonly mode: number;
  readonly consumer: string;
  readonly builders: BatchBuilder[];
  readonly channels: OutputChannel[];
  next: number;
  /** `hash`: the consumer's key groups (Flink's default max parallelism of its parallelism). */
  readonly maxParallelism: number;
}

/**
 * A subtask's outputs: per consumer operator, the partitioner and one batch builder per channel.
 * `forward` sends to the one channel, `hash` to the subtask owning the key's key group (models/scaling/key-groups.ts,
 * Flink's KeyGroupRangeAssignment with the default max parallelism), `rebalance` round-robin (starting at the
 * producer's subtask index), `rescale` round-robin over its pointwise subset of the consumers (starting at the first,
 * as Flink's RescalePartitioner), `broadcast` to every channel.
 */
export class OutputCollector implements Output {
  private readonly gates: GateRuntime[];
  private readonly all: OutputChannel[] = [];
  private drainWaiter: (() => void) | null = null;
  readonly outputCount: number;
  /** Records emitted so far, sealed into a batch or not yet (a source's progress: what it has read). */
  recordsEmitted = 0;

  constructor(
    private readonly subtask: SubtaskPlan,
    channelOf: (id: number, onDrained: () => void) => OutputChannel,
    batchRecords: number,
  ) {
    const onDrained = () => {
      if (this.drainWaiter !== null && !this.backlogged()) {
        const w = this.drainWaiter;
        this.drainWaiter = null;
        w();
      }
    };
    const replayed = subtask.kind === 'synthetic';
    this.gates = subtask.outputs.map((g) => {
      const channels = g.channels.map((id) => channelOf(id, onDrained));
      this.all.push(...channels);
      const builders = channels.map((ch, c) => {
        const b = new BatchBuilder(batchRecords, (batch) => ch.send(batch), (length) => ch.takeColumn(length));
        if (replayed) {
          const planned = g.plannedRecords[c] ?? 0;
          b.wireBytesPerRecord = planned > 0 ? ch.plan.modelBytes / planned : 0;
        }
        return b;
      });
      const mode = g.partitioning === 'forward' ? FORWARD : g.partitioning === 'hash' ? HASH : g.partitioning === 'rebalance' ? REBALANCE : g.partitioning === 'rescale' ? RESCALE : BROADCAST;
      return { mode, consumer: g.operatorId, builders, channels, next: mode === RESCALE ? 0 : subtask.subtaskIndex % channels.length, maxParallelism: defaultMaxParallelism(Math.max(1, channels.length)) };
    });
    this.outputCount = this.gates.length;
  }

  emit(key: Key, value: number, time: number): void {
    this.recordsEmitted++;
    const gates = this.gates;
    for (let g = 0; g < gates.length; g++) {
      const gate = gates[g]!;
      switch (gate.mode) {
        case FORWARD:
          gate.builders[0]!.add(key, value, time);
          break;
        case HASH:
          if (key === null)
            throw new Error(`the hash edge to "${gate.consumer}" needs keyed records, but ${this.subtask.id} emitted one without a key (set one with a key-by operator)`);
          gate.builders[subtaskOfKey(hashKey(key), gate.maxParallelism, gate.builders.length)]!.add(key, value, time);
          break;
        case REBALANCE:
        case RESCALE: {
          gate.builders[gate.next]!.add(key, value, time);
          gate.next = gate.next + 1 === gate.builders.length ? 0 : gate.next + 1;
          break;
        }
        default:
          for (const b of gate.builders) b.add(key, value, time);
      }
    }
  }

  emitTo(output: number, channel: number, key: Key, value: number, time: number): void {
    this.gates[output]!.builders[channel]!.add(key, value, time);
  }

  /** Seals every partly filled buffer. */
  flush(): void {
    for (const g of this.gates) for (const b of g.builders) b.flush();
  }

  /** Seals every buffer, then sends checkpoint barrier `checkpointId` down every channel, behind those records. */
  barrier(checkpointId: number): void {
    this.flush();
    for (const ch of this.all) ch.sendBarrier(checkpointId);
  }

  backlogged(): boolean {
    for (const ch of this.all) if (ch.backlog > 0) return true;
    return false;
  }

  /** Resolves once no channel holds a batch waiting for credit. */
  whenDrained(): Promise<void> {
    if (!this.backlogged()) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainWaiter = resolve;
    });
  }

  /** Ends every channel (blocking: ships the partitions). Call after `flush` and, pipelined, after draining. */
  finish(): void {
    for (const ch of this.all) ch.finish();
  }

  get recordsOut(): number {
    let n = 0;
    for (const ch of this.all) n += ch.recordsOut;
    return n;
  }

  get bytesOut(): number {
    let n = 0;
    for (const ch of this.all) n += ch.bytesOut;
    return n;
  }
}
