import type { JobGraph } from '../graphs/job-graph.ts';
import type { RestartStrategyConfig } from '../recovery/restart-strategy.ts';
import { forEachSubtaskEdge } from '../graphs/execution-graph.ts';
import { topologicalOrder } from '../graphs/dag.ts';
import type { PlacementVariant } from '../dag-placement/instance.ts';
import type { SlotProfile } from '../slot-allocation/instance.ts';
import { InvalidInstanceError } from '../errors.ts';

/**
 * A job of the cluster: a job graph, a placement variant, its arrival and priority, and its slot demand, computed
 * once here (docs/design-decisions.md, "The cluster"), which every queue policy, allocation policy and the
 * runtime read:
 * - `shared` (Flink slot sharing): Σ over slot sharing groups of the largest parallelism in the group, Flink's
 *   rule (SlotSharingGroup → one slot per subtask index). Rigid: it runs on exactly these slots (minSlots = slots).
 * - `exclusive`: one slot per subtask (Σ parallelism). Rigid.
 * - `sequenced` (batch): the peak number of subtasks running at once in the earliest schedule with unlimited
 *   slots, work at speed 1 and no transfer cost: the fewest slots that let the job run as wide as its DAG allows.
 *   Elastic: a slot runs its subtasks one after another, so any number >= 1 of slots works (minSlots = 1), only
 *   slower; a policy such as `fair` may grant fewer than the demand.
 * The slot profile (what one slot of the job uses, for DRF and packing): given, or 1 CPU core and the memory of
 * the subtasks one slot holds (under `shared` Σ of the memory of one subtask per operator of a group, the largest
 * group; otherwise the largest subtask).
 */
export interface JobDemand {
  /** Slots the job asks for. */
  readonly slots: number;
  /** Fewest slots it can run on. */
  readonly minSlots: number;
  readonly slotProfile: SlotProfile;
  /** Σ of its subtasks' work at speed 1, in model ms: the predicted work `sjf` orders by. */
  readonly workMs: number;
  /** Longest path of work at speed 1 (no transfers), model ms. */
  readonly criticalPathMs: number;
}

export interface ClusterJobSpec {
  readonly id: string;
  readonly name?: string;
  /** Submission time on the cluster clock, ms >= 0. */
  readonly arrivalMs: number;
  /** Larger runs first under the `priority` queue policy. Default 0. */
  readonly priority?: number;
  /** Tenant the `fair` and `drf` policies share among. Default: the job's id (every job its own user). */
  readonly user?: string;
  readonly jobGraph: JobGraph;
  readonly variant: PlacementVariant;
  readonly slotProfile?: SlotProfile;
  /** Multiplies every subtask's work and duration (bring a trace's units onto the workload's). Default 1. */
  readonly workScale?: number;
  /** Its restart strategy on the cluster runtime (wall ms), over the cluster's (`slotlab cluster --restart-strategy`). */
  readonly restartStrategy?: RestartStrategyConfig;
}

export interface ClusterJob {
  readonly id: string;
  readonly name: string;
  readonly arrivalMs: number;
  readonly priority: number;
  readonly user: string;
  readonly jobGraph: JobGraph;
  readonly variant: PlacementVariant;
  readonly demand: JobDemand;
  /** Its own restart strategy, if the workload gives one. */
  readonly restartStrategy?: RestartStrategyConfig;
}

/** Earliest start/end of every subtask with unlimited slots, work at speed 1, no transfers. */
function unlimitedEarliestSchedule(jobGraph: JobGraph, source: string): { intervals: Array<[number, number]>; criticalPathMs: number; workMs: number } {
  const order = topologicalOrder(jobGraph, source);
  const endMs = new Map<string, Float64Array>();
  const readyMs = new Map<string, Float64Array>();
  for (const op of order) readyMs.set(op, new Float64Array(jobGraph.getNodeAttribute(op, 'parallelism')));
  const preds = new Map<string, Array<[string, number, number]>>(); // `${op}` -> (fromOp, fromIndex, toIndex)
  forEachSubtaskEdge(jobGraph, (fromOp, a, toOp, b) => {
    let list = preds.get(toOp);
    if (!list) preds.set(toOp, (list = []));
    list.push([fromOp, a, b]);
  });
  const intervals: Array<[number, number]> = [];
  let criticalPathMs = 0;
  let workMs = 0;
  for (const op of order) {
    const attr = jobGraph.getNodeAttributes(op);
    const ready = readyMs.get(op)!;
    for (const [fromOp, a, b] of preds.get(op) ?? []) ready[b] = Math.max(ready[b]!, endMs.get(fromOp)![a]!);
    const end = new Float64Array(attr.parallelism);
    for (let k = 0; k < attr.parallelism; k++) {
      const w = attr.subtaskWorkMs[k]!;
      end[k] = ready[k]! + w;
      workMs += w;
      if (w > 0) intervals.push([ready[k]!, end[k]!]);
      criticalPathMs = Math.max(criticalPathMs, end[k]!);
    }
    endMs.set(op, end);
  }
  return { intervals, criticalPathMs, workMs };
}

