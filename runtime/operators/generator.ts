import { ParamReader } from './params.ts';
import type { OperatorDefinition, Output, SourceOperator } from './types.ts';
import { keepSourceOffsets, restoredOffset, type SourceOffset } from './state.ts';
import { rateLimited, readRatePerSecond } from './source-rate.ts';

/** Records of subtask k of p when `count` records are split as evenly as possible: [first value, how many]. */
export function generatorShare(count: number, subtaskIndex: number, parallelism: number): [number, number] {
  const base = Math.floor(count / parallelism);
  const extra = count % parallelism;
  return [subtaskIndex * base + Math.min(subtaskIndex, extra), base + (subtaskIndex < extra ? 1 : 0)];
}

/**
 * A bounded generator: the operator's subtasks together emit the values 0 .. count-1, each once.
 * params: `count` (default 1,000,000); `keys` (key = value mod keys; default: no key);
 * `timestamps` (true: time = value; default false: time 0); `ratePerSecond` (default: unlimited): the records per
 * second all subtasks together emit at most (`rateLimited`, runtime/operators/source-rate.ts).
 */
export const generator: OperatorDefinition = {
  kind: 'generator',
  aliases: ['sequence'],
  description: 'emits the numbers 0 .. count-1 once over all subtasks (optional key = value mod keys, time = value)',
  inputs: 'none',
  checkpoints: 'snapshot',
  rescaleState: keepSourceOffsets,
  prepare(params, site) {
    const r = new ParamReader(params, site);
    return {
      ...params,
      count: r.number('count', { default: 1_000_000, integer: true, min: 0 }),
      keys: r.optionalNumber('keys', { integer: true, positive: true }),
      timestamps: r.boolean('timestamps', false),
      ratePerSecond: readRatePerSecond(r),
    };
  },
  recordsEmitted(params, subtaskIndex, parallelism) {
    return generatorShare(params['count'] as number, subtaskIndex, parallelism)[1];
  },
  create(ctx): SourceOperator {
    const [first, n] = generatorShare(ctx.params['count'] as number, ctx.subtaskIndex, ctx.parallelism);
    const keys = ctx.params['keys'] as number | undefined;
    const timestamps = ctx.params['timestamps'] as boolean;
    const end = first + n;
    // replayable: a restored subtask resumes at the value its checkpoint recorded
    let next = restoredOffset(ctx.restoredState, first, end);
    const emit = (out: Output, maxRecords: number): boolean => {
      const stop = Math.min(end, next + maxRecords);
      if (keys === undefined && !timestamps) for (; next < stop; next++) out.emit(null, next, 0);
      else for (; next < stop; next++) out.emit(keys === undefined ? null : next % keys, next, timestamps ? next : 0);
      return next < end;
    };
    return {
      role: 'source',
      produce: rateLimited(ctx, () => end - next, emit),
      snapshot: () => ({ offset: next }) satisfies SourceOffset,
    };
  },
};
