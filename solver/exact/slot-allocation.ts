/**
 * Exact slot allocation by MILP (`milp`, `milp:highs`, `milp:lp-solver`): the
 * formulation of models/slot-allocation/formulation.ts, with the quadratic
 * objective linearised exactly (unary free-slot variables, weights 2k − 1).
 */
import { formulateSlotAllocation } from '../../models/slot-allocation/formulation.ts';
import { slotAllocationObjective, type SlotAllocation, type SlotAllocationInstance } from '../../models/slot-allocation/instance.ts';
import type { MilpBackendName } from '../milp/backends.ts';
import { solveDeadlineMs, type SolveOptions, type SolveResult, type Solver } from '../types.ts';
import { milpSolverName, milpSolvers, prepareBackend, runFormulation, toSolveResult } from './milp-glue.ts';

export async function solveSlotAllocationMilp(
  instance: SlotAllocationInstance,
  options: Omit<SolveOptions, 'params'>,
  backend: MilpBackendName | 'default' = 'default',
): Promise<SolveResult<SlotAllocation>> {
  const name = milpSolverName(backend);
  const t0 = performance.now();
  prepareBackend(options);
  const { milp, solution } = await runFormulation(formulateSlotAllocation(instance), backend, { ...options, deadlineMs: solveDeadlineMs(options, t0) });
  const objective = solution ? slotAllocationObjective(instance, solution) : undefined;
  const message =
    milp.status === 'infeasible'
      ? `Infeasible: no allocation fits the jobs' slot profiles into the TaskManagers' CPU and memory (${milp.message})`
      : milp.message;
  return toSolveResult(name, milp, solution, objective, { timeMs: performance.now() - t0, message });
}

export const slotAllocationMilpSolvers: readonly Solver<'slot-allocation'>[] = milpSolvers(
  'slot-allocation',
  'Σ(free slots)² linearised exactly with unary variables weighted 2k − 1',
  solveSlotAllocationMilp,
);
