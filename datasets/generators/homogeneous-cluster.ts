import { z } from 'zod';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import { parseWithSchema, positive } from '../loaders/schema.ts';
import { GIGABIT_LINK, linkParams } from './links.ts';

/**
 * A homogeneous cluster: `taskManagers` identical TaskManagers `tm1..tmN` with `slotsPerTaskManager` slots,
 * optional CPU cores and memory, speed 1, one uniform link (default 1 Gbit/s, 0.1 ms). Deterministic: no rng.
 */
export const homogeneousClusterParams = z.strictObject({
  taskManagers: z.number({ error: 'an integer >= 1' }).int({ error: 'an integer >= 1' }).min(1, { error: 'an integer >= 1' }).default(4),
  slotsPerTaskManager: z.number({ error: 'an integer >= 1' }).int({ error: 'an integer >= 1' }).min(1, { error: 'an integer >= 1' }).default(2),
  cpuCores: positive().optional(),
  memoryBytes: positive().optional(),
  link: linkParams.default(GIGABIT_LINK),
});
export type HomogeneousClusterParams = z.input<typeof homogeneousClusterParams>;

export function homogeneousCluster(params: HomogeneousClusterParams = {}, source = 'homogeneous-cluster'): ClusterSpec {
  const p = parseWithSchema(homogeneousClusterParams, params, source, ['params']);
  return {
    taskManagers: Array.from({ length: p.taskManagers }, (_, i) => ({
      id: `tm${i + 1}`,
      slotCount: p.slotsPerTaskManager,
      ...(p.cpuCores === undefined ? {} : { cpuCores: p.cpuCores }),
      ...(p.memoryBytes === undefined ? {} : { memoryBytes: p.memoryBytes }),
    })),
    defaultLink: p.link,
  };
}
