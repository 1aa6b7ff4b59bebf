import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import { parseWithSchema } from '../loaders/schema.ts';
import { GIGABIT_LINK, linkParams } from './links.ts';
import { intRange, realRange, sampleInt, sampleReal } from './sampling.ts';

/**
 * A heterogeneous cluster (related machines, Q||Cmax): `taskManagers` TaskManagers whose slot counts and speed
 * factors are drawn from their ranges (speeds rounded to 0.01), CPU cores = slots, one uniform link.
 */
export const heterogeneousClusterParams = z.strictObject({
  taskManagers: intRange(1).default(4),
  slotsPerTaskManager: intRange(1).default([1, 4]),
  speedFactor: realRange(0, true).default([0.5, 2]),
  link: linkParams.default(GIGABIT_LINK),
});
export type HeterogeneousClusterParams = z.input<typeof heterogeneousClusterParams>;

export function heterogeneousCluster(rng: Rng, params: HeterogeneousClusterParams = {}, source = 'heterogeneous-cluster'): ClusterSpec {
  const p = parseWithSchema(heterogeneousClusterParams, params, source, ['params']);
  const count = sampleInt(rng, p.taskManagers);
  return {
    taskManagers: Array.from({ length: count }, (_, i) => ({
      id: `tm${i + 1}`,
      slotCount: sampleInt(rng, p.slotsPerTaskManager),
      speedFactor: Math.max(0.01, Math.round(sampleReal(rng, p.speedFactor) * 100) / 100),
    })),
    defaultLink: p.link,
  };
}
