import type { JobGraph, JobGraphSpec } from '../graphs/job-graph.ts';
import { compiledJobOf, compileJobSpec, jobGraphOf, type CompiledJob } from '../graphs/compiled-job.ts';
import { expandJobGraph, forEachSubtaskEdgeOfJobEdge, subtaskId, type ExecutionGraph } from '../graphs/execution-graph.ts';
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
  readonly edges: readonly SubtaskEdge[];
  /** Edge indices into `edges`, per subtask. */
  readonly inEdges: readonly (readonly number[])[];
  readonly outEdges: readonly (readonly number[])[];
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
  const operators: OperatorInfo[] = new Array(operatorCount);
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
    const own: number[] = [];
    for (let k = 0; k < parallelism; k++) own.push(next + k);
    operators[index] = { index, id, name: job.names[i]!, parallelism, slotSharingGroup, subtasks: own };
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

  const edges: SubtaskEdge[] = [];
  const inDegree = new Int32Array(subtaskCount);
  const outDegree = new Int32Array(subtaskCount);
  let fromBase = 0;
  let toBase = 0;
  const addEdge = (a: number, b: number, bytes: number) => {
    const from = fromBase + a;
    const to = toBase + b;
    edges.push({ index: edges.length, from, to, bytes });
    outDegree[from]! += 1;
    inDegree[to]! += 1;
  };
  for (let e = 0; e < job.edgeFrom.length; e++) {
    fromBase = firstSubtask[job.edgeFrom[e]!]!;
    toBase = firstSubtask[job.edgeTo[e]!]!;
    forEachSubtaskEdgeOfJobEdge(job.edgePartitioning[e]!, job.parallelism[job.edgeFrom[e]!]!, job.parallelism[job.edgeTo[e]!]!, job.edgeBytes[e]!, addEdge);
  }
  // per-subtask edge lists of their exact length (a list grown by push reserves 17 entries: 2 × 17 per subtask)
  const inEdges: number[][] = new Array(subtaskCount);
  const outEdges: number[][] = new Array(subtaskCount);
  for (let s = 0; s < subtaskCount; s++) {
    inEdges[s] = new Array<number>(inDegree[s]!);
    outEdges[s] = new Array<number>(outDegree[s]!);
    inDegree[s] = 0;
    outDegree[s] = 0;
  }
  for (const edge of edges) {
    outEdges[edge.from]![outDegree[edge.from]!++] = edge.index;
    inEdges[edge.to]![inDegree[edge.to]!++] = edge.index;
  }

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
    operators,
    subtasks,
    edges,
    inEdges,
    outEdges,
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
    transferMs: (e, a, b) => (a === b ? 0 : transferMs(link(a, b), edges[e]!.bytes)),
    link,
    get derived(): DagDerivedFacts {
      derived ??= deriveFacts(instance);
      return derived;
    },
  };
  return instance;
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
