import { runningCapacity, type DagPlacementInstance, type PlacementVariant } from '../../../models/dag-placement/instance.ts';
import { earliestSchedule } from '../../../models/dag-placement/evaluate.ts';
import { DagSlotCuts } from '../../../models/dag-placement/resources.ts';
import type { SolveOptions } from '../../types.ts';
import { Heap } from './heap.ts';
import { failed, infeasible, scheduleResult, variantOf, type HeuristicResult } from './results.ts';
import { executionSlotSharingGroups, singletonGroups, type ExecutionSlotSharingGroups, type SlotSharingStrategy } from './flink-slot-sharing.ts';

/**
 * Flink's slot matching: which slot each execution slot sharing group (ESSG, one slot request) gets.
 * The requests are served in the order the job needs them; each takes a free slot of the TaskManager the
 * strategy prefers (ties: the TaskManager listed first), the first free slot on it, and only a TaskManager with
 * enough memory left for the whole group (Flink matches a request's resource profile):
 * - `any` — AnyMatchingSlotMatchingStrategy (the default, load-balance mode NONE): the first free slot, in the
 *   order the TaskManagers are listed;
 * - `least-utilization` — LeastUtilizationSlotMatchingStrategy (`cluster.evenly-spread-out-slots: true`, now
 *   `taskmanager.load-balance.mode: SLOTS`): the TaskManager with the lowest slot utilisation
 *   (allocated slots / slots);
 * - `tasks` — TasksBalancedRequestSlotMatchingStrategy (FLIP-370, mode TASKS): requests sorted by their loading
 *   (number of subtasks) decreasing, each to the TaskManager with the fewest subtasks so far;
 * - `utilization-sorted` — the source documents' strategy: slots sorted by resource utilisation, least used
 *   first; a TaskManager's utilisation is max(CPU share, memory share), CPU share = Σ durations of its subtasks
 *   / (its parallel units × the fair share Σ mean durations / Σ units), units = CPU cores under `shared`, slots
 *   otherwise; memory share = memory in use / its memory.
 * Fine-grained resources: a TaskManager is a candidate for a request only when it can cut the request's slot (the
 * ESSG's slot sharing group profile, models/dag-placement/resources.ts `DagSlotCuts`) from what it has left; the
 * strategy's order among the candidates is kept, so `any` is Flink's first fit over the TaskManagers in listed order
 * (DefaultResourceAllocationStrategy, "Fine-Grained Resource Management"), the others the strategy's preferred
 * TaskManager that fits.
 * Under `shared` and `exclusive` every ESSG needs a slot of its own. Under `sequenced` a slot may run several
 * ESSGs one after another: when every slot is taken a new round starts on the same slots (as a batch job waits
 * for slots to free), and the strategy's counters carry over.
 */
export type SlotMatchingStrategy = 'any' | 'least-utilization' | 'tasks' | 'utilization-sorted';

export interface FlinkStrategy {
  readonly name: string;
  readonly sharing: SlotSharingStrategy;
  readonly matching: SlotMatchingStrategy;
}

