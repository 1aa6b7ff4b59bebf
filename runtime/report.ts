import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { RecoveryTerms } from '../models/recovery/recovery-time.ts';
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

/** A failure during the run (a subtask threw, a TaskManager was lost). Times are wall ms from job start. */
export interface FailureFigures {
  readonly atMs: number;
  /** One line: what failed, where. */
  readonly cause: string;
  readonly taskManager: string | null;
  readonly subtask: string | null;
  readonly lostTaskManager: boolean;
}

/** A restart after a failure: what was restored, where subtasks went, and how long recovery took (measured, modelled). */
export interface RestartFigures {
  readonly attempt: number;
  /** When the failure was detected (from job start). */
  readonly atMs: number;
  readonly delayMs: number;
  /** The checkpoint restored from, or null: from the sources' start. */
  readonly restoredCheckpoint: number | null;
  readonly failover: 'full' | 'region';
  /** Subtasks in the pipelined regions of the failed subtasks (region failover's restart set). */
  readonly regionSubtasks: number;
  /** Subtasks restarted: every one (`full`), or the restart set of region failover; the others ran on. */
  readonly restartedSubtasks: number;
  /** Their ids. */
  readonly restarted: readonly string[];
  /** `subtask: tmA -> tmB` for subtasks moved off a lost TaskManager. */
  readonly movedSubtasks: readonly string[];
  /** From detection until the restarted sources had re-emitted what they had emitted at the failure; null if it never got there. */
  readonly recoveryMs: number | null;
  /** models/recovery/recovery-time.ts: detection + delay + redeploy (measured) + replay (records since the checkpoint / rate before the failure). */
  readonly predictedRecoveryMs: number | null;
  /** Detection: from the failure (when the job master made it) to its notice. */
  readonly detectionMs: number;
  /** From the end of the restart delay until every source of the new attempt was running. */
  readonly redeployMs: number | null;
  /** Records the sources re-emit (emitted since the restored checkpoint, at the failure). */
  readonly replayRecords: number;
  /** The model's replay time: the slowest source's records to replay / its rate before the failure. */
  readonly replayMs: number;
  /** The measured terms (they sum to `recoveryMs`); null if it never got back. */
  readonly measured: RecoveryTerms | null;
  /** The model's terms, each from what was known before the failure (they sum to `predictedRecoveryMs`). */
  readonly predicted: RecoveryTerms;
}

/** Checkpoints taken during the run. */
export interface CheckpointFigures {
  readonly intervalMs: number | null;
  readonly completed: number;
  /** Per completed checkpoint: trigger to completion, and the JSON size of all acknowledged state. */
  readonly list: ReadonlyArray<{ readonly id: number; readonly durationMs: number; readonly stateBytes: number; readonly atMs: number }>;
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
  /** Committed output only (exactly-once: what the two-phase-commit sinks committed). */
  readonly sinks: readonly SinkRunFigures[];
  readonly failures: readonly FailureFigures[];
  readonly restarts: readonly RestartFigures[];
  /** Sum of the restarts' measured recovery times (ms). */
  readonly recoveryMs: number;
  readonly checkpoints: CheckpointFigures;
  /**
   * Stop-with-checkpoint (`RunOptions.stopWithCheckpointAfterRecords`): the checkpoint the job stopped at, with every
   * subtask's state, or null when the job finished first. Subtasks still running at the stop report their figures
   * until they were cancelled (their TaskManager sends them with the cancel), ending at the cancel.
   */
  readonly stoppedAt?: StoppedAtCheckpoint | null;
}

/** The checkpoint a stopped job stopped at: what a restore (at any parallelism: runtime/rescale-state.ts) starts from. */
export interface StoppedAtCheckpoint {
  readonly checkpointId: number;
  /** From job start. */
  readonly atMs: number;
  /** Acknowledged state per subtask id. */
  readonly subtasks: Readonly<Record<string, unknown>>;
}

export interface RecoveryFigures {
  readonly failures: readonly FailureFigures[];
  readonly restarts: readonly RestartFigures[];
  readonly checkpoints: CheckpointFigures;
  readonly warnings: readonly string[];
}

export interface CollectedRun {
  readonly t0: number;
  readonly startupMs: number;
  readonly peakRssBytes: number;
  readonly baselineRssBytes: number;
  readonly metrics: ReadonlyArray<SubtaskMetrics>;
  readonly sinks: ReadonlyArray<SinkResult | undefined>;
  readonly threadUtilization: ReadonlyMap<number, number>;
  readonly recovery?: RecoveryFigures;
  readonly stoppedAt?: StoppedAtCheckpoint | null;
}

/** Merges the sink results of all subtasks of each sink operator. */
export function mergeSinks(plan: JobPlan, sinks: ReadonlyArray<SinkResult | undefined>): SinkRunFigures[] {
  const parts: SinkRunFigures[] = [];
  plan.subtasks.forEach((s, i) => {
    const r = sinks[i];
    if (r !== undefined) parts.push({ operatorId: s.operatorId, records: r.records, valueSum: r.valueSum, digest: r.digest, ...(r.kept === undefined ? {} : { output: r.kept }) });
  });
  return sumSinkFigures(parts);
}

/**
 * Sums sink figures per operator, in order of first appearance: records and value sums add up, digests add mod 2^32
 * (a digest is a sum of per-record hashes, so the sum over parts is the digest of the whole), kept rows concatenate.
 * The one rule for the subtasks of a run (`mergeSinks`) and for the segments of a rescaled job (rescale-state.ts).
 */
export function sumSinkFigures(parts: Iterable<SinkRunFigures>): SinkRunFigures[] {
  const byOperator = new Map<string, { records: number; valueSum: number; digest: number; output: Array<NonNullable<SinkRunFigures['output']>[number]> | undefined }>();
  for (const part of parts) {
    let acc = byOperator.get(part.operatorId);
    if (acc === undefined) byOperator.set(part.operatorId, (acc = { records: 0, valueSum: 0, digest: 0, output: undefined }));
    acc.records += part.records;
    acc.valueSum += part.valueSum;
    acc.digest = (acc.digest + part.digest) >>> 0;
    if (part.output !== undefined) (acc.output ??= []).push(...part.output);
  }
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
    warnings: [...plan.warnings, ...(run.recovery?.warnings ?? [])],
    failures: run.recovery?.failures ?? [],
    restarts: run.recovery?.restarts ?? [],
    recoveryMs: (run.recovery?.restarts ?? []).reduce((sum, r) => sum + (r.recoveryMs ?? 0), 0),
    checkpoints: run.recovery?.checkpoints ?? { intervalMs: null, completed: 0, list: [] },
    ...(run.stoppedAt === undefined ? {} : { stoppedAt: run.stoppedAt }),
  };
}
