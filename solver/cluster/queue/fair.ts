import type { Admission, QueuePolicy } from '../../../models/cluster/policies.ts';
import { waterFill } from '../../exact/water-filling.ts';
import { activeJobs, fullRequest } from './common.ts';

/**
 * Max-min fair share of slots among users (a job's `user`, default the job itself). Each user with admitted,
 * running or queued jobs wants D_u slots (its jobs' requests); the shares are the max-min fair division of the
 * cluster's slots (at its largest) capped by the wants: s_u = min(D_u, L) for the highest level L that fits, the
 * leftover units one each to the first users (in order of first submission) that want more — exactly the
 * water-filling of solver/exact/water-filling.ts, whose `waterFill` computes it. Queued jobs, in submission order,
 * are admitted with min(their request, s_u − what their user holds, what is admissible) slots when that is at least
 * their minSlots: an elastic (`sequenced`) job may run on fewer slots than it asks for; a rigid one waits until its
 * share covers its demand. No preemption: shares are reached as running jobs finish. So that rigid jobs larger
 * than every share cannot wait for ever, an idle cluster (no job admitted or running) admits the first queued job
 * that fits, with its full request.
 */
export const fair: QueuePolicy = (view) => {
  const users: string[] = [];
  const wants = new Map<string, number>();
  const holds = new Map<string, number>();
  const active = activeJobs(view);
  for (const j of view.jobs) {
    const live = j.status === 'admitted' || j.status === 'running' || j.status === 'queued';
    if (!live) continue;
    const u = j.job.user;
    if (!wants.has(u)) users.push(u);
    const slots = j.status === 'queued' ? fullRequest(view, j) : j.requestedSlots;
    wants.set(u, (wants.get(u) ?? 0) + slots);
    if (j.status !== 'queued') holds.set(u, (holds.get(u) ?? 0) + slots);
  }
  const totalWant = users.reduce((t, u) => t + wants.get(u)!, 0);
  const shares = waterFill(users.map((u) => wants.get(u)!), Math.min(view.maxSlots, totalWant));
  const share = new Map(users.map((u, i) => [u, shares[i]!]));
  const out: Admission[] = [];
  let budget = view.admissibleSlots;
  for (const j of view.queue) {
    const u = j.job.user;
    const slots = Math.min(fullRequest(view, j), share.get(u)! - (holds.get(u) ?? 0), budget);
    if (slots < j.job.demand.minSlots || slots <= 0) continue;
    out.push({ job: j.job.id, slots });
    holds.set(u, (holds.get(u) ?? 0) + slots);
    budget -= slots;
  }
  if (out.length === 0 && active.length === 0) {
    const first = view.queue.find((j) => fullRequest(view, j) <= view.admissibleSlots);
    if (first) out.push({ job: first.job.id, slots: fullRequest(view, first) });
  }
  return out;
};
