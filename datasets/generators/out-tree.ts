import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { JobEdgeSpec, JobGraphSpec, OperatorSpec } from '../../models/graphs/job-graph.ts';
import { parseWithSchema } from '../loaders/schema.ts';
import { intRange, pickPartitioning, probability, sampleInt } from './sampling.ts';

/**
 * Out-tree (a broadcast / divide step): a root `n0`, every operator above depth `depth` gets `fanout` children,
 * breadth first, until `maxOperators`. Edges point away from the root. `inTree` (in-tree.ts) reverses them.
 */
export const treeParams = z.strictObject({
  depth: intRange(1).default([2, 4]),
  fanout: intRange(1).default([2, 3]),
  maxOperators: z.number({ error: 'an integer >= 1' }).int({ error: 'an integer >= 1' }).min(1, { error: 'an integer >= 1' }).default(200),
  parallelism: intRange(1).default(1),
  workMs: intRange(0).default([10, 100]),
  bytes: intRange(0).default(0),
  forwardProbability: probability().default(0.5),
});
export type TreeParams = z.input<typeof treeParams>;

export function outTree(rng: Rng, params: TreeParams = {}, source = 'out-tree'): JobGraphSpec {
  const p = parseWithSchema(treeParams, params, source, ['params']);
  const depth = sampleInt(rng, p.depth);
  const operators: OperatorSpec[] = [];
  const edges: JobEdgeSpec[] = [];
  const make = (): OperatorSpec => {
    const o: OperatorSpec = { id: `n${operators.length}`, parallelism: sampleInt(rng, p.parallelism), workMs: sampleInt(rng, p.workMs) };
    operators.push(o);
    return o;
  };
  let level = [make()];
  for (let d = 1; d <= depth && operators.length < p.maxOperators; d++) {
    const next: OperatorSpec[] = [];
    for (const parent of level) {
      const children = sampleInt(rng, p.fanout);
      for (let c = 0; c < children && operators.length < p.maxOperators; c++) {
        const child = make();
        edges.push({ from: parent.id, to: child.id, partitioning: pickPartitioning(rng, parent.parallelism, child.parallelism, p.forwardProbability), bytes: sampleInt(rng, p.bytes) });
        next.push(child);
      }
    }
    level = next;
  }
  return { operators, edges };
}
