import type { MessagePort } from 'node:worker_threads';
import type { JobPlan } from '../plan.ts';
import type { WireBatch } from '../records/batch.ts';
import type { TaskManagerAttributes } from '../../models/graphs/cluster.ts';

/**
 * Messages between the job masters and the TaskManager workers, and between workers. Times are `nowMs()` values.
 * A TaskManager worker hosts the subtasks of several jobs at once: every job message names its `job` (the key its
 * job master chose), and each job has its own MessagePorts between TaskManagers. `stop` and `cancel` end the job on
 * that worker (its subtasks, channels and ports); the worker lives on.
 */
export type ToJobTaskManager =
  | {
      readonly type: 'init';
      readonly job: string;
      readonly plan: JobPlan;
      readonly taskManager: number;
      readonly peers: ReadonlyArray<readonly [number, MessagePort]>;
      /** Recovery: the state each of this TaskManager's subtasks acknowledged in the checkpoint restored from. */
      readonly restored?: ReadonlyArray<readonly [number, unknown]>;
      readonly faults?: TaskManagerFaults;
      /** Region failover: the subtasks of this TaskManager this deployment runs (default: all the plan puts here). */
      readonly runs?: readonly number[];
      /** Blocking, region failover: keep a copy of every result partition shipped, for restarted consumers. */
      readonly retainResults?: boolean;
      /**
       * Recovery: [source, records] to re-emit before the job is back where it failed; the source reports its progress
       * the moment it gets there (not at the next PROGRESS_INTERVAL_MS), so that recovery time is measured to the record.
       */
      readonly catchUp?: ReadonlyArray<readonly [number, number]>;
    }
  /** Checkpoint coordination (pipelined mode): sources inject barrier `checkpointId`. */
  | { readonly type: 'trigger-checkpoint'; readonly job: string; readonly checkpointId: number }
  /** Every subtask acknowledged `checkpointId` and it was written: sinks drop what they staged up to it. */
  | { readonly type: 'checkpoint-complete'; readonly job: string; readonly checkpointId: number }
  | { readonly type: 'start'; readonly job: string; readonly t0: number }
  | { readonly type: 'deploy'; readonly job: string; readonly subtasks: readonly number[] }
  | { readonly type: 'stop'; readonly job: string }
  /** Region failover: drop these subtasks of the job (their region restarts elsewhere); the others keep running. */
  | { readonly type: 'cancel-subtasks'; readonly job: string; readonly subtasks: readonly number[] }
  /**
   * Region failover, blocking: ship the partitions that `subtask` (finished in deployment `from` on this TaskManager)
   * kept, on `channels` of deployment `job`, to restarted consumers.
   */
  | { readonly type: 'adopt'; readonly job: string; readonly from: string; readonly subtask: number; readonly channels: readonly number[] }
  /** The job failed or was stopped elsewhere: drop its subtasks without reporting. */
  /** `report`: first send the figures of its subtasks not finished yet (`cancelled`): a stop-with-checkpoint. */
  | { readonly type: 'cancel'; readonly job: string; readonly report?: boolean };

/** The cluster's messages to a long-lived TaskManager worker (it registers and heartbeats when started with `TaskManagerWorkerData`). */
export type ToClusterTaskManager =
  | { readonly type: 'slots'; readonly slots: readonly (string | null)[] }
  /** Test hook (fault injection): the worker stays up but sends no more heartbeats... */
  | { readonly type: 'stop-heartbeats' }
  /** ... until this (`stall:TM@250ms+500ms`). */
  | { readonly type: 'resume-heartbeats' }
  /** The ResourceManager declared it lost: it cancels every job it hosts and frees its slots (its heartbeats are ignored). */
  | { readonly type: 'fence' };

export type ToTaskManager = ToJobTaskManager | ToClusterTaskManager;

/** How often a source reports its progress to the job master (ms). */
export const PROGRESS_INTERVAL_MS = 5;

/** The exit code of a TaskManager worker killed by fault injection (`kill:TM@Nrec`). */
export const KILLED_EXIT_CODE = 137;

/** Faults injected into one TaskManager's part of a job (models/recovery/fault-injection.ts, resolved by the job master). */
export interface TaskManagerFaults {
  /** The worker thread exits (a crashed TaskManager) once its subtasks have processed this many records. */
  readonly killAfterRecords?: number;
  /** [subtask, records]: that subtask throws once it has processed this many records. */
  readonly throwAfterRecords?: ReadonlyArray<readonly [number, number]>;
}

/** What a TaskManager registers with: Flink's TaskExecutorRegistration, the parts slotlab models. */
export type TaskManagerRegistration = TaskManagerAttributes;

