/**
 * `min-stranded` (slot allocation, fine-grained resources): the allocation with the least stranded CPU and memory,
 * proven by MILP (models/slot-allocation/formulation-stranded.ts; the default backend, HiGHS). It minimises the
 * stranded share (stranded CPU / all CPU + stranded memory / all memory of the TaskManagers with resources), not the
 * model's Σ(free slots)²: `objective` is still the model's evaluation of the allocation (as for every solver), and the
 * proof is in `metrics` (`strandedShare`, `strandedShareBound`) and the message. `optimal` means: no allocation that
 * meets every constraint of the model strands less.
 */
import { formulateMinStranded } from '../../models/slot-allocation/formulation-stranded.ts';
import { slotAllocationObjective, slotAllocationStranded } from '../../models/slot-allocation/instance.ts';
import { NO_PARAMS, type NoParams } from '../params.ts';
import { defineSolver } from '../types.ts';
import { runFormulation } from './milp-glue.ts';

export const minStrandedSolver = defineSolver<'slot-allocation', NoParams>({
  name: 'min-stranded',
  model: 'slot-allocation',
  kind: 'exact',
  description: 'MILP (default backend): the allocation with the least stranded CPU and memory (fine-grained resources)',
  params: NO_PARAMS,
  run: async (instance, options) => {
    const t0 = performance.now();
    const { milp, solution } = await runFormulation(formulateMinStranded(instance), 'default', options);
    const base = { solver: 'min-stranded', timeMs: performance.now() - t0, backend: milp.backend, ...(milp.nodes !== undefined ? { nodes: milp.nodes } : {}) };
    if (solution === undefined) {
      const status = milp.status === 'optimal' || milp.status === 'feasible' ? 'error' : milp.status;
      const message = milp.status === 'infeasible' ? `Infeasible: no allocation cuts every job's slots from the TaskManagers' resources (${milp.message})` : milp.message;
      return { ...base, status, message };
    }
    const stranded = slotAllocationStranded(instance, solution);
    const bound = milp.bestBound;
    return {
      ...base,
      status: milp.status,
      solution,
      objective: slotAllocationObjective(instance, solution),
      metrics: { strandedCpuCores: stranded.strandedCpuCores, strandedMemoryBytes: stranded.strandedMemoryBytes, strandedShare: stranded.strandedShare, ...(bound !== undefined ? { strandedShareBound: bound } : {}) },
      message: `stranded share ${stranded.strandedShare.toFixed(6)} (${milp.status === 'optimal' ? 'proven optimal' : 'not proven'}${bound !== undefined ? `, bound ${bound.toFixed(6)}` : ''}); objective is the model's Σ(free slots)²`,
    };
  },
});