/** Slot index per ESSG, or a sentence saying why a group found no slot. */
export function matchSlots(instance: DagPlacementInstance, variant: PlacementVariant, groups: ExecutionSlotSharingGroups, matching: SlotMatchingStrategy): Int32Array | string {
  const K = instance.taskManagers.length;
  const G = groups.members.length;
  const tms = instance.taskManagers;
  const groupBytes = new Float64Array(G);
  for (let g = 0; g < G; g++) for (const s of groups.members[g]!) groupBytes[g] = groupBytes[g]! + instance.subtasks[s]!.memoryBytes;

  const freeInRound = new Int32Array(K);
  const nextFree = new Int32Array(K);
  const taskCount = new Float64Array(K);
  const busyMs = new Float64Array(K);
  const usedBytes = new Float64Array(K);
  const key = new Float64Array(K);
  const units = tms.map((tm) => runningCapacity(tm, variant));
  let fairShareMs = 1;
  if (matching === 'utilization-sorted') {
    // Σ over subtasks of the mean duration over TaskManagers; w / speed_k on related machines, so O(n + K)
    let inverseSpeed = 0;
    for (const tm of tms) inverseSpeed += 1 / tm.speedFactor;
    inverseSpeed /= K;
    let work = 0;
    for (const sub of instance.subtasks) {
      const table = sub.durationMsByTaskManager;
      work += table === undefined ? sub.workMs * inverseSpeed : table.reduce((t, d) => t + d, 0) / K;
    }
    const totalUnits = units.reduce((t, u) => t + u, 0);
    if (work > 0 && totalUnits > 0) fairShareMs = work / totalUnits;
  }
  const refreshKey = (k: number) => {
    switch (matching) {
      case 'any':
        key[k] = k;
        break;
      case 'least-utilization':
        key[k] = (tms[k]!.slotCount - freeInRound[k]!) / tms[k]!.slotCount;
        break;
      case 'tasks':
        key[k] = taskCount[k]!;
        break;
      case 'utilization-sorted': {
        const cpu = units[k]! > 0 ? busyMs[k]! / (units[k]! * fairShareMs) : Number.POSITIVE_INFINITY;
        const memory = Number.isFinite(tms[k]!.memoryBytes) && tms[k]!.memoryBytes > 0 ? usedBytes[k]! / tms[k]!.memoryBytes : 0;
        key[k] = Math.max(cpu, memory);
        break;
      }
    }
  };
  const heap = new Heap((a, b) => key[a]! < key[b]! || (key[a] === key[b] && a < b));
  const newRound = () => {
    while (heap.pop() !== undefined); // TaskManagers still offering slots of this round join the new one afresh
    for (let k = 0; k < K; k++) {
      freeInRound[k] = tms[k]!.slotCount;
      nextFree[k] = tms[k]!.firstSlot;
      refreshKey(k);
      heap.push(k);
    }
  };
  newRound();

  const order = Array.from({ length: G }, (_, g) => g);
  if (matching === 'tasks') order.sort((a, b) => groups.members[b]!.length - groups.members[a]!.length || a - b);
  const slotOfGroup = new Int32Array(G).fill(-1);
  const aside: number[] = [];
  const profiles = instance.derived.slotProfiles;
  const cuts = profiles === undefined ? undefined : new DagSlotCuts(instance, profiles);
  let misfits = 0; // TaskManagers passed over because they could not cut the request's slot
  /** The preferred TaskManager with a free slot, memory and (fine-grained) a slot it can cut for group g (others go back to the heap), or -1. */
  const popFitting = (g: number): number => {
    let k = -1;
    misfits = 0;
    for (let c = heap.pop(); c !== undefined; c = heap.pop()) {
      const cuttable = cuts === undefined || cuts.canTake(nextFree[c]!, groups.members[g]![0]!);
      if (!cuttable) misfits++;
      if (cuttable && usedBytes[c]! + groupBytes[g]! <= tms[c]!.memoryBytes) {
        k = c;
        break;
      }
      aside.push(c);
    }
    for (const a of aside) heap.push(a);
    aside.length = 0;
    return k;
  };
  for (const g of order) {
    let k = popFitting(g);
    if (k === -1 && variant === 'sequenced' && (heap.size === 0 || misfits > 0)) {
      // every slot runs a group already, or none left in this round can be cut for this one: the next groups queue
      // behind the running ones, on slots that may be grown to their profile
      newRound();
      k = popFitting(g);
    }
    if (k === -1) {
      const members = groups.members[g]!.map((s) => instance.subtasks[s]!.id);
      if (misfits > 0)
        return `no TaskManager with a free slot can cut a slot of slot sharing group ${instance.subtasks[groups.members[g]![0]!]!.slotSharingGroup}'s profile from what it has left for the execution slot sharing group of ${members.slice(0, 3).join(', ')}${members.length > 3 ? ', …' : ''}`;
      return heap.size === 0 && variant !== 'sequenced'
        ? `no free slot is left for the execution slot sharing group of ${members.slice(0, 3).join(', ')}${members.length > 3 ? ', …' : ''} (${G} groups need a slot each)`
        : `no TaskManager has ${groupBytes[g]} bytes of memory left for the execution slot sharing group of ${members.slice(0, 3).join(', ')}${members.length > 3 ? ', …' : ''}`;
    }
    slotOfGroup[g] = nextFree[k]!;
    if (cuts !== undefined) for (const s of groups.members[g]!) cuts.take(nextFree[k]!, s);
    nextFree[k] = nextFree[k]! + 1;
    freeInRound[k] = freeInRound[k]! - 1;
    taskCount[k] = taskCount[k]! + groups.members[g]!.length;
    usedBytes[k] = usedBytes[k]! + groupBytes[g]!;
    if (matching === 'utilization-sorted') for (const s of groups.members[g]!) busyMs[k] = busyMs[k]! + instance.durationMs(s, k);
    refreshKey(k);
    if (freeInRound[k]! > 0) heap.push(k);
  }
  return slotOfGroup;
}

