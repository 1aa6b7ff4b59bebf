/**
 * Solutions of the DAG placement model.
 * A Placement puts every subtask into one slot (TaskManager id + slot number on it);
 * a Schedule is a Placement whose assignments also carry start and end times (ms from job start).
 * Solvers work on indexed arrays (IndexedSchedule) and convert at the boundary.
 */
import type { DagPlacementInstance } from './dag-placement/instance.ts';
import { InvalidSolutionError } from './errors.ts';

export interface SubtaskAssignment {
  readonly subtask: string;
  readonly taskManager: string;
  /** 0-based slot number within the TaskManager. */
  readonly slot: number;
}

export interface ScheduledAssignment extends SubtaskAssignment {
  readonly startMs: number;
  readonly endMs: number;
}

export interface Placement {
  readonly assignments: readonly SubtaskAssignment[];
}

export interface Schedule extends Placement {
  readonly assignments: readonly ScheduledAssignment[];
}

export function isSchedule(p: Placement): p is Schedule {
  return p.assignments.length > 0 && p.assignments.every((a) => typeof (a as ScheduledAssignment).startMs === 'number' && typeof (a as ScheduledAssignment).endMs === 'number');
}

/** Subtask i sits in slot `slotOfSubtask[i]` (an index into instance.slots); times in ms. */
export interface IndexedPlacement {
  readonly slotOfSubtask: Int32Array;
}

export interface IndexedSchedule extends IndexedPlacement {
  readonly startMs: Float64Array;
  readonly endMs: Float64Array;
}

/** Makespan of a schedule: the latest end (ms), 0 for an empty one. The one definition every solver reports. */
export function makespanMs(schedule: { readonly endMs: ArrayLike<number> }): number {
  let m = 0;
  for (let i = 0; i < schedule.endMs.length; i++) if (schedule.endMs[i]! > m) m = schedule.endMs[i]!;
  return m;
}

export function toPlacement(instance: DagPlacementInstance, p: IndexedPlacement): Placement {
  return {
    assignments: instance.subtasks.map((s) => {
      const slot = instance.slots[p.slotOfSubtask[s.index]!]!;
      return { subtask: s.id, taskManager: instance.taskManagers[slot.taskManager]!.id, slot: slot.slotNumber };
    }),
  };
}

export function toSchedule(instance: DagPlacementInstance, p: IndexedSchedule): Schedule {
  return {
    assignments: instance.subtasks.map((s) => {
      const slot = instance.slots[p.slotOfSubtask[s.index]!]!;
      return {
        subtask: s.id,
        taskManager: instance.taskManagers[slot.taskManager]!.id,
        slot: slot.slotNumber,
        startMs: p.startMs[s.index]!,
        endMs: p.endMs[s.index]!,
      };
    }),
  };
}

/**
 * Reads a Placement back into slot indices. Throws on unknown subtasks, TaskManagers or slots;
 * use the validator first for a full list of problems.
 */
export function toIndexedPlacement(instance: DagPlacementInstance, p: Placement): IndexedPlacement {
  const slotOfSubtask = new Int32Array(instance.subtasks.length).fill(-1);
  for (const a of p.assignments) {
    const s = instance.subtaskById.get(a.subtask);
    const tm = instance.taskManagerById.get(a.taskManager);
    if (!s) throw new InvalidSolutionError(`placement names an unknown subtask "${a.subtask}"`);
    if (!tm) throw new InvalidSolutionError(`placement puts ${a.subtask} on an unknown TaskManager "${a.taskManager}"`);
    if (!Number.isInteger(a.slot) || a.slot < 0 || a.slot >= tm.slotCount)
      throw new InvalidSolutionError(`placement puts ${a.subtask} into slot ${a.slot} of ${tm.id}, which has slots 0..${tm.slotCount - 1}`);
    slotOfSubtask[s.index] = tm.firstSlot + a.slot;
  }
  const missing = instance.subtasks.find((s) => slotOfSubtask[s.index] === -1);
  if (missing) throw new InvalidSolutionError(`placement leaves subtask ${missing.id} unplaced`);
  return { slotOfSubtask };
}

/** Reads a Schedule back into slot indices and time arrays (throws as `toIndexedPlacement` does). */
export function toIndexedSchedule(instance: DagPlacementInstance, p: Schedule): IndexedSchedule {
  const { slotOfSubtask } = toIndexedPlacement(instance, p);
  const startMs = new Float64Array(instance.subtasks.length);
  const endMs = new Float64Array(instance.subtasks.length);
  for (const a of p.assignments) {
    const s = instance.subtaskById.get(a.subtask)!;
    startMs[s.index] = a.startMs;
    endMs[s.index] = a.endMs;
  }
  return { slotOfSubtask, startMs, endMs };
}
