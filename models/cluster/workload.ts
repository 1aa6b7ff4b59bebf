import { createCluster, type Cluster, type ClusterSpec, type TaskManagerSpec } from '../graphs/cluster.ts';
import { InvalidInstanceError } from '../errors.ts';
import { clusterTimers, type ClusterTimers } from './timers.ts';
import { createClusterJob, type ClusterJob, type ClusterJobSpec } from './job.ts';

/**
 * A workload: a cluster (the TaskManagers that run from the start, links as in any cluster), optional elastic
 * scaling (TaskManagers of one template started on demand up to a maximum), timers, a time scale, and jobs with
 * arrival times. The file format `slotlab/workload@1` (docs/formats.md) maps onto `WorkloadSpec` field by field.
 */
export interface ElasticSpec {
  /** Most TaskManagers at once, the static ones included. */
  readonly maxTaskManagers: number;
  /** Every started TaskManager is like this (ids `<prefix>1`, `<prefix>2`, ...). */
  readonly taskManager: Omit<TaskManagerSpec, 'id'>;
  /** Id prefix of started TaskManagers. Default `tm-started-`. */
  readonly idPrefix?: string;
}

export interface WorkloadSpec {
  readonly name: string;
  readonly cluster: ClusterSpec;
  readonly elastic?: ElasticSpec;
  /** Multiplies every timer default (Flink's wall-clock values). Default 1. */
  readonly timerScale?: number;
  /** Timers in ms of the cluster clock; they win over the scaled defaults. */
  readonly timers?: Partial<ClusterTimers>;
  /** Cluster-clock ms per model time unit of job work (as `slotlab run --time-scale`). Default 1. */
  readonly timeScaleMsPerUnit?: number;
  readonly jobs: readonly ClusterJobSpec[];
}

export interface Workload {
  readonly name: string;
  readonly clusterSpec: ClusterSpec;
  /** The static TaskManagers, checked (defaults filled in). */
  readonly cluster: Cluster;
  readonly elastic: { readonly maxTaskManagers: number; readonly taskManager: Omit<TaskManagerSpec, 'id'>; readonly idPrefix: string } | undefined;
  readonly timers: ClusterTimers;
  readonly timeScaleMsPerUnit: number;
  /** In input order; the simulator submits them by arrival time, ties in this order. */
  readonly jobs: readonly ClusterJob[];
}

export function createWorkload(spec: WorkloadSpec, source = spec.name): Workload {
  const cluster = createCluster(spec.cluster, source);
  let elastic: Workload['elastic'];
  if (spec.elastic) {
    const e = spec.elastic;
    if (!Number.isInteger(e.maxTaskManagers) || e.maxTaskManagers < cluster.taskManagers.length)
      throw new InvalidInstanceError(source, 'elastic.maxTaskManagers', `should be an integer >= the ${cluster.taskManagers.length} TaskManagers of the cluster, got ${JSON.stringify(e.maxTaskManagers)}`);
    const idPrefix = e.idPrefix ?? 'tm-started-';
    createCluster({ taskManagers: [{ ...e.taskManager, id: `${idPrefix}1` }] }, `${source} (elastic.taskManager)`); // checks the template
    if (cluster.taskManagers.some((tm) => tm.id.startsWith(idPrefix)))
      throw new InvalidInstanceError(source, 'elastic.idPrefix', `"${idPrefix}" is the prefix of a static TaskManager's id; started TaskManagers need ids of their own`);
    elastic = { maxTaskManagers: e.maxTaskManagers, taskManager: e.taskManager, idPrefix };
  }
  const timeScaleMsPerUnit = spec.timeScaleMsPerUnit ?? 1;
  if (!(timeScaleMsPerUnit > 0) || !Number.isFinite(timeScaleMsPerUnit))
    throw new InvalidInstanceError(source, 'timeScaleMsPerUnit', `should be a finite number > 0, got ${JSON.stringify(spec.timeScaleMsPerUnit)}`);
  const ids = new Set<string>();
  const jobs = spec.jobs.map((j, i) => {
    if (ids.has(j.id)) throw new InvalidInstanceError(source, `jobs[${i}].id`, `duplicate job id "${j.id}"`);
    ids.add(j.id);
    return createClusterJob(j, source, `jobs[${i}]`);
  });
  return {
    name: spec.name,
    clusterSpec: spec.cluster,
    cluster,
    elastic,
    timers: clusterTimers(spec.timerScale ?? 1, spec.timers ?? {}, `${source}: timers`),
    timeScaleMsPerUnit,
    jobs,
  };
}

/** The most slots the cluster can ever offer: static slots plus the started TaskManagers' up to the maximum. */
export function maxClusterSlots(workload: Pick<Workload, 'cluster' | 'elastic'>): number {
  const fixed = workload.cluster.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
  if (!workload.elastic) return fixed;
  return fixed + (workload.elastic.maxTaskManagers - workload.cluster.taskManagers.length) * workload.elastic.taskManager.slotCount;
}
