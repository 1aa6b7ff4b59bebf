import { z } from 'zod';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import { parseWithSchema } from '../loaders/schema.ts';
import { GIGABIT_LINK, UPLINK, linkParams } from './links.ts';

/**
 * A cluster in racks: `racks` racks `rack1..` of `taskManagersPerRack` TaskManagers (`r1tm1`, `r1tm2`, ...)
 * with `slotsPerTaskManager` slots. TaskManagers in one rack talk over `rackLink` (default 1 Gbit/s, 0.1 ms)
 * and are adjacent in the design's locality sense; across racks over `interRackLink` (default 100 Mbit/s,
 * 0.5 ms). Deterministic: no rng.
 */
const count = () => z.number({ error: 'an integer >= 1' }).int({ error: 'an integer >= 1' }).min(1, { error: 'an integer >= 1' });
export const rackClusterParams = z.strictObject({
  racks: count().default(2),
  taskManagersPerRack: count().default(2),
  slotsPerTaskManager: count().default(2),
  rackLink: linkParams.default(GIGABIT_LINK),
  interRackLink: linkParams.default(UPLINK),
});
export type RackClusterParams = z.input<typeof rackClusterParams>;

export function rackCluster(params: RackClusterParams = {}, source = 'rack-cluster'): ClusterSpec {
  const p = parseWithSchema(rackClusterParams, params, source, ['params']);
  const taskManagers = [];
  for (let r = 1; r <= p.racks; r++)
    for (let t = 1; t <= p.taskManagersPerRack; t++) taskManagers.push({ id: `r${r}tm${t}`, slotCount: p.slotsPerTaskManager, rack: `rack${r}` });
  return { taskManagers, defaultLink: p.rackLink, interRackLink: p.interRackLink };
}
