import { runningCapacity, type DagPlacementInstance, type PlacementVariant, type TaskManager } from './instance.ts';

/**
 * Lower bounds on the makespan that hold for every valid schedule.
 * - critical path: the longest chain of subtasks, each at its fastest duration, no transfers
 *   (producer and consumer may share a TaskManager);
 * - work: all work at the fastest rate the cluster can offer at once. `sequenced` runs one subtask per slot,
 *   `shared` one per usable core (`coreCount`); on related machines (speed factors) the rate of a slot is its speed factor.
 *   `exclusive` has no work bound beyond the critical path (each subtask has its own slot).
 * When every duration and transfer is a whole number of ms (`derived.integralTimes`), the optimum is integral and the
 * bound rounds up (`roundUpMakespanBound`): the one rounding rule, applied to these bounds and to every bound an exact
 * solver proves (its search, a MILP's dual bound).
 */
export interface MakespanLowerBounds {
  readonly criticalPathMs: number;
  readonly workMs: number;
  /** max of the two, rounded up to a whole ms when the instance's times are integral (`rounded`) */
  readonly lowerBoundMs: number;
  /** True when the instance's times are integral, so that `lowerBoundMs` (and every other proven bound) rounds up. */
  readonly rounded: boolean;
}

/**
 * A proven lower bound on the optimal makespan, rounded up to a whole ms when every duration and transfer is integral
 * (then some optimal schedule is semi-active, with integral starts; see `derived.integralTimes`). The tolerance only
 * ever rounds down, which keeps the bound valid.
 */
export function roundUpMakespanBound(instance: DagPlacementInstance, boundMs: number): number {
  if (!instance.derived.integralTimes || !Number.isFinite(boundMs)) return boundMs;
  return Math.ceil(boundMs - 1e-7 * Math.max(1, Math.abs(boundMs)));
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
  const rounded = instance.derived.integralTimes;
  return { criticalPathMs, workMs, lowerBoundMs: roundUpMakespanBound(instance, Math.max(criticalPathMs, workMs)), rounded };
}
