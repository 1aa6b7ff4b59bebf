import { ds2Policy } from './ds2.ts';
import { thresholdPolicy } from './threshold.ts';
import type { ScalingPolicy } from './policy.ts';

export { ds2Parallelism, ds2Policy, type Ds2Decision } from './ds2.ts';
export { thresholdPolicy, THRESHOLD_DEFAULTS, type ThresholdOptions } from './threshold.ts';
export { BACK_PRESSURE_OK_RATIO, TARGET_UTILIZATION, backPressuredRatio, busyRatio, maxBackPressuredRatio, nextParallelism, type InstanceRates, type OperatorObservation, type ScalingDecision, type ScalingOptions, type ScalingPolicy } from './policy.ts';

/** Every scaling policy by name (frozen): the closed loop, the CLI and the benchmark pick them from here. */
export const SCALING_POLICIES: Readonly<Record<string, ScalingPolicy>> = Object.freeze({ ds2: ds2Policy, threshold: thresholdPolicy });
export { MAX_MAX_PARALLELISM, MIN_DEFAULT_MAX_PARALLELISM, defaultMaxParallelism, flinkMurmurHash, keyGroupOf, keyGroupRange, operatorIndexOf, subtaskOfKey } from './key-groups.ts';
