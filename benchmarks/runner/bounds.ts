import { makespanLowerBounds } from '../../models/dag-placement/bounds.ts';
import type { LoadBalancingInstance } from '../../models/load-balancing/instance.ts';
import type { LoadedInstance } from '../../datasets/loaders/index.ts';

/**
 * The instance's own lower bound on the optimum, for the CSV's `lower_bound` column before exact solvers and
 * published tables raise it:
 * - DAG placement: models/dag-placement/bounds.ts (critical path at the fastest durations, and total work over
 *   the processing units of the variant), source `critical-path` or `work`;
 * - load balancing, max utilisation: max(Σ load / Σ speed, largest load / fastest speed), source `work` or
 *   `largest-task` (every task runs whole on one TaskManager; no TaskManager can do better than the perfectly
 *   balanced share);
 * - slot allocation and squared deviation: none here (their exact solvers prove the optimum).
 */
export interface ModelBound {
  readonly value: number;
  readonly source: string;
}

export function loadBalancingLowerBound(instance: LoadBalancingInstance): ModelBound | null {
  if (instance.objective !== 'max-utilization' || instance.tasks.length === 0) return null;
  const totalLoad = instance.tasks.reduce((t, x) => t + x.load, 0);
  const totalSpeed = instance.taskManagers.reduce((t, tm) => t + tm.speedFactor, 0);
  const fastest = Math.max(...instance.taskManagers.map((tm) => tm.speedFactor));
  const largest = Math.max(...instance.tasks.map((t) => t.load));
  const work = totalLoad / totalSpeed;
  const single = largest / fastest;
  return work >= single ? { value: work, source: 'work' } : { value: single, source: 'largest-task' };
}

export function modelLowerBound(instance: LoadedInstance): ModelBound | null {
  switch (instance.kind) {
    case 'dag-placement': {
      const b = makespanLowerBounds(instance);
      return b.criticalPathMs >= b.workMs ? { value: b.criticalPathMs, source: 'critical-path' } : { value: b.workMs, source: 'work' };
    }
    case 'load-balancing':
      return loadBalancingLowerBound(instance);
    case 'slot-allocation':
      return null;
  }
}
