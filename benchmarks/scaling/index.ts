/** Closed-loop autoscaling on the runtime (`slotlab autoscale`, benchmarks/autoscale.ts); the policies are in models/scaling. */
export { autoscale, jobAt, loopInputWindows, measureWindow, referenceSinks, smallestFreeConfiguration, sourceIds, type AutoscaleOptions, type AutoscaleResult, type ScalingWindow } from './closed-loop.ts';
export { seededScalingJob, type ScalingJob } from './jobs.ts';
