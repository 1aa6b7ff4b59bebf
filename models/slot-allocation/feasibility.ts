import { profiledTaskManager, requestProfileOn, type SlotAllocationInstance } from './instance.ts';
import { formatProfile, slotsOfProfile } from '../resources/profile.ts';

/**
 * The slot allocation model's infeasibility check, the one every solver relies on (the solver registry runs it
 * before any solver): a sentence saying why no allocation exists, from counting alone, or undefined (which does not
 * prove feasibility: slot profiles can make an instance infeasible beyond these counts; the MILP proves that).
 */
export function slotAllocationInfeasibility(instance: SlotAllocationInstance): string | undefined {
  const offered = instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
  const needed = instance.jobs.reduce((t, j) => t + j.minSlots, 0);
  if (needed > offered) return `the jobs need at least ${needed} slots in all but the TaskManagers offer ${offered}`;
  for (const job of instance.jobs) {
    const reachable = instance.taskManagers.reduce((t, tm) => t + Math.min(tm.slotCount, job.maxSlotsPerTaskManager), 0);
    if (job.minSlots > reachable)
      return `job ${job.id} needs ${job.minSlots} slots but can get at most ${reachable} (at most ${job.maxSlotsPerTaskManager} per TaskManager)`;
    if (job.resourceProfile !== undefined && job.minSlots > 0) {
      // fine-grained: slots of the job's profile each TaskManager can cut when empty (models/resources)
      const cuttable = instance.taskManagers.reduce((t, tm) => {
        const p = profiledTaskManager(tm);
        const n = p === undefined ? tm.slotCount : slotsOfProfile(p, requestProfileOn(job, { ...tm, resources: p.resources }));
        return t + Math.min(n, job.maxSlotsPerTaskManager);
      }, 0);
      if (cuttable === 0) return `job ${job.id}'s slot profile ${formatProfile(job.resourceProfile)} fits no TaskManager`;
      if (job.minSlots > cuttable) return `job ${job.id} needs ${job.minSlots} slots of ${formatProfile(job.resourceProfile)} but the TaskManagers can cut at most ${cuttable} of them`;
    }
  }
  return undefined;
}
