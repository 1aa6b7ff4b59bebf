import { createJobGraph, type JobGraph, type JobGraphSpec } from '../graphs/job-graph.ts';
import { expandJobGraph, forEachSubtaskEdge, subtaskId, type ExecutionGraph } from '../graphs/execution-graph.ts';
import { createCluster, linkBetween, transferMs, type Cluster, type ClusterSpec, type Link } from '../graphs/cluster.ts';
import { topologicalOrder } from '../graphs/dag.ts';
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
  const jobGraph = createJobGraph(spec.job, source);
  const cluster = createCluster(spec.cluster, source);
  return compileDagPlacementInstance(spec.name, spec.variant, jobGraph, cluster, source);
}

export function compileDagPlacementInstance(
  name: string,
  variant: PlacementVariant,
  jobGraph: JobGraph,
  cluster: Cluster,
  source = name,
): DagPlacementInstance {
  if (!PLACEMENT_VARIANTS.includes(variant))
    throw new InvalidInstanceError(source, 'variant', `should be one of ${PLACEMENT_VARIANTS.join(', ')}, got ${JSON.stringify(variant)}`);
  const tmIndex = new Map<string, number>();
  let slotCursor = 0;
  const subtaskCount = jobGraph.reduceNodes((t, _id, a) => t + a.parallelism, 0);
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

  const operatorIndex = new Map<string, number>();
  const operators: OperatorInfo[] = topologicalOrder(jobGraph, source).map((id, index) => {
    operatorIndex.set(id, index);
    const a = jobGraph.getNodeAttributes(id);
    return { index, id, name: a.name, parallelism: a.parallelism, slotSharingGroup: a.slotSharingGroup, subtasks: [] as number[] };
  });

  // Subtasks in operator topological order, then by subtask index: a topological order of the execution graph,
  // since every subtask edge goes from an operator to a later one.
  const subtasks: Subtask[] = [];
  const subtaskById = new Map<string, Subtask>();
  for (const info of operators) {
    const op = jobGraph.getNodeAttributes(info.id);
    let durations: number[] | undefined;
    if (op.durationMsByTaskManager !== undefined) {
      durations = taskManagers.map((tm) => {
        const d = op.durationMsByTaskManager![tm.id];
        if (d === undefined)
          throw new InvalidInstanceError(source, `job.operators.${op.id}.durationMsByTaskManager`, `gives no duration for TaskManager "${tm.id}"`);
        return d;
      });
    }
    for (let k = 0; k < op.parallelism; k++) {
      const s: Subtask = {
        index: subtasks.length,
        id: subtaskId(op.id, k),
        operatorId: op.id,
        operatorIndex: info.index,
        subtaskIndex: k,
        workMs: op.subtaskWorkMs[k]!,
        memoryBytes: op.memoryBytes,
        slotSharingGroup: op.slotSharingGroup,
        durationMsByTaskManager: durations,
      };
      subtasks.push(s);
      subtaskById.set(s.id, s);
      (info.subtasks as number[])[k] = s.index;
    }
  }

  const edges: SubtaskEdge[] = [];
  const inEdges: number[][] = subtasks.map(() => []);
  const outEdges: number[][] = subtasks.map(() => []);
  forEachSubtaskEdge(jobGraph, (fromOp, a, toOp, b, bytes) => {
    const from = operators[operatorIndex.get(fromOp)!]!.subtasks[a]!;
    const to = operators[operatorIndex.get(toOp)!]!.subtasks[b]!;
    const edge: SubtaskEdge = { index: edges.length, from, to, bytes };
    edges.push(edge);
    outEdges[from]!.push(edge.index);
    inEdges[to]!.push(edge.index);
  });

  let executionGraph: ExecutionGraph | undefined;
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

  let derived: DagDerivedFacts | undefined;
  const instance: DagPlacementInstance = {
    kind: 'dag-placement',
    name,
    variant,
    jobGraph,
    get executionGraph(): ExecutionGraph {
      executionGraph ??= expandJobGraph(jobGraph, source);
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
    subtaskById,
    taskManagerById: new Map(taskManagers.map((tm) => [tm.id, tm])),
    uniformNetwork,
    durationMs: (s, k) => {
      const sub = subtasks[s]!;
      return sub.durationMsByTaskManager !== undefined ? sub.durationMsByTaskManager[k]! : sub.workMs / taskManagers[k]!.speedFactor;
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
  return compileDagPlacementInstance(instance.name, variant, instance.jobGraph, instance.cluster);
}
