/**
 * Fine-grained resources in the DAG placement MILPs (formulation.ts, formulation-continuous.ts): the rows that make
 * the slots a TaskManager holds cuttable from it, the rule of models/resources (`canCutSlot`, `cutSlotsReason`) as
 * linear constraints.
 *
 * - A slot sharing group g may use TaskManager k only when one slot of its profile p_g can be cut from k when empty
 *   (`groupMayUse`): under `fixed` slot cutting p_g fits the default slot (and then every slot k holds fits, whatever
 *   else it holds, since a `sequenced` slot's profile is the maximum of fitting profiles), under `dynamic` p_g fits the
 *   total. Nothing more is needed for `fixed` TaskManagers: their slot count is already a row of every formulation.
 * - `dynamic` TaskManagers: with N(k,g) the number of slots of k cut for group g,
 *       Σ_g p_g[d] · N(k,g) ≤ R_k[d]     for every dimension d (CPU cores, task heap, task off-heap, managed, network),
 *   written divided by R_k[d] (coefficients near 1 instead of 10^9 bytes). What N(k,g) is depends on the variant and
 *   the formulation (exclusive: the subtasks of g on k; shared: the group's slot count G(k,g); sequenced: see there).
 */
import { LinearExpr, lessEq, type LinearModel } from '../milp/index.ts';
import { canCutSlot, RESOURCE_DIMENSIONS, ZERO_PROFILE } from '../resources/profile.ts';
import type { DagPlacementInstance } from './instance.ts';

/** Whether subtask s's slot sharing group may use TaskManager k at all (always, without fine-grained resources). */
export function groupMayUse(instance: DagPlacementInstance, s: number, k: number): boolean {
  const profiles = instance.derived.slotProfiles;
  const tm = profiles?.taskManagers[k];
  if (profiles === undefined || tm === undefined) return true;
  return canCutSlot(tm, ZERO_PROFILE, profiles.profileOf(profiles.groupOfSubtask[s]!, k));
}

/** True when TaskManager k cuts slots dynamically to the groups' profiles (the rows below apply to it). */
export function cutsDynamically(instance: DagPlacementInstance, k: number): boolean {
  return instance.derived.slotProfiles?.taskManagers[k]?.slotCutting === 'dynamic';
}

/**
 * Σ_g p_g[d] · N(k,g) ≤ R_k[d] for each dimension d, for dynamic TaskManager k; `slotsOfGroup` gives N(k,g) as a
 * linear expression per group index. Rows that cannot bind (every group's slots together fit) are left out.
 */
export function addSlotProfileRows(m: LinearModel, instance: DagPlacementInstance, k: number, label: string, slotsOfGroup: ReadonlyMap<number, LinearExpr>, maxSlotsOfGroup: (g: number) => number): void {
  const profiles = instance.derived.slotProfiles;
  const tm = profiles?.taskManagers[k];
  if (profiles === undefined || tm === undefined || tm.slotCutting !== 'dynamic') return;
  for (const d of RESOURCE_DIMENSIONS) {
    const total = tm.resources[d];
    const row = new LinearExpr();
    let most = 0;
    for (const [g, n] of slotsOfGroup) {
      const need = profiles.profileOf(g, k)[d];
      if (need <= 0) continue;
      row.add(n, total > 0 ? need / total : need);
      most += need * maxSlotsOfGroup(g);
    }
    if (row.termCount === 0 || most <= total) continue;
    m.constrain(`profile[${label},${d}]`, row, lessEq(total > 0 ? 1 : 0));
  }
}
