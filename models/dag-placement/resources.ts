/**
 * Fine-grained resources in the DAG placement model (models/resources holds the rules): a job declares a resource
 * profile per slot sharing group (`job.slotSharingGroups`), a TaskManager gives its total `resources` and how it
 * offers them (`slotCutting`). Every slot that holds subtasks is one slot cut for the group(s) it holds: its profile
 * is the group's declared profile, or the TaskManager's default slot profile for a group without one (under
 * `sequenced` a slot may hold several groups one after another: the component-wise maximum of their profiles). The
 * slots a TaskManager holds must be cuttable from it (`cutSlotsReason`). TaskManagers without `resources` are not
 * checked. Read by the validator, the feasibility check and the solver registry's check of every answer.
 */
import { cutSlotsReason, defaultSlotProfile, formatProfile, maxProfile, slotsOfProfile, type ProfiledTaskManager, type ResourceProfile } from '../resources/profile.ts';
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
 * Why the slots the placement uses cannot be cut from their TaskManagers, one sentence per TaskManager (empty when
 * they can). `slotOf[s]` is subtask s's slot index (−1 when not placed).
 */
export function dagResourceReasons(instance: DagPlacementInstance, slotOf: ArrayLike<number>): { taskManager: string; reason: string }[] {
  if (!hasDagResourceProfiles(instance)) return [];
  const groupsBySlot = new Map<number, Set<string>>();
  for (let s = 0; s < instance.subtasks.length; s++) {
    const l = slotOf[s]!;
    if (l < 0) continue;
    const set = groupsBySlot.get(l) ?? new Set<string>();
    set.add(instance.subtasks[s]!.slotSharingGroup);
    groupsBySlot.set(l, set);
  }
  const out: { taskManager: string; reason: string }[] = [];
  instance.taskManagers.forEach((tm, k) => {
    const p = dagProfiledTaskManager(instance, k);
    if (p === undefined) return;
    const slots: ResourceProfile[] = [];
    for (let l = tm.firstSlot; l < tm.firstSlot + tm.slotCount; l++) {
      const groups = groupsBySlot.get(l);
      if (groups) slots.push([...groups].map((g) => groupProfileOn(instance, g, p)).reduce(maxProfile));
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
