import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { JobEdgeSpec, JobGraphSpec, OperatorSpec } from '../../models/graphs/job-graph.ts';
import { parseWithSchema } from '../loaders/schema.ts';
import { intRange, pickPartitioning, probability, sampleInt } from './sampling.ts';

/**
 * Random layered DAG (the "layer-by-layer" method used for scheduling benchmarks, e.g. Topcuoglu et al. 2002's
 * random graphs): `layers` layers of `width` operators each; every operator of a layer gets an edge from each
 * operator of the layer above with `edgeProbability`, and at least one (so every operator below the first layer
 * has a predecessor); with `skipProbability` an edge from a random operator two or more layers up is added.
 * Operators `v0, v1, ...` (layer by layer), parallelism, work per subtask and bytes per edge drawn from their
 * ranges; an edge between equal parallelisms is `forward` with `forwardProbability`, else `hash`.
 */
export const layeredDagParams = z.strictObject({
  layers: intRange(1).default([3, 6]),
  width: intRange(1).default([1, 4]),
  edgeProbability: probability().default(0.5),
  skipProbability: probability().default(0),
  parallelism: intRange(1).default(1),
  workMs: intRange(0).default([10, 100]),
  bytes: intRange(0).default(0),
  forwardProbability: probability().default(0.5),
});
export type LayeredDagParams = z.input<typeof layeredDagParams>;

export function randomLayeredDag(rng: Rng, params: LayeredDagParams = {}, source = 'layered-dag'): JobGraphSpec {
  const p = parseWithSchema(layeredDagParams, params, source, ['params']);
  const operators: OperatorSpec[] = [];
  const layers: OperatorSpec[][] = [];
  const layerCount = sampleInt(rng, p.layers);
  for (let l = 0; l < layerCount; l++) {
    const layer: OperatorSpec[] = [];
    const width = sampleInt(rng, p.width);
    for (let i = 0; i < width; i++) {
      const op: OperatorSpec = { id: `v${operators.length}`, parallelism: sampleInt(rng, p.parallelism), workMs: sampleInt(rng, p.workMs) };
      operators.push(op);
      layer.push(op);
    }
    layers.push(layer);
  }
  const edges: JobEdgeSpec[] = [];
  const seen = new Set<string>();
  const connect = (from: OperatorSpec, to: OperatorSpec) => {
    const key = `${from.id}>${to.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from: from.id, to: to.id, partitioning: pickPartitioning(rng, from.parallelism, to.parallelism, p.forwardProbability), bytes: sampleInt(rng, p.bytes) });
  };
  for (let l = 1; l < layers.length; l++) {
    const above = layers[l - 1]!;
    for (const op of layers[l]!) {
      let linked = false;
      for (const pred of above)
        if (rng.next() < p.edgeProbability) {
          connect(pred, op);
          linked = true;
        }
      if (!linked) connect(above[Math.floor(rng.next() * above.length)]!, op);
      if (l >= 2 && rng.next() < p.skipProbability) {
        const far = layers[Math.floor(rng.next() * (l - 1))]!;
        connect(far[Math.floor(rng.next() * far.length)]!, op);
      }
    }
  }
  return { operators, edges };
}
