import type { AllocationPolicy } from '../../../models/cluster/policies.ts';
import { findNamed, type NamedEntry } from '../named-entries.ts';
import { firstFitAllocation } from './first-fit.ts';
import { leastUtilizationAllocation } from './least-utilization.ts';
import { waterFillingAllocation } from './water-filling.ts';
import { milpAllocation } from './milp.ts';

export { firstFitAllocation, leastUtilizationAllocation, waterFillingAllocation, milpAllocation };

export type AllocationPolicyEntry = NamedEntry<AllocationPolicy>;

/** Every allocation policy of the ResourceManager, one per file, by name. */
export const ALLOCATION_POLICIES: readonly AllocationPolicyEntry[] = Object.freeze([
  Object.freeze({ name: 'first-fit', description: "Flink's default: free slots of the first TaskManagers (AnyMatchingSlotMatchingStrategy)", policy: firstFitAllocation }),
  Object.freeze({ name: 'least-utilization', description: "Flink's evenly-spread-out slots: each slot from the least utilised TaskManager", policy: leastUtilizationAllocation }),
  Object.freeze({ name: 'water-filling', description: 'slot-allocation model optimum (free slots as even as possible), by water-filling', policy: waterFillingAllocation }),
  Object.freeze({ name: 'milp', description: 'slot-allocation model optimum by MILP (exact reference)', policy: milpAllocation }),
]);

export function allocationPolicyNames(): string[] {
  return ALLOCATION_POLICIES.map((p) => p.name);
}

export function findAllocationPolicy(name: string): AllocationPolicyEntry {
  return findNamed(ALLOCATION_POLICIES, name, 'allocation policy');
}
