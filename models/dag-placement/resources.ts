/**
 * Fine-grained resources in the DAG placement model (models/resources holds the rules): a job declares a resource
 * profile per slot sharing group (`job.slotSharingGroups`), a TaskManager gives its total `resources` and how it
 * offers them (`slotCutting`). Every slot that holds subtasks is one slot cut for the group(s) it holds: its profile
 * is the group's declared profile, or the TaskManager's default slot profile for a group without one (under
 * `sequenced` a slot may hold several groups one after another: the component-wise maximum of their profiles). The
 * slots a TaskManager holds must be cuttable from it (`cutSlotsReason`). TaskManagers without `resources` are not
 * checked. Read by the validator, the feasibility check and the solver registry's check of every answer.
 */
import { addProfiles, canCutSlot, cutSlotsReason, defaultSlotProfile, formatProfile, maxProfile, slotsOfProfile, ZERO_PROFILE, type ProfiledTaskManager, type ResourceProfile } from '../resources/profile.ts';
import type { DagPlacementInstance, PlacementVariant } from './instance.ts';

/** TaskManager k with fine-grained resources, or undefined. */
export function dagProfiledTaskManager(instance: DagPlacementInstance, k: number): ProfiledTaskManager | undefined {
  const a = instance.cluster.taskManagers[k]!;
  return a.resources === undefined ? undefined : { id: a.id, slotCount: a.slotCount, resources: a.resources, slotCutting: a.slotCutting ?? 'fixed' };
}

const NO_GROUP_PROFILES: ReadonlyMap<string, ResourceProfile> = new Map();

/** The job's declared slot sharing group profiles (read from its compiled arrays: no job graph is built). */
function declaredGroupProfiles(instance: DagPlacementInstance): ReadonlyMap<string, ResourceProfile> {
  return instance.job.slotSharingGroupProfiles ?? NO_GROUP_PROFILES;
}

/** True when the job declares group profiles or a TaskManager gives resources. */
export function hasDagResourceProfiles(instance: DagPlacementInstance): boolean {
  return declaredGroupProfiles(instance).size > 0 || instance.cluster.taskManagers.some((tm) => tm.resources !== undefined);
}

/** The profile of one slot of `group` on TaskManager `tm`: the declared one, else the default slot profile. */
export function groupProfileOn(instance: DagPlacementInstance, group: string, tm: ProfiledTaskManager): ResourceProfile {
  return declaredGroupProfiles(instance).get(group) ?? defaultSlotProfile(tm.resources, tm.slotCount);
}

/**
 * The profile every slot the placement uses is cut to (by slot index; undefined for an empty slot or one on a
 * TaskManager without resources): its group's profile, or under `sequenced` the maximum of the groups it holds.
 * `slotOf[s]` is subtask s's slot index (−1 when not placed). The validator, the runtime's managed memory and the
 * reports read it.
 */
export function slotProfilesOfPlacement(instance: DagPlacementInstance, slotOf: ArrayLike<number>): Array<ResourceProfile | undefined> {
  const out = new Array<ResourceProfile | undefined>(instance.slots.length);
  if (!hasDagResourceProfiles(instance)) return out;
  const groupsBySlot = new Map<number, Set<string>>();
  for (let s = 0; s < instance.subtasks.length; s++) {
    const l = slotOf[s]!;
    if (l < 0) continue;
    const set = groupsBySlot.get(l) ?? new Set<string>();
    set.add(instance.subtasks[s]!.slotSharingGroup);
    groupsBySlot.set(l, set);
  }
  for (const [l, groups] of groupsBySlot) {
    const p = dagProfiledTaskManager(instance, instance.slots[l]!.taskManager);
    if (p !== undefined) out[l] = [...groups].map((g) => groupProfileOn(instance, g, p)).reduce(maxProfile);
  }
  return out;
}

/**
 * Why the slots the placement uses cannot be cut from their TaskManagers, one sentence per TaskManager (empty when
 * they can). `slotOf[s]` is subtask s's slot index (−1 when not placed).
 */
