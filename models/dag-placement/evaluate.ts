import type { DagPlacementInstance, PlacementVariant } from './instance.ts';
import { isSchedule, toIndexedPlacement, toIndexedSchedule, type IndexedPlacement, type IndexedSchedule, type Placement } from '../solution.ts';
import { balanceMetrics, type BalanceMetrics } from '../metrics.ts';

/**
 * The earliest schedule of a placement: subtasks taken in the instance's topological order, each started as
 * soon as its inputs have arrived (predecessor end + transfer across TaskManagers) and its slot allows:
 * - `exclusive`: the slot is its own; start = ready time;
 * - `sequenced`: after the slot's previous subtask (in topological order) has ended;
 * - `shared`: when one of the TaskManager's CPU cores is free (cores are timelines; the core that frees
 *   latest but no later than the ready time is taken, else the one that frees first).
 * This is the model's predicted completion time of a placement that carries no times.
 */
export function earliestSchedule(instance: DagPlacementInstance, placement: IndexedPlacement, variant: PlacementVariant = instance.variant): IndexedSchedule {
  const n = instance.subtasks.length;
  const startMs = new Float64Array(n);
  const endMs = new Float64Array(n);
  const slotFreeMs = new Float64Array(instance.slots.length);
  // under `shared` at most coreCount subtasks run at once on a TaskManager (models/dag-placement/instance.ts)
  const coreFreeMs = instance.taskManagers.map((tm) => new Float64Array(tm.coreCount));
  for (let s = 0; s < n; s++) {
    const slot = instance.slots[placement.slotOfSubtask[s]!]!;
    const k = slot.taskManager;
    let ready = 0;
    for (const e of instance.inEdges[s]!) {
      const edge = instance.edges[e]!;
      const from = instance.slots[placement.slotOfSubtask[edge.from]!]!.taskManager;
      const t = endMs[edge.from]! + instance.transferMs(e, from, k);
      if (t > ready) ready = t;
    }
    const d = instance.durationMs(s, k);
    let start = ready;
    if (variant === 'sequenced') {
      start = Math.max(ready, slotFreeMs[slot.index]!);
      slotFreeMs[slot.index] = start + d;
    } else if (variant === 'shared') {
      const cores = coreFreeMs[k]!;
      let best = -1;
      let earliest = 0;
      for (let c = 0; c < cores.length; c++) {
        if (cores[c]! <= ready && (best === -1 || cores[c]! > cores[best]!)) best = c;
        if (cores[c]! < cores[earliest]!) earliest = c;
      }
      const core = best === -1 ? earliest : best;
      start = Math.max(ready, cores[core]!);
      cores[core] = start + d;
    }
    startMs[s] = start;
    endMs[s] = start + d;
  }
  return { slotOfSubtask: placement.slotOfSubtask, startMs, endMs };
}

export interface TaskManagerFigures {
  readonly id: string;
  readonly slotCount: number;
  readonly slotsUsed: number;
  /** slotsUsed / slotCount */
  readonly slotUtilization: number;
  /** Sum of the durations of the subtasks on this TaskManager. */
  readonly busyMs: number;
  /** busyMs / (slotCount × makespan): the share of slot-time spent working. */
  readonly busyUtilization: number;
  readonly subtaskCount: number;
}

export interface DagPlacementEvaluation {
  /** The predicted completion time (makespan) in ms: the schedule's own if times were given, else the earliest schedule's. */
  readonly makespanMs: number;
  /** Bytes sent between subtasks on different TaskManagers. */
  readonly crossTmBytes: number;
  readonly taskManagers: readonly TaskManagerFigures[];
  /** Balance of per-TaskManager slot utilisation (slots used / slots). */
  readonly slotUtilization: BalanceMetrics;
  /** Balance of per-TaskManager busy utilisation. */
  readonly busyUtilization: BalanceMetrics;
  readonly schedule: IndexedSchedule;
}

/** Evaluates a placement or schedule. The solution should have passed the validator. */
export function evaluateDagPlacement(instance: DagPlacementInstance, solution: Placement | IndexedPlacement, variant: PlacementVariant = instance.variant): DagPlacementEvaluation {
  let schedule: IndexedSchedule;
  if ('assignments' in solution) {
    schedule = isSchedule(solution) ? toIndexedSchedule(instance, solution) : earliestSchedule(instance, toIndexedPlacement(instance, solution), variant);
  } else schedule = 'startMs' in solution ? (solution as IndexedSchedule) : earliestSchedule(instance, solution, variant);

  let makespanMs = 0;
  for (let s = 0; s < instance.subtasks.length; s++) if (schedule.endMs[s]! > makespanMs) makespanMs = schedule.endMs[s]!;
  const tmOf = (s: number) => instance.slots[schedule.slotOfSubtask[s]!]!.taskManager;
  let crossTmBytes = 0;
  for (const e of instance.edges) if (tmOf(e.from) !== tmOf(e.to)) crossTmBytes += e.bytes;

  const busy = new Float64Array(instance.taskManagers.length);
  const count = new Int32Array(instance.taskManagers.length);
  const usedSlots = new Uint8Array(instance.slots.length);
  for (let s = 0; s < instance.subtasks.length; s++) {
    const k = tmOf(s);
    busy[k] = busy[k]! + (schedule.endMs[s]! - schedule.startMs[s]!);
    count[k] = count[k]! + 1;
    usedSlots[schedule.slotOfSubtask[s]!] = 1;
  }
  const taskManagers = instance.taskManagers.map((tm): TaskManagerFigures => {
    let slotsUsed = 0;
    for (let l = tm.firstSlot; l < tm.firstSlot + tm.slotCount; l++) slotsUsed += usedSlots[l]!;
    return {
      id: tm.id,
      slotCount: tm.slotCount,
      slotsUsed,
      slotUtilization: slotsUsed / tm.slotCount,
      busyMs: busy[tm.index]!,
      busyUtilization: makespanMs === 0 ? 0 : busy[tm.index]! / (tm.slotCount * makespanMs),
      subtaskCount: count[tm.index]!,
    };
  });
  return {
    makespanMs,
    crossTmBytes,
    taskManagers,
    slotUtilization: balanceMetrics(taskManagers.map((t) => t.slotUtilization)),
    busyUtilization: balanceMetrics(taskManagers.map((t) => t.busyUtilization)),
    schedule,
  };
}
