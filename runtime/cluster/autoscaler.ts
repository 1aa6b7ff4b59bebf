import type { ClusterJob } from '../../models/cluster/job.ts';
import { jobDemand } from '../../models/cluster/job.ts';
import type { JobPlacement } from '../../models/cluster/policies.ts';
import type { JobScalingDecision } from '../../models/cluster/report.ts';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import type { JobGraph } from '../../models/graphs/job-graph.ts';
import { BACK_PRESSURE_OK_RATIO, maxBackPressuredRatio, nextParallelism, type ScalingOptions, type ScalingPolicy } from '../../models/scaling/policy.ts';
import type { RunOptions } from '../plan.ts';
import { observeSegment, runWithRescales, type Deployment, type RescaledRun, type SegmentRunner } from '../rescale-loop.ts';

/**
 * Autoscaling on the cluster runtime (issue #13, `slotlab cluster --autoscale ds2|threshold`): a scaling loop per
 * job, in its JobMaster. The job runs pipelined with checkpoints; every window (once its sources emitted their rate ×
 * the window) it stops with a checkpoint (runtime/rescale-loop.ts), the JobMaster reads each subtask's useful time,
 * back-pressured time and records of the stopped run, and asks the policy (models/scaling) for every operator's
 * parallelism. If it changes, the JobMaster resizes its grant (more slots: a request the ResourceManager serves with
 * the allocation policy, starting TaskManagers from the elastic template when the free ones do not suffice; fewer:
 * slots returned, an emptied started TaskManager released after `resourcemanager.taskmanager-timeout`), places the
 * job at the new parallelism on the granted slots and restarts it from the checkpoint (keyed state by key group).
 * Once a window shows no back-pressure, or after `maxDecisions` decisions, the job runs on to the end of its input.
 */
export interface ClusterAutoscaleOptions {
  readonly policy: ScalingPolicy;
  readonly policyName: string;
  /** Wall ms of input per window: the job stops once its sources emitted their rate × this. Default 2000. */
  readonly windowMs?: number;
  /** Most decisions per job. Default 3. */
  readonly maxDecisions?: number;
  /** Checkpoint interval of an autoscaled job (wall ms). Default window / 20, within 20..100. */
  readonly checkpointIntervalMs?: number;
  /** Records per buffer (default 32) and credits per channel (default 2): small, so that back-pressure shows in a window. */
  readonly batchRecords?: number;
  readonly creditsPerChannel?: number;
  readonly scalingOptions?: ScalingOptions;
}

export const CLUSTER_AUTOSCALE_DEFAULTS = Object.freeze({ windowMs: 2000, maxDecisions: 3, batchRecords: 32, creditsPerChannel: 2 });

/** What the cluster runtime gives a job's scaling loop. */
export interface AutoscaledJobHost {
  readonly job: ClusterJob;
  readonly timeScaleMsPerUnit: number;
  /** Cluster-clock ms. */
  now(): number;
  /** Runs a segment of the job on the cluster's TaskManager threads. */
  readonly run: SegmentRunner;
  readonly place: (job: ClusterJob, subCluster: ClusterSpec) => Promise<JobPlacement>;
  /**
   * Makes the job hold `slots` slots: asks for more (resolves once granted, with the TaskManagers started meanwhile)
   * or returns some (with the TaskManagers it left without any job's slot). A failure leaves the grant as it was.
   */
  resize(slots: number): Promise<{ readonly subCluster: ClusterSpec; readonly started: readonly string[]; readonly emptied: readonly string[] } | { readonly failure: string }>;
}

export interface AutoscaledJobRun {
  readonly run: RescaledRun;
  readonly decisions: readonly JobScalingDecision[];
}

/** The job at other parallelisms: a copy of its graph, its slot demand computed again (models/cluster jobDemand). */
export function clusterJobAt(job: ClusterJob, parallelism: Readonly<Record<string, number>>): ClusterJob {
  const jobGraph = job.jobGraph.copy() as JobGraph;
  jobGraph.updateEachNodeAttributes((id, a) => {
    const p = parallelism[id] ?? a.parallelism;
    if (p === a.parallelism) return a;
    // per-subtask work follows the parallelism: the operator's mean work per subtask
    const mean = a.subtaskWorkMs.reduce((t, w) => t + w, 0) / Math.max(1, a.subtaskWorkMs.length);
    return { ...a, parallelism: p, subtaskWorkMs: new Array<number>(p).fill(mean) };
  });
  return { ...job, jobGraph, demand: jobDemand(jobGraph, job.variant, job.demand.slotProfile, job.id) };
}

