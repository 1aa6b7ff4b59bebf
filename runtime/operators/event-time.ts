/**
 * Event-time progress of an operator's input channels. Every operator here keeps the order of the records it
 * receives and every source emits in time order, so the records of one channel arrive in non-decreasing time:
 * the watermark of an operator is the least, over its open channels, of the last time seen (an ended channel
 * counts as +infinity; a channel that sent nothing yet as -infinity).
 */
export class EventTimeClock {
  private readonly last: Float64Array[];

  constructor(channelsPerInput: readonly number[]) {
    this.last = channelsPerInput.map((n) => new Float64Array(n).fill(Number.NEGATIVE_INFINITY));
  }

  observe(input: number, channel: number, time: number): void {
    const row = this.last[input]!;
    if (time > row[channel]!) row[channel] = time;
  }

  end(input: number, channel: number): void {
    this.last[input]![channel] = Number.POSITIVE_INFINITY;
  }

  /** Per input, per channel: the last time seen (for a snapshot; ±Infinity included). */
  lastTimes(): number[][] {
    return this.last.map((row) => [...row]);
  }

  /** Takes back the last times of a snapshot (same channel counts). */
  restore(rows: readonly (readonly number[])[]): void {
    if (rows.length !== this.last.length || rows.some((row, i) => row.length !== this.last[i]!.length))
      throw new Error(`restored event-time state has ${rows.map((r) => r.length).join('/')} channels, this subtask ${this.last.map((r) => r.length).join('/')}`);
    rows.forEach((row, i) => this.last[i]!.set(row));
  }

  watermark(): number {
    let wm = Number.POSITIVE_INFINITY;
    for (const row of this.last) for (let c = 0; c < row.length; c++) if (row[c]! < wm) wm = row[c]!;
    return wm;
  }
}

/** Start of the tumbling window of `size` that holds `time`. */
export function windowStart(time: number, size: number): number {
  return Math.floor(time / size) * size;
}
