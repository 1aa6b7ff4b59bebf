import type { Admission, QueuePolicy } from '../../../models/cluster/policies.ts';
import { jobUsage, type ResourceVector } from '../../../models/cluster/state.ts';
import { activeJobs, addUsage, fullRequest, NO_USAGE } from './common.ts';

/**
 * Packing, after Tetris (R. Grandl, G. Ananthanarayanan, S. Kandula, S. Rao, A. Akella, "Multi-Resource Packing
 * for Cluster Schedulers", SIGCOMM 2014): among the queued jobs whose full demand fits, the one with the largest
 * alignment score = Σ over resources r of (demand_r / capacity_r) × (free_r / capacity_r), the dot product of the
 * normalised demand and free vectors (resources: slots, CPU cores, memory where the capacity is finite); repeated
 * while a job fits (it backfills: a job that does not fit does not block smaller ones). Ties: submission order.
 * Paper "task" = a job here; paper "machine" = the cluster's free resources as a whole (the ResourceManager's
 * allocation policy then picks TaskManagers). Tetris's SRTF term and fairness knob are not modelled.
 */
export function alignmentScore(demand: ResourceVector, free: ResourceVector, capacity: ResourceVector): number {
  let score = 0;
  for (const r of ['slots', 'cpuCores', 'memoryBytes'] as const)
    if (capacity[r] > 0 && Number.isFinite(capacity[r])) score += (demand[r] / capacity[r]) * (free[r] / capacity[r]);
  return score;
}

export const packing: QueuePolicy = (view) => {
  const capacity: ResourceVector = { ...view.capacity, slots: Math.max(view.capacity.slots, view.maxSlots) };
  let used = activeJobs(view).reduce((u, j) => addUsage(u, jobUsage(j.job, j.requestedSlots)), NO_USAGE);
  let budget = view.admissibleSlots;
  const remaining = view.queue.slice();
  const out: Admission[] = [];
  for (;;) {
    const free: ResourceVector = { slots: budget, cpuCores: capacity.cpuCores - used.cpuCores, memoryBytes: capacity.memoryBytes - used.memoryBytes };
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    remaining.forEach((j, i) => {
      const slots = fullRequest(view, j);
      if (slots > budget) return;
      const score = alignmentScore(jobUsage(j.job, slots), free, capacity);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    if (best === -1) break;
    const job = remaining[best]!;
    const slots = fullRequest(view, job);
    out.push({ job: job.job.id, slots });
    budget -= slots;
    used = addUsage(used, jobUsage(job.job, slots));
    remaining.splice(best, 1);
  }
  return out;
};