/** Under `shared`: a sentence when the slot sharing groups need more slots than the cluster has, else null. */
function sharedSlotShortage(instance: DagPlacementInstance): string | null {
  const width = new Map<string, number>();
  for (const op of instance.operators) width.set(op.slotSharingGroup, Math.max(width.get(op.slotSharingGroup) ?? 0, op.parallelism));
  const need = [...width.values()].reduce((t, w) => t + w, 0);
  const usable = instance.slots.length;
  if (need <= usable) return null;
  const parts = [...width].map(([g, w]) => `${g}: ${w}`).join(', ');
  return `under shared every slot sharing group needs as many slots as its largest parallelism (${parts}; ${need} in all) but the cluster has ${usable} usable slots`;
}

/**
 * Runs a Flink strategy: ESSGs by the slot sharing strategy (one per subtask under `exclusive`), slots by the
 * matching strategy, times by the model's earliest schedule of that placement (models/dag-placement/evaluate.ts).
 */
export function flinkPlacement(instance: DagPlacementInstance, options: Pick<SolveOptions, 'variant'>, strategy: FlinkStrategy): HeuristicResult<'dag-placement'> {
  const variant = variantOf(instance, options);
  const shortage = variant === 'shared' ? sharedSlotShortage(instance) : null;
  if (shortage !== null) return infeasible(shortage);
  const groups = variant === 'exclusive' ? singletonGroups(instance) : executionSlotSharingGroups(instance, strategy.sharing);
  const slotOfGroup = matchSlots(instance, variant, groups, strategy.matching);
  if (typeof slotOfGroup === 'string') {
    const fits = instance.derived.slotProfiles === undefined ? '' : ' that fits the resource profiles';
    return failed(`${strategy.name} found no placement${fits} under ${variant}: ${slotOfGroup}. This does not prove the instance infeasible.`);
  }
  const slotOfSubtask = new Int32Array(instance.subtasks.length);
  for (let s = 0; s < slotOfSubtask.length; s++) slotOfSubtask[s] = slotOfGroup[groups.groupOfSubtask[s]!]!;
  const schedule = earliestSchedule(instance, { slotOfSubtask }, variant);
  let smallest = Number.POSITIVE_INFINITY;
  let largest = 0;
  for (const m of groups.members) {
    smallest = Math.min(smallest, m.length);
    largest = Math.max(largest, m.length);
  }
  return scheduleResult(instance, schedule, `${groups.members.length} execution slot sharing groups of ${smallest}-${largest} subtasks (${strategy.sharing} sharing, ${strategy.matching} matching)`);
}
