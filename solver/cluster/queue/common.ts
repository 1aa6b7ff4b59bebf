import type { Admission } from '../../../models/cluster/policies.ts';
import { jobUsage, type ClusterView, type JobView, type ResourceVector } from '../../../models/cluster/state.ts';

/** Shared parts of the queue policies: the size of a job's request, the in-order admission frame, usage sums. */

/** Slots a job is admitted with when it gets all it asks for: its demand, capped at the most the cluster offers. */
export function fullRequest(view: ClusterView, job: JobView): number {
  return Math.min(job.job.demand.slots, view.maxSlots);
}

/**
 * Admits jobs in `order`, each with its full request, while it fits into the admissible slots; stops at the first
 * that does not (no backfilling: a job never overtakes one ranked before it, so nobody starves behind small jobs).
 */
export function admitInOrder(view: ClusterView, order: readonly JobView[]): Admission[] {
  const out: Admission[] = [];
  let budget = view.admissibleSlots;
  for (const job of order) {
    const slots = fullRequest(view, job);
    if (slots > budget) break;
    out.push({ job: job.job.id, slots });
    budget -= slots;
  }
  return out;
}

/** Jobs that hold or wait for slots (admitted or running), with the slots they hold or requested. */
export function activeJobs(view: ClusterView): JobView[] {
  return view.jobs.filter((j) => j.status === 'admitted' || j.status === 'running');
}

export function addUsage(a: ResourceVector, b: ResourceVector): ResourceVector {
  return { slots: a.slots + b.slots, cpuCores: a.cpuCores + b.cpuCores, memoryBytes: a.memoryBytes + b.memoryBytes };
}

export const NO_USAGE: ResourceVector = Object.freeze({ slots: 0, cpuCores: 0, memoryBytes: 0 });

/** Resources each user's admitted and running jobs use (their requested slots × slot profile). */
export function usageByUser(view: ClusterView): Map<string, ResourceVector> {
  const out = new Map<string, ResourceVector>();
  for (const j of activeJobs(view)) out.set(j.job.user, addUsage(out.get(j.job.user) ?? NO_USAGE, jobUsage(j.job, j.requestedSlots)));
  return out;
}

/** Stable sort by keys, then queue (submission) order. */
export function rankBy(jobs: readonly JobView[], key: (j: JobView) => readonly number[]): JobView[] {
  const keyed = jobs.map((j, i) => ({ j, k: [...key(j), i] }));
  keyed.sort((a, b) => {
    for (let x = 0; x < a.k.length; x++) if (a.k[x] !== b.k[x]) return a.k[x]! - b.k[x]!;
    return 0;
  });
  return keyed.map((e) => e.j);
}
