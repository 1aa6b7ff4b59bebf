import type { AnySolver } from '../types.ts';
import { dagPlacementAllocationOrderingSolver } from './allocation-ordering/index.ts';
import { dagPlacementCpSolver } from './cp/index.ts';
import { dagPlacementBnbSolver } from './dag-placement-bnb.ts';
import { dagPlacementMilpSolvers } from './dag-placement.ts';
import { loadBalancingMilpSolvers } from './load-balancing.ts';
import { makespanBnbSolver } from './makespan-bnb/index.ts';
import { slotAllocationMilpSolvers } from './slot-allocation.ts';
import { waterFillingSolver } from './water-filling.ts';
import { minStrandedSolver } from './min-stranded.ts';

/** Every exact solver (MILP backends per model, problem-specific exact methods). */
export const EXACT_SOLVERS: readonly AnySolver[] = Object.freeze([
  ...slotAllocationMilpSolvers,
  waterFillingSolver,
  minStrandedSolver,
  ...loadBalancingMilpSolvers,
  makespanBnbSolver,
  ...dagPlacementMilpSolvers,
  dagPlacementBnbSolver,
  dagPlacementAllocationOrderingSolver,
  dagPlacementCpSolver,
]);
