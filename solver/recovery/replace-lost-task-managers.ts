/**
 * Re-placement after a lost TaskManager (issue #11): the failover of a job whose TaskManager is gone needs new slots
 * for that TaskManager's subtasks on the TaskManagers that are left (Flink's JobMaster requests new slots from the
 * ResourceManager and deploys the failed region there). Every other subtask keeps its slot.
 *
 * Greedy, deterministic: the displaced subtasks are taken in the instance's (topological) order; each goes to the
 * first slot, on the surviving TaskManager that holds the fewest subtasks (ties: TaskManager order, then slot
 * number), for which the model's validator finds no violation (`validateDagPlacement`, the one definition of the
 * slot rules: exclusive, shared, sequenced). A subtask that fits nowhere makes the re-placement fail with a message
 * naming it: the job then fails (the runtime reports it as the cause).
 */
import type { DagPlacementInstance, PlacementVariant } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import type { Placement, SubtaskAssignment } from '../../models/solution.ts';
import { InvalidSolutionError } from '../../models/errors.ts';

export function replaceLostTaskManagers(instance: DagPlacementInstance, current: Placement, lost: readonly string[], variant: PlacementVariant = instance.variant): Placement {
  const gone = new Set(lost);
  const assignments: SubtaskAssignment[] = current.assignments.map((a) => ({ subtask: a.subtask, taskManager: a.taskManager, slot: a.slot }));
  const index = new Map(assignments.map((a, i) => [a.subtask, i]));
  const displaced = instance.subtasks.filter((s) => gone.has(assignments[index.get(s.id)!]!.taskManager)).map((s) => s.id);
  const load = new Map(instance.taskManagers.map((tm) => [tm.id, assignments.filter((a) => a.taskManager === tm.id).length]));
  const surviving = instance.taskManagers.filter((tm) => !gone.has(tm.id));
  for (const subtask of displaced) {
    const i = index.get(subtask)!;
    const candidates = [...surviving].sort((a, b) => load.get(a.id)! - load.get(b.id)! || a.index - b.index);
    let placed = false;
    for (const tm of candidates) {
      for (let slot = 0; slot < tm.slotCount && !placed; slot++) {
        const before = assignments[i]!;
        assignments[i] = { subtask, taskManager: tm.id, slot };
        if (validateDagPlacement(instance, { assignments }, variant).length === 0) placed = true;
        else assignments[i] = before;
      }
      if (placed) {
        load.set(tm.id, load.get(tm.id)! + 1);
        break;
      }
    }
    if (!placed) throw new InvalidSolutionError(`no slot on the remaining TaskManagers (${surviving.map((t) => t.id).join(', ') || 'none'}) takes ${subtask} under ${variant}`);
  }
  return { assignments };
}
