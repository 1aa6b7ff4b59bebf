import type { DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import type { OperatorSpec, JobEdgeSpec } from '../../models/graphs/job-graph.ts';
import type { Rng } from '../../models/rng.ts';

/**
 * Seeded jobs for the autoscaling benchmark: generator (50 keys) → 1 or 2 stateless stages (map identity, or filter
 * even: selectivity 1/2 after the generator, 1 after another such filter) → count per key (hash) → sink, real operators
 * with an emulated cost per record drawn so that m ∈ 1..4 instances would be busy 55–85 %; the operator then needs
 * nᵢ = ⌈input rate × cost⌉ ≤ m instances (busy 57–94 % at nᵢ in seeds 1–10). Also an under-provisioned start: every
 * stage at a random parallelism in 1..max(1, nᵢ − 1).
 */
export interface ScalingJob {
  readonly spec: DagPlacementSpec;
  /** Instances each operator needs at the rate (by construction): what DS2 should find. */
  readonly needed: Readonly<Record<string, number>>;
  readonly start: Readonly<Record<string, number>>;
}

export function seededScalingJob(rng: Rng, ratePerSecond: number): ScalingJob {
  const stages = rng.int(1, 2);
  const operators: OperatorSpec[] = [{ id: 'source', parallelism: 1, kind: 'generator', params: { count: ratePerSecond, keys: 50 } }];
  const edges: JobEdgeSpec[] = [];
  const needed: Record<string, number> = { source: 1 };
  const start: Record<string, number> = { source: 1 };
  let inputPerSecond = ratePerSecond;
  let evenOnly = false; // after a filter on even values, another passes everything
  let previous = 'source';
  const add = (id: string, kind: string, fn: string | undefined, selectivity: number, partitioning: JobEdgeSpec['partitioning']) => {
    const n = rng.int(1, 4);
    const busyAtN = 0.55 + 0.3 * rng.next();
    const perRecordMs = Number(((n * busyAtN * 1000) / inputPerSecond).toFixed(3));
    operators.push({ id, parallelism: 1, kind, params: { ...(fn ? { fn } : {}), ...(kind === 'window' ? { aggregate: 'count' } : {}), perRecordMs } });
    edges.push({ from: previous, to: id, partitioning });
    needed[id] = Math.max(1, Math.ceil((inputPerSecond * perRecordMs) / 1000 - 1e-9));
    start[id] = rng.int(1, Math.max(1, needed[id]! - 1));
    inputPerSecond *= selectivity;
    previous = id;
  };
  for (let i = 0; i < stages; i++) {
    if (rng.next() < 0.5) add(`map${i + 1}`, 'map', 'identity', 1, 'rebalance');
    else {
      add(`filter${i + 1}`, 'filter', 'even', evenOnly ? 1 : 0.5, 'rebalance');
      evenOnly = true;
    }
  }
  add('count', 'window', undefined, 0, 'hash');
  operators.push({ id: 'sink', parallelism: 1, kind: 'sink' });
  edges.push({ from: 'count', to: 'sink', partitioning: 'rebalance' });
  needed['sink'] = 1;
  start['sink'] = 1;
  return { spec: { name: `scaling-job-seed${rng.seed}`, variant: 'exclusive', job: { operators, edges }, cluster: { taskManagers: [{ id: 'tm1', slotCount: 1 }] } }, needed, start };
}
