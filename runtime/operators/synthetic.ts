import { ParamReader } from './params.ts';
import type { CostKind } from './context.ts';
import type { OperatorDefinition, Output, SourceOperator, StreamOperator } from './types.ts';

export const COST_KINDS: readonly CostKind[] = ['emulated', 'cpu'];

/**
 * The replay operator: it runs what the placement model says a subtask costs, so a model's prediction can be
 * checked against a real run. Every operator without a `kind` is synthetic.
 *
 * - Time: the subtask spends `durationMs(subtask, TaskManager) x timeScale` (its work divided by the
 *   TaskManager's speed factor, or the unrelated-machines duration), either as real CPU work (`cost: cpu`, a busy
 *   loop on the worker's thread) or as emulated time (`cost: emulated`, the default: it holds its slot without
 *   using the CPU). With `perRecordMs` the cost is per record instead (input records; output records for a
 *   source), in model ms, scaled by the time scale and divided by the speed factor.
 * - Records: each subtask sends `records` records to each consumer operator (default: one per channel), spread
 *   round-robin over the channels (copied to every channel for broadcast). The job master plans these counts, so
 *   a synthetic consumer knows how many records to expect and spreads its work over them as they arrive.
 * - Bytes: the link model charges the job edge's `bytes` (split over its channels as the execution graph does),
 *   whatever the records' real size, so transfers take `instance.transferMs` x timeScale.
 */
export const synthetic: OperatorDefinition = {
  kind: 'synthetic',
  aliases: ['replay'],
  description: 'replays the model: work = durationMs(subtask, TaskManager) x time scale as CPU or emulated time; edge bytes as link time',
  inputs: 'any',
  prepare(params, site) {
    const r = new ParamReader(params, site);
    return {
      ...params,
      records: r.optionalNumber('records', { integer: true, min: 0 }),
      perRecordMs: r.optionalNumber('perRecordMs', { min: 0 }),
      cost: r.string<CostKind>('cost', { default: 'emulated', oneOf: COST_KINDS }),
    };
  },
  create(ctx): SourceOperator | StreamOperator {
    const cost = ctx.params['cost'] as CostKind;
    const perRecordModelMs = ctx.params['perRecordMs'] as number | undefined;
    const perRecordMs = perRecordModelMs === undefined ? undefined : (perRecordModelMs * ctx.timeScaleMsPerUnit) / ctx.speedFactor;
    const totalMs = ctx.durationMs;
    // Remaining records per (output, channel), and a round-robin cursor over them.
    const remaining = ctx.plannedOutputRecords.map((planned) => planned.map((n) => n ?? 0));
    const slots: Array<[number, number]> = [];
    remaining.forEach((row, o) => row.forEach((_n, c) => slots.push([o, c])));
    let totalOut = 0;
    for (const row of remaining) for (const n of row) totalOut += n;
    let emitted = 0;
    let cursor = 0;
    let sequence = 0;
    const emitUpTo = (out: Output, target: number): void => {
      while (emitted < target && emitted < totalOut) {
        const [o, c] = slots[cursor]!;
        cursor = (cursor + 1) % slots.length;
        const row = remaining[o]!;
        if (row[c]! <= 0) continue;
        row[c] = row[c]! - 1;
        out.emitTo(o, c, null, sequence++, 0);
        emitted++;
      }
    };
    let paidMs = 0;
    const pay = (ms: number): Promise<void> | void => {
      if (ms <= 0) return;
      paidMs += ms;
      return ctx.work(ms, cost);
    };

    if (ctx.inputChannelCounts.length === 0) {
      return {
        role: 'source',
        async produce(out, maxRecords) {
          if (totalOut === 0) {
            await pay(perRecordMs === undefined ? totalMs : 0);
            return false;
          }
          const n = Math.min(maxRecords, totalOut - emitted);
          await pay(perRecordMs === undefined ? (totalMs * n) / totalOut : perRecordMs * n);
          emitUpTo(out, emitted + n);
          return emitted < totalOut;
        },
      };
    }
    const expected = ctx.expectedInputRecords;
    let seen = 0;
    return {
      role: 'stream',
      async process(_input, _channel, batch, out) {
        seen += batch.length;
        if (perRecordMs !== undefined) await pay(perRecordMs * batch.length);
        else if (expected !== undefined && expected > 0) await pay(Math.min(totalMs - paidMs, (totalMs * batch.length) / expected));
        if (expected !== undefined && expected > 0) emitUpTo(out, Math.floor((totalOut * Math.min(seen, expected)) / expected));
      },
      async finish(out) {
        if (perRecordMs === undefined) await pay(totalMs - paidMs);
        emitUpTo(out, totalOut);
      },
    };
  },
};
