import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { LoadBalancingSpec } from '../../models/load-balancing/instance.ts';
import { oneOf, parseWithSchema } from '../loaders/schema.ts';
import { intRange, realRange, roundMs, sampleInt, sampleReal, zipfShares } from './sampling.ts';

/**
 * Random load balancing instance with key skew: `operators` operators, each with `parallelism` subtasks; an
 * operator's total load is `loadMsPerSubtask` × parallelism, split over its subtasks by Zipf key shares
 * (`keys` keys, exponent `keySkew`; 0 = uniform keys). TaskManagers get speeds from `speedFactor` and, when
 * `slotsPerTaskManager` is given, that many slots (raised where needed so that every subtask has a slot).
 * `currentPlacement: "round-robin"` records a current TaskManager per task, in turn over the TaskManagers with a free
 * slot (for rebalancing with `migrationCostMs`).
 */
export const loadBalancingParams = z.strictObject({
  taskManagers: intRange(1).default([3, 8]),
  operators: intRange(1).default([2, 5]),
  parallelism: intRange(1).default([2, 8]),
  loadMsPerSubtask: intRange(0).default([10, 100]),
  keys: z.number({ error: 'an integer >= 1' }).int({ error: 'an integer >= 1' }).min(1, { error: 'an integer >= 1' }).default(100),
  keySkew: z.number({ error: 'a number >= 0 (Zipf exponent)' }).min(0, { error: 'a number >= 0 (Zipf exponent)' }).default(1),
  speedFactor: realRange(0, true).default(1),
  slotsPerTaskManager: intRange(1).optional(),
  objective: oneOf(['max-utilization', 'squared-deviation']).default('max-utilization'),
  currentPlacement: oneOf(['none', 'round-robin']).default('none'),
  migrationCostMs: z.number({ error: 'a number >= 0' }).min(0, { error: 'a number >= 0' }).default(0),
});
export type LoadBalancingParams = z.input<typeof loadBalancingParams>;

export function randomLoadBalancing(rng: Rng, params: LoadBalancingParams = {}, source = 'load-balancing', name = source): LoadBalancingSpec {
  const p = parseWithSchema(loadBalancingParams, params, source, ['params']);
  const tmCount = sampleInt(rng, p.taskManagers);
  const tasks: Array<{ id: string; operator: string; load: number; currentTaskManager?: string }> = [];
  const opCount = sampleInt(rng, p.operators);
  for (let o = 1; o <= opCount; o++) {
    const parallelism = sampleInt(rng, p.parallelism);
    const total = sampleInt(rng, p.loadMsPerSubtask) * parallelism;
    zipfShares(rng, parallelism, p.keys, p.keySkew).forEach((share, k) => tasks.push({ id: `op${o}#${k}`, operator: `op${o}`, load: roundMs(total * share) }));
  }
  const slots = Array.from({ length: tmCount }, () => (p.slotsPerTaskManager === undefined ? undefined : sampleInt(rng, p.slotsPerTaskManager)));
  if (p.slotsPerTaskManager !== undefined) {
    let k = 0;
    while (slots.reduce((t: number, s) => t + s!, 0) < tasks.length) slots[k++ % tmCount]! += 1;
  }
  const taskManagers = slots.map((slotCount, i) => ({
    id: `tm${i + 1}`,
    ...(slotCount === undefined ? {} : { slotCount }),
    speedFactor: Math.round(sampleReal(rng, p.speedFactor) * 100) / 100 || 0.01,
  }));
  if (p.currentPlacement === 'round-robin') {
    // round robin over the TaskManagers that still have a free slot
    const used = new Array<number>(tmCount).fill(0);
    let k = 0;
    for (const t of tasks) {
      while (used[k % tmCount]! >= (slots[k % tmCount] ?? Number.POSITIVE_INFINITY)) k++;
      used[k % tmCount]! += 1;
      t.currentTaskManager = `tm${(k % tmCount) + 1}`;
      k++;
    }
  }
  return { name, objective: p.objective, taskManagers, tasks, ...(p.migrationCostMs > 0 ? { migrationCostMs: p.migrationCostMs } : {}) };
}
