import type { DagPlacementInstance, PlacementVariant } from './instance.ts';
import { compileDagSlotProfiles, type DagSlotProfiles } from './resources.ts';

/**
 * Facts that follow from a DAG placement instance alone, each defined once here and read by the bounds, the
 * formulations, the list schedulers and the branch and bound (STYLE.md, "One rule, once"). The instance
 * computes them on first use (`instance.derived`) and keeps them: large instances pay only for what is read.
 * Arrays are indexed like `instance.subtasks` (a topological order) or `instance.taskManagers`.
 */
export interface DagDerivedFacts {
  /** p_s = min_k d_sk: the fastest duration of each subtask over all TaskManagers, ms. */
  readonly fastestMs: Float64Array;
  /** Head e_s = max over predecessors p of (e_p + p_p): the earliest start when every subtask runs at its fastest and no transfer costs anything (valid for every placement), ms. */
  readonly headMs: Float64Array;
  /** Tail q_s = max over successors j of (p_j + q_j): the fastest path after s, excluding s itself, ms. */
  readonly tailMs: Float64Array;
  /** max_s (e_s + p_s): the critical path at the fastest durations, without transfers, ms. */
  readonly criticalPathMs: number;
  /** True when no edge costs a transfer between any two different TaskManagers. */
  readonly zeroCommunication: boolean;
  /** Per edge e, c[a·K + b] = the transfer time of e from TaskManager a to b (0 when a = b), ms. */
  readonly transferMatrices: readonly Float64Array[];
  /**
   * The energetic bounds' work per subtask: on related machines its workMs (a TaskManager of speed f does f units
   * per ms), otherwise its fastest duration (every TaskManager then counts at rate 1).
   */
  readonly energeticWork: Float64Array;
  /**
   * True when every duration (every subtask on every TaskManager) and every transfer between two different
   * TaskManagers is a whole number of ms. Then every start of a semi-active schedule (each subtask as early as its
   * inputs, its slot and its TaskManager's cores allow) is a sum of such numbers, so some optimal schedule has an
   * integral makespan and any lower bound on the optimum may be rounded up (`roundUpMakespanBound`, bounds.ts).
   */
  readonly integralTimes: boolean;
  /** Related machines: every duration is workMs / speedFactor (no operator gives per-TaskManager durations). */
  readonly relatedMachines: boolean;
  /** True when some subtask needs memory and some TaskManager limits it (otherwise memory never binds). */
  readonly memoryMatters: boolean;
  /** Fine-grained resources: group profiles per TaskManager (resources.ts); undefined when no TaskManager gives resources. */
  readonly slotProfiles: DagSlotProfiles | undefined;
  /** Transitive closure: bit j of descendants[i] is set when j is reachable from i (i itself excluded). */
  readonly descendants: readonly Uint32Array[];
  /** True when a path leads from subtask `from` to subtask `to`. */
  reaches(from: number, to: number): boolean;
  /**
   * Classes of interchangeable TaskManagers under `variant`: class id per TaskManager, numbered by first
   * appearance. On a uniform network, TaskManagers are interchangeable when they have the same slots, the same
   * duration for every subtask, the same CPU cores under `shared`, the same memory when memory matters and the same
   * fine-grained resources and slot cutting;
   * otherwise (links differ) every TaskManager is its own class.
   */
  taskManagerClasses(variant: PlacementVariant): Int32Array;
}

/** The derived facts of `instance`, each computed when first read. */
export function deriveFacts(instance: DagPlacementInstance): DagDerivedFacts {
  let fastest: Float64Array | undefined;
  let heads: { headMs: Float64Array; criticalPathMs: number } | undefined;
  let tail: Float64Array | undefined;
  let zero: boolean | undefined;
  let transfers: Float64Array[] | undefined;
  let work: Float64Array | undefined;
  let integral: boolean | undefined;
  let memory: boolean | undefined;
  let related: boolean | undefined;
  let closure: Uint32Array[] | undefined;
  let profiles: { value: DagSlotProfiles | undefined } | undefined;
  const classes = new Map<PlacementVariant, Int32Array>();
  const facts: DagDerivedFacts = {
    get fastestMs() {
      return (fastest ??= fastestDurations(instance));
    },
    get headMs() {
      return (heads ??= headsOf(instance, facts.fastestMs)).headMs;
    },
    get criticalPathMs() {
      return (heads ??= headsOf(instance, facts.fastestMs)).criticalPathMs;
    },
    get tailMs() {
      return (tail ??= tailsOf(instance, facts.fastestMs));
    },
    get zeroCommunication() {
      return (zero ??= noTransferCosts(instance));
    },
    get transferMatrices() {
      return (transfers ??= transferMatricesOf(instance));
    },
    get energeticWork() {
      return (work ??= facts.relatedMachines ? Float64Array.from(instance.subtasks, (st) => st.workMs) : facts.fastestMs);
    },
    get integralTimes() {
      return (integral ??= integralDurationsAndTransfers(instance));
    },
    get relatedMachines() {
      return (related ??= instance.subtasks.every((s) => s.durationMsByTaskManager === undefined));
    },
    get memoryMatters() {
      return (memory ??= instance.taskManagers.some((tm) => Number.isFinite(tm.memoryBytes)) && instance.subtasks.some((s) => s.memoryBytes > 0));
    },
    get slotProfiles() {
      return (profiles ??= { value: compileDagSlotProfiles(instance) }).value;
    },
    get descendants() {
      return (closure ??= transitiveClosure(instance));
    },
    reaches(from, to) {
      return ((facts.descendants[from]![to >>> 5]! >>> (to & 31)) & 1) === 1;
    },
    taskManagerClasses(variant) {
      let c = classes.get(variant);
      if (c === undefined) classes.set(variant, (c = interchangeableTaskManagers(instance, variant, facts.memoryMatters)));
      return c;
    },
  };
  return facts;
}

