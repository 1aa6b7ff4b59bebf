import type { AllocationPolicy } from '../../../models/cluster/policies.ts';
import { slotAllocationInstanceFor } from '../../../models/cluster/allocation-instance.ts';
import { waterFillingSolver } from '../../exact/water-filling.ts';
import { decisionOf } from './common.ts';

/**
 * The slot-allocation model's optimum for the state: min Σ_i (free slots of TaskManager i after the grant)², by
 * water-filling (solver/exact/water-filling.ts), on the instance of `slotAllocationInstanceFor` (a_i = free slots,
 * one job = the request; the running jobs' grants are constants, see there). The free slots left are as even as
 * the TaskManagers allow: the request takes from the TaskManagers with the most free slots.
 */
export const waterFillingAllocation: AllocationPolicy = async (view, request, options) =>
  decisionOf('water-filling', await waterFillingSolver.solve(slotAllocationInstanceFor(view, request), { rng: options.rng }));
