import type { AllocationPolicy } from '../../../models/cluster/policies.ts';
import { allocatedSlotsByTaskManager, slotAllocationInstanceFor } from '../../../models/cluster/allocation-instance.ts';
import { leastUtilizationSlotAllocationHeuristic } from '../../heuristics/least-utilization.ts';
import { decisionOf } from './common.ts';

/**
 * Flink's evenly-spread-out slots (`cluster.evenly-spread-out-slots`, LeastUtilizationSlotMatchingStrategy):
 * slot by slot, from the TaskManager with the lowest utilisation = allocated / total slots. The state becomes the
 * slot-allocation instance of `slotAllocationInstanceFor` (a_i = free slots) and the slot-allocation
 * `least-utilization` heuristic answers it, told the slots already allocated on each TaskManager
 * (`params.allocatedSlots`) so that its utilisation is Flink's and not relative to the free slots alone.
 */
export const leastUtilizationAllocation: AllocationPolicy = async (view, request, options) =>
  decisionOf(
    'least-utilization',
    leastUtilizationSlotAllocationHeuristic(slotAllocationInstanceFor(view, request), { rng: options.rng, params: { allocatedSlots: allocatedSlotsByTaskManager(view) } }),
  );