/** Most intervals [start, end) open at one instant (an interval ending at t does not overlap one starting at t). */
function peakConcurrency(intervals: ReadonlyArray<readonly [number, number]>): number {
  const points: Array<[number, number]> = [];
  for (const [s, e] of intervals) points.push([s, 1], [e, -1]);
  points.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let peak = 0;
  for (const [, d] of points) {
    open += d;
    peak = Math.max(peak, open);
  }
  return peak;
}

/** The slot demand of a job graph under a variant: the rule stated above, in one place. */
export function jobDemand(jobGraph: JobGraph, variant: PlacementVariant, slotProfile?: SlotProfile, source = 'job'): JobDemand {
  const groups = new Map<string, { parallelism: number; memoryBytes: number }>();
  let subtasks = 0;
  let largestMemory = 0;
  jobGraph.forEachNode((_id, a) => {
    subtasks += a.parallelism;
    largestMemory = Math.max(largestMemory, a.memoryBytes);
    const g = groups.get(a.slotSharingGroup) ?? { parallelism: 0, memoryBytes: 0 };
    groups.set(a.slotSharingGroup, { parallelism: Math.max(g.parallelism, a.parallelism), memoryBytes: g.memoryBytes + a.memoryBytes });
  });
  const schedule = unlimitedEarliestSchedule(jobGraph, source);
  let slots: number;
  let minSlots: number;
  if (variant === 'exclusive') slots = minSlots = subtasks;
  else if (variant === 'shared') slots = minSlots = [...groups.values()].reduce((t, g) => t + g.parallelism, 0);
  else {
    slots = Math.max(1, Math.min(subtasks, peakConcurrency(schedule.intervals)));
    minSlots = 1;
  }
  const memoryBytes = variant === 'shared' ? Math.max(0, ...[...groups.values()].map((g) => g.memoryBytes)) : largestMemory;
  return {
    slots,
    minSlots,
    slotProfile: slotProfile ?? { cpuCores: 1, memoryBytes },
    workMs: schedule.workMs,
    criticalPathMs: schedule.criticalPathMs,
  };
}

/** Checks a job spec and computes its demand. `at` is the field path used in errors (`jobs[2]`). */
export function createClusterJob(spec: ClusterJobSpec, source = 'workload', at = `job ${spec.id}`): ClusterJob {
  if (typeof spec.id !== 'string' || spec.id === '') throw new InvalidInstanceError(source, `${at}.id`, 'should be a non-empty string');
  if (typeof spec.arrivalMs !== 'number' || !Number.isFinite(spec.arrivalMs) || spec.arrivalMs < 0)
    throw new InvalidInstanceError(source, `${at}.arrivalMs`, `should be a finite number of ms >= 0, got ${JSON.stringify(spec.arrivalMs)}`);
  const priority = spec.priority ?? 0;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) throw new InvalidInstanceError(source, `${at}.priority`, `should be a finite number, got ${JSON.stringify(spec.priority)}`);
  const workScale = spec.workScale ?? 1;
  if (typeof workScale !== 'number' || !(workScale > 0) || !Number.isFinite(workScale))
    throw new InvalidInstanceError(source, `${at}.workScale`, `should be a finite number > 0, got ${JSON.stringify(spec.workScale)}`);
  const jobGraph = scaledJobGraph(spec.jobGraph, workScale);
  if (spec.slotProfile)
    for (const f of ['cpuCores', 'memoryBytes'] as const)
      if (!(spec.slotProfile[f] >= 0) || !Number.isFinite(spec.slotProfile[f]))
        throw new InvalidInstanceError(source, `${at}.slotProfile.${f}`, `should be a finite number >= 0, got ${JSON.stringify(spec.slotProfile[f])}`);
  return {
    id: spec.id,
    name: spec.name ?? spec.id,
    arrivalMs: spec.arrivalMs,
    priority,
    user: spec.user ?? spec.id,
    jobGraph,
    variant: spec.variant,
    demand: jobDemand(jobGraph, spec.variant, spec.slotProfile, source),
    ...(spec.restartStrategy === undefined ? {} : { restartStrategy: spec.restartStrategy }),
  };
}

/** A copy of the job graph with every subtask's work (and per-TaskManager duration) × `factor`. */
export function scaledJobGraph(jobGraph: JobGraph, factor: number): JobGraph {
  if (factor === 1) return jobGraph;
  const copy = jobGraph.copy() as JobGraph;
  copy.updateEachNodeAttributes((_id, a) => ({
    ...a,
    subtaskWorkMs: a.subtaskWorkMs.map((w) => w * factor),
    durationMsByTaskManager: a.durationMsByTaskManager === undefined ? undefined : Object.fromEntries(Object.entries(a.durationMsByTaskManager).map(([tm, d]) => [tm, d * factor])),
  }));
  return copy;
}
