import { performance } from 'node:perf_hooks';
import type { DagPlacementInstance } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
import type { OperatorObservation } from '../models/scaling/policy.ts';
import { runPlacement } from './job-master.ts';
import type { RunOptions } from './plan.ts';
import type { RunReport, SinkRunFigures } from './report.ts';
import { committedOverSegments, rescaleCheckpointState, type RescaleFrom } from './rescale-state.ts';
import { RunConfigurationError } from './errors.ts';

/** A job at one parallelism and where its subtasks run. */
export interface Deployment {
  readonly instance: DagPlacementInstance;
  readonly placement: Placement;
}

/** Runs one segment (a job from a given state): `runPlacement` on its own workers, or on a cluster's TaskManager threads. */
export type SegmentRunner = (instance: DagPlacementInstance, placement: Placement, options: RunOptions) => Promise<RunReport>;

/** One segment of a job rescaled by stop-with-checkpoint and restore. */
export interface RescaleSegment {
  /** `window`: stopped with a checkpoint after the window's records (its report feeds the decision); `rest`: ran to the end of the input. */
  readonly kind: 'window' | 'rest';
  readonly deployment: Deployment;
  readonly report: RunReport;
  /**
   * Wall ms the job made no progress before this segment (none for the first): after the previous segment's stop
   * checkpoint completed, its subtasks' cancel, the decision, the redistribution of the state and this segment's
   * worker start-up (`startupMs`); what a rescale or a move of subtasks costs.
   */
  readonly restartMs: number;
}

/** What to do after a window: measure another window at `deployment`, or run the rest of the input there. */
export type RescaleNext = { readonly measure: Deployment } | { readonly finish: Deployment };

export interface RescaleLoopOptions {
  /** Options of every segment; pipelined with `checkpointIntervalMs` (stop-with-checkpoint needs it). */
  readonly runOptions: RunOptions;
  /** Records the sources emit (all together) in a measurement window: each window stops at the first checkpoint after them. */
  readonly windowRecords: number;
  /** After every window (0, 1, ...): the stopped segment's report decides where the job continues. */
  readonly next: (window: { readonly index: number; readonly deployment: Deployment; readonly report: RunReport; readonly restartMs: number }) => RescaleNext | Promise<RescaleNext>;
  /** Default `runPlacement` (the job's own worker threads). */
  readonly run?: SegmentRunner;
}

export interface RescaledRun {
  readonly segments: readonly RescaleSegment[];
  /** Per sink operator, the committed output over all segments (`committedOverSegments`): the job's exactly-once output. */
  readonly committed: SinkRunFigures[];
}

/**
 * A job that is measured and changed while it runs (issue #13): it runs at `start` for one window (until its sources
 * emitted `windowRecords`, then the next checkpoint stops it: stop-with-checkpoint), `next` reads the stopped run's
 * report and names the next deployment (another parallelism: a rescale; the same parallelism on other slots: moved
 * subtasks), and the job restarts there from the checkpoint, its state redistributed (`rescaleCheckpointState`), its
 * sources at their offsets. When `next` says finish, the job runs from its last checkpoint to the end of its input.
 * A window in which the input ends (the sources finished before a stop checkpoint) ends the loop as well. Every
 * record is processed exactly once across the segments: `committed` is comparable with a run that never stopped.
 */
export async function runWithRescales(start: Deployment, options: RescaleLoopOptions): Promise<RescaledRun> {
  if (options.runOptions.checkpointIntervalMs === undefined) throw new RunConfigurationError(`rescale loop of ${start.instance.name}: needs checkpoints (runOptions.checkpointIntervalMs)`);
  if (!(Number.isInteger(options.windowRecords) && options.windowRecords > 0))
    throw new RunConfigurationError(`rescale loop of ${start.instance.name}: windowRecords should be a whole number > 0, got ${options.windowRecords}`);
  const run = options.run ?? runPlacement;
  const segments: RescaleSegment[] = [];
  let deployment = start;
  let from: RescaleFrom | undefined;
  let measure = true;
  /** performance.now() when the previous segment's stop checkpoint completed, estimated from its report. */
  let stoppedAtWall: number | undefined;
  for (let index = 0; ; index++) {
    const calledAt = performance.now();
    const runOptions: RunOptions = {
      ...options.runOptions,
      ...(measure ? { stopWithCheckpointAfterRecords: options.windowRecords } : {}),
      ...(from === undefined ? {} : { initialState: rescaleCheckpointState(from.instance, from.checkpoint.subtasks, deployment.instance) }),
    };
    const report = await run(deployment.instance, deployment.placement, runOptions);
    const returnedAt = performance.now();
    const restartMs = stoppedAtWall === undefined ? 0 : calledAt - stoppedAtWall + report.startupMs;
    const stopped = report.stoppedAt ?? undefined;
    segments.push({ kind: measure && stopped !== undefined ? 'window' : 'rest', deployment, report, restartMs });
    if (!measure || stopped === undefined) break;
    // the job ran (t0 = start-up after the call) until the checkpoint at stoppedAt.atMs; the cancel took the rest
    stoppedAtWall = Math.min(returnedAt, calledAt + report.startupMs + stopped.atMs);
    from = { instance: deployment.instance, checkpoint: stopped };
    const next = await options.next({ index, deployment, report, restartMs });
    if ('measure' in next) deployment = next.measure;
    else {
      deployment = next.finish;
      measure = false;
    }
  }
  return { segments, committed: committedOverSegments(segments.map((s) => s.report)) };
}

/**
 * What each operator's instances reported over a run or a window (a stopped segment): the scaling policies' input
 * (models/scaling). Per subtask: records in (processed) and out (pushed), useful time (busy: Flink's
 * busyTimeMsPerSecond over the run), back-pressured time, and its running time as the window. An operator is keyed
 * when one of its inputs is hash-partitioned.
 */
export function observeSegment(instance: DagPlacementInstance, report: RunReport): OperatorObservation[] {
  const g = instance.jobGraph;
  return instance.operators.map((o) => ({
    id: o.id,
    upstream: g.inNeighbors(o.id),
    keyed: g.inEdges(o.id).some((e) => g.getEdgeAttributes(e).partitioning === 'hash'),
    instances: report.subtasks
      .filter((s) => s.operatorId === o.id)
      .map((s) => ({
        recordsProcessed: s.recordsIn,
        recordsPushed: s.recordsOut,
        usefulTimeMs: s.busyMs,
        backPressuredTimeMs: s.backPressuredMs,
        windowMs: Math.max(1e-3, s.endMs - s.startMs),
      })),
  }));
}
