import type { DagPlacementInstance } from './instance.ts';
import type { IndexedSchedule } from '../solution.ts';
import { TIME_TOLERANCE } from '../metrics.ts';

/**
 * The critical path of a schedule (not of the job graph: bounds.ts has that one): the chain of subtasks that decides
 * the makespan. It starts at the subtask that ends last and walks back; each step goes to the subtask whose end
 * released the current one:
 * - `data`: a predecessor in the execution graph whose end plus the transfer time (nothing on the same TaskManager)
 *   equals the current start; among several, the one on the same TaskManager, then the lower subtask index;
 * - `slot`: else a subtask that ended exactly when the current one started in the same slot (or, under `shared`,
 *   on the same TaskManager): the current subtask waited for its slot or a CPU core, not for data.
 * The walk stops at a subtask that starts at 0 or that nothing released (the schedule left it idle).
 * Shortening any subtask or transfer on the path shortens the schedule; shortening one off it does not.
 */
export type CriticalStepCause = 'first' | 'data' | 'slot';

export interface CriticalPathStep {
  /** Index into `instance.subtasks`. */
  readonly subtask: number;
  /** What released this subtask: `first` for the first step, else the kind of link to the step before it. */
  readonly cause: CriticalStepCause;
  /** For `data` steps: the execution-graph edge (index into `instance.edges`) from the step before. */
  readonly edge?: number;
}

/** The critical path of `schedule`, in time order (first step first). Empty for a job without subtasks. */
export function scheduleCriticalPath(instance: DagPlacementInstance, schedule: IndexedSchedule, toleranceMs = TIME_TOLERANCE): CriticalPathStep[] {
  const n = instance.subtasks.length;
  if (n === 0) return [];
  const slotOf = (s: number) => instance.slots[schedule.slotOfSubtask[s]!]!;
  const tmOf = (s: number) => slotOf(s).taskManager;
  let current = 0;
  for (let s = 1; s < n; s++) if (schedule.endMs[s]! > schedule.endMs[current]! + toleranceMs) current = s;
  const reversed: { subtask: number; cause: CriticalStepCause; edge?: number }[] = [];
  const seen = new Set<number>();
  for (;;) {
    seen.add(current);
    const start = schedule.startMs[current]!;
    const step: { subtask: number; cause: CriticalStepCause; edge?: number } = { subtask: current, cause: 'first' };
    reversed.push(step);
    if (start <= toleranceMs) break;
    let next = -1;
    let nextEdge = -1;
    for (const e of instance.inEdges[current]!) {
      const from = instance.edges[e]!.from;
      const arrival = schedule.endMs[from]! + instance.transferMs(e, tmOf(from), tmOf(current));
      if (Math.abs(arrival - start) > toleranceMs || seen.has(from)) continue;
      const better = next === -1 || (tmOf(from) === tmOf(current) && tmOf(next) !== tmOf(current)) || (tmOf(from) === tmOf(next) && from < next);
      if (better) {
        next = from;
        nextEdge = e;
      }
    }
    if (next !== -1) {
      step.cause = 'data';
      step.edge = nextEdge;
    } else {
      const sameSlot = schedule.slotOfSubtask[current]!;
      const sameTm = tmOf(current);
      for (let s = 0; s < n; s++) {
        if (seen.has(s) || Math.abs(schedule.endMs[s]! - start) > toleranceMs) continue;
        const inSlot = schedule.slotOfSubtask[s] === sameSlot;
        const onTm = instance.variant === 'shared' && tmOf(s) === sameTm;
        if (inSlot || (onTm && (next === -1 || schedule.slotOfSubtask[next] !== sameSlot))) next = s;
        if (inSlot) break;
      }
      if (next === -1) break;
      step.cause = 'slot';
    }
    current = next;
  }
  // each step's cause was found while standing at it: it is the link from the step before it in time
  return reversed.reverse();
}
