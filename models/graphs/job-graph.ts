import type { DirectedGraph } from 'graphology';
import type { ResourceProfile } from '../resources/profile.ts';
import { compileJobSpec, jobGraphOf } from './compiled-job.ts';

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

/**
 * Builds and checks a job graph: unique operator ids, positive integer parallelism, non-negative work,
 * memory and bytes, known edge endpoints, equal parallelism on `forward` edges, no cycle.
 * `source` names the file (or spec) in error messages. The checks live in `compileJobSpec` (compiled-job.ts), which
 * DAG placement instances are compiled from without a graph; this is the graph of the same compiled job.
 */
export function createJobGraph(spec: JobGraphSpec, source = 'job graph'): JobGraph {
  return jobGraphOf(compileJobSpec(spec, source));
}

/** The graph attribute holding the declared slot sharing group profiles. */
export const SLOT_SHARING_GROUP_PROFILES = 'slotSharingGroupProfiles';

/** The declared resource profiles of the job's slot sharing groups (fine-grained resources); empty when none. */
export function slotSharingGroupProfilesOf(graph: JobGraph): ReadonlyMap<string, ResourceProfile> {
  return (graph.getAttribute(SLOT_SHARING_GROUP_PROFILES) as ReadonlyMap<string, ResourceProfile> | undefined) ?? new Map();
}
