import { describeValue, InvalidInstanceError } from '../errors.ts';
import { INSTANCE_LIMITS, overLimitReason } from '../limits.ts';
import { checkResourceProfile, defaultSlotProfile, fitsWithin, SLOT_CUTTINGS, strandedResources, type ProfiledTaskManager, type ResourceProfile, type SlotCutting, type StrandedResources } from '../resources/profile.ts';

/**
 * The slot allocation model (ResourceManager view). TaskManagers i offer a_i slots; jobs j ask for slots;
 * x_ij = slots of TaskManager i granted to job j (integer >= 0).
 *   min Σ_i (a_i − Σ_j x_ij)²   s.t.  Σ_j x_ij <= a_i  ∀i,   minSlots_j <= Σ_i x_ij <= maxSlots_j  ∀j
 * A job with `slotDemand` d has minSlots = maxSlots = d (the document's Σ_i x_ij = d_j).
 * Variants: per-job bounds (min/max, and at most `maxSlotsPerTaskManager` on one TaskManager), and resource
 * profiles: each slot of job j needs `slotProfile` (CPU cores, memory) and a TaskManager's profile budget caps
 * Σ_j x_ij · profile_j.
 * Fine-grained resources (models/resources): a TaskManager may give its total `resources` (CPU, task heap, task
 * off-heap, managed, network) and a `slotCutting` (`fixed`: slotCount equal slots; `dynamic`: slots cut to each
 * request); a job may give the `resourceProfile` of each of its slots (a job without one asks for the default slot
 * profile, total / slotCount, of whichever TaskManager serves it). slotCount still caps the slots of a TaskManager.
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
  /** Fine-grained: the TaskManager's total resources; undefined = unlimited (no fine-grained check). */
  readonly resources: ResourceProfile | undefined;
  readonly slotCutting: SlotCutting;
}

export interface SlotAllocationJob {
  readonly id: string;
  readonly minSlots: number;
  readonly maxSlots: number;
  readonly maxSlotsPerTaskManager: number;
  readonly slotProfile: SlotProfile | undefined;
  /** Fine-grained: the resource profile of each of the job's slots. */
  readonly resourceProfile: ResourceProfile | undefined;
}

export interface SlotAllocationInstance {
  readonly kind: 'slot-allocation';
  readonly name: string;
  readonly taskManagers: readonly SlotAllocationTaskManager[];
  readonly jobs: readonly SlotAllocationJob[];
}

export interface SlotAllocationSpec {
  readonly name: string;
  readonly taskManagers: ReadonlyArray<{ id: string; slotCount: number; cpuCores?: number; memoryBytes?: number; resources?: ResourceProfile; slotCutting?: SlotCutting }>;
  readonly jobs: ReadonlyArray<{ id: string; slotDemand?: number; minSlots?: number; maxSlots?: number; maxSlotsPerTaskManager?: number; slotProfile?: SlotProfile; resourceProfile?: ResourceProfile }>;
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
    const slotCutting = tm.slotCutting ?? 'fixed';
    if (!SLOT_CUTTINGS.includes(slotCutting)) throw new InvalidInstanceError(source, `${at}.slotCutting`, `should be one of ${SLOT_CUTTINGS.join(', ')}, got ${describeValue(slotCutting)}`);
    return {
      id: tm.id,
      slotCount: count(source, `${at}.slotCount`, tm.slotCount, 0),
      cpuCores: tm.cpuCores ?? Number.POSITIVE_INFINITY,
      memoryBytes: tm.memoryBytes ?? Number.POSITIVE_INFINITY,
      resources: tm.resources === undefined ? undefined : checkResourceProfile(source, `${at}.resources`, tm.resources),
      slotCutting,
    };
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
      resourceProfile: j.resourceProfile === undefined ? undefined : checkResourceProfile(source, `${at}.resourceProfile`, j.resourceProfile),
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

/** A TaskManager with fine-grained resources, as the profile rules (models/resources) see it. */
export function profiledTaskManager(tm: SlotAllocationTaskManager): ProfiledTaskManager | undefined {
  return tm.resources === undefined ? undefined : { id: tm.id, slotCount: tm.slotCount, resources: tm.resources, slotCutting: tm.slotCutting };
}

/** The profile of one slot of `job` on `tm` (with resources): its own, or the TaskManager's default slot profile. */
export function requestProfileOn(job: SlotAllocationJob, tm: SlotAllocationTaskManager & { resources: ResourceProfile }): ResourceProfile {
  return job.resourceProfile ?? defaultSlotProfile(tm.resources, tm.slotCount);
}

/** True when the instance uses fine-grained resources (a TaskManager with resources, or a job with a resource profile). */
export function hasResourceProfiles(instance: SlotAllocationInstance): boolean {
  return instance.taskManagers.some((tm) => tm.resources !== undefined) || instance.jobs.some((j) => j.resourceProfile !== undefined);
}

/**
 * Stranded CPU and memory of an allocation (models/resources, `strandedOn`): over the TaskManagers with resources,
 * what is left that no job's slot profile can use. Unknown ids are ignored (the validator reports them).
 */
export function slotAllocationStranded(instance: SlotAllocationInstance, allocation: SlotAllocation): StrandedResources {
  const jobs = new Map(instance.jobs.map((j) => [j.id, j]));
  const granted = new Map<string, SlotGrant[]>();
  for (const g of allocation.grants) granted.set(g.taskManager, [...(granted.get(g.taskManager) ?? []), g]);
  const entries = [];
  for (const tm of instance.taskManagers) {
    const p = profiledTaskManager(tm);
    if (p === undefined) continue;
    const withResources = { ...tm, resources: p.resources };
    const requests: ResourceProfile[] = [];
    for (const g of granted.get(tm.id) ?? []) {
      const job = jobs.get(g.job);
      if (job) for (let k = 0; k < g.slots; k++) requests.push(requestProfileOn(job, withResources));
    }
    const candidates = instance.jobs.map((j) => requestProfileOn(j, withResources));
    entries.push({ tm: p, requests, candidates });
  }
  return strandedResources(entries);
}

/** Fine-grained, fixed slots: job j's slot profile fits TaskManager i's default slot (true without resources). */
export function fixedSlotFits(tm: SlotAllocationTaskManager, job: SlotAllocationJob): boolean {
  if (tm.resources === undefined || tm.slotCutting !== 'fixed') return true;
  return fitsWithin(requestProfileOn(job, { ...tm, resources: tm.resources }), defaultSlotProfile(tm.resources, tm.slotCount));
}

