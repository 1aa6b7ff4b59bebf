import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { JobGraphSpec, Partitioning } from '../../models/graphs/job-graph.ts';
import { nonNegative, parseWithSchema } from '../loaders/schema.ts';
import { intRange, roundMs, sampleInt, zipfShares } from './sampling.ts';

/**
 * A Flink-like streaming pipeline, one window of input: `source -> map -> keyBy + window -> sink`
 * (e.g. Flink's WindowWordCount). `records` records enter at the sources; each operator costs
 * `msPer1000Records` per thousand records it processes; `mapOutputRatio` records leave the map per input
 * record and `windowOutputRatio` per record the window aggregates. Edges carry records × `bytesPerRecord`.
 * Partitioning as Flink chooses it: `forward` between equal parallelisms, `rebalance` otherwise, and `hash`
 * into the keyed window, whose subtasks receive unequal shares under key skew (`keys` keys with Zipf
 * frequencies of exponent `keySkew`, hashed to subtasks). Window state: `windowStateBytes` per subtask.
 *
 * The operators are model operators: their cost is `workMs`, not code. Each is therefore `kind: "synthetic"`, which
 * the runtime replays (work x time scale, the edges' bytes as link time), with the Flink operator it stands for
 * kept in `params.role`. A kind such as `source` or `window` would make the runtime run its real operator of that
 * name (a text source over a bundled file, a real window), whose cost has nothing to do with `workMs`.
 */
const costs = z.strictObject({
  source: nonNegative().default(0.5),
  map: nonNegative().default(1),
  window: nonNegative().default(2),
  sink: nonNegative().default(0.2),
});

export const flinkPipelineParams = z.strictObject({
  sourceParallelism: intRange(1).default([1, 4]),
  /** Default: the source's parallelism (so source -> map is forward, as Flink would chain it). */
  mapParallelism: intRange(1).optional(),
  windowParallelism: intRange(1).default([2, 8]),
  sinkParallelism: intRange(1).default(1),
  records: intRange(1).default([10_000, 100_000]),
  bytesPerRecord: intRange(0).default(100),
  msPer1000Records: costs.default({ source: 0.5, map: 1, window: 2, sink: 0.2 }),
  mapOutputRatio: z.number({ error: 'a number >= 0' }).min(0, { error: 'a number >= 0' }).default(1),
  windowOutputRatio: z.number({ error: 'a number >= 0' }).min(0, { error: 'a number >= 0' }).default(0.1),
  keys: z.number({ error: 'an integer >= 1' }).int({ error: 'an integer >= 1' }).min(1, { error: 'an integer >= 1' }).default(1000),
  keySkew: z.number({ error: 'a number >= 0 (Zipf exponent)' }).min(0, { error: 'a number >= 0 (Zipf exponent)' }).default(1),
  windowStateBytes: intRange(0).default(0),
});
export type FlinkPipelineParams = z.input<typeof flinkPipelineParams>;

export function pointwiseOrRebalance(pFrom: number, pTo: number): Partitioning {
  return pFrom === pTo ? 'forward' : 'rebalance';
}

/** The Flink roles of the generated operators (labels; the runtime replays them all). */
export type FlinkRole = 'source' | 'map' | 'window' | 'join' | 'sink';

/** `kind` and `params` of a generated operator: the runtime's synthetic operator (a replay), the Flink role as a label. */
export function replayedOperator(role: FlinkRole): { kind: 'synthetic'; params: { role: FlinkRole } } {
  return { kind: 'synthetic', params: { role } };
}

/** Even split of `total` ms over `parallelism` subtasks. */
export function evenWork(total: number, parallelism: number): number {
  return roundMs(total / parallelism);
}

export function flinkPipeline(rng: Rng, params: FlinkPipelineParams = {}, source = 'flink-pipeline'): JobGraphSpec {
  const p = parseWithSchema(flinkPipelineParams, params, source, ['params']);
  const pSource = sampleInt(rng, p.sourceParallelism);
  const pMap = p.mapParallelism === undefined ? pSource : sampleInt(rng, p.mapParallelism);
  const pWindow = sampleInt(rng, p.windowParallelism);
  const pSink = sampleInt(rng, p.sinkParallelism);
  const records = sampleInt(rng, p.records);
  const bytesPerRecord = sampleInt(rng, p.bytesPerRecord);
  const mapOut = records * p.mapOutputRatio;
  const windowOut = mapOut * p.windowOutputRatio;
  const shares = zipfShares(rng, pWindow, p.keys, p.keySkew);
  const c = p.msPer1000Records;
  return {
    operators: [
      { id: 'source', name: 'source', ...replayedOperator('source'), parallelism: pSource, workMs: evenWork((records * c.source) / 1000, pSource) },
      { id: 'map', name: 'map', ...replayedOperator('map'), parallelism: pMap, workMs: evenWork((records * c.map) / 1000, pMap) },
      {
        id: 'window',
        name: 'keyBy + window',
        ...replayedOperator('window'),
        parallelism: pWindow,
        subtaskWorkMs: shares.map((s) => roundMs((mapOut * s * c.window) / 1000)),
        memoryBytes: sampleInt(rng, p.windowStateBytes),
      },
      { id: 'sink', name: 'sink', ...replayedOperator('sink'), parallelism: pSink, workMs: evenWork((windowOut * c.sink) / 1000, pSink) },
    ],
    edges: [
      { from: 'source', to: 'map', partitioning: pointwiseOrRebalance(pSource, pMap), bytes: records * bytesPerRecord },
      { from: 'map', to: 'window', partitioning: 'hash', bytes: Math.round(mapOut * bytesPerRecord) },
      { from: 'window', to: 'sink', partitioning: pointwiseOrRebalance(pWindow, pSink), bytes: Math.round(windowOut * bytesPerRecord) },
    ],
  };
}
