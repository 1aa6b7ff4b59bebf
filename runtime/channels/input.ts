import { cappedTimeout, nowMs } from '../clock.ts';
import type { RecordBatch } from '../records/batch.ts';

/** A batch (or, with `batch` null, the end of a channel) that has arrived for a consumer subtask. */
export interface InputItem {
  /** Input gate (producer operator) index. */
  readonly input: number;
  /** Channel index within the gate (producer subtask index; 0 for forward). */
  readonly channel: number;
  /** Global channel id. */
  readonly channelId: number;
  readonly batch: RecordBatch | null;
  /** A checkpoint barrier (its checkpoint id; `batch` is then null and the channel goes on). */
  readonly barrier?: number;
}

/**
 * A consumer subtask's inputs, merged in arrival order (the task takes whatever arrived first, from any channel,
 * so no input can block another).
 */
export class InputGate {
  private items: Array<InputItem | undefined> = [];
  private head = 0;
  private endsArrived = 0;
  private waiter: (() => void) | null = null;
  private completeWaiters: Array<() => void> = [];

  constructor(readonly channelCount: number) {}

  push(item: InputItem): void {
    this.items.push(item);
    if (item.batch === null && item.barrier === undefined) {
      this.endsArrived++;
      if (this.complete) for (const w of this.completeWaiters.splice(0)) w();
    }
    if (this.waiter !== null) {
      const w = this.waiter;
      this.waiter = null;
      w();
    }
  }

  /** Every channel's end marker has arrived (its data with it). */
  get complete(): boolean {
    return this.endsArrived === this.channelCount;
  }

  /** Nothing more will come: every channel ended and everything was taken. */
  get exhausted(): boolean {
    return this.complete && this.head === this.items.length;
  }

  poll(): InputItem | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined; // taken: let the batch go
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Resolves when something arrives. */
  arrival(): Promise<void> {
    if (this.head < this.items.length) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  whenComplete(): Promise<void> {
    if (this.complete) return Promise.resolve();
    return new Promise((resolve) => this.completeWaiters.push(resolve));
  }
}

/**
 * The consumer's end of one channel: holds each batch until its arrival time (the link's latency and bandwidth),
 * in order, then hands it to the gate.
 */
export class InputChannel {
  private readonly queue: Array<{ readonly batch: RecordBatch | null; readonly at: number; readonly barrier: number | undefined }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;

  constructor(
    private readonly gate: InputGate,
    readonly input: number,
    readonly channel: number,
    readonly channelId: number,
  ) {}

  /** A batch, the channel's end (null) or, with `barrier`, a checkpoint barrier (batch null). */
  receive(batch: RecordBatch | null, arriveAt: number, barrier?: number): void {
    if (this.queue.length === 0 && arriveAt <= nowMs()) {
      this.gate.push(this.item(batch, barrier));
      return;
    }
    this.queue.push({ batch, at: arriveAt, barrier });
    if (this.timer === null && this.immediate === null) this.arm();
  }

  private item(batch: RecordBatch | null, barrier: number | undefined): InputItem {
    return barrier === undefined
      ? { input: this.input, channel: this.channel, channelId: this.channelId, batch }
      : { input: this.input, channel: this.channel, channelId: this.channelId, batch: null, barrier };
  }

  private arm(): void {
    const head = this.queue[0];
    if (head === undefined) return;
    const wait = head.at - nowMs();
    if (wait >= 1) this.timer = cappedTimeout(() => this.release(), wait); // release() re-arms until the head is due
    else this.immediate = setImmediate(() => this.release());
  }

  private release(): void {
    this.timer = null;
    this.immediate = null;
    const now = nowMs();
    while (this.queue.length > 0 && this.queue[0]!.at <= now + 0.02) {
      const { batch, barrier } = this.queue.shift()!;
      this.gate.push(this.item(batch, barrier));
    }
    this.arm();
  }

  /** Stops pending deliveries (run cancelled). */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.queue.length = 0;
  }
}
