import { runningCapacity, type DagPlacementInstance, type PlacementVariant, type TaskManager } from './instance.ts';

/**
 * Lower bounds on the makespan that hold for every valid schedule.
 * - critical path: the longest chain of subtasks, each at its fastest duration, no transfers
 *   (producer and consumer may share a TaskManager);
 * - work: all work at the fastest rate the cluster can offer at once. `sequenced` runs one subtask per slot,
 *   `shared` one per usable core (`coreCount`); on related machines (speed factors) the rate of a slot is its speed factor.
 *   `exclusive` has no work bound beyond the critical path (each subtask has its own slot).
 */
export interface MakespanLowerBounds {
  readonly criticalPathMs: number;
  readonly workMs: number;
  /** max of the two */
  readonly lowerBoundMs: number;
}

export function makespanLowerBounds(instance: DagPlacementInstance, variant: PlacementVariant = instance.variant): MakespanLowerBounds {
  const { fastestMs, criticalPathMs, relatedMachines } = instance.derived;
  let workMs = 0;
  if (variant !== 'exclusive') {
    const units = (tm: TaskManager) => runningCapacity(tm, variant);
    if (relatedMachines) {
      let rate = 0;
      for (const tm of instance.taskManagers) rate += units(tm) * tm.speedFactor;
      let work = 0;
      for (const s of instance.subtasks) work += s.workMs;
      workMs = work / rate;
    } else {
      let units_ = 0;
      for (const tm of instance.taskManagers) units_ += units(tm);
      let work = 0;
      for (const d of fastestMs) work += d;
      workMs = work / units_;
    }
  }
  return { criticalPathMs, workMs, lowerBoundMs: Math.max(criticalPathMs, workMs) };
}