/** `workerData` of a cluster TaskManager worker: it registers after `startupDelayMs`, then heartbeats. */
export interface TaskManagerWorkerData {
  readonly registration: TaskManagerRegistration;
  readonly heartbeatIntervalMs: number;
  readonly startupDelayMs: number;
  /** The sliding window of the per-subtask rates (ms). */
  readonly metricsWindowMs: number;
}

/**
 * One running subtask's rates over the last `metricsWindowMs` (Flink's task metrics): busy (in the operator's code),
 * back-pressured (waiting for output credit) and idle (the rest of the window: waiting for input or for an emulated
 * core), so the three sum to 1000 ms per second by construction; records in and out per second.
 */
export interface SubtaskRates {
  readonly job: string;
  readonly jobName: string;
  readonly taskName: string;
  readonly subtaskIndex: number;
  readonly windowMs: number;
  readonly busyTimeMsPerSecond: number;
  readonly idleTimeMsPerSecond: number;
  readonly backPressuredTimeMsPerSecond: number;
  readonly numRecordsInPerSecond: number;
  readonly numRecordsOutPerSecond: number;
}

/** What a subtask counted while it ran: sent to the job master in its metrics and reported as they are. */
export interface SubtaskCounters {
  /** Time in the operator's code, including emulated work, excluding waits for an emulated core. */
  readonly busyMs: number;
  /** Time waiting for output credits: back-pressure from a slow consumer downstream. */
  readonly backPressuredMs: number;
  /** Time waiting for an emulated CPU core (`shared`; in blocking mode, for the core's previous subtask to end). */
  readonly cpuWaitMs: number;
  readonly recordsIn: number;
  /** Records sent, counting every copy a broadcast sends. */
  readonly recordsOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

export interface SubtaskMetrics extends SubtaskCounters {
  readonly deployedAt: number;
  readonly startAt: number;
  readonly endAt: number;
}

export type FromJobTaskManager =
  /**
   * The job's subtasks are built on this TaskManager; `initMs`: how long building them took here, `subtaskBuildMs` the
   * part of it each subtask took, in build order (recovery model: redeploy).
   */
  | { readonly type: 'ready'; readonly job: string; readonly initMs: number; readonly subtaskBuildMs: readonly number[] }
  | { readonly type: 'running'; readonly job: string; readonly subtask: number; readonly at: number }
  /** `finalState`: the operator's last snapshot (null without one); a sink's holds its final transaction. */
  | { readonly type: 'finished'; readonly job: string; readonly subtask: number; readonly metrics: SubtaskMetrics; readonly finalState: unknown }
  /** The subtask aligned barrier `checkpointId` (a source: recorded its offset) and took this snapshot. */
  /** `records`: what the subtask had processed in this deployment when it took the snapshot (sources: emitted). */
  | { readonly type: 'acknowledge'; readonly job: string; readonly subtask: number; readonly checkpointId: number; readonly state: unknown; readonly records: number }
  /** A source's records emitted in this deployment so far (at most every PROGRESS_INTERVAL_MS): recovery time. */
  | { readonly type: 'progress'; readonly job: string; readonly subtask: number; readonly records: number; readonly at: number }
  | { readonly type: 'failed'; readonly job: string; readonly subtask: number | undefined; readonly message: string; readonly stack: string | undefined }
  | { readonly type: 'stopped'; readonly job: string; readonly threadUtilization: number; readonly heapUsedBytes: number }
  /** Answer to `cancel` with `report`: the figures so far of every subtask that had not finished. */
  | { readonly type: 'cancelled'; readonly job: string; readonly subtasks: ReadonlyArray<readonly [number, SubtaskMetrics]> };

export type FromClusterTaskManager =
  | ({ readonly type: 'register' } & TaskManagerRegistration)
  /** Flink's heartbeat payload from a TaskExecutor: its SlotReport; with it, the running subtasks' rates. */
  | { readonly type: 'heartbeat'; readonly slotReport: readonly (string | null)[]; readonly subtasks: readonly SubtaskRates[] };

export type FromTaskManager = FromJobTaskManager | FromClusterTaskManager;

export type PeerMessage =
  | { readonly type: 'data'; readonly channel: number; readonly batch: WireBatch; readonly arriveAt: number }
  | { readonly type: 'end'; readonly channel: number; readonly arriveAt: number }
  | { readonly type: 'barrier'; readonly channel: number; readonly checkpointId: number; readonly arriveAt: number }
  /** Credits, with the processed batches' buffers sent back (transferred) for reuse. */
  | { readonly type: 'credit'; readonly channel: number; readonly credits: number; readonly applyAt: number; readonly buffers: readonly ArrayBuffer[] };
