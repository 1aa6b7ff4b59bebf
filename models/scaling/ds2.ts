/**
 * DS2's scaling decision (Kalavri, Liagouris, Hoffmann, Dimitrova, Forshaw, Roscoe: "Three steps is all you need:
 * fast, accurate, automatic scaling decisions for distributed streaming dataflows", OSDI 2018), the model behind
 * Flink's Kubernetes autoscaler. Described from the paper; the first building block of issue #13's autoscaling.
 *
 * Each operator instance reports, over a window, the records it processed and pushed and its **useful time**: the
 * time it spent processing, excluding time waiting for input (idle) and for output buffers (back-pressure). Its
 * **true processing rate** is processed / useful time and its **true output rate** pushed / useful time: what one
 * instance could do if it never waited, so they do not depend on the back-pressure the current, wrong parallelism
 * causes. One decision sets every operator's parallelism at once, in topological order:
 *
 *   target input rate of o   = Σ over its upstream operators u of the target output rate of u (sources: the rate
 *                              the sources must sustain)
 *   parallelism of o         = ⌈ target input rate / (true processing rate per instance of o) ⌉
 *   target output rate of o  = target input rate × selectivity (true output rate / true processing rate)
 *
 * For a source the "input" is the rate it must emit, and its capacity per instance is its true output rate.
 * With `targetUtilization` u < 1 the capacity counted per instance is u × its true rate (headroom, as Flink's
 * Kubernetes autoscaler sizes with `job.autoscaler.target.utilization`); the paper's rule is u = 1, the default.
 *
 * **Key skew.** The paper's rule assumes an operator's input spreads evenly over its instances. A keyed operator's
 * instance gets its key groups' records, as uneven as the keys (50 keys over 4 instances: the busiest gets 1.5× the
 * mean here), and the busiest instance back-pressures the whole upstream when it cannot keep up. So for an operator
 * whose observation is `keyed`, the target is scaled by the observed imbalance (the busiest instance's input over the
 * mean instance's): parallelism = ⌈target input × imbalance / true rate⌉. At parallelism 1 the imbalance is 1 (the
 * paper's decision); after a decision the next window measures the imbalance at the new parallelism, and DS2's next
 * decision corrects for it: the paper's loop of decisions on fresh measurements, with the busiest instance sized.
 */
import type { OperatorObservation, ScalingDecision, ScalingOptions, ScalingPolicy } from './policy.ts';

export type { InstanceRates, OperatorObservation } from './policy.ts';

export interface Ds2Decision extends ScalingDecision {
  /** Per operator: true processing rate per instance (records/s), selectivity, target input and output rates. */
  /** `imbalance`: the busiest instance's input over the mean instance's (keyed operators; else 1). */
  readonly rates: ReadonlyMap<string, { readonly trueRatePerInstance: number; readonly selectivity: number; readonly targetInputPerSecond: number; readonly targetOutputPerSecond: number; readonly imbalance: number }>;
}

/** Records per second from a count and ms. */
const perSecond = (records: number, ms: number) => (records * 1000) / ms;

/**
 * DS2's parallelism for every operator, for sources that must emit `sourceRatePerSecond` records per second in
 * total (per source id, or one figure for every source). `maxParallelism` caps each operator (Flink's max
 * parallelism). Throws when an operator has no instance with useful time (nothing to learn its rate from) or the
 * graph has a cycle.
 */
