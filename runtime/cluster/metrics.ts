import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClusterView } from '../../models/cluster/state.ts';
import { SlotlabError } from '../../models/errors.ts';
import type { SubtaskRates } from '../worker/protocol.ts';

/**
 * The cluster's metrics in the Prometheus text exposition format (version 0.0.4), under Flink's names for the
 * ResourceManager's and Dispatcher's gauges and for the task metrics of every running subtask, served on 127.0.0.1
 * only (`GET /metrics`). The subtask metrics carry the labels Flink's Prometheus reporter derives from the task
 * scope's variables (`job_id`, `job_name`, `task_name`, `subtask_index`, `tm_id`); Flink's reporter would also prefix
 * the scope (`flink_taskmanager_job_task_busyTimeMsPerSecond`), slotlab keeps the bare names as for the gauges.
 */
export interface ClusterGauges {
  /** Flink `numRegisteredTaskManagers`. */
  readonly numRegisteredTaskManagers: number;
  /** Flink `taskSlotsTotal`: slots of the registered TaskManagers. */
  readonly taskSlotsTotal: number;
  /** Flink `taskSlotsAvailable`: their free slots. */
  readonly taskSlotsAvailable: number;
  /** Flink `numRunningJobs`. */
  readonly numRunningJobs: number;
}

const HELP: Readonly<Record<keyof ClusterGauges, string>> = {
  numRegisteredTaskManagers: 'TaskManagers registered with the ResourceManager',
  taskSlotsTotal: 'slots of the registered TaskManagers',
  taskSlotsAvailable: 'free slots of the registered TaskManagers',
  numRunningJobs: 'jobs running (slots granted, subtasks deployed)',
};

export function clusterGauges(view: ClusterView): ClusterGauges {
  return {
    numRegisteredTaskManagers: view.taskManagers.filter((tm) => tm.status === 'registered').length,
    taskSlotsTotal: view.capacity.slots,
    taskSlotsAvailable: view.freeSlots,
    numRunningJobs: view.jobs.filter((j) => j.status === 'running').length,
  };
}

/** The running subtasks' rates one TaskManager reported in its last heartbeat. */
export interface TaskManagerSubtaskRates {
  readonly taskManager: string;
  readonly subtasks: readonly SubtaskRates[];
}

type RateName = 'busyTimeMsPerSecond' | 'idleTimeMsPerSecond' | 'backPressuredTimeMsPerSecond' | 'numRecordsInPerSecond' | 'numRecordsOutPerSecond';

/** Flink's task metrics (docs "Metrics", IO and back-pressure tables), measured in the TaskManager worker. */
const SUBTASK_HELP: Readonly<Record<RateName, string>> = {
  busyTimeMsPerSecond: 'time (ms) per second the subtask was busy processing, over the sliding window',
  idleTimeMsPerSecond: 'time (ms) per second the subtask was idle (waiting for input or a core), over the sliding window',
  backPressuredTimeMsPerSecond: 'time (ms) per second the subtask was back-pressured (waiting for output credit), over the sliding window',
  numRecordsInPerSecond: 'records the subtask received per second, over the sliding window',
  numRecordsOutPerSecond: 'records the subtask emitted per second, over the sliding window',
};

/** A Prometheus label value: backslash, double quote and newline escaped. */
function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function subtaskLines(taskManagers: readonly TaskManagerSubtaskRates[]): string {
  const rows = taskManagers.flatMap((tm) => tm.subtasks.map((s) => ({ tm: tm.taskManager, s })));
  if (rows.length === 0) return '';
  return (Object.keys(SUBTASK_HELP) as RateName[])
    .map((name) => {
      const lines = rows.map(
        ({ tm, s }) =>
          `${name}{job_id="${labelValue(s.job)}",job_name="${labelValue(s.jobName)}",task_name="${labelValue(s.taskName)}",subtask_index="${s.subtaskIndex}",tm_id="${labelValue(tm)}"} ${Number(s[name].toFixed(3))}\n`,
      );
      return `# HELP ${name} ${SUBTASK_HELP[name]}\n# TYPE ${name} gauge\n${lines.join('')}`;
    })
    .join('');
}

export function prometheusText(gauges: ClusterGauges, subtasks: readonly TaskManagerSubtaskRates[] = []): string {
  return (
    (Object.keys(HELP) as Array<keyof ClusterGauges>).map((name) => `# HELP ${name} ${HELP[name]}\n# TYPE ${name} gauge\n${name} ${gauges[name]}\n`).join('') +
    subtaskLines(subtasks)
  );
}

export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `GET /metrics` on 127.0.0.1:`port` from `view()` (404 elsewhere; 503 before the cluster has a registry). */
export function startMetricsServer(
  port: number,
  view: () => ClusterView | undefined,
  subtasks: () => readonly TaskManagerSubtaskRates[] = () => [],
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const v = view();
    if (req.method !== 'GET' || req.url !== '/metrics') res.writeHead(404).end();
    else if (v === undefined) res.writeHead(503).end();
    else res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(prometheusText(clusterGauges(v), subtasks()));
  });
  return new Promise((resolve, reject) => {
    const refuse = (error: Error) => reject(new SlotlabError(`metrics endpoint: cannot listen on 127.0.0.1:${port}: ${error.message}`));
    server.once('error', refuse);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', refuse);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
