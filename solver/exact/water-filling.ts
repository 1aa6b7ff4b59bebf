/**
 * Water-filling: the provably optimal greedy for slot allocation without
 * per-TaskManager caps and slot profiles.
 *
 * The objective Σ_i f_i² depends only on the free slots f_i of each
 * TaskManager. (1) Grant as many slots as the jobs accept: U = min(Σ a_i, Σ maxSlots_j);
 * every extra used slot lowers Σ f_i² (by 2f − 1 ≥ 1), so the total free
 * F = Σ a_i − U is as small as it can be. (2) Spread F over the TaskManagers as
 * evenly as their sizes allow: f_i = min(a_i, L) for the largest level L with
 * Σ min(a_i, L) ≤ F, the remaining r units one each on r TaskManagers with a_i > L.
 * For a separable convex objective under Σ f_i = F and 0 ≤ f_i ≤ a_i this level
 * solution is optimal (each unit goes where its marginal cost 2f + 1 is smallest).
 * (3) Any split of the used slots u_i = a_i − f_i among the jobs is equally good;
 * the northwest-corner rule of the transportation problem gives one.
 */
import type { SlotAllocation, SlotAllocationInstance, SlotGrant } from '../../models/slot-allocation/instance.ts';
import { hasResourceProfiles, slotAllocationObjective } from '../../models/slot-allocation/instance.ts';
import { NO_PARAMS } from '../params.ts';
import { defineSolver, type SolveResult, type Solver } from '../types.ts';

/** Why water-filling does not apply to this instance, or null. */
export function waterFillingNotApplicable(instance: SlotAllocationInstance): string | null {
  const capped = instance.jobs.find((j) => Number.isFinite(j.maxSlotsPerTaskManager));
  if (capped) return `job ${capped.id} has maxSlotsPerTaskManager; water-filling solves the model without per-TaskManager caps (use milp)`;
  const profiled = instance.jobs.find((j) => j.slotProfile !== undefined);
  if (profiled) return `job ${profiled.id} has a slot profile; water-filling solves the model without resource profiles (use milp)`;
  if (hasResourceProfiles(instance)) return 'the instance has fine-grained resources; water-filling solves the model without resource profiles (use milp)';
  return null;
}

/** Free slots per TaskManager minimising Σ f_i² with Σ f_i = free, 0 ≤ f_i ≤ capacity_i. */
export function waterFill(capacities: readonly number[], free: number): number[] {
  const n = capacities.length;
  const f = new Array<number>(n).fill(0);
  if (free <= 0) return f;
  // Largest level L with Σ min(a_i, L) ≤ free (binary search; the sum grows with L).
  const filled = (level: number): number => capacities.reduce((t, a) => t + Math.min(a, level), 0);
  let lo = 0;
  let hi = Math.max(0, ...capacities);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (filled(mid) <= free) lo = mid;
    else hi = mid - 1;
  }
  const level = lo;
  let used = 0;
  for (let i = 0; i < n; i++) {
    f[i] = Math.min(capacities[i]!, level);
    used += f[i]!;
  }
  let rest = free - used;
  for (let i = 0; i < n && rest > 0; i++) {
    if (capacities[i]! > level) {
      f[i] = f[i]! + 1;
      rest--;
    }
  }
  return f;
}

export function waterFillingAllocation(instance: SlotAllocationInstance): SlotAllocation {
  const tms = instance.taskManagers;
  const jobs = instance.jobs;
  const offered = tms.reduce((t, tm) => t + tm.slotCount, 0);
  const accepted = jobs.reduce((t, j) => t + j.maxSlots, 0);
  const grantedTotal = Math.min(offered, accepted);
  const free = waterFill(
    tms.map((tm) => tm.slotCount),
    offered - grantedTotal,
  );
  const supply = tms.map((tm, i) => tm.slotCount - free[i]!);
  // Each job gets its minimum, then the rest up to its maximum, in job order.
  const demand = jobs.map((j) => j.minSlots);
  let extra = grantedTotal - demand.reduce((t, d) => t + d, 0);
  for (let j = 0; j < jobs.length && extra > 0; j++) {
    const more = Math.min(extra, jobs[j]!.maxSlots - demand[j]!);
    demand[j] = demand[j]! + more;
    extra -= more;
  }
  // Northwest-corner rule.
  const grants: SlotGrant[] = [];
  let i = 0;
  let j = 0;
  const s = supply.slice();
  const d = demand.slice();
  while (i < tms.length && j < jobs.length) {
    const q = Math.min(s[i]!, d[j]!);
    if (q > 0) grants.push({ taskManager: tms[i]!.id, job: jobs[j]!.id, slots: q });
    s[i] = s[i]! - q;
    d[j] = d[j]! - q;
    if (s[i] === 0) i++;
    else j++;
  }
  return { grants };
}

export const waterFillingSolver: Solver<'slot-allocation'> = defineSolver({
  name: 'water-filling',
  model: 'slot-allocation',
  kind: 'exact',
  description: 'Water-filling greedy, provably optimal for Σ(free slots)² without per-TaskManager caps or slot profiles',
  params: NO_PARAMS,
  run: async (instance: SlotAllocationInstance): Promise<SolveResult<SlotAllocation>> => {
    const t0 = performance.now();
    const notApplicable = waterFillingNotApplicable(instance);
    if (notApplicable) return { solver: 'water-filling', status: 'error', timeMs: performance.now() - t0, message: notApplicable };
    const solution = waterFillingAllocation(instance);
    const objective = slotAllocationObjective(instance, solution);
    return {
      solver: 'water-filling',
      status: 'optimal',
      solution,
      objective,
      bestBound: objective,
      gap: 0,
      timeMs: performance.now() - t0,
      message: 'Water-filling is optimal for this objective (separable convex, box constraints).',
    };
  },
});
