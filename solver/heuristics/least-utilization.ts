import type { DagPlacementHeuristic, LoadBalancingHeuristic, SlotAllocationHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { z } from 'zod';
import { solverParams } from '../params.ts';
import { flinkPlacement } from './common/flink-slot-matching.ts';
import { SLOT_SHARING_PARAMS, type SlotSharingParams } from './common/flink-slot-sharing.ts';
import { allocateGreedily } from './common/slot-allocation.ts';
import { TaskManagerLoads, assignmentResult, noTaskManagerFor } from './common/load-balancing.ts';

/**
 * Least utilisation: Flink's `LeastUtilizationSlotMatchingStrategy` (`cluster.evenly-spread-out-slots: true`,
 * since Flink 1.18 `taskmanager.load-balance.mode: SLOTS`): the next slot comes from the TaskManager whose slot
 * utilisation (slots in use / slots) is lowest, ties to the TaskManager listed first.
 * - DAG placement: every execution slot sharing group (from the param `slotSharing`: `local-input`, the default,
 *   or `task-balanced`) takes a free slot on the least utilised TaskManager; times: the model's earliest
 *   schedule (common/flink-slot-matching.ts).
 * - Slot allocation: slot by slot, jobs in order, each from the least utilised TaskManager with room
 *   (then, in job order, extra slots up to each job's maximum the same way).
 * - Load balancing: tasks in order, each to the TaskManager with the lowest slot utilisation (tasks / slots;
 *   with unlimited slots, ties are broken by fewer tasks), loads not looked at, as Flink matches slots.
 * Deterministic: ignores the rng.
 */
export const leastUtilizationDagHeuristic: DagPlacementHeuristic<SlotSharingParams> = (instance, options) =>
  flinkPlacement(instance, options, {
    name: 'least-utilization',
    sharing: options.params.slotSharing,
    matching: 'least-utilization',
  });

/**
 * `params.allocatedSlots` (optional, `{ [taskManagerId]: slots }`): slots already allocated on a TaskManager outside
 * the instance, whose `slotCount` then counts only its free slots (a cluster's ResourceManager, models/cluster).
 * Utilisation is Flink's (allocated + used) / (allocated + slotCount), i.e. allocated / total.
 */
export const ALLOCATED_SLOTS_PARAMS = solverParams({
  allocatedSlots: {
    schema: z.record(z.string(), z.number().int().nonnegative()).default({}),
    type: '{ [taskManagerId]: integer >= 0 }',
    unit: 'slots',
    default: '{} (nothing allocated outside the instance)',
    description: "slots already allocated on each TaskManager outside the instance (a cluster's ResourceManager), so that utilisation is Flink's allocated / total slots",
  },
});
export type AllocatedSlotsParams = { readonly allocatedSlots: Readonly<Record<string, number>> };

export const leastUtilizationSlotAllocationHeuristic: SlotAllocationHeuristic<AllocatedSlotsParams> = (instance, options) => {
  const allocated = options.params.allocatedSlots;
  const before = instance.taskManagers.map((tm) => allocated[tm.id] ?? 0);
  return allocateGreedily(
    'least-utilization',
    instance,
    (ledger, j) => {
      let best = -1;
      let bestU = Number.POSITIVE_INFINITY;
      for (let i = 0; i < instance.taskManagers.length; i++) {
        if (ledger.room(j, i) === 0) continue;
        const u = (before[i]! + ledger.used[i]!) / (before[i]! + instance.taskManagers[i]!.slotCount);
        if (u < bestU) {
          bestU = u;
          best = i;
        }
      }
      return best;
    },
    false,
  );
};

export const leastUtilizationLoadBalancingHeuristic: LoadBalancingHeuristic = (instance) => {
  const K = instance.taskManagers.length;
  const loads = new TaskManagerLoads(instance);
  const tmOfTask = new Int32Array(instance.tasks.length);
  for (let t = 0; t < instance.tasks.length; t++) {
    let best = -1;
    for (let k = 0; k < K; k++) {
      if (!loads.canTake(t, k)) continue;
      if (best === -1) {
        best = k;
        continue;
      }
      const u = loads.taskCount[k]! / instance.taskManagers[k]!.slotCount;
      const ub = loads.taskCount[best]! / instance.taskManagers[best]!.slotCount;
      if (u < ub || (u === ub && loads.taskCount[k]! < loads.taskCount[best]!)) best = k;
    }
    if (best === -1) return noTaskManagerFor('least-utilization', instance, t);
    loads.add(t, best);
    tmOfTask[t] = best;
  }
  return assignmentResult(instance, tmOfTask);
};

export const leastUtilizationDag = heuristicSolver('least-utilization', 'dag-placement', "Slot on the least utilised TaskManager (Flink's LeastUtilizationSlotMatchingStrategy, load-balance mode SLOTS)", leastUtilizationDagHeuristic, SLOT_SHARING_PARAMS);
export const leastUtilizationSlotAllocation = heuristicSolver('least-utilization', 'slot-allocation', "Each slot from the least utilised TaskManager (Flink's evenly-spread-out slots)", leastUtilizationSlotAllocationHeuristic, ALLOCATED_SLOTS_PARAMS);
export const leastUtilizationLoadBalancing = heuristicSolver('least-utilization', 'load-balancing', "Each task to the TaskManager with the lowest slot utilisation (Flink's LeastUtilizationSlotMatchingStrategy)", leastUtilizationLoadBalancingHeuristic);