function transferMatricesOf(instance: DagPlacementInstance): Float64Array[] {
  const K = instance.taskManagers.length;
  return instance.edges.map((e) => {
    const c = new Float64Array(K * K);
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) c[a * K + b] = a === b ? 0 : instance.transferMs(e.index, a, b);
    return c;
  });
}

function fastestDurations(instance: DagPlacementInstance): Float64Array {
  const K = instance.taskManagers.length;
  return Float64Array.from(instance.subtasks, (s) => {
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) best = Math.min(best, instance.durationMs(s.index, k));
    return best;
  });
}

// e_s = max_{p→s} (e_p + p_p);  critical path = max_s (e_s + p_s)
function headsOf(instance: DagPlacementInstance, fastestMs: Float64Array): { headMs: Float64Array; criticalPathMs: number } {
  const n = instance.subtasks.length;
  const headMs = new Float64Array(n);
  let criticalPathMs = 0;
  for (let s = 0; s < n; s++) {
    let t = 0;
    for (const e of instance.inEdges[s]!) {
      const p = instance.edges[e]!.from;
      t = Math.max(t, headMs[p]! + fastestMs[p]!);
    }
    headMs[s] = t;
    criticalPathMs = Math.max(criticalPathMs, t + fastestMs[s]!);
  }
  return { headMs, criticalPathMs };
}

// q_s = max_{s→j} (p_j + q_j)
function tailsOf(instance: DagPlacementInstance, fastestMs: Float64Array): Float64Array {
  const n = instance.subtasks.length;
  const tailMs = new Float64Array(n);
  for (let s = n - 1; s >= 0; s--) {
    let t = 0;
    for (const e of instance.outEdges[s]!) {
      const j = instance.edges[e]!.to;
      t = Math.max(t, fastestMs[j]! + tailMs[j]!);
    }
    tailMs[s] = t;
  }
  return tailMs;
}

/** The pairs of different TaskManagers whose transfer costs differ in general (one pair on a uniform network). */
function transferPairs(instance: DagPlacementInstance): Array<[number, number]> {
  const K = instance.taskManagers.length;
  const pairs: Array<[number, number]> = [];
  if (K < 2) return pairs;
  // on a uniform network every pair of TaskManagers costs the same
  if (instance.uniformNetwork) pairs.push([0, 1]);
  else for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) if (a !== b) pairs.push([a, b]);
  return pairs;
}

function noTransferCosts(instance: DagPlacementInstance): boolean {
  const pairs = transferPairs(instance);
  return instance.edges.every((e) => pairs.every(([a, b]) => instance.transferMs(e.index, a, b) === 0));
}

function integralDurationsAndTransfers(instance: DagPlacementInstance): boolean {
  const K = instance.taskManagers.length;
  for (const s of instance.subtasks) for (let k = 0; k < K; k++) if (!Number.isInteger(instance.durationMs(s.index, k))) return false;
  const pairs = transferPairs(instance);
  return instance.edges.every((e) => pairs.every(([a, b]) => Number.isInteger(instance.transferMs(e.index, a, b))));
}

function transitiveClosure(instance: DagPlacementInstance): Uint32Array[] {
  const n = instance.subtasks.length;
  const words = Math.ceil(n / 32) || 1;
  const reach = instance.subtasks.map(() => new Uint32Array(words));
  for (let s = n - 1; s >= 0; s--)
    for (const e of instance.outEdges[s]!) {
      const j = instance.edges[e]!.to;
      const r = reach[s]!;
      const rj = reach[j]!;
      r[j >>> 5] = r[j >>> 5]! | (1 << (j & 31));
      for (let w = 0; w < words; w++) r[w] = r[w]! | rj[w]!;
    }
  return reach;
}

function interchangeableTaskManagers(instance: DagPlacementInstance, variant: PlacementVariant, memoryMatters: boolean): Int32Array {
  const K = instance.taskManagers.length;
  const out = new Int32Array(K);
  const seen = new Map<string, number>();
  for (let k = 0; k < K; k++) {
    const tm = instance.taskManagers[k]!;
    let key = `tm${k}`;
    if (instance.uniformNetwork) {
      const durations = instance.subtasks.map((s) => instance.durationMs(s.index, k)).join(',');
      const given = instance.cluster.taskManagers[k]!;
      const resources = given.resources === undefined ? '' : `${JSON.stringify(given.resources)}/${given.slotCutting ?? 'fixed'}`;
      key = `${tm.slotCount}|${variant === 'shared' ? tm.coreCount : ''}|${memoryMatters ? tm.memoryBytes : ''}|${resources}|${durations}`;
    }
    if (!seen.has(key)) seen.set(key, seen.size);
    out[k] = seen.get(key)!;
  }
  return out;
}
