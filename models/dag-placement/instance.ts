import type { JobGraph, JobGraphSpec } from '../graphs/job-graph.ts';
import { compiledJobOf, compileJobSpec, jobGraphOf, type CompiledJob } from '../graphs/compiled-job.ts';
import { expandJobGraph, forEachSubtaskEdgeOfJobEdge, subtaskEdgeCountOfJobEdge, subtaskId, type ExecutionGraph } from '../graphs/execution-graph.ts';
import { createCluster, linkBetween, transferMs, type Cluster, type ClusterSpec, type Link } from '../graphs/cluster.ts';
import { InvalidInstanceError } from '../errors.ts';
import { deriveFacts, type DagDerivedFacts } from './derived.ts';

/**
 * The DAG placement model (Dispatcher/JobManager view): operators v_i with parallelism p_i expand into
 * subtasks (i, j); TaskManagers k offer n_k slots l; a placement puts every subtask into one slot and a
 * schedule adds start and end times. Objective: min T_completion (the makespan).
 *
 * Variants (see DESIGN.md):
 * - `exclusive`: one subtask per slot for the whole job (the document's constraint 4);
 * - `shared`: Flink slot sharing: a slot holds at most one subtask of each operator of its slot sharing group;
 *   the subtasks on a TaskManager share its CPU: at most `coreCount` of them run at any instant
 *   (`coreCount` = max(1, ⌊cpuCores⌋), computed once here; see `coreCountOf`);
 * - `sequenced`: a slot runs its subtasks one after another (batch; P|prec,c_ij|Cmax).
 * In `exclusive` and `shared`, subtasks of one operator sit in different slots.
 *
 * Durations: a subtask with work w (ms at speed 1) takes w / speedFactor_k on TaskManager k, unless its operator
 * gives `durationMsByTaskManager` (unrelated machines). Transfers: an edge's bytes cost
 * latency + bytes / bandwidth when producer and consumer sit on different TaskManagers, nothing otherwise.
 */
export type PlacementVariant = 'exclusive' | 'shared' | 'sequenced';
export const PLACEMENT_VARIANTS: readonly PlacementVariant[] = ['exclusive', 'shared', 'sequenced'];

export interface DagPlacementSpec {
  readonly name: string;
  readonly variant: PlacementVariant;
  readonly job: JobGraphSpec;
  readonly cluster: ClusterSpec;
}

/** One subtask; `index` is its position in `instance.subtasks`, which is a topological order. */
export interface Subtask {
  readonly index: number;
  readonly id: string;
  readonly operatorId: string;
  readonly operatorIndex: number;
  readonly subtaskIndex: number;
  readonly workMs: number;
  readonly memoryBytes: number;
  readonly slotSharingGroup: string;
  /** Present for unrelated machines: duration on TaskManager k at position k. */
  readonly durationMsByTaskManager: readonly number[] | undefined;
}

export interface SubtaskEdge {
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly bytes: number;
}

/**
 * The subtask edges as typed arrays, in the order of `edges` (what large instances are read through: `edges`,
 * `inEdges` and `outEdges` are built from these on first access). Edge e goes from subtask `from[e]` to `to[e]` and
 * carries `bytes[e]`; the edges into subtask s are `inList[inStart[s] .. inStart[s + 1])` in edge order (as
 * `inEdges[s]`), the edges out of it `outList[outStart[s] .. outStart[s + 1])` (as `outEdges[s]`).
 */
export interface SubtaskEdgeArrays {
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly bytes: Float64Array;
  readonly inStart: Int32Array;
  readonly inList: Int32Array;
  readonly outStart: Int32Array;
  readonly outList: Int32Array;
}

export interface TaskManager {
  readonly index: number;
  readonly id: string;
  readonly slotCount: number;
  readonly cpuCores: number;
  /**
   * Subtasks that may compute at once on this TaskManager under `shared`: max(1, ⌊cpuCores⌋), capped at the
   * job's subtask count. The one definition of that rule (docs/design-decisions.md); every validator, evaluator,
   * bound, formulation, heuristic and the runtime read it from here.
   */
  readonly coreCount: number;
  readonly memoryBytes: number;
  readonly speedFactor: number;
  readonly rack: string | undefined;
  /** Index of this TaskManager's first slot in `instance.slots`. */
  readonly firstSlot: number;
}

export interface Slot {
  readonly index: number;
  /** `tm1/0` */
  readonly id: string;
  readonly taskManager: number;
  /** 0-based slot number within its TaskManager. */
  readonly slotNumber: number;
}

export interface OperatorInfo {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly slotSharingGroup: string;
  /** Indices into `subtasks`, by subtask index. */
  readonly subtasks: readonly number[];
}

