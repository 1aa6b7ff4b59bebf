import type { Rng } from '../rng.ts';
import type { ClusterSpec } from '../graphs/cluster.ts';
import type { DagPlacementInstance } from '../dag-placement/instance.ts';
import type { Placement } from '../solution.ts';
import type { SlotAllocation } from '../slot-allocation/instance.ts';
import type { ClusterJob } from './job.ts';
import type { ClusterView, SlotRequest } from './state.ts';

/**
 * The three pluggable decisions of the cluster, as plain function types over a read-only view. Implementations
 * live one per file in solver/cluster/queue/ and solver/cluster/allocation/ (with registries); the caller (CLI,
 * benchmarks, the runtime's launcher) passes them to the simulator or the runtime, which call the same code.
 */

/** The Dispatcher admits `job` with `slots` slots (between its minSlots and its demand). */
export interface Admission {
  readonly job: string;
  readonly slots: number;
}

/**
 * Queue policy: which queued jobs to admit now and with how many slots, in order. The admissions together must
 * fit into `view.admissibleSlots`; no running job is preempted. Pure and deterministic.
 */
export type QueuePolicy = (view: ClusterView) => readonly Admission[];

export interface AllocationOptions {
  /** Seeded randomness; deterministic policies ignore it. */
  readonly rng: Rng;
  /** Limit for exact allocation (milp), ms. */
  readonly timeLimitMs?: number;
  /** Passed to the solver behind the policy (milp: `backend`, a MILP backend the caller created and disposes). */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** An allocation of the request's slots over registered TaskManagers, or why none was found. */
export type AllocationDecision = { readonly allocation: SlotAllocation } | { readonly failure: string };

/**
 * Allocation policy (the ResourceManager's slot matching): which TaskManagers' free slots a request gets. Called
 * only when the registered TaskManagers have at least `request.slots` free slots. The answer is checked with the
 * slot-allocation model's validator before the state accepts it.
 */
export type AllocationPolicy = (view: ClusterView, request: SlotRequest, options: AllocationOptions) => Promise<AllocationDecision>;

/** The predicted run time of a job on the cluster made of its granted slots, in model ms, or why none. */
export type DurationPrediction = { readonly makespanMs: number } | { readonly failure: string };

/**
 * "How long does this job take on these slots": the caller passes a function that places the job with a DAG
 * placement solver on `subCluster` (`grantedSubCluster`) and returns the makespan.
 */
export type JobDurationPredictor = (job: ClusterJob, subCluster: ClusterSpec) => Promise<DurationPrediction>;

/** A job placed on its granted slots: the instance on the sub-cluster, the checked placement, its model makespan. */
export type JobPlacement = { readonly instance: DagPlacementInstance; readonly placement: Placement; readonly makespanMs: number } | { readonly failure: string };

/**
 * The JobMaster's placement step: place the job with a DAG placement solver on `subCluster` (`grantedSubCluster`).
 * The simulator uses its makespan (through a `JobDurationPredictor`), the runtime deploys its placement.
 */
export type JobPlacer = (job: ClusterJob, subCluster: ClusterSpec) => Promise<JobPlacement>;
