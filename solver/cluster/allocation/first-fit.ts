import type { AllocationPolicy } from '../../../models/cluster/policies.ts';
import { slotAllocationInstanceFor } from '../../../models/cluster/allocation-instance.ts';
import { firstFitSlotAllocationHeuristic } from '../../heuristics/first-fit.ts';
import { decisionOf } from './common.ts';

/**
 * Flink's default slot matching (AnyMatchingSlotMatchingStrategy): the request takes free slots from the first
 * TaskManagers, in the order they registered. The state becomes the slot-allocation instance of
 * `slotAllocationInstanceFor` (a_i = free slots of TaskManager i, one job = the request) and the slot-allocation
 * `first-fit` heuristic (solver/heuristics/first-fit.ts) answers it.
 */
export const firstFitAllocation: AllocationPolicy = async (view, request, options) =>
  decisionOf('first-fit', firstFitSlotAllocationHeuristic(slotAllocationInstanceFor(view, request), { rng: options.rng, params: {} }));