export interface DagPlacementInstance {
  readonly kind: 'dag-placement';
  readonly name: string;
  readonly variant: PlacementVariant;
  /** The job graph as flat arrays (models/graphs/compiled-job.ts): what the instance was compiled from. */
  readonly job: CompiledJob;
  /** The graphology job graph, built on first access when the instance was compiled from arrays. */
  readonly jobGraph: JobGraph;
  /** The expanded graphology graph, built on first access (large jobs need only the arrays below). */
  readonly executionGraph: ExecutionGraph;
  readonly cluster: Cluster;
  readonly operators: readonly OperatorInfo[];
  readonly subtasks: readonly Subtask[];
  /** The subtask edges (objects built on first access from `edgeArrays`). */
  readonly edges: readonly SubtaskEdge[];
  /** Edge indices into `edges`, per subtask (built on first access from `edgeArrays`). */
  readonly inEdges: readonly (readonly number[])[];
  readonly outEdges: readonly (readonly number[])[];
  /** The same edges as typed arrays, with in/out lists per subtask: what the paths over large instances read. */
  readonly edgeArrays: SubtaskEdgeArrays;
  readonly taskManagers: readonly TaskManager[];
  readonly slots: readonly Slot[];
  readonly subtaskById: ReadonlyMap<string, Subtask>;
  readonly taskManagerById: ReadonlyMap<string, TaskManager>;
  /** Duration of subtask s on TaskManager k, in ms. */
  durationMs(subtask: number, taskManager: number): number;
  /** Transfer time of edge e when its producer runs on TaskManager `fromTm` and its consumer on `toTm`, in ms. */
  transferMs(edge: number, fromTm: number, toTm: number): number;
  /** The link between two different TaskManagers. */
  link(fromTm: number, toTm: number): Link;
  /** True when every pair of TaskManagers uses the same link (no explicit links, no racks): faster paths may use it. */
  readonly uniformNetwork: boolean;
  /** Heads, tails, classes of identical TaskManagers, transitive closure, ...: computed once, on first use (derived.ts). */
  readonly derived: DagDerivedFacts;
}

export function createDagPlacementInstance(spec: DagPlacementSpec, source = spec.name): DagPlacementInstance {
  const job = compileJobSpec(spec.job, source);
  const cluster = createCluster(spec.cluster, source);
  return compileDagPlacementInstance(spec.name, spec.variant, job, cluster, source);
}

function isCompiledJob(job: JobGraph | CompiledJob): job is CompiledJob {
  return 'edgeFrom' in job;
}

/**
 * The one compiler of DAG placement instances, from a compiled job (compiled-job.ts; what a spec gives) or a
 * graphology job graph (read into the same arrays first). The job graph and the execution graph of an instance
 * compiled from arrays are built on first access: a million-subtask job needs only the arrays.
 */