export function ds2Parallelism(
  operators: readonly OperatorObservation[],
  sourceRatePerSecond: number | ReadonlyMap<string, number>,
  options: ScalingOptions = {},
): Ds2Decision {
  const targetUtilization = options.targetUtilization ?? 1;
  if (!(targetUtilization > 0 && targetUtilization <= 1)) throw new RangeError(`DS2: targetUtilization should be in (0, 1], got ${targetUtilization}`);
  const byId = new Map(operators.map((o) => [o.id, o]));
  for (const o of operators) for (const u of o.upstream) if (!byId.has(u)) throw new RangeError(`DS2: operator ${o.id} reads from unknown operator ${u}`);
  // topological order (Kahn), so that every upstream target is known first
  const indegree = new Map(operators.map((o) => [o.id, o.upstream.length]));
  const downstream = new Map<string, string[]>(operators.map((o) => [o.id, []]));
  for (const o of operators) for (const u of o.upstream) downstream.get(u)!.push(o.id);
  const order: string[] = [];
  const queue = operators.filter((o) => o.upstream.length === 0).map((o) => o.id);
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const d of downstream.get(id)!) {
      indegree.set(d, indegree.get(d)! - 1);
      if (indegree.get(d) === 0) queue.push(d);
    }
  }
  if (order.length !== operators.length) throw new RangeError('DS2: the dataflow has a cycle');

  const maxParallelism = options.maxParallelism ?? Number.POSITIVE_INFINITY;
  const parallelism = new Map<string, number>();
  const rates = new Map<string, { trueRatePerInstance: number; selectivity: number; targetInputPerSecond: number; targetOutputPerSecond: number; imbalance: number }>();
  for (const id of order) {
    const o = byId.get(id)!;
    const useful = o.instances.reduce((t, i) => t + i.usefulTimeMs, 0);
    const processed = o.instances.reduce((t, i) => t + i.recordsProcessed, 0);
    const pushed = o.instances.reduce((t, i) => t + i.recordsPushed, 0);
    const isSource = o.upstream.length === 0;
    if (!isSource && processed === 0 && pushed === 0 && !(useful > 0)) {
      parallelism.set(id, Math.min(maxParallelism, Math.max(1, o.instances.length)));
      rates.set(id, { trueRatePerInstance: 0, selectivity: 0, targetInputPerSecond: o.upstream.reduce((t, u) => t + rates.get(u)!.targetOutputPerSecond, 0), targetOutputPerSecond: 0, imbalance: 1 });
      continue;
    }
    if (!(useful > 0)) throw new RangeError(`DS2: operator ${id} reported no useful time: its true rate is unknown`);
    // per instance: the aggregate true rate over the instances' useful time is the mean instance's rate
    const trueRatePerInstance = perSecond(isSource ? pushed : processed, useful);
    const selectivity = isSource ? 1 : processed === 0 ? 0 : pushed / processed;
    const targetInputPerSecond = isSource
      ? typeof sourceRatePerSecond === 'number'
        ? sourceRatePerSecond
        : (sourceRatePerSecond.get(id) ?? 0)
      : o.upstream.reduce((t, u) => t + rates.get(u)!.targetOutputPerSecond, 0);
    const targetOutputPerSecond = targetInputPerSecond * selectivity;
    const imbalance = o.keyed === true ? keyImbalance(o) : 1;
    const needed = trueRatePerInstance > 0 ? Math.ceil((targetInputPerSecond * imbalance) / (trueRatePerInstance * targetUtilization) - 1e-9) : 1;
    parallelism.set(id, Math.min(maxParallelism, Math.max(1, needed)));
    rates.set(id, { trueRatePerInstance, selectivity, targetInputPerSecond, targetOutputPerSecond, imbalance });
  }
  return { parallelism, rates };
}

/** The busiest instance's records processed over the mean instance's (1 with one instance or no input). */
export function keyImbalance(o: OperatorObservation): number {
  const n = o.instances.length;
  const total = o.instances.reduce((t, i) => t + i.recordsProcessed, 0);
  if (n <= 1 || !(total > 0)) return 1;
  return Math.max(...o.instances.map((i) => i.recordsProcessed)) / (total / n);
}

/** DS2 under the scaling policies' one signature (models/scaling/policy.ts). */
export const ds2Policy: ScalingPolicy = (operators, sourceRatePerSecond, options = {}) => ds2Parallelism(operators, sourceRatePerSecond, options);
