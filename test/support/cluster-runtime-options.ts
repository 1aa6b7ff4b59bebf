import { seededRng } from '../../models/rng.ts';
import type { ClusterRuntimeOptions } from '../../runtime/cluster/cluster-runtime.ts';
import { findAllocationPolicy } from '../../solver/cluster/allocation/index.ts';
import { findQueuePolicy } from '../../solver/cluster/queue/index.ts';
import { jobPlacer } from '../../solver/cluster/predict.ts';

/**
 * The cluster runtime's options the runtime tests share (test code: the runtime itself gets its policies from the
 * layer above, so this lives outside runtime/): fifo admission, first-fit allocation, Flink's default placement,
 * seed 1; `extra` adds or overrides.
 */
export function clusterRuntimeOptions(extra: Partial<ClusterRuntimeOptions> = {}): ClusterRuntimeOptions {
  return {
    queuePolicy: findQueuePolicy('fifo').policy,
    queuePolicyName: 'fifo',
    allocationPolicy: findAllocationPolicy('first-fit').policy,
    allocationPolicyName: 'first-fit',
    placeJob: jobPlacer('flink-default', { rng: seededRng(1) }),
    rng: seededRng(1),
    ...extra,
  };
}
