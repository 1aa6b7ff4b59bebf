import { keyAt, timeAt } from '../records/batch.ts';
import { checkFunctionParam, flatMapFunction } from './functions.ts';
import { ParamReader } from './params.ts';
import type { OperatorDefinition, StreamOperator } from './types.ts';

/** Zero or more records out per record in: `params.fn` (default `words`: the key's lower-cased words, value 1). */
export const flatMap: OperatorDefinition = {
  kind: 'flat-map',
  aliases: ['tokenizer'],
  description: 'zero or more records per record: params.fn = words | identity | "r => [...]"',
  inputs: 'one-or-more',
  checkpoints: 'stateless',
  prepare(params, site) {
    return { ...params, fn: checkFunctionParam(new ParamReader(params, site), 'flat-map', 'words') };
  },
  create(ctx): StreamOperator {
    const fn = flatMapFunction(ctx.params['fn'] as string);
    return {
      role: 'stream',
      process(_input, _channel, batch, out) {
        const emit = (k: Parameters<typeof out.emit>[0], v: number, t: number) => out.emit(k, v, t);
        for (let i = 0; i < batch.length; i++) fn({ key: keyAt(batch, i), value: batch.values[i]!, time: timeAt(batch, i) }, emit);
      },
    };
  },
};
