import { keyAt, timeAt } from '../records/batch.ts';
import { checkFunctionParam, filterFunction } from './functions.ts';
import { ParamReader } from './params.ts';
import type { OperatorDefinition, StreamOperator } from './types.ts';

/** Keeps the records for which `params.fn` is truthy (default `non-empty`: a non-null, non-empty key). */
export const filter: OperatorDefinition = {
  kind: 'filter',
  aliases: [],
  description: 'keeps records where params.fn holds: non-empty | even | odd | positive | "r => ..."',
  inputs: 'one-or-more',
  checkpoints: 'stateless',
  prepare(params, site) {
    return { ...params, fn: checkFunctionParam(new ParamReader(params, site), 'filter', 'non-empty') };
  },
  create(ctx): StreamOperator {
    const fn = filterFunction(ctx.params['fn'] as string);
    return {
      role: 'stream',
      process(_input, _channel, batch, out) {
        for (let i = 0; i < batch.length; i++) {
          const key = keyAt(batch, i);
          const value = batch.values[i]!;
          const time = timeAt(batch, i);
          if (fn({ key, value, time })) out.emit(key, value, time);
        }
      },
    };
  },
};
