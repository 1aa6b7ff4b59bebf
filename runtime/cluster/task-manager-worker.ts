import { Worker } from 'node:worker_threads';
import type { TaskManagerAttributes } from '../../models/graphs/cluster.ts';

/**
 * The TaskManager's long-lived worker thread in the cluster runtime: after its start-up delay it registers with the
 * ResourceManager (slots, CPU cores, memory, speed), then sends a heartbeat carrying its slot report (the job holding
 * each slot, or null) every `heartbeat.interval`. The ResourceManager tells it its slots whenever they change.
 *
 * The worker's code is a few lines of plain JavaScript run with `eval`, so that it starts the same from the
 * TypeScript sources (vitest, tsx) and from the compiled dist/ without a loader. The subtasks of the jobs run on the
 * job workers of `runPlacement` (docs/cluster.md, "The runtime"); this worker is the TaskManager's registration and
 * liveness, which is what the ResourceManager's registry follows.
 */

/** What a TaskManager registers with: Flink's TaskExecutorRegistration, the parts slotlab models. */
export type TaskManagerRegistration = TaskManagerAttributes;

export type FromTaskManagerWorker =
  | ({ readonly type: 'register' } & TaskManagerRegistration)
  /** Flink's heartbeat payload from a TaskExecutor: its SlotReport. */
  | { readonly type: 'heartbeat'; readonly slotReport: readonly (string | null)[] };

export type ToTaskManagerWorker =
  | { readonly type: 'slots'; readonly slots: readonly (string | null)[] }
  /** Test hook (fault injection): the worker stays up but sends no more heartbeats. */
  | { readonly type: 'stop-heartbeats' };

export interface TaskManagerWorkerData {
  readonly registration: TaskManagerRegistration;
  readonly heartbeatIntervalMs: number;
  readonly startupDelayMs: number;
}

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { registration, heartbeatIntervalMs, startupDelayMs } = workerData;
let slots = new Array(registration.slotCount).fill(null);
let beating = true;
setTimeout(() => {
  parentPort.postMessage({ type: 'register', ...registration });
  setInterval(() => {
    if (beating) parentPort.postMessage({ type: 'heartbeat', slotReport: slots });
  }, heartbeatIntervalMs);
}, startupDelayMs);
parentPort.on('message', (m) => {
  if (m.type === 'slots') slots = m.slots;
  else if (m.type === 'stop-heartbeats') beating = false;
});
`;

export function startTaskManagerWorker(data: TaskManagerWorkerData): Worker {
  return new Worker(SOURCE, { eval: true, workerData: data, stdout: false, stderr: false });
}
