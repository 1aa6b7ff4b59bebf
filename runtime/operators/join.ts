import { keyAt, timeAt, type Key } from '../records/batch.ts';
import { EventTimeClock, windowStart } from './event-time.ts';
import { ParamReader } from './params.ts';
import { keyBytes, numberBytes } from './state-size.ts';
import type { OperatorDefinition, StreamOperator } from './types.ts';

export type Combine = 'sum' | 'product' | 'left' | 'right' | 'min' | 'max';
export const COMBINES: readonly Combine[] = ['sum', 'product', 'left', 'right', 'min', 'max'];

export function combineValues(combine: Combine, left: number, right: number): number {
  switch (combine) {
    case 'sum':
      return left + right;
    case 'product':
      return left * right;
    case 'left':
      return left;
    case 'right':
      return right;
    case 'min':
      return Math.min(left, right);
    case 'max':
      return Math.max(left, right);
  }
}

interface Side {
  /** window start -> key -> [value, time, value, time, ...] */
  readonly windows: Map<number, Map<Key, number[]>>;
}

/**
 * Equi-join of two keyed inputs (a symmetric hash join, as Flink's window join): every pair of records with the
 * same key (and, with `size`, in the same tumbling event-time window) gives one record: key, combine(left value,
 * right value), time = the window start (with `size`) or the later of the two times. Records with a null key
 * match nothing. State of a window is dropped once the watermark passes its end.
 * params: `left` (operator id of the left input; default the first in-edge), `size`, `combine` (default sum).
 */
export const join: OperatorDefinition = {
  kind: 'join',
  aliases: ['window-join'],
  description: 'equi-join of two keyed inputs, optionally per tumbling window (params.size): combine = sum | product | left | right | min | max',
  inputs: 'two',
  usesManagedMemory: true,
  prepare(params, site) {
    const r = new ParamReader(params, site);
    const left = r.string('left', { default: site.inputs[0]! });
    if (!site.inputs.includes(left)) r.fail('left', `should name one of the join's inputs (${site.inputs.join(', ')}), got "${left}"`);
    return {
      ...params,
      left,
      leftInput: site.inputs.indexOf(left),
      size: r.optionalNumber('size', { positive: true }),
      combine: r.string<Combine>('combine', { default: 'sum', oneOf: COMBINES }),
    };
  },
  create(ctx): StreamOperator {
    const leftInput = ctx.params['leftInput'] as number;
    const size = ctx.params['size'] as number | undefined;
    const combine = ctx.params['combine'] as Combine;
    const sides: [Side, Side] = [{ windows: new Map() }, { windows: new Map() }];
    const clock = new EventTimeClock(ctx.inputChannelCounts);
    // managed memory: per stored record its value and time, per (side, window, key) the key; an evicted window gives its state back
    const RECORD_BYTES = numberBytes(2);
    const windowBytes = [new Map<number, number>(), new Map<number, number>()];
    const evict = (): void => {
      if (size === undefined) return;
      const wm = clock.watermark();
      sides.forEach((side, i) => {
        for (const start of [...side.windows.keys()])
          if (start + size <= wm) {
            side.windows.delete(start);
            ctx.managedMemory.grow(-(windowBytes[i]!.get(start) ?? 0));
            windowBytes[i]!.delete(start);
          }
      });
    };
    return {
      role: 'stream',
      process(input, channel, batch, out) {
        const isLeft = input === leftInput;
        const mine = sides[isLeft ? 0 : 1];
        const other = sides[isLeft ? 1 : 0];
        for (let i = 0; i < batch.length; i++) {
          const key = keyAt(batch, i);
          const value = batch.values[i]!;
          const time = timeAt(batch, i);
          clock.observe(input, channel, time);
          if (key === null) continue;
          const start = size === undefined ? 0 : windowStart(time, size);
          const matches = other.windows.get(start)?.get(key);
          if (matches !== undefined)
            for (let m = 0; m < matches.length; m += 2) {
              const v = matches[m]!;
              const t = matches[m + 1]!;
              out.emit(key, isLeft ? combineValues(combine, value, v) : combineValues(combine, v, value), size === undefined ? Math.max(time, t) : start);
            }
          let perKey = mine.windows.get(start);
          if (perKey === undefined) mine.windows.set(start, (perKey = new Map()));
          const list = perKey.get(key);
          const bytes = RECORD_BYTES + (list === undefined ? keyBytes(key) : 0);
          ctx.managedMemory.grow(bytes);
          const held = windowBytes[isLeft ? 0 : 1]!;
          held.set(start, (held.get(start) ?? 0) + bytes);
          if (list === undefined) perKey.set(key, [value, time]);
          else list.push(value, time);
        }
        evict();
      },
      endOfChannel(input, channel) {
        clock.end(input, channel);
        evict();
      },
    };
  },
};
