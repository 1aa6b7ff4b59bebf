import { createSlotAllocationInstance, type SlotAllocation, type SlotAllocationInstance } from '../slot-allocation/instance.ts';
import type { ClusterSpec, TaskManagerSpec } from '../graphs/cluster.ts';
import type { ClusterView, SlotRequest } from './state.ts';

/**
 * The bridge from the cluster state to the slot-allocation model, used by every allocation policy and by the
 * check of every grant.
 *
 * The state's running jobs hold slots that no policy moves, so their x_ij are constants. With them fixed,
 * Σ_i (a_i − Σ_j x_ij)² = Σ_i (f_i − x_i,new)², where f_i are the free slots of TaskManager i: the model restricted
 * to the state is the slot-allocation instance whose TaskManagers offer a_i = f_i (registered TaskManagers, in the
 * order they joined) and whose only job is the request, with slotDemand = the requested slots. No slot profiles:
 * slots are the unit the ResourceManager allocates (Flink's coarse-grained resources); CPU and memory are what
 * DRF and packing weigh when they choose which job goes next.
 */
export function slotAllocationInstanceFor(view: ClusterView, request: SlotRequest): SlotAllocationInstance {
  return createSlotAllocationInstance(
    {
      name: `cluster@${view.nowMs}ms:${request.job}`,
      taskManagers: view.taskManagers.filter((tm) => tm.status === 'registered').map((tm) => ({ id: tm.id, slotCount: tm.freeSlots })),
      jobs: [{ id: request.job, slotDemand: request.slots }],
    },
    `cluster state at ${view.nowMs} ms`,
  );
}

/** Slots allocated on each registered TaskManager, by id (for Flink's utilisation, allocated / total). */
export function allocatedSlotsByTaskManager(view: ClusterView): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tm of view.taskManagers) if (tm.status === 'registered') out[tm.id] = tm.slotCount - tm.freeSlots;
  return out;
}

/** Free slots per registered TaskManager after `allocation`, in the order of `view.taskManagers`. */
export function freeSlotsAfter(view: ClusterView, allocation: SlotAllocation): number[] {
  return view.taskManagers
    .filter((tm) => tm.status === 'registered')
    .map((tm) => tm.freeSlots - allocation.grants.filter((g) => g.taskManager === tm.id).reduce((t, g) => t + g.slots, 0));
}

/**
 * The cluster a job runs on: the TaskManagers it got slots of, each with the granted slots and the matching share
 * of its CPU cores and memory (a slot is 1/slotCount of its TaskManager, as Flink splits it), same speed and rack;
 * the links of the workload's cluster between them (started TaskManagers use the default links).
 */
export function grantedSubCluster(view: ClusterView, allocation: SlotAllocation, cluster: ClusterSpec): ClusterSpec {
  const perTm = new Map<string, number>();
  for (const g of allocation.grants) if (g.slots > 0) perTm.set(g.taskManager, (perTm.get(g.taskManager) ?? 0) + g.slots);
  const taskManagers: TaskManagerSpec[] = [];
  for (const tm of view.taskManagers) {
    const slots = perTm.get(tm.id);
    if (slots === undefined) continue;
    const share = slots / tm.slotCount;
    taskManagers.push({
      id: tm.id,
      slotCount: slots,
      cpuCores: tm.cpuCores * share,
      ...(Number.isFinite(tm.memoryBytes) ? { memoryBytes: tm.memoryBytes * share } : {}),
      speedFactor: tm.speedFactor,
      ...(tm.rack === undefined ? {} : { rack: tm.rack }),
    });
  }
  const kept = new Set(taskManagers.map((tm) => tm.id));
  return {
    taskManagers,
    ...(cluster.defaultLink ? { defaultLink: cluster.defaultLink } : {}),
    ...(cluster.interRackLink ? { interRackLink: cluster.interRackLink } : {}),
    links: (cluster.links ?? []).filter((l) => kept.has(l.a) && kept.has(l.b)),
  };
}