export function compileDagPlacementInstance(
  name: string,
  variant: PlacementVariant,
  jobOrGraph: JobGraph | CompiledJob,
  cluster: Cluster,
  source = name,
): DagPlacementInstance {
  if (!PLACEMENT_VARIANTS.includes(variant))
    throw new InvalidInstanceError(source, 'variant', `should be one of ${PLACEMENT_VARIANTS.join(', ')}, got ${JSON.stringify(variant)}`);
  const job = isCompiledJob(jobOrGraph) ? jobOrGraph : compiledJobOf(jobOrGraph, source);
  let jobGraph = isCompiledJob(jobOrGraph) ? undefined : jobOrGraph;
  const tmIndex = new Map<string, number>();
  let slotCursor = 0;
  const operatorCount = job.ids.length;
  const subtaskCount = job.workOffset[operatorCount]!;
  const taskManagers: TaskManager[] = cluster.taskManagers.map((tm, index) => {
    tmIndex.set(tm.id, index);
    const coreCount = coreCountOf(tm.cpuCores, subtaskCount);
    const out: TaskManager = { index, id: tm.id, slotCount: tm.slotCount, cpuCores: tm.cpuCores, coreCount, memoryBytes: tm.memoryBytes, speedFactor: tm.speedFactor, rack: tm.rack, firstSlot: slotCursor };
    slotCursor += tm.slotCount;
    return out;
  });
  const slots: Slot[] = [];
  for (const tm of taskManagers)
    for (let l = 0; l < tm.slotCount; l++) slots.push({ index: slots.length, id: `${tm.id}/${l}`, taskManager: tm.index, slotNumber: l });

  // Subtasks in operator topological order, then by subtask index: a topological order of the execution graph,
  // since every subtask edge goes from an operator to a later one. `firstSubtask[i]`: the first subtask of the
  // operator at spec position i (its subtasks are consecutive).
  const firstSubtask = new Int32Array(operatorCount);
  const subtasks: Subtask[] = new Array(subtaskCount);
  const workMs = new Float64Array(subtaskCount);
  let durationsOf: Array<readonly number[] | undefined> | undefined;
  let next = 0;
  for (let index = 0; index < operatorCount; index++) {
    const i = job.topologicalOrder[index]!;
    const id = job.ids[i]!;
    const parallelism = job.parallelism[i]!;
    const slotSharingGroup = job.slotSharingGroups[i]!;
    const memoryBytes = job.memoryBytes[i]!;
    const byTm = job.durationMsByTaskManager.get(i);
    let durations: number[] | undefined;
    if (byTm !== undefined) {
      durations = taskManagers.map((tm) => {
        const d = byTm[tm.id];
        if (d === undefined) throw new InvalidInstanceError(source, `job.operators.${id}.durationMsByTaskManager`, `gives no duration for TaskManager "${tm.id}"`);
        return d;
      });
      durationsOf ??= new Array(subtaskCount);
    }
    firstSubtask[i] = next;
    const work = job.workOffset[i]!;
    for (let k = 0; k < parallelism; k++, next++) {
      workMs[next] = job.subtaskWorkMs[work + k]!;
      if (durationsOf !== undefined) durationsOf[next] = durations;
      subtasks[next] = {
        index: next,
        id: subtaskId(id, k),
        operatorId: id,
        operatorIndex: index,
        subtaskIndex: k,
        workMs: workMs[next]!,
        memoryBytes,
        slotSharingGroup,
        durationMsByTaskManager: durations,
      };
    }
  }

  const edgeArrays = subtaskEdgeArraysOf(job, firstSubtask, subtaskCount);
  const edgeBytes = edgeArrays.bytes;

  let executionGraph: ExecutionGraph | undefined;
  let subtaskById: Map<string, Subtask> | undefined;
  const uniformNetwork = cluster.graph.size === 0 && new Set(taskManagers.map((tm) => tm.rack)).size <= 1;
  const linkCache = new Map<number, Link>();
  const K = taskManagers.length;
  const link = (a: number, b: number): Link => {
    if (uniformNetwork) return cluster.defaultLink;
    const key = a * K + b;
    let l = linkCache.get(key);
    if (l === undefined) {
      l = linkBetween(cluster, taskManagers[a]!.id, taskManagers[b]!.id);
      linkCache.set(key, l);
    }
    return l;
  };
  const speedFactor = Float64Array.from(taskManagers, (tm) => tm.speedFactor);
  const unrelated = durationsOf;

  let derived: DagDerivedFacts | undefined;
  const instance: DagPlacementInstance = {
    kind: 'dag-placement',
    name,
    variant,
    job,
    get jobGraph(): JobGraph {
      jobGraph ??= jobGraphOf(job);
      return jobGraph;
    },
    get executionGraph(): ExecutionGraph {
      executionGraph ??= expandJobGraph(instance.jobGraph, source);
      return executionGraph;
    },
    cluster,
    // built on first access (a million-operator job solved under sequenced needs only the subtasks)
    get operators(): readonly OperatorInfo[] {
      return settle(instance, 'operators', operatorInfosOf(job, firstSubtask));
    },
    subtasks,
    // built on first access, then plain data properties (the exact searches read them in their inner loops)
    get edges(): readonly SubtaskEdge[] {
      return settle(instance, 'edges', Array.from(edgeBytes, (bytes, index) => ({ index, from: edgeArrays.from[index]!, to: edgeArrays.to[index]!, bytes })));
    },
    get inEdges(): readonly (readonly number[])[] {
      return settle(instance, 'inEdges', edgeListsOf(edgeArrays.inStart, edgeArrays.inList));
    },
    get outEdges(): readonly (readonly number[])[] {
      return settle(instance, 'outEdges', edgeListsOf(edgeArrays.outStart, edgeArrays.outList));
    },
    edgeArrays,
    taskManagers,
    slots,
    get subtaskById(): ReadonlyMap<string, Subtask> {
      subtaskById ??= new Map(subtasks.map((s) => [s.id, s]));
      return subtaskById;
    },
    taskManagerById: new Map(taskManagers.map((tm) => [tm.id, tm])),
    uniformNetwork,
    durationMs:
      unrelated === undefined
        ? (s, k) => workMs[s]! / speedFactor[k]!
        : (s, k) => {
            const d = unrelated[s];
            return d !== undefined ? d[k]! : workMs[s]! / speedFactor[k]!;
          },
    transferMs: (e, a, b) => (a === b ? 0 : transferMs(link(a, b), edgeBytes[e]!)),
    link,
    get derived(): DagDerivedFacts {
      derived ??= deriveFacts(instance);
      return derived;
    },
  };
  return instance;
}

/**
 * The subtask edges of a compiled job (the expansion rule of `forEachSubtaskEdgeOfJobEdge`, job edges in order),
 * into typed arrays of their exact length, with the in and out lists per subtask in edge order (counting sort).
 */
