import { keyAt, timeAt, type Key } from '../records/batch.ts';
import { hashRecord } from '../records/hash.ts';
import { describeValue } from '../../models/errors.ts';
import { ParamReader } from './params.ts';
import type { OperatorDefinition, SinkState, SinkTransaction, StreamOperator } from './types.ts';

export interface SinkExpectation {
  readonly records?: number;
  readonly valueSum?: number;
}

/**
 * The end of a pipeline. Counts records, sums values and digests the multiset of records it received (`digest`,
 * default true; hashing costs some 10-20 ns per record, so throughput runs may turn it off: the digest is then 0);
 * keeps every record when `keep` is true (sent to the job master and put into the run report). Exactly-once by
 * two-phase commit: what arrives between two checkpoint barriers is one transaction, sealed and staged when the
 * barrier is aligned (`snapshot`), committed by the job master when that checkpoint completes (and the last one,
 * sealed when the sink finishes, when the job ends); the run reports only committed output. `expect`
 * ({ records, valueSum }) is checked by the job master over all subtasks of the sink: a mismatch fails the run.
 */
export const sink: OperatorDefinition = {
  kind: 'sink',
  aliases: ['discard', 'collect', 'print'],
  description: 'counts, sums and digests what arrives; params.keep = true keeps the records; params.digest = false skips hashing; params.expect = { records, valueSum } checks them',
  inputs: 'one-or-more',
  checkpoints: 'snapshot',
  // a restored sink opens a fresh transaction: the job master committed every transaction of the checkpoint it
  // restores from when that checkpoint completed, so nothing of the old subtasks' state carries over
  rescaleState: (_states, to) => new Array<undefined>(to.toParallelism).fill(undefined),
  prepare(params, site) {
    const r = new ParamReader(params, site);
    const expect = r.raw('expect');
    let expectation: SinkExpectation | undefined;
    if (expect !== undefined) {
      if (typeof expect !== 'object' || expect === null) r.fail('expect', `should be an object { records?, valueSum? }, got ${describeValue(expect)}`);
      const e = new ParamReader(expect as Record<string, unknown>, { ...site, at: `${site.at}.params.expect` });
      expectation = { records: e.optionalNumber('records', { integer: true, min: 0 }), valueSum: e.optionalNumber('valueSum', {}) };
    }
    return { ...params, keep: r.boolean('keep', false), digest: r.boolean('digest', true), expect: expectation };
  },
  create(ctx): StreamOperator {
    const keep = ctx.params['keep'] as boolean;
    const withDigest = ctx.params['digest'] as boolean;
    // The open transaction: what arrived since the last barrier. Restored transactions are not taken back: the job
    // master committed every transaction of the checkpoint it restores from when that checkpoint completed.
    let kept: Array<readonly [Key, number, number]> = [];
    let records = 0;
    let valueSum = 0;
    let digest = 0;
    let staged: SinkTransaction[] = [];
    return {
      role: 'stream',
      process(_input, _channel, batch) {
        const values = batch.values;
        if (!withDigest && !keep) {
          for (let i = 0; i < batch.length; i++) valueSum += values[i]!;
        } else if (batch.times === null && batch.numKeys === null && batch.strKeys === null && !keep) {
          for (let i = 0; i < batch.length; i++) {
            valueSum += values[i]!;
            digest = (digest + hashRecord(null, values[i]!, 0)) >>> 0;
          }
        } else
          for (let i = 0; i < batch.length; i++) {
            const key = keyAt(batch, i);
            const time = timeAt(batch, i);
            valueSum += values[i]!;
            if (withDigest) digest = (digest + hashRecord(key, values[i]!, time)) >>> 0;
            if (keep) kept.push([key, values[i]!, time]);
          }
        records += batch.length;
      },
      // Pre-commit: the open transaction is sealed under the checkpoint's id and staged until that checkpoint completes.
      snapshot(checkpointId): SinkState {
        staged.push(keep ? { checkpointId, records, valueSum, digest, kept } : { checkpointId, records, valueSum, digest });
        kept = [];
        records = 0;
        valueSum = 0;
        digest = 0;
        return { staged: [...staged] };
      },
      notifyCheckpointComplete(checkpointId) {
        staged = staged.filter((t) => t.checkpointId === 'final' || t.checkpointId > checkpointId);
      },
    };
  },
};
