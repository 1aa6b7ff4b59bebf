import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { Key } from './records/batch.ts';
import type { SinkResult } from './operators/types.ts';
import type { JobPlan, RunSettings, SubtaskPlan, TaskManagerPlan } from './plan.ts';
import type { SubtaskCounters, SubtaskMetrics } from './worker/protocol.ts';

/** What one run measured, beside what the model predicted (from the plan). Times are wall ms from job start. */
export interface SubtaskRunFigures extends SubtaskCounters, Pick<SubtaskPlan, 'predictedStartMs' | 'predictedEndMs'> {
  readonly id: string;
  readonly operatorId: string;
  readonly kind: string;
  readonly taskManager: string;
  /** `tm1/0` */
  readonly slot: string;
  readonly deployedMs: number;
  readonly startMs: number;
  readonly endMs: number;
}

export interface TaskManagerRunFigures extends Pick<TaskManagerPlan, 'id' | 'slotCount' | 'cpuCores' | 'speedFactor' | 'predictedBusyUtilization'> {
  readonly subtaskCount: number;
  /** False when no subtask was placed here (no worker was started). */
  readonly worker: boolean;
  /** Sum of the busy time of its subtasks. */
  readonly busyMs: number;
  /** busyMs / (slotCount x measuredMs): the evaluator's busy utilisation, measured. */
  readonly busyUtilization: number;
  /** Share of the run during which the worker thread's event loop was busy (`performance.eventLoopUtilization`). */
  readonly threadUtilization: number;
}

export interface SinkRunFigures {
  readonly operatorId: string;
  readonly records: number;
  readonly valueSum: number;
  /** Sum mod 2^32 of per-record hashes over all subtasks: equal multisets of records give equal digests. */
  readonly digest: number;
  /** Every record, when the sink keeps its output: [key, value, time]. */
  readonly output?: ReadonlyArray<readonly [Key, number, number]>;
}

export interface RunReport extends RunSettings, Pick<JobPlan, 'predictedMs' | 'warnings'> {
  readonly instance: string;
  /** From job start (all workers ready) to the end of the last subtask. */
  readonly measuredMs: number;
  /** (measured − predicted) / predicted; null when the model predicts 0. */
  readonly relativeError: number | null;
  /** Worker start-up (spawn to all ready), not part of measuredMs. */
  readonly startupMs: number;
  /** Peak resident set size of the whole process (job master and workers) during the run, sampled. */
  readonly peakRssBytes: number;
  /** Resident set size before the workers were started. */
  readonly baselineRssBytes: number;
  readonly workers: number;
  readonly subtasks: readonly SubtaskRunFigures[];
  readonly taskManagers: readonly TaskManagerRunFigures[];
  readonly sinks: readonly SinkRunFigures[];
}

export interface CollectedRun {
  readonly t0: number;
  readonly startupMs: number;
  readonly peakRssBytes: number;
  readonly baselineRssBytes: number;
  readonly metrics: ReadonlyArray<SubtaskMetrics>;
  readonly sinks: ReadonlyArray<SinkResult | undefined>;
  readonly threadUtilization: ReadonlyMap<number, number>;
}

/** Merges the sink results of all subtasks of each sink operator. */
export function mergeSinks(plan: JobPlan, sinks: ReadonlyArray<SinkResult | undefined>): SinkRunFigures[] {
  const byOperator = new Map<string, { records: number; valueSum: number; digest: number; output: Array<readonly [Key, number, number]> | undefined }>();
  plan.subtasks.forEach((s, i) => {
    const r = sinks[i];
    if (r === undefined) return;
    let acc = byOperator.get(s.operatorId);
    if (acc === undefined) byOperator.set(s.operatorId, (acc = { records: 0, valueSum: 0, digest: 0, output: undefined }));
    acc.records += r.records;
    acc.valueSum += r.valueSum;
    acc.digest = (acc.digest + r.digest) >>> 0;
    if (r.kept !== undefined) (acc.output ??= []).push(...r.kept);
  });
  return [...byOperator].map(([operatorId, a]) => ({
    operatorId,
    records: a.records,
    valueSum: a.valueSum,
    digest: a.digest,
    ...(a.output === undefined ? {} : { output: a.output }),
  }));
}

/** The run's figures beside the model's prediction, which the plan carries (evaluated once, when it was built). */
export function buildRunReport(instance: DagPlacementInstance, plan: JobPlan, run: CollectedRun): RunReport {
  const rel = (t: number) => t - run.t0;
  let measuredMs = 0;
  for (const m of run.metrics) if (rel(m.endAt) > measuredMs) measuredMs = rel(m.endAt);
  const predictedMs = plan.predictedMs;
  const subtasks: SubtaskRunFigures[] = plan.subtasks.map((s) => {
    const m = run.metrics[s.index]!;
    return {
      id: s.id,
      operatorId: s.operatorId,
      kind: s.kind,
      taskManager: plan.taskManagers[s.taskManager]!.id,
      slot: instance.slots[s.slot]!.id,
      deployedMs: rel(m.deployedAt),
      startMs: rel(m.startAt),
      endMs: rel(m.endAt),
      busyMs: m.busyMs,
      backPressuredMs: m.backPressuredMs,
      cpuWaitMs: m.cpuWaitMs,
      recordsIn: m.recordsIn,
      recordsOut: m.recordsOut,
      bytesIn: m.bytesIn,
      bytesOut: m.bytesOut,
      predictedStartMs: s.predictedStartMs,
      predictedEndMs: s.predictedEndMs,
    };
  });
  const taskManagers: TaskManagerRunFigures[] = plan.taskManagers.map((tm) => {
    let busyMs = 0;
    for (const s of tm.subtasks) busyMs += subtasks[s]!.busyMs;
    return {
      id: tm.id,
      slotCount: tm.slotCount,
      cpuCores: tm.cpuCores,
      speedFactor: tm.speedFactor,
      subtaskCount: tm.subtasks.length,
      worker: tm.subtasks.length > 0,
      busyMs,
      busyUtilization: measuredMs > 0 ? busyMs / (tm.slotCount * measuredMs) : 0,
      predictedBusyUtilization: tm.predictedBusyUtilization,
      threadUtilization: run.threadUtilization.get(tm.index) ?? 0,
    };
  });
  return {
    instance: plan.name,
    variant: plan.variant,
    mode: plan.mode,
    timeScaleMsPerUnit: plan.timeScaleMsPerUnit,
    creditsPerChannel: plan.creditsPerChannel,
    batchRecords: plan.batchRecords,
    predictedMs,
    measuredMs,
    relativeError: predictedMs > 0 ? (measuredMs - predictedMs) / predictedMs : null,
    startupMs: run.startupMs,
    peakRssBytes: run.peakRssBytes,
    baselineRssBytes: run.baselineRssBytes,
    workers: taskManagers.filter((t) => t.worker).length,
    subtasks,
    taskManagers,
    sinks: mergeSinks(plan, run.sinks),
    warnings: plan.warnings,
  };
}