export function dagResourceReasons(instance: DagPlacementInstance, slotOf: ArrayLike<number>): { taskManager: string; reason: string }[] {
  if (!hasDagResourceProfiles(instance)) return [];
  const profiles = slotProfilesOfPlacement(instance, slotOf);
  const out: { taskManager: string; reason: string }[] = [];
  instance.taskManagers.forEach((tm, k) => {
    const p = dagProfiledTaskManager(instance, k);
    if (p === undefined) return;
    const slots: ResourceProfile[] = [];
    for (let l = tm.firstSlot; l < tm.firstSlot + tm.slotCount; l++) {
      const profile = profiles[l];
      if (profile !== undefined) slots.push(profile);
    }
    const reason = cutSlotsReason(p, slots);
    if (reason !== undefined) out.push({ taskManager: tm.id, reason });
  });
  return out;
}

/**
 * Necessary conditions of fine-grained resources, for the model's infeasibility check: every slot sharing group with
 * a declared profile fits some TaskManager, and the TaskManagers can cut as many slots of it as the group needs
 * (`shared`: its largest parallelism; `exclusive`: one per subtask; `sequenced`: one).
 */
export function dagResourceInfeasibility(instance: DagPlacementInstance, variant: PlacementVariant): string | undefined {
  const profiles = declaredGroupProfiles(instance);
  if (profiles.size === 0) return undefined;
  for (const [group, profile] of profiles) {
    const ops = instance.operators.filter((o) => o.slotSharingGroup === group);
    if (ops.length === 0) continue;
    const needed = variant === 'shared' ? Math.max(...ops.map((o) => o.parallelism)) : variant === 'exclusive' ? ops.reduce((t, o) => t + o.parallelism, 0) : 1;
    let cuttable = 0;
    instance.taskManagers.forEach((tm, k) => {
      const p = dagProfiledTaskManager(instance, k);
      cuttable += p === undefined ? tm.slotCount : slotsOfProfile(p, profile);
    });
    if (cuttable === 0) return `slot sharing group ${group}'s profile ${formatProfile(profile)} fits no TaskManager`;
    if (cuttable < needed) return `slot sharing group ${group} needs ${needed} slots of ${formatProfile(profile)} but the TaskManagers can cut at most ${cuttable}`;
  }
  return undefined;
}

/**
 * The fine-grained resources of an instance, compiled once (`instance.derived.slotProfiles`; undefined when no
 * TaskManager gives `resources`, so that nothing is checked): every subtask's slot sharing group as an index, and the
 * profile of one slot of each group on each profiled TaskManager (`groupProfileOn`).
 */
export interface DagSlotProfiles {
  /** Per TaskManager: how the profile rules see it; undefined when it gives no resources (never checked). */
  readonly taskManagers: readonly (ProfiledTaskManager | undefined)[];
  readonly groups: readonly string[];
  /** Slot sharing group index (into `groups`) of every subtask. */
  readonly groupOfSubtask: Int32Array;
  /** The profile of one slot of group g on TaskManager k (k must give resources). */
  profileOf(g: number, k: number): ResourceProfile;
}

export function compileDagSlotProfiles(instance: DagPlacementInstance): DagSlotProfiles | undefined {
  const taskManagers = instance.taskManagers.map((_, k) => dagProfiledTaskManager(instance, k));
  if (taskManagers.every((p) => p === undefined)) return undefined;
  const index = new Map<string, number>();
  const groupOfSubtask = Int32Array.from(instance.subtasks, (s) => {
    let g = index.get(s.slotSharingGroup);
    if (g === undefined) index.set(s.slotSharingGroup, (g = index.size));
    return g;
  });
  const groups = [...index.keys()];
  const table = groups.map((group) => taskManagers.map((p) => (p === undefined ? ZERO_PROFILE : groupProfileOn(instance, group, p))));
  return { taskManagers, groups, groupOfSubtask, profileOf: (g, k) => table[g]![k]! };
}

/**
 * Slots cut one by one, for the schedulers that build a placement subtask by subtask (the list schedulers'
 * ScheduleBuilder, Flink's slot matching): what every slot holds and what each TaskManager has cut, so that a slot
 * is offered to a subtask only when its TaskManager can still cut it to its new profile (`canCutSlot`, the rule of
 * models/resources). A slot's profile is, as the validator counts it (`dagResourceReasons`), its group's profile, or
 * the component-wise maximum of the groups it holds one after another under `sequenced`. Takes are undone by
 * `release` in any order.
 */
export class DagSlotCuts {
  private readonly groupCounts: Array<Map<number, number> | undefined>;
  private readonly slotProfile: Array<ResourceProfile | undefined>;
  private readonly cut: ResourceProfile[];

