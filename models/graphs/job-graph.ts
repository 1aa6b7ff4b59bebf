import { DirectedGraph } from 'graphology';
import { describeValue, InvalidInstanceError } from '../errors.ts';
import { checkResourceProfile, type ResourceProfile } from '../resources/profile.ts';
import { INSTANCE_LIMITS, overLimitReason } from '../limits.ts';
import { topologicalOrder } from './dag.ts';

/**
 * The job graph: operators (vertices) and the data streams between them (edges).
 * Flink's vocabulary: an operator with parallelism p runs as p subtasks; an edge's partitioning says how
 * producer subtasks feed consumer subtasks (`forward`: subtask k to subtask k; `rescale`: pointwise, each producer
 * subtask to a contiguous subset of the consumer subtasks, as Flink's RescalePartitioner over its POINTWISE
 * distribution pattern; the others all-to-all). The subtask edges of each are listed in one place:
 * `forEachSubtaskEdge` (execution-graph.ts).
 */
export type Partitioning = 'forward' | 'hash' | 'rebalance' | 'broadcast' | 'rescale';
export const PARTITIONINGS: readonly Partitioning[] = ['forward', 'hash', 'rebalance', 'broadcast', 'rescale'];

export interface OperatorSpec {
  readonly id: string;
  readonly name?: string;
  readonly parallelism: number;
  /** Work of each subtask, as milliseconds on a TaskManager with speed factor 1. Default 0. */
  readonly workMs?: number;
  /** Per-subtask work (key skew); length = parallelism. Overrides `workMs`. */
  readonly subtaskWorkMs?: readonly number[];
  /** Unrelated machines (e.g. the HEFT paper's cost table): duration in ms on each named TaskManager. */
  readonly durationMsByTaskManager?: Readonly<Record<string, number>>;
  /** Memory each subtask needs, in bytes. Default 0. */
  readonly memoryBytes?: number;
  /** Flink slot sharing group. Default `default`. */
  readonly slotSharingGroup?: string;
  /** What the runtime runs for this operator (`source`, `map`, `synthetic`, ...); free-form for the models. */
  readonly kind?: string;
  /** Parameters for the runtime's operator implementation. */
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface JobEdgeSpec {
  readonly from: string;
  readonly to: string;
  readonly partitioning: Partitioning;
  /** Data volume the producer operator sends along this edge, in bytes, in total over its subtasks. Default 0. */
  readonly bytes?: number;
}

export interface JobGraphSpec {
  readonly operators: readonly OperatorSpec[];
  readonly edges: readonly JobEdgeSpec[];
  /**
   * Fine-grained resources: the declared resource profile of a slot of each named slot sharing group (Flink's
   * `SlotSharingGroup` with resources); groups not named here get the TaskManager's default slot profile.
   * Kept on the graph as the attribute `slotSharingGroupProfiles` (read with `slotSharingGroupProfilesOf`).
   */
  readonly slotSharingGroups?: Readonly<Record<string, ResourceProfile>>;
}

export interface OperatorAttributes {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
  readonly subtaskWorkMs: readonly number[];
  readonly durationMsByTaskManager: Readonly<Record<string, number>> | undefined;
  readonly memoryBytes: number;
  readonly slotSharingGroup: string;
  readonly kind: string | undefined;
  readonly params: Readonly<Record<string, unknown>> | undefined;
}

export interface JobEdgeAttributes {
  readonly partitioning: Partitioning;
  readonly bytes: number;
}

export type JobGraph = DirectedGraph<OperatorAttributes, JobEdgeAttributes>;

function nonNegative(source: string, field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new InvalidInstanceError(source, field, `should be a finite number >= 0, got ${describeValue(value)}`);
  if (value > INSTANCE_LIMITS.quantity)
    throw new InvalidInstanceError(source, field, `${value} exceeds the limit of ${INSTANCE_LIMITS.quantity} (docs/formats.md, "Limits")`);
  return value;
}

/** Refuses a job graph whose expansion would exceed the subtask or subtask-edge limit, before anything is expanded. */
function checkExpansionSize(spec: JobGraphSpec, source: string): void {
  let subtasks = 0;
  const parallelism = new Map<string, number>();
  spec.operators.forEach((op, i) => {
    if (typeof op.parallelism !== 'number') return; // the per-operator checks name it
    if (op.parallelism > INSTANCE_LIMITS.subtasks)
      throw new InvalidInstanceError(source, `job.operators[${i}].parallelism`, overLimitReason(op.parallelism, 'subtasks', INSTANCE_LIMITS.subtasks));
    subtasks += op.parallelism;
    if (subtasks > INSTANCE_LIMITS.subtasks)
      throw new InvalidInstanceError(source, `job.operators[${i}].parallelism`, overLimitReason(subtasks, 'subtasks up to this operator', INSTANCE_LIMITS.subtasks));
    parallelism.set(op.id, op.parallelism);
  });
  let edges = 0;
  spec.edges.forEach((e, i) => {
    const pFrom = parallelism.get(e.from) ?? 0;
    const pTo = parallelism.get(e.to) ?? 0;
    edges += e.partitioning === 'forward' ? pFrom : e.partitioning === 'rescale' ? Math.max(pFrom, pTo) : pFrom * pTo;
    if (edges > INSTANCE_LIMITS.subtaskEdges)
      throw new InvalidInstanceError(source, `job.edges[${i}]`, overLimitReason(edges, 'subtask edges up to this edge', INSTANCE_LIMITS.subtaskEdges));
  });
}

/**
 * Builds and checks a job graph: unique operator ids, positive integer parallelism, non-negative work,
 * memory and bytes, known edge endpoints, equal parallelism on `forward` edges, no cycle.
 * `source` names the file (or spec) in error messages.
 */
export function createJobGraph(spec: JobGraphSpec, source = 'job graph'): JobGraph {
  checkExpansionSize(spec, source);
  const graph: JobGraph = new DirectedGraph<OperatorAttributes, JobEdgeAttributes>();
  spec.operators.forEach((op, i) => {
    const at = `job.operators[${i}]`;
    if (typeof op.id !== 'string' || op.id === '') throw new InvalidInstanceError(source, `${at}.id`, 'should be a non-empty string');
    if (graph.hasNode(op.id)) throw new InvalidInstanceError(source, `${at}.id`, `duplicate operator id "${op.id}"`);
    if (!Number.isInteger(op.parallelism) || op.parallelism < 1)
      throw new InvalidInstanceError(source, `${at}.parallelism`, `should be an integer >= 1, got ${JSON.stringify(op.parallelism)}`);
    const workMs = nonNegative(source, `${at}.workMs`, op.workMs, 0);
    let subtaskWorkMs: number[];
    if (op.subtaskWorkMs !== undefined) {
      if (op.subtaskWorkMs.length !== op.parallelism)
        throw new InvalidInstanceError(source, `${at}.subtaskWorkMs`, `should have one entry per subtask (${op.parallelism}), got ${op.subtaskWorkMs.length}`);
      subtaskWorkMs = op.subtaskWorkMs.map((w, k) => nonNegative(source, `${at}.subtaskWorkMs[${k}]`, w, 0));
    } else subtaskWorkMs = new Array<number>(op.parallelism).fill(workMs);
    if (op.durationMsByTaskManager !== undefined)
      for (const [tm, d] of Object.entries(op.durationMsByTaskManager)) nonNegative(source, `${at}.durationMsByTaskManager.${tm}`, d, 0);
    graph.addNode(op.id, {
      id: op.id,
      name: op.name ?? op.id,
      parallelism: op.parallelism,
      subtaskWorkMs,
      durationMsByTaskManager: op.durationMsByTaskManager,
      memoryBytes: nonNegative(source, `${at}.memoryBytes`, op.memoryBytes, 0),
      slotSharingGroup: op.slotSharingGroup ?? 'default',
      kind: op.kind,
      params: op.params,
    });
  });
  spec.edges.forEach((e, i) => {
    const at = `job.edges[${i}]`;
    for (const end of ['from', 'to'] as const)
      if (!graph.hasNode(e[end])) throw new InvalidInstanceError(source, `${at}.${end}`, `names no operator ("${e[end]}")`);
    if (!(PARTITIONINGS as readonly string[]).includes(e.partitioning))
      throw new InvalidInstanceError(source, `${at}.partitioning`, `should be one of ${PARTITIONINGS.join(', ')}, got ${JSON.stringify(e.partitioning)}`);
    if (e.from === e.to) throw new InvalidInstanceError(source, at, `an operator cannot feed itself ("${e.from}")`);
    if (graph.hasDirectedEdge(e.from, e.to)) throw new InvalidInstanceError(source, at, `duplicate edge ${e.from} -> ${e.to}`);
    const pFrom = graph.getNodeAttribute(e.from, 'parallelism');
    const pTo = graph.getNodeAttribute(e.to, 'parallelism');
    if (e.partitioning === 'forward' && pFrom !== pTo)
      throw new InvalidInstanceError(
        source,
        `${at}.partitioning`,
        `a forward edge needs equal parallelism on both ends, but ${e.from} has ${pFrom} and ${e.to} has ${pTo} (use hash or rebalance)`,
      );
    graph.addDirectedEdge(e.from, e.to, { partitioning: e.partitioning, bytes: nonNegative(source, `${at}.bytes`, e.bytes, 0) });
  });
  topologicalOrder(graph, source); // throws CyclicGraphError naming a cycle
  if (spec.slotSharingGroups !== undefined) {
    const groups = new Set(graph.mapNodes((_id, a) => a.slotSharingGroup));
    const profiles = new Map<string, ResourceProfile>();
    for (const [group, p] of Object.entries(spec.slotSharingGroups)) {
      if (!groups.has(group)) throw new InvalidInstanceError(source, `job.slotSharingGroups.${group}`, `names no slot sharing group of the job's operators (${[...groups].join(', ')})`);
      profiles.set(group, checkResourceProfile(source, `job.slotSharingGroups.${group}`, p));
    }
    graph.setAttribute(SLOT_SHARING_GROUP_PROFILES, profiles);
  }
  return graph;
}

const SLOT_SHARING_GROUP_PROFILES = 'slotSharingGroupProfiles';

/** The declared resource profiles of the job's slot sharing groups (fine-grained resources); empty when none. */
export function slotSharingGroupProfilesOf(graph: JobGraph): ReadonlyMap<string, ResourceProfile> {
  return (graph.getAttribute(SLOT_SHARING_GROUP_PROFILES) as ReadonlyMap<string, ResourceProfile> | undefined) ?? new Map();
}
