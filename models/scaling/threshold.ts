import { BACK_PRESSURE_OK_RATIO, TARGET_UTILIZATION, backPressuredRatio, busyRatio, type ScalingPolicy } from './policy.ts';

/**
 * The threshold autoscaling baseline, the rule DS2 (Kalavri et al., OSDI 2018) compares itself with: scale an operator
 * by its utilisation, one operator at a time, with no model of the dataflow. It combines
 *
 * - the thresholds of the source documents' "insufficient / excessive" resources and of Dhalion (Floratou et al.,
 *   VLDB 2017): an operator is **insufficient** when its instances are busy more than `upperBusyRatio` (0.8) of the
 *   window, or when it is the bottleneck Dhalion diagnoses: an upstream operator is back-pressured (more than
 *   Flink's "OK" level, 10 %) while it is not; **excessive** when busy less than `lowerBusyRatio` (0.3) and not
 *   back-pressured;
 * - the Kubernetes Horizontal Pod Autoscaler's rule for the new size, desired = ⌈current × metric / target⌉, with
 *   the metric the busy ratio and the target `targetBusyRatio` (0.7: Flink's Kubernetes autoscaler's default
 *   `job.autoscaler.target.utilization`). Scaling up adds at least one instance.
 *
 * A busy ratio cannot exceed 1, so one step grows an operator at most ×1/target (×1.43): the reason a threshold
 * policy needs several decisions where DS2 needs one. Sources keep their parallelism (their rate is the external
 * system's). Within the thresholds nothing changes.
 */
export interface ThresholdOptions {
  readonly upperBusyRatio?: number;
  readonly lowerBusyRatio?: number;
  /** The HPA target; also read from `targetUtilization` (the policies' shared option). */
  readonly targetBusyRatio?: number;
  readonly targetUtilization?: number;
  readonly maxParallelism?: number;
}

export const THRESHOLD_DEFAULTS = Object.freeze({ upperBusyRatio: 0.8, lowerBusyRatio: 0.3, targetBusyRatio: TARGET_UTILIZATION });

export const thresholdPolicy: ScalingPolicy = (operators, _sourceRatePerSecond, options: ThresholdOptions = {}) => {
  const upper = options.upperBusyRatio ?? THRESHOLD_DEFAULTS.upperBusyRatio;
  const lower = options.lowerBusyRatio ?? THRESHOLD_DEFAULTS.lowerBusyRatio;
  const target = options.targetBusyRatio ?? options.targetUtilization ?? THRESHOLD_DEFAULTS.targetBusyRatio;
  if (!(0 < lower && lower < target && target <= upper && upper <= 1))
    throw new RangeError(`threshold policy: needs 0 < lower (${lower}) < target (${target}) <= upper (${upper}) <= 1`);
  const maxParallelism = options.maxParallelism ?? Number.POSITIVE_INFINITY;
  const byId = new Map(operators.map((o) => [o.id, o]));
  const parallelism = new Map<string, number>();
  for (const o of operators) {
    const current = o.instances.length;
    if (o.upstream.length === 0) {
      parallelism.set(o.id, current);
      continue;
    }
    const busy = busyRatio(o);
    const backPressured = backPressuredRatio(o) > BACK_PRESSURE_OK_RATIO;
    const holdsUpstreamBack = o.upstream.some((u) => {
      const up = byId.get(u);
      if (!up) throw new RangeError(`threshold policy: operator ${o.id} reads from unknown operator ${u}`);
      return backPressuredRatio(up) > BACK_PRESSURE_OK_RATIO;
    });
    let next = current;
    if (busy > upper || (holdsUpstreamBack && !backPressured)) next = Math.max(current + 1, Math.ceil((current * Math.max(busy, upper)) / target - 1e-9));
    else if (busy < lower && !backPressured) next = Math.max(1, Math.ceil((current * busy) / target - 1e-9));
    parallelism.set(o.id, Math.min(maxParallelism, next));
  }
  return { parallelism };
};
