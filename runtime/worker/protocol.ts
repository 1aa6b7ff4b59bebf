import type { MessagePort } from 'node:worker_threads';
import type { JobPlan } from '../plan.ts';
import type { WireBatch } from '../records/batch.ts';
import type { SinkResult } from '../operators/types.ts';

/** Messages between the job master and the TaskManager workers, and between workers. Times are `nowMs()` values. */

export type ToTaskManager =
  | { readonly type: 'init'; readonly plan: JobPlan; readonly taskManager: number; readonly peers: ReadonlyArray<readonly [number, MessagePort]> }
  | { readonly type: 'start'; readonly t0: number }
  | { readonly type: 'deploy'; readonly subtasks: readonly number[] }
  | { readonly type: 'stop' };

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

export type FromTaskManager =
  | { readonly type: 'ready' }
  | { readonly type: 'running'; readonly subtask: number; readonly at: number }
  | { readonly type: 'finished'; readonly subtask: number; readonly metrics: SubtaskMetrics; readonly sink: SinkResult | undefined }
  | { readonly type: 'failed'; readonly subtask: number | undefined; readonly message: string; readonly stack: string | undefined }
  | { readonly type: 'stopped'; readonly threadUtilization: number; readonly heapUsedBytes: number };

export type PeerMessage =
  | { readonly type: 'data'; readonly channel: number; readonly batch: WireBatch; readonly arriveAt: number }
  | { readonly type: 'end'; readonly channel: number; readonly arriveAt: number }
  /** Credits, with the processed batches' buffers sent back (transferred) for reuse. */
  | { readonly type: 'credit'; readonly channel: number; readonly credits: number; readonly applyAt: number; readonly buffers: readonly ArrayBuffer[] };
