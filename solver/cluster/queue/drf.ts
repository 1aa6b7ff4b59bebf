import type { Admission, QueuePolicy } from '../../../models/cluster/policies.ts';
import { dominantShare, jobUsage } from '../../../models/cluster/state.ts';
import { NO_USAGE, addUsage, fullRequest, usageByUser } from './common.ts';

/**
 * Dominant resource fairness (A. Ghodsi, M. Zaharia, B. Hindman, A. Konwinski, S. Shenker, I. Stoica, "Dominant
 * Resource Fairness: Fair Allocation of Multiple Resource Types", NSDI 2011) over CPU cores and memory.
 * Paper "user" = a job's `user` (default: the job itself); paper "task" = a job here, with demand vector = its
 * slots × slot profile; resources = the registered TaskManagers' CPU cores and memory.
 * Progressive filling: repeatedly the queued job whose user has the smallest dominant share (max over resources of
 * used / capacity) goes next (ties: the smaller dominant share of the job's own demand, then submission order);
 * it is admitted with its full demand if it fits, and its user's share grows. The first pick that does not fit
 * waits (no backfilling past it).
 */
export const drf: QueuePolicy = (view) => {
  const usage = usageByUser(view);
  const capacity = view.capacity;
  const remaining = view.queue.slice();
  const out: Admission[] = [];
  let budget = view.admissibleSlots;
  while (remaining.length > 0) {
    let best = 0;
    let bestKey: [number, number] | null = null;
    remaining.forEach((j, i) => {
      const key: [number, number] = [dominantShare(usage.get(j.job.user) ?? NO_USAGE, capacity), dominantShare(jobUsage(j.job, fullRequest(view, j)), capacity)];
      if (bestKey === null || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
        best = i;
        bestKey = key;
      }
    });
    const job = remaining[best]!;
    const slots = fullRequest(view, job);
    if (slots > budget) break;
    out.push({ job: job.job.id, slots });
    budget -= slots;
    usage.set(job.job.user, addUsage(usage.get(job.job.user) ?? NO_USAGE, jobUsage(job.job, slots)));
    remaining.splice(best, 1);
  }
  return out;
};
