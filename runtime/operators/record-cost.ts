import { ParamReader } from './params.ts';
import type { OperatorDefinition, StreamOperator } from './types.ts';

/**
 * An emulated cost per record for any real stream operator: `params.perRecordMs` (model ms per input record, scaled
 * by the time scale and divided by the TaskManager's speed factor, paid as emulated time before the operator's own
 * code runs on the batch), as the synthetic operator's `perRecordMs`. The operator's output stays the real one, so a
 * job keeps its exact result while each instance gets a known capacity (1000 / perRecordMs records per model second):
 * what elastic-scaling experiments need on a 2-core machine, where real CPU work of many instances would only
 * measure contention. Sources are not charged (a generator's rate limit is `ratePerSecond`).
 */
export function withRecordCost(definition: OperatorDefinition): OperatorDefinition {
  return {
    ...definition,
    prepare(params, site) {
      const prepared = definition.prepare(params, site);
      const perRecordMs = new ParamReader(params, site).optionalNumber('perRecordMs', { min: 0 });
      return perRecordMs === undefined ? prepared : { ...prepared, perRecordMs };
    },
    create(ctx) {
      const op = definition.create(ctx);
      const perRecordModelMs = ctx.params['perRecordMs'] as number | undefined;
      if (op.role !== 'stream' || perRecordModelMs === undefined || perRecordModelMs === 0) return op;
      const perRecordMs = (perRecordModelMs * ctx.timeScaleMsPerUnit) / ctx.speedFactor;
      const charged: StreamOperator = {
        ...op,
        async process(input, channel, batch, out) {
          await ctx.work(perRecordMs * batch.length, 'emulated');
          await op.process(input, channel, batch, out);
        },
      };
      // methods read `this` nowhere in the operators (closures), but keep the original's bound for safety
      if (op.endOfChannel) charged.endOfChannel = op.endOfChannel.bind(op);
      if (op.finish) charged.finish = op.finish.bind(op);
      if (op.snapshot) charged.snapshot = op.snapshot.bind(op);
      if (op.notifyCheckpointComplete) charged.notifyCheckpointComplete = op.notifyCheckpointComplete.bind(op);
      return charged;
    },
  };
}