/** The records per second each source must emit: its generator's `ratePerSecond` (model seconds), per source id. */
export function sourceRates(job: ClusterJob): Map<string, number> | { readonly failure: string } {
  const rates = new Map<string, number>();
  for (const id of job.jobGraph.nodes()) {
    if (job.jobGraph.inDegree(id) > 0) continue;
    const rate = job.jobGraph.getNodeAttributes(id).params?.['ratePerSecond'];
    if (typeof rate !== 'number' || !(rate > 0)) return { failure: `source ${id} has no params.ratePerSecond: the rate the scaling policy sizes for` };
    rates.set(id, rate);
  }
  return rates;
}

/** Runs an admitted, placed job under the scaling loop. Throws on a run failure (the JobMaster fails the job). */
export async function runAutoscaledJob(host: AutoscaledJobHost, start: Deployment, options: ClusterAutoscaleOptions, runOptions: RunOptions): Promise<AutoscaledJobRun> {
  const windowMs = options.windowMs ?? CLUSTER_AUTOSCALE_DEFAULTS.windowMs;
  const maxDecisions = options.maxDecisions ?? CLUSTER_AUTOSCALE_DEFAULTS.maxDecisions;
  const rates = sourceRates(host.job);
  if ('failure' in rates) throw new Error(`autoscaling ${host.job.id}: ${rates.failure}`);
  const totalPerSecond = [...rates.values()].reduce((t, r) => t + r, 0);
  // model seconds: wall = model × time scale
  const windowRecords = Math.max(1, Math.round((totalPerSecond * windowMs) / (1000 * host.timeScaleMsPerUnit)));
  const decisions: JobScalingDecision[] = [];
  let current = host.job;
  const run = await runWithRescales(start, {
    run: host.run,
    windowRecords,
    runOptions: {
      ...runOptions,
      mode: 'pipelined',
      checkpointIntervalMs: options.checkpointIntervalMs ?? Math.max(20, Math.min(100, windowMs / 20)),
      batchRecords: options.batchRecords ?? CLUSTER_AUTOSCALE_DEFAULTS.batchRecords,
      creditsPerChannel: options.creditsPerChannel ?? CLUSTER_AUTOSCALE_DEFAULTS.creditsPerChannel,
    },
    next: async ({ index, deployment, report }) => {
      const observation = observeSegment(deployment.instance, report);
      const backPressure = maxBackPressuredRatio(observation);
      const from = Object.fromEntries(deployment.instance.operators.map((o) => [o.id, o.parallelism]));
      const record = (to: Record<string, number>, reason: string, extra: Partial<JobScalingDecision> = {}) =>
        decisions.push({ window: index, atMs: host.now(), from, to, maxBackPressuredRatio: backPressure, reason, slotsBefore: current.demand.slots, slotsAfter: current.demand.slots, taskManagersStarted: [], taskManagersReleased: [], ...extra });
      if (backPressure <= BACK_PRESSURE_OK_RATIO) {
        record(from, `no back-pressure (max ${percent(backPressure)}): keeps its parallelism`);
        return { finish: deployment };
      }
      if (index >= maxDecisions) {
        record(from, `back-pressured (max ${percent(backPressure)}) after ${maxDecisions} decisions: keeps its parallelism`);
        return { finish: deployment };
      }
      const next = nextParallelism(observation, options.policy, rates, options.scalingOptions ?? {});
      if (next === undefined) {
        record(from, `back-pressured (max ${percent(backPressure)}), ${options.policyName} keeps every parallelism`);
        return { finish: deployment };
      }
      const scaled = clusterJobAt(current, next);
      const slotsBefore = current.demand.slots;
      const resized = await host.resize(scaled.demand.slots);
      if ('failure' in resized) {
        record(from, `back-pressured (max ${percent(backPressure)}); ${options.policyName} asked for ${scaled.demand.slots} slots: ${resized.failure}; keeps its parallelism`);
        return { finish: deployment };
      }
      const placed = await host.place(scaled, resized.subCluster);
      if ('failure' in placed) throw new Error(`autoscaling ${host.job.id}: no placement at ${describe(next)} on its ${scaled.demand.slots} slots: ${placed.failure}`);
      current = scaled;
      record(next, `back-pressured (max ${percent(backPressure)}): ${options.policyName}`, { slotsBefore, slotsAfter: scaled.demand.slots, taskManagersStarted: [...resized.started], taskManagersReleased: [...resized.emptied] });
      return { measure: { instance: placed.instance, placement: placed.placement } };
    },
  });
  return { run, decisions };
}

const percent = (ratio: number) => `${(100 * ratio).toFixed(0)} %`;
const describe = (p: Readonly<Record<string, number>>) => Object.entries(p).map(([k, v]) => `${k} ${v}`).join(', ');
