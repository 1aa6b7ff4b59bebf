import { balanceMetrics } from '../metrics.ts';
import type { SlotGrant } from '../slot-allocation/instance.ts';
import type { ClusterEvent, JobStatus, JobView, TaskManagerView } from './state.ts';

/**
 * What a cluster run reports, the same for the simulator (predicted) and the runtime (measured).
 * - completionMs = endMs − arrivalMs (finished jobs);
 * - slowdown = completionMs / isolatedMs, where isolatedMs is the job's run time alone on the cluster at its
 *   largest, with its full demand (the same allocation policy and predictor); 1 = it never waited nor shrank;
 * - makespanMs = last end − first arrival;
 * - slotUtilization = slot-ms held by running jobs / slot-ms offered by registered TaskManagers over
 *   [first arrival, last end];
 * - fairness = Jain's index (Σx)² / (n Σx²) over the slowdowns of finished jobs (1 = all slowed down alike).
 */
export interface ClusterJobResult {
  readonly id: string;
  readonly name: string;
  readonly user: string;
  readonly priority: number;
  readonly status: JobStatus;
  readonly arrivalMs: number;
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly completionMs: number | null;
  /** Run time on its granted slots (end − start). */
  readonly durationMs: number | null;
  readonly isolatedMs: number | null;
  readonly slowdown: number | null;
  readonly demandSlots: number;
  /** Slots it held while running. */
  readonly slots: number;
  readonly grants: readonly SlotGrant[];
  readonly reason: string | null;
}

export interface ClusterSummary {
  readonly jobs: number;
  readonly finished: number;
  readonly rejected: number;
  readonly failed: number;
  readonly averageCompletionMs: number;
  readonly p95CompletionMs: number;
  readonly makespanMs: number;
  readonly slotUtilization: number;
  readonly fairness: number;
  readonly averageSlowdown: number;
}

export interface ClusterReport {
  readonly workload: string;
  readonly mode: 'simulated' | 'measured';
  readonly queuePolicy: string;
  readonly allocationPolicy: string;
  readonly jobs: readonly ClusterJobResult[];
  readonly summary: ClusterSummary;
  readonly events: readonly ClusterEvent[];
  /** `slotlab cluster --autoscale`: per autoscaled job, its scaling loop's decisions (runtime/cluster/autoscaler.ts). */
  readonly scaling?: readonly JobScaling[];
}

/** One job's scaling loop on the cluster runtime. */
export interface JobScaling {
  readonly job: string;
  readonly policy: string;
  readonly decisions: readonly JobScalingDecision[];
  /** Segments the job ran in (one per window, and the rest of its input). */
  readonly segments: number;
  /** Per sink operator, the committed output over the segments: records, value sum, order-independent digest. */
  readonly committed: readonly { readonly operatorId: string; readonly records: number; readonly valueSum: number; readonly digest: number; readonly output?: readonly unknown[] }[];
}

/** What the loop did after one window. */
export interface JobScalingDecision {
  /** The window (0, 1, ...) whose stopped run the decision read. */
  readonly window: number;
  /** Cluster-clock ms of the decision (after a resize: once the slots were granted). */
  readonly atMs: number;
  readonly from: Readonly<Record<string, number>>;
  readonly to: Readonly<Record<string, number>>;
  /** The window's largest back-pressured share of an instance (models/scaling maxBackPressuredRatio). */
  readonly maxBackPressuredRatio: number;
  readonly reason: string;
  readonly slotsBefore: number;
  readonly slotsAfter: number;
  /** TaskManagers the ResourceManager started to serve the resize. */
  readonly taskManagersStarted: readonly string[];
  /** TaskManagers the resize left without any job's slot that the ResourceManager released (after its idle timeout). */
  readonly taskManagersReleased: readonly string[];
}

/** p-th percentile by nearest rank (p in (0, 1]); 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1]!;
}

export function summarizeCluster(jobs: readonly ClusterJobResult[], taskManagers: readonly TaskManagerView[]): ClusterSummary {
  const finished = jobs.filter((j) => j.status === 'finished');
  const completions = finished.map((j) => j.completionMs!);
  const slowdowns = finished.map((j) => j.slowdown!);
  const ended = jobs.filter((j) => j.endMs !== null).map((j) => j.endMs!);
  const firstMs = jobs.length === 0 ? 0 : Math.min(...jobs.map((j) => j.arrivalMs));
  const lastMs = ended.length === 0 ? firstMs : Math.max(...ended);
  const held = finished.reduce((t, j) => t + j.slots * j.durationMs!, 0);
  let offered = 0;
  for (const tm of taskManagers) {
    if (tm.registeredAtMs === null) continue;
    const from = Math.max(firstMs, tm.registeredAtMs);
    const to = Math.min(lastMs, tm.releasedAtMs ?? lastMs);
    if (to > from) offered += tm.slotCount * (to - from);
  }
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((t, x) => t + x, 0) / xs.length);
  return {
    jobs: jobs.length,
    finished: finished.length,
    rejected: jobs.filter((j) => j.status === 'rejected').length,
    failed: jobs.filter((j) => j.status === 'failed').length,
    averageCompletionMs: mean(completions),
    p95CompletionMs: percentile(completions, 0.95),
    makespanMs: lastMs - firstMs,
    slotUtilization: offered > 0 ? held / offered : 0,
    fairness: balanceMetrics(slowdowns).jainIndex,
    averageSlowdown: mean(slowdowns),
  };
}

/**
 * The per-job results of a run from the final job views, the same for the simulator and the runtime: `durationMs`
 * holds each finished job's run time on its slots (predicted or measured), `isolatedMs` its run time alone.
 */
export function clusterJobResults(views: readonly JobView[], durationMs: ReadonlyMap<string, number>, isolatedMs: ReadonlyMap<string, number>): ClusterJobResult[] {
  return views.map((v) => {
    const j = v.job;
    const finished = v.status === 'finished';
    const completionMs = finished ? v.endMs! - j.arrivalMs : null;
    const isolated = isolatedMs.get(j.id) ?? null;
    return {
      id: j.id,
      name: j.name,
      user: j.user,
      priority: j.priority,
      status: v.status,
      arrivalMs: j.arrivalMs,
      startMs: v.startMs,
      endMs: v.endMs,
      completionMs,
      durationMs: finished ? (durationMs.get(j.id) ?? null) : null,
      isolatedMs: isolated,
      slowdown: completionMs === null ? null : isolated === null || isolated === 0 ? 1 : completionMs / isolated,
      demandSlots: j.demand.slots,
      slots: v.grants.reduce((t, g) => t + g.slots, 0),
      grants: v.grants,
      reason: v.reason,
    };
  });
}
