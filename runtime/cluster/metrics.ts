import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClusterView } from '../../models/cluster/state.ts';
import { SlotlabError } from '../../models/errors.ts';

/**
 * The cluster's metrics in the Prometheus text exposition format (version 0.0.4), under Flink's names for the
 * ResourceManager's and Dispatcher's gauges, served on 127.0.0.1 only (`GET /metrics`).
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

export function prometheusText(gauges: ClusterGauges): string {
  return (Object.keys(HELP) as Array<keyof ClusterGauges>).map((name) => `# HELP ${name} ${HELP[name]}\n# TYPE ${name} gauge\n${name} ${gauges[name]}\n`).join('');
}

export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `GET /metrics` on 127.0.0.1:`port` from `view()` (404 elsewhere; 503 before the cluster has a registry). */
export function startMetricsServer(port: number, view: () => ClusterView | undefined): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const v = view();
    if (req.method !== 'GET' || req.url !== '/metrics') res.writeHead(404).end();
    else if (v === undefined) res.writeHead(503).end();
    else res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(prometheusText(clusterGauges(v)));
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
