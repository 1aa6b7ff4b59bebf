import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { variantOf } from './common/results.ts';
import { eftListSchedule, noSlotFor } from './common/list-scheduling.ts';
import { topologicalPriority } from './common/ranks.ts';

/**
 * MCT, Minimum Completion Time (as defined and compared in T. D. Braun, H. J. Siegel, N. Beck et al., "A
 * comparison of eleven static heuristics for mapping a class of independent tasks onto heterogeneous
 * distributed computing systems", JPDC 61(6):810-837, 2001, doi:10.1006/jpdc.2000.1714; after R. Armstrong,
 * D. Hensgen, T. Kidd, HCW 1998, doi:10.1109/HCW.1998.666547).
 *
 * Paper → slotlab: task = subtask, in "arbitrary order", here `instance.subtasks` (a topological order);
 * machine = slot; completion time = machine ready time + ETC = the append-only earliest start (inputs there,
 * slot free after what it already runs) + `durationMs`.
 * Each subtask goes to the slot where it completes first (ties: the lower TaskManager, then slot). This is the
 * parametric list scheduler `list:topological:append:eft` (list.ts); a test checks that they coincide.
 * Valid under all three variants. Deterministic: ignores the rng.
 */
export const mctHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const { builder, stuck } = eftListSchedule(instance, variant, topologicalPriority(instance), 'append', 'eft');
  if (stuck !== -1) return noSlotFor('mct', instance, variant, stuck);
  return builder.result();
};

export const mct = heuristicSolver('mct', 'dag-placement', 'MCT (Braun et al. JPDC 2001): each subtask in order to the slot where it completes first', mctHeuristic);
