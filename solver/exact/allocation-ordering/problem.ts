/**
 * What the allocation–ordering search reads and never changes (Orr & Sinnen's AO state-space model, see
 * allocation.ts): durations per TaskManager, transfer times per edge and TaskManager pair, predecessor and
 * successor lists, classes of identical TaskManagers, and the order in which subtasks are allocated.
 *
 * Paper "processor" = a TaskManager with one slot here; paper "task" = a subtask.
 */
import { roundUpMakespanBound } from '../../../models/dag-placement/bounds.ts';
import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';

/** Why the allocation–ordering search does not apply to (instance, variant), or null. */
export function allocationOrderingNotApplicable(instance: DagPlacementInstance, variant: PlacementVariant): string | null {
  if (variant !== 'sequenced') return `the allocation–ordering search handles the sequenced variant, not ${variant}`;
  if (instance.derived.memoryMatters) return 'the allocation–ordering search does not model memory limits';
  if (instance.derived.slotProfiles !== undefined) return 'the allocation–ordering search does not model fine-grained resource profiles';
  if (instance.taskManagers.some((tm) => tm.slotCount !== 1)) return 'the allocation–ordering search needs exactly one slot per TaskManager';
  if (instance.subtasks.length === 0) return 'the job has no subtasks';
  return null;
}

export class AoProblem {
  readonly n: number;
  readonly K: number;
  /** d(s, k) at s·K + k, ms. */
  readonly dur: Float64Array;
  /** min_k d(s, k), ms. */
  readonly fastest: Float64Array;
  /** Per subtask: predecessor subtasks and the matching edge indices. */
  readonly preds: Int32Array[];
  readonly predEdges: Int32Array[];
  readonly succs: Int32Array[];
  readonly succEdges: Int32Array[];
  /** c_e(a, b) at a·K + b, ms (0 when a = b). */
  readonly comm: readonly Float64Array[];
  /** Class of identical TaskManagers per TaskManager (`derived.taskManagerClasses`). */
  readonly tmClass: Int32Array;
  /** Rate of each TaskManager in the area bound's work units: its speed factor on related TaskManagers, else 1. */
  readonly rate: Float64Array;
  /** Work of each subtask in those units: workMs on related TaskManagers, else its fastest duration. */
  readonly work: Float64Array;
  /** Allocation order: a topological order, ready subtasks by decreasing fastest bottom level. */
  readonly allocOrder: Int32Array;
  /** Position of each subtask in allocOrder. */
  readonly allocPos: Int32Array;
  readonly integral: boolean;
  /** reach[a·n + b] = 1 when a path leads from a to b (`derived.reaches`). */
  readonly reach: Uint8Array;
  /** Per subtask: its descendants in increasing index (a topological order), its ancestors in decreasing index. */
  readonly descendants: Int32Array[];
  readonly ancestors: Int32Array[];

  constructor(readonly instance: DagPlacementInstance) {
    const n = (this.n = instance.subtasks.length);
    const K = (this.K = instance.taskManagers.length);
    const { derived } = instance;
    this.dur = new Float64Array(n * K);
    for (let s = 0; s < n; s++) for (let k = 0; k < K; k++) this.dur[s * K + k] = instance.durationMs(s, k);
    this.fastest = derived.fastestMs;
    this.preds = instance.inEdges.map((es) => Int32Array.from(es, (e) => instance.edges[e]!.from));
    this.predEdges = instance.inEdges.map((es) => Int32Array.from(es));
    this.succs = instance.outEdges.map((es) => Int32Array.from(es, (e) => instance.edges[e]!.to));
    this.succEdges = instance.outEdges.map((es) => Int32Array.from(es));
    this.comm = derived.transferMatrices;
    this.tmClass = derived.taskManagerClasses('sequenced');
    const related = derived.relatedMachines;
    this.rate = Float64Array.from(instance.taskManagers, (tm) => (related ? tm.speedFactor : 1));
    this.work = derived.energeticWork;
    this.integral = derived.integralTimes;
    this.reach = new Uint8Array(n * n);
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (derived.reaches(a, b)) this.reach[a * n + b] = 1;
    this.descendants = Array.from({ length: n }, (_, a) => Int32Array.from({ length: n - a - 1 }, (_, i) => a + 1 + i).filter((b) => this.reach[a * n + b] === 1));
    this.ancestors = Array.from({ length: n }, (_, b) => Int32Array.from({ length: b }, (_, i) => b - 1 - i).filter((a) => this.reach[a * n + b] === 1));
    // bottom level at the fastest durations, no transfers: fastest duration + tail
    const bottom = Float64Array.from(derived.tailMs, (t, s) => t + this.fastest[s]!);
    const missing = Int32Array.from(this.preds, (p) => p.length);
    const ready: number[] = [];
    for (let s = 0; s < n; s++) if (missing[s] === 0) ready.push(s);
    const order: number[] = [];
    while (ready.length > 0) {
      let best = 0;
      for (let i = 1; i < ready.length; i++) if (bottom[ready[i]!]! > bottom[ready[best]!]!) best = i;
      const s = ready.splice(best, 1)[0]!;
      order.push(s);
      for (const j of this.succs[s]!) {
        missing[j] = missing[j]! - 1;
        if (missing[j] === 0) ready.push(j);
      }
    }
    this.allocOrder = Int32Array.from(order);
    this.allocPos = new Int32Array(n);
    order.forEach((s, i) => (this.allocPos[s] = i));
  }

  /** Earliest start of s on its TaskManager alloc[s]: max(TaskManager free, every input's end + its transfer). */
  arrivalMs(s: number, alloc: Int32Array, end: Float64Array, free: Float64Array): number {
    const { K, comm } = this;
    const k = alloc[s]!;
    let t = free[k]!;
    const ps = this.preds[s]!;
    const es = this.predEdges[s]!;
    for (let i = 0; i < ps.length; i++) {
      const q = ps[i]!;
      const v = end[q]! + comm[es[i]!]![alloc[q]! * K + k]!;
      if (v > t) t = v;
    }
    return t;
  }

  roundUp(v: number): number {
    return roundUpMakespanBound(this.instance, v);
  }
}
