import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { JobGraphSpec, OperatorSpec } from '../../models/graphs/job-graph.ts';
import { parseWithSchema } from '../loaders/schema.ts';
import { intRange, pickPartitioning, probability, sampleInt } from './sampling.ts';

/**
 * Two-terminal series-parallel DAG, grown from the single edge `s -> t` by `operations` random steps: pick an
 * edge u -> v; with `seriesProbability` subdivide it (u -> w -> v, a series composition), otherwise add a
 * parallel path u -> w -> v beside it (a parallel composition; the new operator w keeps the graph simple).
 * Every step adds one operator: the result has operations + 2 operators, source `s` and sink `t`.
 */
export const seriesParallelParams = z.strictObject({
  operations: intRange(0).default([5, 15]),
  seriesProbability: probability().default(0.5),
  parallelism: intRange(1).default(1),
  workMs: intRange(0).default([10, 100]),
  bytes: intRange(0).default(0),
  forwardProbability: probability().default(0.5),
});
export type SeriesParallelParams = z.input<typeof seriesParallelParams>;

export function seriesParallel(rng: Rng, params: SeriesParallelParams = {}, source = 'series-parallel'): JobGraphSpec {
  const p = parseWithSchema(seriesParallelParams, params, source, ['params']);
  const operators: OperatorSpec[] = [];
  const make = (id: string): OperatorSpec => {
    const o: OperatorSpec = { id, parallelism: sampleInt(rng, p.parallelism), workMs: sampleInt(rng, p.workMs) };
    operators.push(o);
    return o;
  };
  make('s');
  make('t');
  const pairs: Array<[string, string]> = [['s', 't']];
  const steps = sampleInt(rng, p.operations);
  for (let k = 1; k <= steps; k++) {
    const i = Math.floor(rng.next() * pairs.length);
    const [u, v] = pairs[i]!;
    const w = make(`w${k}`).id;
    if (rng.next() < p.seriesProbability) pairs.splice(i, 1, [u, w], [w, v]);
    else pairs.push([u, w], [w, v]);
  }
  const byId = new Map(operators.map((o) => [o.id, o]));
  return {
    operators,
    edges: pairs.map(([from, to]) => ({
      from,
      to,
      partitioning: pickPartitioning(rng, byId.get(from)!.parallelism, byId.get(to)!.parallelism, p.forwardProbability),
      bytes: sampleInt(rng, p.bytes),
    })),
  };
}
