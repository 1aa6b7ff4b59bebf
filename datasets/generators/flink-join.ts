import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { JobGraphSpec } from '../../models/graphs/job-graph.ts';
import { nonNegative, parseWithSchema } from '../loaders/schema.ts';
import { intRange, roundMs, sampleInt, zipfShares } from './sampling.ts';
import { evenWork, pointwiseOrRebalance, replayedOperator } from './flink-pipeline.ts';

/**
 * A Flink-like two-stream join, one window of input: `sourceA -> mapA` and `sourceB -> mapB`, both keyed by the
 * join key into `join` (hash partitioning from both sides, key skew as in flink-pipeline.ts), then `sink`.
 * Streams A and B have their own record counts and parallelisms; the join costs `msPer1000Records.join` per
 * thousand records of either side and emits `joinOutputRatio` records per input record.
 * As in flink-pipeline.ts, every operator is replayed by the runtime (`kind: "synthetic"`, the Flink role in
 * `params.role`), so that a run measures the model's work, not the runtime's real operators.
 */
export const flinkJoinParams = z.strictObject({
  sourceParallelism: intRange(1).default([1, 4]),
  joinParallelism: intRange(1).default([2, 8]),
  sinkParallelism: intRange(1).default(1),
  recordsA: intRange(1).default([10_000, 100_000]),
  recordsB: intRange(1).default([1_000, 10_000]),
  bytesPerRecord: intRange(0).default(100),
  msPer1000Records: z
    .strictObject({ source: nonNegative().default(0.5), map: nonNegative().default(1), join: nonNegative().default(3), sink: nonNegative().default(0.2) })
    .default({ source: 0.5, map: 1, join: 3, sink: 0.2 }),
  joinOutputRatio: z.number({ error: 'a number >= 0' }).min(0, { error: 'a number >= 0' }).default(0.5),
  keys: z.number({ error: 'an integer >= 1' }).int({ error: 'an integer >= 1' }).min(1, { error: 'an integer >= 1' }).default(1000),
  keySkew: z.number({ error: 'a number >= 0 (Zipf exponent)' }).min(0, { error: 'a number >= 0 (Zipf exponent)' }).default(1),
  joinStateBytes: intRange(0).default(0),
});
export type FlinkJoinParams = z.input<typeof flinkJoinParams>;

export function flinkJoin(rng: Rng, params: FlinkJoinParams = {}, source = 'flink-join'): JobGraphSpec {
  const p = parseWithSchema(flinkJoinParams, params, source, ['params']);
  const c = p.msPer1000Records;
  const bytesPerRecord = sampleInt(rng, p.bytesPerRecord);
  const pJoin = sampleInt(rng, p.joinParallelism);
  const pSink = sampleInt(rng, p.sinkParallelism);
  const side = (name: 'A' | 'B', records: number) => {
    const par = sampleInt(rng, p.sourceParallelism);
    return {
      records,
      operators: [
        { id: `source${name}`, name: `source ${name}`, ...replayedOperator('source'), parallelism: par, workMs: evenWork((records * c.source) / 1000, par) },
        { id: `map${name}`, name: `map ${name}`, ...replayedOperator('map'), parallelism: par, workMs: evenWork((records * c.map) / 1000, par) },
      ],
      edges: [{ from: `source${name}`, to: `map${name}`, partitioning: 'forward' as const, bytes: records * bytesPerRecord }],
    };
  };
  const a = side('A', sampleInt(rng, p.recordsA));
  const b = side('B', sampleInt(rng, p.recordsB));
  const joined = a.records + b.records;
  const shares = zipfShares(rng, pJoin, p.keys, p.keySkew);
  const out = joined * p.joinOutputRatio;
  return {
    operators: [
      ...a.operators,
      ...b.operators,
      {
        id: 'join',
        name: 'keyBy + join',
        ...replayedOperator('join'),
        parallelism: pJoin,
        subtaskWorkMs: shares.map((s) => roundMs((joined * s * c.join) / 1000)),
        memoryBytes: sampleInt(rng, p.joinStateBytes),
      },
      { id: 'sink', name: 'sink', ...replayedOperator('sink'), parallelism: pSink, workMs: evenWork((out * c.sink) / 1000, pSink) },
    ],
    edges: [
      ...a.edges,
      ...b.edges,
      { from: 'mapA', to: 'join', partitioning: 'hash', bytes: a.records * bytesPerRecord },
      { from: 'mapB', to: 'join', partitioning: 'hash', bytes: b.records * bytesPerRecord },
      { from: 'join', to: 'sink', partitioning: pointwiseOrRebalance(pJoin, pSink), bytes: Math.round(out * bytesPerRecord) },
    ],
  };
}
