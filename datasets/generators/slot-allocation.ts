import { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import type { SlotAllocationSpec } from '../../models/slot-allocation/instance.ts';
import { parseWithSchema } from '../loaders/schema.ts';
import { intRange, probability, randomComposition, sampleInt } from './sampling.ts';

/**
 * Random slot allocation instance (ResourceManager view): `taskManagers` TaskManagers with
 * `slotsPerTaskManager` slots each (drawn per TaskManager), and `jobs` jobs whose demands add up to
 * round(`load` × total slots), split at random (each job at least one slot). A share `elasticShare` of the jobs
 * is elastic: they take between ceil(d / 2) and d + ceil(d / 2) slots instead of exactly d (so the minimum demand
 * never exceeds the slots). With `maxSlotsPerTaskManager` set, every job may take at most that many slots of one
 * TaskManager (a spread constraint), raised where needed so the instance stays feasible.
 */
export const slotAllocationParams = z.strictObject({
  taskManagers: intRange(1).default([4, 16]),
  slotsPerTaskManager: intRange(1).default([1, 8]),
  jobs: intRange(1).default([2, 8]),
  load: probability().default(0.8),
  elasticShare: probability().default(0.25),
  maxSlotsPerTaskManager: intRange(1).optional(),
});
export type SlotAllocationParams = z.input<typeof slotAllocationParams>;

export function randomSlotAllocation(rng: Rng, params: SlotAllocationParams = {}, source = 'slot-allocation', name = source): SlotAllocationSpec {
  const p = parseWithSchema(slotAllocationParams, params, source, ['params']);
  const tmCount = sampleInt(rng, p.taskManagers);
  const taskManagers = Array.from({ length: tmCount }, (_, i) => ({ id: `tm${i + 1}`, slotCount: sampleInt(rng, p.slotsPerTaskManager) }));
  const totalSlots = taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
  const jobCount = Math.min(sampleInt(rng, p.jobs), totalSlots);
  const demanded = Math.max(jobCount, Math.min(totalSlots, Math.round(p.load * totalSlots)));
  const demands = randomComposition(rng, demanded, jobCount);
  const jobs = demands.map((d, j) => {
    const id = `job${j + 1}`;
    let cap: number | undefined;
    if (p.maxSlotsPerTaskManager !== undefined) {
      cap = sampleInt(rng, p.maxSlotsPerTaskManager);
      // feasibility: the job's demand must fit under the cap on all TaskManagers together
      while (taskManagers.reduce((t, tm) => t + Math.min(tm.slotCount, cap!), 0) < d) cap++;
    }
    const spread = cap === undefined ? {} : { maxSlotsPerTaskManager: cap };
    if (rng.next() < p.elasticShare) return { id, minSlots: Math.ceil(d / 2), maxSlots: d + Math.ceil(d / 2), ...spread };
    return { id, slotDemand: d, ...spread };
  });
  return { name, taskManagers, jobs };
}
