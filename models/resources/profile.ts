/**
 * Resource profiles, Flink's fine-grained resource management (Flink 1.20 docs, "Fine-Grained Resource Management",
 * https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/deployment/finegrained_resource/): a slot request
 * (a slot sharing group's declared resources) names CPU cores, task heap, task off-heap, managed and network memory;
 * a TaskManager's total resources are its CPU cores and the four memory components derived from its memory options
 * (models/memory); a slot is cut from what the TaskManager has left, exactly to the requested profile, while it has
 * enough. Without fine-grained requests a TaskManager offers `numberOfTaskSlots` equal slots, each its total divided
 * by the slot count (the "default slot profile", also what a request without a profile gets).
 *
 * This file is the one home of the profile arithmetic, the "fits" rule, cutting a slot and stranded resources; the
 * slot allocation and DAG placement models, their validators, formulations, heuristics and the benchmarks read it.
 */
import type { TaskManagerMemory } from '../memory/task-manager-memory.ts';
import { describeValue, InvalidInstanceError } from '../errors.ts';
import { INSTANCE_LIMITS } from '../limits.ts';

export interface ResourceProfile {
  readonly cpuCores: number;
  readonly taskHeapBytes: number;
  readonly taskOffHeapBytes: number;
  readonly managedBytes: number;
  readonly networkBytes: number;
}

/** The five dimensions, in Flink's order (ResourceProfile: CPU, task heap, task off-heap, managed, network). */
export const RESOURCE_DIMENSIONS = ['cpuCores', 'taskHeapBytes', 'taskOffHeapBytes', 'managedBytes', 'networkBytes'] as const;
export type ResourceDimension = (typeof RESOURCE_DIMENSIONS)[number];
export const MEMORY_DIMENSIONS = ['taskHeapBytes', 'taskOffHeapBytes', 'managedBytes', 'networkBytes'] as const;

/**
 * How a TaskManager offers its resources: `fixed` = `slotCount` equal slots of total / slotCount each (Flink's
 * default, coarse-grained); `dynamic` = a slot cut per request to its profile from what is left (fine-grained).
 */
export type SlotCutting = 'fixed' | 'dynamic';
export const SLOT_CUTTINGS: readonly SlotCutting[] = ['fixed', 'dynamic'];

/** CPU is compared with this tolerance (fractions of cores add up in floating point); bytes are integers. */
const CPU_TOLERANCE = 1e-9;

export const ZERO_PROFILE: ResourceProfile = Object.freeze({ cpuCores: 0, taskHeapBytes: 0, taskOffHeapBytes: 0, managedBytes: 0, networkBytes: 0 });

function map(f: (d: ResourceDimension) => number): ResourceProfile {
  return { cpuCores: f('cpuCores'), taskHeapBytes: f('taskHeapBytes'), taskOffHeapBytes: f('taskOffHeapBytes'), managedBytes: f('managedBytes'), networkBytes: f('networkBytes') };
}

export function addProfiles(a: ResourceProfile, b: ResourceProfile): ResourceProfile {
  return map((d) => a[d] + b[d]);
}

export function subtractProfiles(a: ResourceProfile, b: ResourceProfile): ResourceProfile {
  return map((d) => a[d] - b[d]);
}

export function scaleProfile(p: ResourceProfile, factor: number): ResourceProfile {
  return map((d) => p[d] * factor);
}

/** Task heap + task off-heap + managed + network, in bytes. */
export function memoryBytesOf(p: ResourceProfile): number {
  return p.taskHeapBytes + p.taskOffHeapBytes + p.managedBytes + p.networkBytes;
}

/** True when `request` fits into `available` in every dimension. */
export function fitsWithin(request: ResourceProfile, available: ResourceProfile): boolean {
  if (request.cpuCores > available.cpuCores + CPU_TOLERANCE) return false;
  for (const d of MEMORY_DIMENSIONS) if (request[d] > available[d]) return false;
  return true;
}

/** The dimensions in which `request` exceeds `available` (empty when it fits). */
export function exceededDimensions(request: ResourceProfile, available: ResourceProfile): ResourceDimension[] {
  return RESOURCE_DIMENSIONS.filter((d) => request[d] > available[d] + (d === 'cpuCores' ? CPU_TOLERANCE : 0));
}

