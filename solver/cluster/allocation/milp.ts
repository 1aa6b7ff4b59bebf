import type { AllocationPolicy } from '../../../models/cluster/policies.ts';
import { slotAllocationInstanceFor } from '../../../models/cluster/allocation-instance.ts';
import { solveSlotAllocationMilp } from '../../exact/slot-allocation.ts';
import type { MilpBackend } from '../../milp/backend.ts';
import { decisionOf } from './common.ts';

/**
 * The slot-allocation model's optimum for the state by MILP (models/slot-allocation/formulation.ts, the exact
 * unary linearisation, default backend), on the instance of `slotAllocationInstanceFor`. Same objective value as
 * `water-filling` (the tests check every grant); useful as the exact reference and for variants water-filling does
 * not solve. An answer that is not proven optimal within the time limit (default 10 s per request) is used if it is
 * feasible. Creating a HiGHS backend costs seconds: a caller making many grants creates one
 * (`createMilpBackend('highs')`) and passes it as `options.params.backend`, as the CLI does.
 */
export const MILP_ALLOCATION_TIME_LIMIT_MS = 10_000;

export const milpAllocation: AllocationPolicy = async (view, request, options) => {
  // The policy options are opaque in models/; the MILP backend the caller owns becomes the typed SolveOptions field.
  const backend = options.params?.['backend'] as MilpBackend | undefined;
  return decisionOf(
    'milp',
    await solveSlotAllocationMilp(slotAllocationInstanceFor(view, request), { rng: options.rng, timeLimitMs: options.timeLimitMs ?? MILP_ALLOCATION_TIME_LIMIT_MS, ...(backend === undefined ? {} : { backend }) }),
  );
};
