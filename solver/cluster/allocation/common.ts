import type { AllocationDecision } from '../../../models/cluster/policies.ts';
import type { SlotAllocation } from '../../../models/slot-allocation/instance.ts';
import type { SolveResult } from '../../types.ts';

/** A solver's answer as an allocation decision: its solution when it has one, else why not. */
export function decisionOf(policy: string, result: Pick<SolveResult<SlotAllocation>, 'status' | 'solution' | 'message'>): AllocationDecision {
  if (result.solution !== undefined && (result.status === 'optimal' || result.status === 'feasible')) return { allocation: result.solution };
  return { failure: `${policy}: ${result.status}${result.message ? ` (${result.message})` : ''}` };
}
