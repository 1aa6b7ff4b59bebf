import { keyAt, timeAt } from '../records/batch.ts';
import { checkFunctionParam, mapFunction } from './functions.ts';
import { ParamReader } from './params.ts';
import type { OperatorDefinition, StreamOperator } from './types.ts';

/** One record in, one record out: `params.fn` (default `identity`). */
export const map: OperatorDefinition = {
  kind: 'map',
  aliases: [],
  description: 'one record in, one out: params.fn = identity | lowercase | one | double | square | negate | "r => ..."',
  inputs: 'one-or-more',
  checkpoints: 'stateless',
  prepare(params, site) {
    return { ...params, fn: checkFunctionParam(new ParamReader(params, site), 'map', 'identity') };
  },
  create(ctx): StreamOperator {
    const fn = mapFunction(ctx.params['fn'] as string);
    return {
      role: 'stream',
      process(_input, _channel, batch, out) {
        const emit = (k: Parameters<typeof out.emit>[0], v: number, t: number) => out.emit(k, v, t);
        for (let i = 0; i < batch.length; i++) fn({ key: keyAt(batch, i), value: batch.values[i]!, time: timeAt(batch, i) }, emit);
      },
    };
  },
};
