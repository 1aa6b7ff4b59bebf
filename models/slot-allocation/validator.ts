import { profiledTaskManager, requestProfileOn, type SlotAllocation, type SlotAllocationInstance } from './instance.ts';
import { cutSlotsReason, type ResourceProfile } from '../resources/profile.ts';
import { fmt, type Violation } from '../violation.ts';

/**
 * Independent validator of the slot allocation model: grants name known TaskManagers and jobs, are integers >= 0,
 * no TaskManager grants more than its slots (nor more CPU/memory than its budget under slot profiles), each job
 * gets between minSlots and maxSlots in all, and at most maxSlotsPerTaskManager from any one TaskManager.
 * Fine-grained resources: the slots a TaskManager with `resources` grants can be cut from it (models/resources,
 * `cutSlotsReason`: fixed slots each within the default slot profile, dynamic slots within the total).
 */
export function validateSlotAllocation(instance: SlotAllocationInstance, allocation: SlotAllocation): Violation[] {
  const out: Violation[] = [];
  const tms = new Map(instance.taskManagers.map((tm) => [tm.id, tm]));
  const jobs = new Map(instance.jobs.map((j) => [j.id, j]));
  const perTm = new Map<string, number>();
  const perJob = new Map<string, number>();
  const cpu = new Map<string, number>();
  const mem = new Map<string, number>();
  const pair = new Map<string, number>();
  const requests = new Map<string, ResourceProfile[]>();
  for (const g of allocation.grants) {
    const tm = tms.get(g.taskManager);
    const job = jobs.get(g.job);
    if (!tm) { out.push({ constraint: 'grant', message: `a grant names TaskManager "${g.taskManager}", which the instance does not have`, subjects: [g.job] }); continue; }
    if (!job) { out.push({ constraint: 'grant', message: `a grant names job "${g.job}", which the instance does not have`, where: g.taskManager }); continue; }
    if (!Number.isInteger(g.slots) || g.slots < 0) { out.push({ constraint: 'integrality', message: `${g.taskManager} grants ${g.slots} slots to ${g.job}; grants are integers >= 0`, subjects: [g.job], where: g.taskManager }); continue; }
    perTm.set(tm.id, (perTm.get(tm.id) ?? 0) + g.slots);
    perJob.set(job.id, (perJob.get(job.id) ?? 0) + g.slots);
    const key = `${tm.id}\u0000${job.id}`;
    pair.set(key, (pair.get(key) ?? 0) + g.slots);
    if (tm.resources !== undefined) {
      const list = requests.get(tm.id) ?? [];
      for (let k = 0; k < g.slots; k++) list.push(requestProfileOn(job, { ...tm, resources: tm.resources }));
      requests.set(tm.id, list);
    }
    if (job.slotProfile) {
      cpu.set(tm.id, (cpu.get(tm.id) ?? 0) + g.slots * job.slotProfile.cpuCores);
      mem.set(tm.id, (mem.get(tm.id) ?? 0) + g.slots * job.slotProfile.memoryBytes);
    }
  }
  for (const tm of instance.taskManagers) {
    const used = perTm.get(tm.id) ?? 0;
    if (used > tm.slotCount) out.push({ constraint: 'capacity', message: `${tm.id} grants ${used} slots but has ${tm.slotCount}`, where: tm.id, amount: used - tm.slotCount });
    const c = cpu.get(tm.id) ?? 0;
    if (c > tm.cpuCores + 1e-9) out.push({ constraint: 'cpu', message: `${tm.id} grants slots needing ${fmt(c)} CPU cores but has ${fmt(tm.cpuCores)}`, where: tm.id, amount: c - tm.cpuCores });
    const m = mem.get(tm.id) ?? 0;
    if (m > tm.memoryBytes) out.push({ constraint: 'memory', message: `${tm.id} grants slots needing ${fmt(m)} bytes of memory but has ${fmt(tm.memoryBytes)}`, where: tm.id, amount: m - tm.memoryBytes });
    const profiled = profiledTaskManager(tm);
    const reason = profiled && used <= tm.slotCount ? cutSlotsReason(profiled, requests.get(tm.id) ?? []) : undefined;
    if (reason !== undefined) out.push({ constraint: 'resources', message: `${tm.id} cannot cut the slots it grants: ${reason}`, where: tm.id });
  }
  for (const job of instance.jobs) {
    const got = perJob.get(job.id) ?? 0;
    if (got < job.minSlots || got > job.maxSlots) {
      const want = job.minSlots === job.maxSlots ? `exactly ${job.minSlots}` : `between ${job.minSlots} and ${fmt(job.maxSlots)}`;
      out.push({ constraint: 'demand', message: `job ${job.id} gets ${got} slots but needs ${want}`, subjects: [job.id], amount: got < job.minSlots ? job.minSlots - got : got - job.maxSlots });
    }
    if (Number.isFinite(job.maxSlotsPerTaskManager))
      for (const tm of instance.taskManagers) {
        const x = pair.get(`${tm.id}\u0000${job.id}`) ?? 0;
        if (x > job.maxSlotsPerTaskManager) out.push({ constraint: 'per-taskmanager', message: `job ${job.id} gets ${x} slots on ${tm.id}, more than its maxSlotsPerTaskManager ${job.maxSlotsPerTaskManager}`, subjects: [job.id], where: tm.id, amount: x - job.maxSlotsPerTaskManager });
      }
  }
  return out;
}
