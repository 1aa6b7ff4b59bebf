import { keyAt, timeAt } from '../records/batch.ts';
import { checkFunctionParam, keyFunction } from './functions.ts';
import { ParamReader } from './params.ts';
import type { OperatorDefinition, StreamOperator } from './types.ts';

/**
 * Sets each record's key (`params.fn`: key | value | value-mod (with `modulo`) | first-letter | "r => ...").
 * The partitioning itself is the job edge's: a `hash` edge sends a key to subtask hash(key) mod p.
 */
export const keyBy: OperatorDefinition = {
  kind: 'key-by',
  aliases: [],
  description: 'sets the key: params.fn = key | value | value-mod (params.modulo) | first-letter | "r => ..."',
  inputs: 'one-or-more',
  checkpoints: 'stateless',
  prepare(params, site) {
    const r = new ParamReader(params, site);
    return { ...params, fn: checkFunctionParam(r, 'key-by', 'key'), modulo: r.number('modulo', { default: 1, integer: true, positive: true }) };
  },
  create(ctx): StreamOperator {
    const fn = keyFunction(ctx.params['fn'] as string, ctx.params['modulo'] as number);
    return {
      role: 'stream',
      process(_input, _channel, batch, out) {
        for (let i = 0; i < batch.length; i++) {
          const value = batch.values[i]!;
          const time = timeAt(batch, i);
          out.emit(fn({ key: keyAt(batch, i), value, time }), value, time);
        }
      },
    };
  },
};
