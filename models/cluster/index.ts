/** The cluster: jobs and their demand, workloads, the state machine, policy signatures, the simulator, reports. */
export * from './timers.ts';
export * from './job.ts';
export * from './workload.ts';
export * from './state.ts';
export * from './policies.ts';
export * from './allocation-instance.ts';
export * from './resource-manager.ts';
export * from './report.ts';
export * from './simulator.ts';
