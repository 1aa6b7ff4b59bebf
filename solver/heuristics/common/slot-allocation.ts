import type { SlotAllocation, SlotAllocationInstance, SlotGrant } from '../../../models/slot-allocation/instance.ts';
import { fixedSlotFits, requestProfileOn, slotAllocationObjective } from '../../../models/slot-allocation/instance.ts';
import { copiesThatFit, scaleProfile, subtractProfiles, type ResourceProfile } from '../../../models/resources/profile.ts';
import { failed, type HeuristicResult } from './results.ts';

/**
 * Shared machinery of the slot allocation heuristics: the ledger of grants x_ij with every constraint of the
 * model (free slots, maxSlotsPerTaskManager, slot profiles against CPU and memory budgets), and the two-pass
 * frame every greedy uses: first each job, in order, gets its minimum (what it declares it needs, as a Flink
 * job declares its resource requirements); then, in job order, jobs that accept more get more, up to their
 * maximum, while slots are left. Only `pick` (which TaskManager gives the next slot) differs per heuristic.
 */
export class SlotLedger {
  readonly used: Int32Array;
  readonly granted: Int32Array;
  private readonly grants: Int32Array; // job-major: j * K + i
  private readonly cpuUsed: Float64Array;
  private readonly memoryUsed: Float64Array;
  /** Fine-grained, dynamic slot cutting: what each TaskManager with resources has left (undefined otherwise). */
  readonly left: (ResourceProfile | undefined)[];

  constructor(readonly instance: SlotAllocationInstance) {
    const K = instance.taskManagers.length;
    this.used = new Int32Array(K);
    this.granted = new Int32Array(instance.jobs.length);
    this.grants = new Int32Array(instance.jobs.length * K);
    this.cpuUsed = new Float64Array(K);
    this.memoryUsed = new Float64Array(K);
    this.left = instance.taskManagers.map((tm) => (tm.slotCutting === 'dynamic' ? tm.resources : undefined));
  }

  /** The profile of one slot of job j on TaskManager i, when i has resources. */
  profileOf(j: number, i: number): ResourceProfile | undefined {
    const tm = this.instance.taskManagers[i]!;
    return tm.resources === undefined ? undefined : requestProfileOn(this.instance.jobs[j]!, { ...tm, resources: tm.resources });
  }

  /** How many more slots TaskManager i can give job j under every constraint. */
  room(j: number, i: number): number {
    const tm = this.instance.taskManagers[i]!;
    const job = this.instance.jobs[j]!;
    let room = Math.min(tm.slotCount - this.used[i]!, job.maxSlotsPerTaskManager - this.grants[j * this.instance.taskManagers.length + i]!);
    const p = job.slotProfile;
    if (p !== undefined) {
      if (p.cpuCores > 0) room = Math.min(room, Math.floor((tm.cpuCores - this.cpuUsed[i]! + 1e-9) / p.cpuCores));
      if (p.memoryBytes > 0) room = Math.min(room, Math.floor((tm.memoryBytes - this.memoryUsed[i]!) / p.memoryBytes));
    }
    // fine-grained resources (models/resources): a fixed slot must hold the profile; dynamic slots are cut from what is left
    if (!fixedSlotFits(tm, job)) return 0;
    const left = this.left[i];
    if (left !== undefined) room = Math.min(room, copiesThatFit(this.profileOf(j, i)!, left));
    return Math.max(0, room);
  }

  grant(j: number, i: number, slots: number): void {
    const K = this.instance.taskManagers.length;
    this.used[i] = this.used[i]! + slots;
    this.granted[j] = this.granted[j]! + slots;
    this.grants[j * K + i] = this.grants[j * K + i]! + slots;
    const left = this.left[i];
    if (left !== undefined) this.left[i] = subtractProfiles(left, scaleProfile(this.profileOf(j, i)!, slots));
    const p = this.instance.jobs[j]!.slotProfile;
    if (p !== undefined) {
      this.cpuUsed[i] = this.cpuUsed[i]! + slots * p.cpuCores;
      this.memoryUsed[i] = this.memoryUsed[i]! + slots * p.memoryBytes;
    }
  }

  toAllocation(): SlotAllocation {
    const K = this.instance.taskManagers.length;
    const grants: SlotGrant[] = [];
    for (let j = 0; j < this.instance.jobs.length; j++)
      for (let i = 0; i < K; i++) {
        const slots = this.grants[j * K + i]!;
        if (slots > 0) grants.push({ taskManager: this.instance.taskManagers[i]!.id, job: this.instance.jobs[j]!.id, slots });
      }
    return { grants };
  }
}

/**
 * The two-pass frame. `pick(ledger, j)` names the TaskManager that gives job j its next slot (one with
 * room(j, i) > 0), or -1 when none can; `batch` says whether it may give several slots at once.
 */
export function allocateGreedily(
  solver: string,
  instance: SlotAllocationInstance,
  pick: (ledger: SlotLedger, j: number) => number,
  batch: boolean,
): HeuristicResult<'slot-allocation'> {
  const ledger = new SlotLedger(instance);
  const fill = (j: number, target: number) => {
    while (ledger.granted[j]! < target) {
      const i = pick(ledger, j);
      if (i === -1) return;
      ledger.grant(j, i, batch ? Math.min(ledger.room(j, i), target - ledger.granted[j]!) : 1);
    }
  };
  for (let j = 0; j < instance.jobs.length; j++) {
    fill(j, instance.jobs[j]!.minSlots);
    if (ledger.granted[j]! < instance.jobs[j]!.minSlots)
      return failed(
        `${solver} could give job ${instance.jobs[j]!.id} only ${ledger.granted[j]} of the ${instance.jobs[j]!.minSlots} slots it needs (per-TaskManager caps or slot profiles). This does not prove the instance infeasible; milp may still find an allocation.`,
      );
  }
  for (let j = 0; j < instance.jobs.length; j++) fill(j, instance.jobs[j]!.maxSlots);
  const solution = ledger.toAllocation();
  return { status: 'feasible', solution, objective: slotAllocationObjective(instance, solution) };
}