/** How many copies of `request` fit into `available` (Infinity for an all-zero request). */
export function copiesThatFit(request: ResourceProfile, available: ResourceProfile): number {
  let n = Number.POSITIVE_INFINITY;
  for (const d of RESOURCE_DIMENSIONS) {
    if (request[d] <= 0) continue;
    n = Math.min(n, Math.floor((available[d] + (d === 'cpuCores' ? CPU_TOLERANCE : 0)) / request[d]));
  }
  return Math.max(0, n);
}

/**
 * A TaskManager's total resources (what fine-grained slots are cut from): its CPU cores and the task heap, task
 * off-heap, managed and network memory derived from its memory options. Framework heap and off-heap, metaspace and
 * JVM overhead are the TaskManager's own and never go to a slot (Flink: TaskExecutorResourceSpec).
 */
export function taskManagerResources(memory: TaskManagerMemory, cpuCores: number): ResourceProfile {
  return { cpuCores, taskHeapBytes: memory.taskHeapBytes, taskOffHeapBytes: memory.taskOffHeapBytes, managedBytes: memory.managedBytes, networkBytes: memory.networkBytes };
}

/** The default slot profile: total / numberOfTaskSlots in every dimension (memory rounded down to whole bytes). */
export function defaultSlotProfile(total: ResourceProfile, slotCount: number): ResourceProfile {
  if (slotCount <= 0) return ZERO_PROFILE;
  return map((d) => (d === 'cpuCores' ? total.cpuCores / slotCount : Math.floor(total[d] / slotCount)));
}

/** A TaskManager as the profile rules see it. */
export interface ProfiledTaskManager {
  readonly id: string;
  readonly slotCount: number;
  readonly resources: ResourceProfile;
  readonly slotCutting: SlotCutting;
}

/**
 * Why the slots `requests` (one profile per slot) cannot all be cut from TaskManager `tm`, or undefined when they
 * can: `fixed` needs a slot per request and each request within the default slot profile; `dynamic` needs a slot
 * number per request (slotCount caps the slots cut, as numberOfTaskSlots numbers them) and the sum within the total.
 */
export function cutSlotsReason(tm: ProfiledTaskManager, requests: readonly ResourceProfile[]): string | undefined {
  if (requests.length > tm.slotCount) return `${tm.id} would need ${requests.length} slots but has ${tm.slotCount}`;
  if (tm.slotCutting === 'fixed') {
    const slot = defaultSlotProfile(tm.resources, tm.slotCount);
    for (const r of requests) {
      const over = exceededDimensions(r, slot);
      if (over.length > 0) return `a request of ${formatProfile(r)} exceeds ${tm.id}'s fixed slots of ${formatProfile(slot)} in ${over.join(', ')}`;
    }
    return undefined;
  }
  const need = requests.reduce(addProfiles, ZERO_PROFILE);
  const over = exceededDimensions(need, tm.resources);
  return over.length > 0 ? `the slots cut from ${tm.id} need ${formatProfile(need)} but it has ${formatProfile(tm.resources)} (short in ${over.join(', ')})` : undefined;
}

/**
 * The fit rule, incrementally: whether TaskManager `tm`, whose slots cut so far add up to `cutSoFar`, can cut one more
 * slot of profile `request` (its slot numbers are the caller's to count). `fixed`: the request fits a default slot;
 * `dynamic` (Flink's fine-grained resource management): the slots cut so far plus the request fit the total. The same
 * rule as `cutSlotsReason` (which checks a whole set of slots at once), for schedulers that cut slots one by one.
 */
export function canCutSlot(tm: ProfiledTaskManager, cutSoFar: ResourceProfile, request: ResourceProfile): boolean {
  if (tm.slotCutting === 'fixed') return fitsWithin(request, defaultSlotProfile(tm.resources, tm.slotCount));
  return fitsWithin(addProfiles(cutSoFar, request), tm.resources);
}

/** The most slots of profile `request` TaskManager `tm` can offer when empty. */
export function slotsOfProfile(tm: ProfiledTaskManager, request: ResourceProfile): number {
  if (tm.slotCutting === 'fixed') return fitsWithin(request, defaultSlotProfile(tm.resources, tm.slotCount)) ? tm.slotCount : 0;
  return Math.min(tm.slotCount, copiesThatFit(request, tm.resources));
}

