import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { JobEdgeSpec, JobGraphSpec, OperatorSpec } from '../../models/graphs/job-graph.ts';
import { parseWithSchema } from '../loaders/schema.ts';
import { intRange, pickPartitioning, probability, sampleInt } from './sampling.ts';

/**
 * Fork-join: `fork` → `branches` parallel operators → `join1` → `branches` operators → `join2` ... for
 * `stages` stages (the shape of MapReduce rounds and of scatter-gather steps). Operators `fork`, `s<k>b<i>`
 * (stage k, branch i) and `join<k>`.
 */
export const forkJoinParams = z.strictObject({
  stages: intRange(1).default([1, 3]),
  branches: intRange(1).default([2, 5]),
  parallelism: intRange(1).default(1),
  workMs: intRange(0).default([10, 100]),
  bytes: intRange(0).default(0),
  forwardProbability: probability().default(0.5),
});
export type ForkJoinParams = z.input<typeof forkJoinParams>;

export function forkJoin(rng: Rng, params: ForkJoinParams = {}, source = 'fork-join'): JobGraphSpec {
  const p = parseWithSchema(forkJoinParams, params, source, ['params']);
  const operators: OperatorSpec[] = [];
  const edges: JobEdgeSpec[] = [];
  const op = (id: string): OperatorSpec => {
    const o: OperatorSpec = { id, parallelism: sampleInt(rng, p.parallelism), workMs: sampleInt(rng, p.workMs) };
    operators.push(o);
    return o;
  };
  const edge = (from: OperatorSpec, to: OperatorSpec) =>
    edges.push({ from: from.id, to: to.id, partitioning: pickPartitioning(rng, from.parallelism, to.parallelism, p.forwardProbability), bytes: sampleInt(rng, p.bytes) });
  let head = op('fork');
  const stages = sampleInt(rng, p.stages);
  for (let k = 1; k <= stages; k++) {
    const width = sampleInt(rng, p.branches);
    const branch = Array.from({ length: width }, (_, i) => op(`s${k}b${i + 1}`));
    const join = op(`join${k}`);
    for (const b of branch) {
      edge(head, b);
      edge(b, join);
    }
    head = join;
  }
  return { operators, edges };
}
