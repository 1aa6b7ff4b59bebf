import { describeValue, InvalidInstanceError } from '../errors.ts';
import { INSTANCE_LIMITS, overLimitReason } from '../limits.ts';

/**
 * The slot allocation model (ResourceManager view). TaskManagers i offer a_i slots; jobs j ask for slots;
 * x_ij = slots of TaskManager i granted to job j (integer >= 0).
 *   min Σ_i (a_i − Σ_j x_ij)²   s.t.  Σ_j x_ij <= a_i  ∀i,   minSlots_j <= Σ_i x_ij <= maxSlots_j  ∀j
 * A job with `slotDemand` d has minSlots = maxSlots = d (the document's Σ_i x_ij = d_j).
 * Variants: per-job bounds (min/max, and at most `maxSlotsPerTaskManager` on one TaskManager), and resource
 * profiles: each slot of job j needs `slotProfile` (CPU cores, memory) and a TaskManager's profile budget caps
 * Σ_j x_ij · profile_j.
 */
export interface SlotProfile {
  readonly cpuCores: number;
  readonly memoryBytes: number;
}

export interface SlotAllocationTaskManager {
  readonly id: string;
  readonly slotCount: number;
  /** Resource budget for slot profiles; default unlimited. */
  readonly cpuCores: number;
  readonly memoryBytes: number;
}

export interface SlotAllocationJob {
  readonly id: string;
  readonly minSlots: number;
  readonly maxSlots: number;
  readonly maxSlotsPerTaskManager: number;
  readonly slotProfile: SlotProfile | undefined;
}

export interface SlotAllocationInstance {
  readonly kind: 'slot-allocation';
  readonly name: string;
  readonly taskManagers: readonly SlotAllocationTaskManager[];
  readonly jobs: readonly SlotAllocationJob[];
}

export interface SlotAllocationSpec {
  readonly name: string;
  readonly taskManagers: ReadonlyArray<{ id: string; slotCount: number; cpuCores?: number; memoryBytes?: number }>;
  readonly jobs: ReadonlyArray<{ id: string; slotDemand?: number; minSlots?: number; maxSlots?: number; maxSlotsPerTaskManager?: number; slotProfile?: SlotProfile }>;
}

/** One entry of x: `slots` slots of `taskManager` granted to `job`. Entries with 0 slots may be left out. */
export interface SlotGrant {
  readonly taskManager: string;
  readonly job: string;
  readonly slots: number;
}

export interface SlotAllocation {
  readonly grants: readonly SlotGrant[];
}

function count(source: string, field: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InvalidInstanceError(source, field, `should be an integer >= ${min}, got ${describeValue(v)}`);
  if (v > INSTANCE_LIMITS.slots) throw new InvalidInstanceError(source, field, overLimitReason(v, 'slots', INSTANCE_LIMITS.slots));
  return v;
}

export function createSlotAllocationInstance(spec: SlotAllocationSpec, source = spec.name): SlotAllocationInstance {
  if (spec.taskManagers.length > INSTANCE_LIMITS.taskManagers)
    throw new InvalidInstanceError(source, 'taskManagers', overLimitReason(spec.taskManagers.length, 'TaskManagers', INSTANCE_LIMITS.taskManagers));
  let slots = 0;
  spec.taskManagers.forEach((tm, i) => {
    slots += typeof tm.slotCount === 'number' && Number.isFinite(tm.slotCount) ? tm.slotCount : 0;
    if (slots > INSTANCE_LIMITS.slots) throw new InvalidInstanceError(source, `taskManagers[${i}].slotCount`, overLimitReason(slots, 'slots up to this TaskManager', INSTANCE_LIMITS.slots));
  });
  const ids = new Set<string>();
  const taskManagers = spec.taskManagers.map((tm, i): SlotAllocationTaskManager => {
    const at = `taskManagers[${i}]`;
    if (ids.has(tm.id)) throw new InvalidInstanceError(source, `${at}.id`, `duplicate TaskManager id "${tm.id}"`);
    ids.add(tm.id);
    return { id: tm.id, slotCount: count(source, `${at}.slotCount`, tm.slotCount, 0), cpuCores: tm.cpuCores ?? Number.POSITIVE_INFINITY, memoryBytes: tm.memoryBytes ?? Number.POSITIVE_INFINITY };
  });
  const jobIds = new Set<string>();
  const jobs = spec.jobs.map((j, i): SlotAllocationJob => {
    const at = `jobs[${i}]`;
    if (jobIds.has(j.id)) throw new InvalidInstanceError(source, `${at}.id`, `duplicate job id "${j.id}"`);
    jobIds.add(j.id);
    if (j.slotDemand === undefined && j.minSlots === undefined && j.maxSlots === undefined)
      throw new InvalidInstanceError(source, at, 'should give slotDemand, or minSlots and/or maxSlots');
    if (j.slotDemand !== undefined && (j.minSlots !== undefined || j.maxSlots !== undefined))
      throw new InvalidInstanceError(source, `${at}.${j.minSlots !== undefined ? 'minSlots' : 'maxSlots'}`, 'should be absent when slotDemand is given (slotDemand d means minSlots = maxSlots = d)');
    const minSlots = j.slotDemand !== undefined ? count(source, `${at}.slotDemand`, j.slotDemand, 0) : count(source, `${at}.minSlots`, j.minSlots ?? 0, 0);
    const maxSlots = j.slotDemand !== undefined ? minSlots : j.maxSlots === undefined ? Number.POSITIVE_INFINITY : count(source, `${at}.maxSlots`, j.maxSlots, minSlots);
    if (j.slotProfile) {
      for (const f of ['cpuCores', 'memoryBytes'] as const)
        if (!(j.slotProfile[f] >= 0) || !(j.slotProfile[f] <= INSTANCE_LIMITS.quantity))
          throw new InvalidInstanceError(source, `${at}.slotProfile.${f}`, `should be a number from 0 to ${INSTANCE_LIMITS.quantity}, got ${describeValue(j.slotProfile[f])}`);
    }
    return {
      id: j.id,
      minSlots,
      maxSlots,
      maxSlotsPerTaskManager: j.maxSlotsPerTaskManager === undefined ? Number.POSITIVE_INFINITY : count(source, `${at}.maxSlotsPerTaskManager`, j.maxSlotsPerTaskManager, 1),
      slotProfile: j.slotProfile,
    };
  });
  return { kind: 'slot-allocation', name: spec.name, taskManagers, jobs };
}

/** Slots of each TaskManager in use, by TaskManager position. Unknown ids are ignored (the validator reports them). */
export function usedSlots(instance: SlotAllocationInstance, allocation: SlotAllocation): number[] {
  const pos = new Map(instance.taskManagers.map((tm, i) => [tm.id, i]));
  const used = instance.taskManagers.map(() => 0);
  for (const g of allocation.grants) {
    const i = pos.get(g.taskManager);
    if (i !== undefined) used[i]! += g.slots;
  }
  return used;
}

/** Σ_i (a_i − Σ_j x_ij)²: the sum of squared free slots. */
export function slotAllocationObjective(instance: SlotAllocationInstance, allocation: SlotAllocation): number {
  const used = usedSlots(instance, allocation);
  return instance.taskManagers.reduce((t, tm, i) => t + (tm.slotCount - used[i]!) ** 2, 0);
}