/**
 * Stranded resources of TaskManager `tm` holding slots `requests`: what it has left that no profile in `candidates`
 * (the request profiles of the instance) can use. `dynamic`: everything left when no candidate fits into it or no
 * slot number is left, else nothing. `fixed`: the unused part of every occupied slot (a fixed slot holds one request)
 * plus the free slots when no candidate fits a default slot.
 */
export function strandedOn(tm: ProfiledTaskManager, requests: readonly ResourceProfile[], candidates: readonly ResourceProfile[]): ResourceProfile {
  const freeSlots = tm.slotCount - requests.length;
  if (tm.slotCutting === 'fixed') {
    const slot = defaultSlotProfile(tm.resources, tm.slotCount);
    let stranded = requests.reduce((t, r) => addProfiles(t, subtractProfiles(slot, r)), ZERO_PROFILE);
    if (freeSlots > 0 && !candidates.some((c) => fitsWithin(c, slot))) stranded = addProfiles(stranded, scaleProfile(slot, freeSlots));
    return stranded;
  }
  const left = subtractProfiles(tm.resources, requests.reduce(addProfiles, ZERO_PROFILE));
  const usable = freeSlots > 0 && candidates.some((c) => fitsWithin(c, left));
  return usable ? ZERO_PROFILE : map((d) => Math.max(0, left[d]));
}

export interface StrandedResources {
  readonly strandedCpuCores: number;
  readonly strandedMemoryBytes: number;
  /** Stranded CPU / all CPU + stranded memory / all memory of the profiled TaskManagers (the exact solver's objective). */
  readonly strandedShare: number;
}

/**
 * Stranded CPU and memory over TaskManagers, each with the slot profiles it holds and the candidate profiles that
 * could still come to it (the instance's request profiles as that TaskManager would cut them).
 */
export function strandedResources(
  entries: ReadonlyArray<{ readonly tm: ProfiledTaskManager; readonly requests: readonly ResourceProfile[]; readonly candidates: readonly ResourceProfile[] }>,
): StrandedResources {
  let cpu = 0;
  let memory = 0;
  let allCpu = 0;
  let allMemory = 0;
  for (const { tm, requests, candidates } of entries) {
    const s = strandedOn(tm, requests, candidates);
    cpu += s.cpuCores;
    memory += memoryBytesOf(s);
    allCpu += tm.resources.cpuCores;
    allMemory += memoryBytesOf(tm.resources);
  }
  return { strandedCpuCores: cpu, strandedMemoryBytes: memory, strandedShare: (allCpu > 0 ? cpu / allCpu : 0) + (allMemory > 0 ? memory / allMemory : 0) };
}

/** Component-wise maximum: the profile of a slot that holds requests one after another. */
export function maxProfile(a: ResourceProfile, b: ResourceProfile): ResourceProfile {
  return map((d) => Math.max(a[d], b[d]));
}

/** `1.5 cores, heap 256 MiB, off-heap 0, managed 512 MiB, network 64 MiB` */
export function formatProfile(p: ResourceProfile): string {
  const mib = (b: number) => (b === 0 ? '0' : b % 1048576 === 0 ? `${b / 1048576} MiB` : `${b} bytes`);
  return `{${+p.cpuCores.toFixed(6)} cores, task heap ${mib(p.taskHeapBytes)}, task off-heap ${mib(p.taskOffHeapBytes)}, managed ${mib(p.managedBytes)}, network ${mib(p.networkBytes)}}`;
}

/** A profile as an instance gives it, checked: every field a finite number >= 0 (bytes whole), named on error. */
export function checkResourceProfile(source: string, field: string, p: Partial<Record<ResourceDimension, unknown>> | undefined): ResourceProfile {
  if (typeof p !== 'object' || p === null) throw new InvalidInstanceError(source, field, `should be a resource profile { ${RESOURCE_DIMENSIONS.join(', ')} }, got ${describeValue(p)}`);
  return map((d) => {
    const v = p[d] ?? 0;
    if (typeof v !== 'number' || !(v >= 0) || !(v <= INSTANCE_LIMITS.quantity) || (d !== 'cpuCores' && !Number.isInteger(v)))
      throw new InvalidInstanceError(source, `${field}.${d}`, `should be ${d === 'cpuCores' ? 'a number' : 'a whole number of bytes'} from 0 to ${INSTANCE_LIMITS.quantity}, got ${describeValue(v)}`);
    return v;
  });
}