  constructor(
    readonly instance: DagPlacementInstance,
    readonly profiles: DagSlotProfiles,
  ) {
    this.groupCounts = new Array(instance.slots.length);
    this.slotProfile = new Array(instance.slots.length);
    this.cut = instance.taskManagers.map(() => ZERO_PROFILE);
  }

  /** Whether slot l can take subtask s: its TaskManager gives no resources, the slot holds s's group already, or the slot can be cut (or grown) to its profile with s's group. */
  canTake(l: number, s: number): boolean {
    const k = this.instance.slots[l]!.taskManager;
    const tm = this.profiles.taskManagers[k];
    if (tm === undefined) return true;
    const g = this.profiles.groupOfSubtask[s]!;
    if (this.groupCounts[l]?.has(g)) return true;
    const current = this.slotProfile[l];
    const request = this.profiles.profileOf(g, k);
    if (current === undefined) return canCutSlot(tm, this.cut[k]!, request);
    return canCutSlot(tm, this.cutWithout(k, l), maxProfile(current, request));
  }

  /** Slot l takes subtask s (call canTake first). */
  take(l: number, s: number): void {
    const g = this.profiles.groupOfSubtask[s]!;
    let counts = this.groupCounts[l];
    if (counts === undefined) this.groupCounts[l] = counts = new Map();
    counts.set(g, (counts.get(g) ?? 0) + 1);
    if (counts.get(g) === 1) this.recut(l);
  }

  /** Slot l gives subtask s back. */
  release(l: number, s: number): void {
    const g = this.profiles.groupOfSubtask[s]!;
    const counts = this.groupCounts[l];
    const c = counts?.get(g) ?? 0;
    if (counts === undefined || c === 0) return;
    if (c > 1) {
      counts.set(g, c - 1);
      return;
    }
    counts.delete(g);
    if (counts.size === 0) this.groupCounts[l] = undefined;
    this.recut(l);
  }

  private recut(l: number): void {
    const k = this.instance.slots[l]!.taskManager;
    if (this.profiles.taskManagers[k] === undefined) return;
    const counts = this.groupCounts[l];
    this.slotProfile[l] = counts === undefined ? undefined : [...counts.keys()].map((g) => this.profiles.profileOf(g, k)).reduce(maxProfile);
    // summed afresh from the slots (no running subtraction, so fractions of cores do not drift)
    this.cut[k] = this.cutWithout(k, -1);
  }

  /** What TaskManager k has cut, leaving slot `except` out. */
  private cutWithout(k: number, except: number): ResourceProfile {
    const tm = this.instance.taskManagers[k]!;
    let total = ZERO_PROFILE;
    for (let l = tm.firstSlot; l < tm.firstSlot + tm.slotCount; l++) {
      const p = this.slotProfile[l];
      if (l !== except && p !== undefined) total = addProfiles(total, p);
    }
    return total;
  }
}

/**
 * Managed memory of each subtask (bytes; Infinity when its TaskManager gives no resources or the subtask uses no
 * managed memory): its slot's managed memory (the profile the slot is cut to, `slotProfilesOfPlacement`: the group's
 * declared managed memory, or the TaskManager's managed memory / numberOfTaskSlots for the default profile), shared
 * equally by the subtasks of that slot that use managed memory (Flink hands a slot's managed memory to its consumers
 * by weight, "Set up TaskManager Memory", Managed Memory; equal weights here); under `sequenced` they run one after
 * another and each has all of it. `usesManaged(s)`: whether subtask s keeps state in managed memory.
 */
export function managedMemoryOfSubtasks(instance: DagPlacementInstance, slotOf: ArrayLike<number>, variant: PlacementVariant, usesManaged: (s: number) => boolean): Float64Array {
  const n = instance.subtasks.length;
  const out = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const profiles = slotProfilesOfPlacement(instance, slotOf);
  const users = new Int32Array(instance.slots.length);
  for (let s = 0; s < n; s++) if (slotOf[s]! >= 0 && usesManaged(s)) users[slotOf[s]!]!++;
  for (let s = 0; s < n; s++) {
    const l = slotOf[s]!;
    const profile = l >= 0 ? profiles[l] : undefined;
    if (profile === undefined || !usesManaged(s)) continue;
    out[s] = Math.floor(profile.managedBytes / (variant === 'sequenced' ? 1 : users[l]!));
  }
  return out;
}