function subtaskEdgeArraysOf(job: CompiledJob, firstSubtask: Int32Array, subtaskCount: number): SubtaskEdgeArrays {
  let m = 0;
  const jobEdges = job.edgeFrom.length;
  for (let e = 0; e < jobEdges; e++) m += subtaskEdgeCountOfJobEdge(job.edgePartitioning[e]!, job.parallelism[job.edgeFrom[e]!]!, job.parallelism[job.edgeTo[e]!]!);
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const bytes = new Float64Array(m);
  const inStart = new Int32Array(subtaskCount + 1);
  const outStart = new Int32Array(subtaskCount + 1);
  let next = 0;
  let fromBase = 0;
  let toBase = 0;
  const add = (a: number, b: number, share: number) => {
    from[next] = fromBase + a;
    to[next] = toBase + b;
    bytes[next] = share;
    outStart[fromBase + a + 1]! += 1;
    inStart[toBase + b + 1]! += 1;
    next++;
  };
  for (let e = 0; e < jobEdges; e++) {
    fromBase = firstSubtask[job.edgeFrom[e]!]!;
    toBase = firstSubtask[job.edgeTo[e]!]!;
    forEachSubtaskEdgeOfJobEdge(job.edgePartitioning[e]!, job.parallelism[job.edgeFrom[e]!]!, job.parallelism[job.edgeTo[e]!]!, job.edgeBytes[e]!, add);
  }
  for (let s = 0; s < subtaskCount; s++) {
    inStart[s + 1]! += inStart[s]!;
    outStart[s + 1]! += outStart[s]!;
  }
  const inList = new Int32Array(m);
  const outList = new Int32Array(m);
  const inNext = inStart.slice(0, subtaskCount);
  const outNext = outStart.slice(0, subtaskCount);
  for (let e = 0; e < m; e++) {
    outList[outNext[from[e]!]!++] = e;
    inList[inNext[to[e]!]!++] = e;
  }
  return { from, to, bytes, inStart, inList, outStart, outList };
}

/** The operators in topological order, each with its subtasks (consecutive from `firstSubtask` of its spec position). */
function operatorInfosOf(job: CompiledJob, firstSubtask: Int32Array): OperatorInfo[] {
  const operators: OperatorInfo[] = new Array(job.ids.length);
  for (let index = 0; index < operators.length; index++) {
    const i = job.topologicalOrder[index]!;
    const parallelism = job.parallelism[i]!;
    const own: number[] = new Array(parallelism);
    for (let k = 0; k < parallelism; k++) own[k] = firstSubtask[i]! + k;
    operators[index] = { index, id: job.ids[i]!, name: job.names[i]!, parallelism, slotSharingGroup: job.slotSharingGroups[i]!, subtasks: own };
  }
  return operators;
}

/** Replaces a lazy getter of `instance` by a data property holding `value` (built once), and returns it. */
function settle<K extends 'operators' | 'edges' | 'inEdges' | 'outEdges'>(instance: DagPlacementInstance, key: K, value: DagPlacementInstance[K]): DagPlacementInstance[K] {
  Object.defineProperty(instance, key, { value, enumerable: true, writable: false, configurable: false });
  return value;
}

/** Per-subtask lists of edge indices (plain arrays of their exact length) from a start/list pair of SubtaskEdgeArrays. */
function edgeListsOf(start: Int32Array, list: Int32Array): number[][] {
  const lists: number[][] = new Array(start.length - 1);
  for (let s = 0; s < lists.length; s++) {
    const a = start[s]!;
    const own = new Array<number>(start[s + 1]! - a);
    for (let j = 0; j < own.length; j++) own[j] = list[a + j]!;
    lists[s] = own;
  }
  return lists;
}

/**
 * How many subtasks a TaskManager with `cpuCores` runs at once under `shared`: ⌊cpuCores⌋ (a fraction of a core
 * does not run another subtask), at least 1 (a TaskManager with less than one core still runs one subtask at a
 * time, at its speed factor: cores count concurrency, not speed), and never more than the job's subtasks.
 */
export function coreCountOf(cpuCores: number, subtaskCount: number): number {
  return Math.max(1, Math.min(Math.floor(cpuCores + 1e-9), Math.max(1, subtaskCount)));
}

/**
 * Subtasks a TaskManager can run at one instant under a variant: its cores under `shared` (colocated subtasks
 * share the CPU), its slots otherwise (a slot runs one subtask at a time).
 */
export function runningCapacity(tm: TaskManager, variant: PlacementVariant): number {
  return variant === 'shared' ? tm.coreCount : tm.slotCount;
}

/** Same instance, another variant (the graphs are shared, not copied). */
export function withVariant(instance: DagPlacementInstance, variant: PlacementVariant): DagPlacementInstance {
  if (variant === instance.variant) return instance;
  return compileDagPlacementInstance(instance.name, variant, instance.job, instance.cluster);
}
