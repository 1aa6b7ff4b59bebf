import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import { Heap, byHighestKey } from './heap.ts';
import { failed, type HeuristicResult } from './results.ts';
import { ScheduleBuilder, type StartRule } from './schedule-builder.ts';

/**
 * Pieces every list scheduler shares: the ready list, and processor selection by earliest
 * finish time (EFT). Written once here; HEFT, CPOP, PEFT and the baselines only choose priorities and rules.
 */

/** The error result when a heuristic found no slot for a subtask (which does not prove infeasibility). */
export function noSlotFor(solver: string, instance: DagPlacementInstance, variant: PlacementVariant, s: number): HeuristicResult<'dag-placement'> {
  const sub = instance.subtasks[s]!;
  if (instance.derived.slotProfiles !== undefined)
    return failed(
      `${solver} found no placement that fits the resource profiles: no slot can take subtask ${sub.id} under ${variant} (every slot that could hold it sits on a TaskManager that cannot cut a slot of slot sharing group ${sub.slotSharingGroup}'s profile from what it has left, is taken, or lacks the memory). This does not prove the instance infeasible; an exact solver may still place it.`,
    );
  const why =
    variant === 'exclusive'
      ? 'every slot is taken or its TaskManager lacks the memory'
      : variant === 'shared'
        ? `every slot already holds a subtask of operator ${sub.operatorId}, belongs to another slot sharing group, sits on a TaskManager with less than one CPU core, or lacks the memory`
        : 'no TaskManager has the memory';
  return failed(`${solver} found no slot for subtask ${sub.id} under ${variant}: ${why}. This does not prove the instance infeasible; an exact solver may still place it.`);
}

/**
 * Takes subtasks from a ready list, highest `priority` first (ties: lower index), and hands each to `place`,
 * which must place it (and return true) or give up (false). A subtask enters the ready list when all its
 * predecessors are placed. Returns the subtask `place` gave up on, or -1 when all were placed.
 */
export function runReadyList(instance: DagPlacementInstance, priority: ArrayLike<number>, place: (s: number) => boolean): number {
  const n = instance.subtasks.length;
  const waiting = new Int32Array(n);
  const ready = new Heap(byHighestKey(priority));
  const { to, inStart, outStart, outList } = instance.edgeArrays;
  for (let s = 0; s < n; s++) {
    waiting[s] = inStart[s + 1]! - inStart[s]!;
    if (waiting[s] === 0) ready.push(s);
  }
  for (let s = ready.pop(); s !== undefined; s = ready.pop()) {
    if (!place(s)) return s;
    for (let j = outStart[s]!; j < outStart[s + 1]!; j++) {
      const t = to[outList[j]!]!;
      waiting[t] = waiting[t]! - 1;
      if (waiting[t] === 0) ready.push(t);
    }
  }
  return -1;
}

/**
 * How a list scheduler picks the slot for a subtask: `eft` the earliest finish time (HEFT), `est` the earliest
 * start time (ties: the earlier finish), both over all TaskManagers.
 */
export type SlotSelection = 'eft' | 'est';

/**
 * Processor selection by earliest finish time: over all TaskManagers k, the slot where s finishes first,
 * optionally plus a per-TaskManager look-ahead cost (PEFT's OCT). Ties: the lower TaskManager, then slot.
 * With `selection: 'est'` the slot where s starts first (ties: the earlier finish, then the lower TaskManager).
 */
export class EftSelector {
  slot = -1;
  startMs = 0;
  finishMs = 0;
  private readonly ready: Float64Array;

  constructor(
    private readonly builder: ScheduleBuilder,
    private readonly selection: SlotSelection = 'eft',
  ) {
    this.ready = new Float64Array(builder.instance.taskManagers.length);
  }

  /**
   * Chooses for s; false when no slot can take it. `extraMs(k)` is added to the finish time for the comparison only.
   *
   * By earliest finish without `extraMs` (HEFT's choice), a TaskManager that cannot beat the best finish so far is
   * skipped or its search cut short, with the same answer as the full search: its finish is at least ready + d
   * (floating-point addition is monotone), and a later TaskManager wins only with a strictly earlier finish.
   */
  choose(s: number, extraMs?: (k: number) => number): boolean {
    const b = this.builder;
    const instance = b.instance;
    b.readyByTaskManager(s, this.ready);
    let bestScore = Number.POSITIVE_INFINITY;
    let bestFinish = Number.POSITIVE_INFINITY;
    const byStart = this.selection === 'est';
    const bounded = !byStart && extraMs === undefined;
    this.slot = -1;
    for (let k = 0; k < instance.taskManagers.length; k++) {
      const d = instance.durationMs(s, k);
      if (bounded && this.ready[k]! + d >= bestScore) continue;
      const start = b.earliestStartOnTaskManager(s, k, this.ready[k]!, bounded ? bestScore : Number.POSITIVE_INFINITY);
      if (start === Number.POSITIVE_INFINITY) continue;
      const finish = start + d;
      const score = byStart ? start : extraMs === undefined ? finish : finish + extraMs(k);
      if (score < bestScore || (byStart && score === bestScore && finish < bestFinish)) {
        bestScore = score;
        bestFinish = finish;
        this.slot = b.chosenSlot;
        this.startMs = start;
        this.finishMs = finish;
      }
    }
    return this.slot !== -1;
  }

  /** Earliest start on one TaskManager only (CPOP's critical-path processor); false when it cannot take s. */
  chooseOn(s: number, k: number): boolean {
    const b = this.builder;
    const start = b.earliestStartOnTaskManager(s, k, b.readyMs(s, k));
    if (start === Number.POSITIVE_INFINITY) return false;
    this.slot = b.chosenSlot;
    this.startMs = start;
    this.finishMs = start + b.instance.durationMs(s, k);
    return true;
  }

  /** Earliest start in one given slot (CPOP's critical-path processor is one slot); false when it cannot take s. */
  chooseSlot(s: number, l: number): boolean {
    const b = this.builder;
    const k = b.taskManagerOfSlot(l);
    const start = b.earliestStartInSlot(s, l, b.readyMs(s, k));
    if (start === Number.POSITIVE_INFINITY) return false;
    this.slot = l;
    this.startMs = start;
    this.finishMs = start + b.instance.durationMs(s, k);
    return true;
  }
}

/**
 * The plain list schedule (Graham 1969, with HEFT's slot choice): ready subtasks by highest `priority`, each to
 * the slot where it finishes first (EftSelector), start times by `rule`. Returns the builder and the subtask no
 * slot could take (-1 when every subtask was placed). HEFT, MCT, the parametric family (`list.ts`) and the exact
 * solvers' incumbents are this call; `selection: 'est'` picks the slot by earliest start instead.
 */
export function eftListSchedule(
  instance: DagPlacementInstance,
  variant: PlacementVariant,
  priority: ArrayLike<number>,
  rule: StartRule = 'insertion',
  selection: SlotSelection = 'eft',
): { readonly builder: ScheduleBuilder; readonly stuck: number } {
  const builder = new ScheduleBuilder(instance, variant, rule);
  const eft = new EftSelector(builder, selection);
  const stuck = runReadyList(instance, priority, (s) => {
    if (!eft.choose(s)) return false;
    builder.place(s, eft.slot, eft.startMs);
    return true;
  });
  return { builder, stuck };
}
