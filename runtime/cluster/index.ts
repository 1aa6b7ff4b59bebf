/** The cluster runtime: TaskManager workers that register and heartbeat, the ResourceManager, Dispatcher and JobMasters on real threads. */
export { ClusterInterruptedError, ClusterRuntime, RUNTIME_HEARTBEAT, runCluster, type ClusterRuntimeOptions, type HeartbeatFault, type TaskManagerWorkerRecord } from './cluster-runtime.ts';
export { clusterGauges, prometheusText, type ClusterGauges } from './metrics.ts';
