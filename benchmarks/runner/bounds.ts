import { makespanLowerBounds } from '../../models/dag-placement/bounds.ts';
import { maxUtilizationLowerBound } from '../../models/load-balancing/bounds.ts';
import type { LoadBalancingInstance } from '../../models/load-balancing/instance.ts';
import type { LoadedInstance } from '../../datasets/loaders/index.ts';

/**
 * The instance's own lower bound on the optimum, for the CSV's `lower_bound` column before exact solvers and
 * published tables raise it:
 * - DAG placement: models/dag-placement/bounds.ts (critical path at the fastest durations, and total work over
 *   the processing units of the variant, rounded up when every duration and transfer is integral), source
 *   `critical-path` or `work`;
 * - load balancing, max utilisation: models/load-balancing/bounds.ts (the exact `bnb` starts from the same bound),
 *   source `largest-task`, `preemptive`, `work`, `pigeonhole` or `bin-packing`;
 * - slot allocation and squared deviation: none here (their exact solvers prove the optimum).
 */
export interface ModelBound {
  readonly value: number;
  readonly source: string;
}

export function loadBalancingLowerBound(instance: LoadBalancingInstance): ModelBound | null {
  if (instance.objective !== 'max-utilization' || instance.tasks.length === 0) return null;
  const bound = maxUtilizationLowerBound(instance);
  return { value: bound.valueMs, source: bound.source };
}

export function modelLowerBound(instance: LoadedInstance): ModelBound | null {
  switch (instance.kind) {
    case 'dag-placement': {
      const b = makespanLowerBounds(instance); // rounded up on integral data, as the exact solvers use it
      return { value: b.lowerBoundMs, source: b.criticalPathMs >= b.workMs ? 'critical-path' : 'work' };
    }
    case 'load-balancing':
      return loadBalancingLowerBound(instance);
    case 'slot-allocation':
      return null;
  }
}
