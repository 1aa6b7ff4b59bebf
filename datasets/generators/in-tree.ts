import type { Rng } from '../../models/rng.ts';
import type { JobGraphSpec } from '../../models/graphs/job-graph.ts';
import { outTree, type TreeParams } from './out-tree.ts';

/**
 * In-tree (a reduction / aggregation tree): the out-tree of the same parameters with every edge reversed, so
 * the leaves feed towards the root `n0`, which is the only sink.
 */
export function inTree(rng: Rng, params: TreeParams = {}, source = 'in-tree'): JobGraphSpec {
  const tree = outTree(rng, params, source);
  return { operators: tree.operators, edges: tree.edges.map((e) => ({ ...e, from: e.to, to: e.from })) };
}
