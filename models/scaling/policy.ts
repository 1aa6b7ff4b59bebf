/**
 * Scaling policies: one signature for every autoscaling decision (DS2, the threshold baseline). A policy reads what
 * each operator's running instances reported over one measurement window and returns every operator's next
 * parallelism. Pure functions over observations: the closed loop that runs the job, reads the runtime's per-subtask
 * figures and redeploys lives in the layer above (benchmarks/scaling, `slotlab autoscale`), which hands the policy in.
 */

/** What one running instance (subtask) of an operator reported over the window. */
export interface InstanceRates {
  /** Records the instance consumed in the window (sources: records it emitted). */
  readonly recordsProcessed: number;
  /** Records it pushed downstream in the window. */
  readonly recordsPushed: number;
  /** Time it spent processing (busy, not idle and not back-pressured), ms. */
  readonly usefulTimeMs: number;
  /** Time it waited for output buffers (back-pressured), ms; read by the threshold policy. */
  readonly backPressuredTimeMs?: number;
  /** The length of the window these figures cover (the instance's running time), ms; read by the threshold policy. */
  readonly windowMs?: number;
}

export interface OperatorObservation {
  readonly id: string;
  /** The operators it reads from (none: a source). */
  readonly upstream: readonly string[];
  /** One entry per running instance (its current parallelism). */
  readonly instances: readonly InstanceRates[];
  /**
   * Its input is hash-partitioned (keyed): each key's records go to the instance owning the key's key group, so the
   * instances' inputs are as uneven as the keys are, and the busiest instance, not the mean, decides whether it keeps up.
   */
  readonly keyed?: boolean;
}

export interface ScalingDecision {
  /** New parallelism per operator. */
  readonly parallelism: ReadonlyMap<string, number>;
}

export interface ScalingOptions {
  /** Cap on every operator's parallelism (Flink's max parallelism). */
  readonly maxParallelism?: number;
  /**
   * The busy share an operator is sized for (0 < u ≤ 1): DS2 provisions target rate / (true rate × u); the threshold
   * policy's HPA target. Default: DS2 1 (the paper's rule), threshold TARGET_UTILIZATION.
   */
  readonly targetUtilization?: number;
}

/**
 * Flink's Kubernetes autoscaler's default target utilisation (`job.autoscaler.target.utilization` 0.7): the headroom
 * a scaled operator keeps for bursts. The closed loop sizes with it under both policies.
 */
export const TARGET_UTILIZATION = 0.7;

/**
 * Every operator's next parallelism from one window's observations, for sources that must emit
 * `sourceRatePerSecond` records per second in total (per source id, or one figure for every source).
 */
export type ScalingPolicy = (
  operators: readonly OperatorObservation[],
  sourceRatePerSecond: number | ReadonlyMap<string, number>,
  options?: ScalingOptions,
) => ScalingDecision;

/**
 * The back-pressure level Flink's web UI calls "OK": a task back-pressured at most 10 % of its time (Flink docs,
 * "Monitoring Back Pressure": OK 0–10 %, LOW 10–50 %, HIGH 50–100 % of backPressuredTimeMsPerSecond). Above it an
 * operator's upstream is held back: the one definition of "back-pressure" the policies and the closed loop share.
 */
export const BACK_PRESSURE_OK_RATIO = 0.1;

/** Fraction of the window an operator's instances spent back-pressured (mean over instances); needs `windowMs`. */
export function backPressuredRatio(o: OperatorObservation): number {
  return meanRatio(o, (i) => i.backPressuredTimeMs ?? 0);
}

/** Fraction of the window an operator's instances spent busy (useful time; mean over instances); needs `windowMs`. */
export function busyRatio(o: OperatorObservation): number {
  return meanRatio(o, (i) => i.usefulTimeMs);
}

function meanRatio(o: OperatorObservation, figure: (i: InstanceRates) => number): number {
  if (o.instances.length === 0) throw new RangeError(`scaling: operator ${o.id} reported no instance`);
  let sum = 0;
  for (const i of o.instances) {
    if (!(i.windowMs !== undefined && i.windowMs > 0)) throw new RangeError(`scaling: operator ${o.id} reported no window length (windowMs > 0)`);
    sum += Math.min(1, Math.max(0, figure(i) / i.windowMs));
  }
  return sum / o.instances.length;
}

/**
 * The back-pressure of a window: the largest share of its running time any instance of a non-sink operator spent
 * back-pressured (a sink reads from others and writes to none: nothing back-pressures it). Above
 * BACK_PRESSURE_OK_RATIO the window is back-pressured: the closed loops' stop rule.
 */
export function maxBackPressuredRatio(operators: readonly OperatorObservation[]): number {
  const feeds = new Set(operators.flatMap((o) => o.upstream));
  let max = 0;
  for (const o of operators) {
    if (!feeds.has(o.id)) continue;
    for (const i of o.instances) if (i.windowMs !== undefined && i.windowMs > 0) max = Math.max(max, (i.backPressuredTimeMs ?? 0) / i.windowMs);
  }
  return max;
}

/**
 * One decision of a closed loop: the policy's parallelism for every operator, sources kept at theirs (a source's
 * rate is the external system's; a rate-limited generator's "true rate" is its limiter). `undefined` when the policy
 * keeps every operator as it is (no decision).
 */
export function nextParallelism(
  operators: readonly OperatorObservation[],
  policy: ScalingPolicy,
  sourceRatePerSecond: number | ReadonlyMap<string, number>,
  options: ScalingOptions = {},
): Record<string, number> | undefined {
  const decision = policy(operators, sourceRatePerSecond, options);
  const next: Record<string, number> = {};
  for (const o of operators) next[o.id] = o.upstream.length === 0 ? o.instances.length : (decision.parallelism.get(o.id) ?? o.instances.length);
  return operators.every((o) => next[o.id] === o.instances.length) ? undefined : next;
}
