import { keyAt, timeAt, type Key } from '../records/batch.ts';
import { EventTimeClock, windowStart } from './event-time.ts';
import { ParamReader } from './params.ts';
import { keyBytes, numberBytes } from './state-size.ts';
import { decodeNumber, encodeNumber } from './state.ts';
import type { OperatorDefinition, Output, StreamOperator } from './types.ts';

export type Aggregate = 'count' | 'sum' | 'min' | 'max' | 'mean';
export const AGGREGATES: readonly Aggregate[] = ['count', 'sum', 'min', 'max', 'mean'];

/**
 * A window subtask's keyed state in a checkpoint: open windows per key, the event-time clock (null after a rescale:
 * the new subtask's channels start at no event time, as a restored Flink operator starts at the lowest watermark),
 * what has fired.
 */
interface WindowState {
  readonly firedBefore: number | string;
  readonly clock: ReadonlyArray<ReadonlyArray<number | string>> | null;
  readonly windows: ReadonlyArray<readonly [number, ReadonlyArray<readonly [Key, number, number, number, number]>]>;
}

interface Acc {
  count: number;
  sum: number;
  min: number;
  max: number;
}

function resultOf(acc: Acc, aggregate: Aggregate): number {
  switch (aggregate) {
    case 'count':
      return acc.count;
    case 'sum':
      return acc.sum;
    case 'min':
      return acc.min;
    case 'max':
      return acc.max;
    case 'mean':
      return acc.sum / acc.count;
  }
}

/**
 * Keyed aggregation per tumbling event-time window (Flink `keyBy(...).window(TumblingEventTimeWindows.of(size))
 * .aggregate(...)`): one output record per (key, window): key, the aggregate of the values, time = window start.
 * A window fires as soon as the watermark passes its end, so results stream out in `pipelined` mode. Without
 * `size` there is one global window that fires when the input ends (a batch word count).
 * params: `size` (event-time units), `aggregate` = count | sum | min | max | mean (default count).
 * A record older than a window that already fired is an error (the inputs were not in time order).
 */
export const windowAggregate: OperatorDefinition = {
  kind: 'window',
  aliases: ['aggregate', 'window-aggregate', 'reduce'],
  description: 'per key and tumbling event-time window (params.size; none = one global window): count | sum | min | max | mean',
  inputs: 'one-or-more',
  usesManagedMemory: true,
  checkpoints: 'snapshot',
  /**
   * Keyed state by key group: each (window, key) accumulator goes to the new subtask that owns its key; what has fired
   * is the least over the old subtasks (every window that fired anywhere has left its state, so none fires twice;
   * windows of keys whose old subtask had not fired them yet fire at the new subtask's watermark).
   */
  rescaleState(states, to) {
    const out = Array.from({ length: to.toParallelism }, () => new Map<number, Array<readonly [Key, number, number, number, number]>>());
    let firedBefore = Number.POSITIVE_INFINITY;
    let any = false;
    for (const raw of states) {
      if (raw === undefined || raw === null) continue;
      any = true;
      const state = raw as WindowState;
      firedBefore = Math.min(firedBefore, decodeNumber(state.firedBefore));
      for (const [start, entries] of state.windows)
        for (const entry of entries) {
          const perWindow = out[to.ownerOf(entry[0])]!;
          let list = perWindow.get(start);
          if (list === undefined) perWindow.set(start, (list = []));
          list.push(entry);
        }
    }
    if (!any) return new Array<undefined>(to.toParallelism).fill(undefined);
    return out.map((perWindow): WindowState => ({ firedBefore: encodeNumber(firedBefore), clock: null, windows: [...perWindow].sort((a, b) => a[0] - b[0]) }));
  },
  prepare(params, site) {
    const r = new ParamReader(params, site);
    return { ...params, size: r.optionalNumber('size', { positive: true }), aggregate: r.string<Aggregate>('aggregate', { default: 'count', oneOf: AGGREGATES }) };
  },
  create(ctx): StreamOperator {
    const size = ctx.params['size'] as number | undefined;
    const aggregate = ctx.params['aggregate'] as Aggregate;
    const windows = new Map<number, Map<Key, Acc>>();
    const clock = new EventTimeClock(ctx.inputChannelCounts);
    let firedBefore = Number.NEGATIVE_INFINITY; // every window with end <= this has fired
    // managed memory: per (window, key) the key and the accumulator's four numbers; a fired window gives its state back
    const ACC_BYTES = numberBytes(4);
    const windowBytes = new Map<number, number>();
    if (ctx.restoredState !== undefined) {
      const state = ctx.restoredState as WindowState;
      firedBefore = decodeNumber(state.firedBefore);
      if (state.clock !== null) clock.restore(state.clock.map((row) => row.map(decodeNumber)));
      for (const [start, entries] of state.windows) {
        windows.set(start, new Map(entries.map(([key, count, sum, min, max]) => [key, { count, sum, min, max }])));
        // the restored state takes its managed memory again
        const bytes = entries.reduce((total, [key]) => total + keyBytes(key) + ACC_BYTES, 0);
        ctx.managedMemory.grow(bytes);
        windowBytes.set(start, bytes);
      }
    }

    const fire = (out: Output, upTo: number): void => {
      const due = [...windows.keys()].filter((start) => size === undefined || start + size <= upTo).sort((a, b) => a - b);
      for (const start of due) {
        for (const [key, acc] of windows.get(start)!) out.emit(key, resultOf(acc, aggregate), start);
        windows.delete(start);
        ctx.managedMemory.grow(-(windowBytes.get(start) ?? 0));
        windowBytes.delete(start);
      }
      if (upTo > firedBefore) firedBefore = upTo;
    };

    return {
      role: 'stream',
      process(input, channel, batch, out) {
        for (let i = 0; i < batch.length; i++) {
          const time = timeAt(batch, i);
          const start = size === undefined ? 0 : windowStart(time, size);
          if (size !== undefined && start + size <= firedBefore)
            throw new Error(`record at time ${time} arrived after its window [${start}, ${start + size}) fired (inputs out of time order)`);
          let perKey = windows.get(start);
          if (perKey === undefined) windows.set(start, (perKey = new Map()));
          const key = keyAt(batch, i);
          const value = batch.values[i]!;
          const acc = perKey.get(key);
          if (acc === undefined) {
            const bytes = keyBytes(key) + ACC_BYTES;
            ctx.managedMemory.grow(bytes);
            windowBytes.set(start, (windowBytes.get(start) ?? 0) + bytes);
            perKey.set(key, { count: 1, sum: value, min: value, max: value });
          }
          else {
            acc.count++;
            acc.sum += value;
            if (value < acc.min) acc.min = value;
            if (value > acc.max) acc.max = value;
          }
          clock.observe(input, channel, time);
        }
        if (size !== undefined) fire(out, clock.watermark());
      },
      endOfChannel(input, channel, out) {
        clock.end(input, channel);
        if (size !== undefined) fire(out, clock.watermark());
      },
      finish(out) {
        fire(out, Number.POSITIVE_INFINITY);
      },
      snapshot: (): WindowState => ({
        firedBefore: encodeNumber(firedBefore),
        clock: clock.lastTimes().map((row) => row.map(encodeNumber)),
        windows: [...windows].map(([start, perKey]) => [start, [...perKey].map(([key, a]) => [key, a.count, a.sum, a.min, a.max] as const)]),
      }),
    };
  },
};
