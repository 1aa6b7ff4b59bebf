import type { Rng } from '../../models/rng.ts';
import { InstanceFormatError } from '../../models/errors.ts';
import { parseClusterShorthand, type ClusterSpec } from '../../models/graphs/cluster.ts';
import type { JobGraphSpec } from '../../models/graphs/job-graph.ts';
import { PLACEMENT_VARIANTS, type DagPlacementSpec, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import type { SlotAllocationSpec } from '../../models/slot-allocation/instance.ts';
import type { LoadBalancingSpec } from '../../models/load-balancing/instance.ts';
import { buildDagPlacement, buildLoadBalancing, buildSlotAllocation, type LoadedInstance, type LoadOptions } from '../loaders/index.ts';
import { jsonPath } from '../loaders/schema.ts';
import { randomLayeredDag } from './layered-dag.ts';
import { forkJoin } from './fork-join.ts';
import { outTree } from './out-tree.ts';
import { inTree } from './in-tree.ts';
import { seriesParallel } from './series-parallel.ts';
import { flinkPipeline } from './flink-pipeline.ts';
import { flinkJoin } from './flink-join.ts';
import { randomSlotAllocation } from './slot-allocation.ts';
import { randomLoadBalancing } from './load-balancing.ts';
import { homogeneousCluster } from './homogeneous-cluster.ts';
import { heterogeneousCluster } from './heterogeneous-cluster.ts';
import { rackCluster } from './rack-cluster.ts';

export { randomLayeredDag, forkJoin, outTree, inTree, seriesParallel, flinkPipeline, flinkJoin, randomSlotAllocation, randomLoadBalancing };
export { homogeneousCluster, heterogeneousCluster, rackCluster };
export { zipfShares, sampleInt, sampleReal, type IntRange, type RealRange } from './sampling.ts';
/** Workloads (jobs with arrival times on a cluster) are not instances of one model: their generator stands apart. */
export { generateWorkload, workloadGeneratorParams, type WorkloadGeneratorParams } from './workload.ts';

/**
 * The generators by name, for suites (`{"generate": "flink-pipeline", "params": {...}}`) and the CLI. Every
 * generator takes the seeded rng it is given (no default, no Math.random) and returns a spec of models/, which
 * `generateInstance` builds through the same checks as a loaded file. Same name, params and seed: same instance.
 *
 * DAG generators take, besides their own parameters:
 * - `cluster`: a shorthand (`"4x2"`, `"3x2@1,1.5,2"`) or `{"generator": "homogeneous-cluster" |
 *   "heterogeneous-cluster" | "rack-cluster", ...its params}`; default the homogeneous cluster's defaults
 *   (4 TaskManagers × 2 slots, 1 Gbit/s links). A cluster or TaskManager count in the load options wins.
 * - `variant`: default `sequenced` for the batch shapes, `shared` for the Flink topologies; the load options win.
 * - `name`: default `<generator>-seed<seed>`.
 */
export type GeneratedSpec =
  | { readonly kind: 'dag-placement'; readonly spec: DagPlacementSpec }
  | { readonly kind: 'slot-allocation'; readonly spec: SlotAllocationSpec }
  | { readonly kind: 'load-balancing'; readonly spec: LoadBalancingSpec };

export interface GeneratorEntry {
  readonly name: string;
  readonly model: GeneratedSpec['kind'];
  readonly description: string;
  /** Parameters (without `cluster`, `variant`, `name` for DAG generators) → spec. */
  generate(params: Readonly<Record<string, unknown>>, rng: Rng, source: string): GeneratedSpec;
}

type JobGenerator = (rng: Rng, params: Record<string, unknown>, source: string) => JobGraphSpec;

function dagEntry(name: string, description: string, defaultVariant: PlacementVariant, job: JobGenerator): GeneratorEntry {
  return Object.freeze({
    name,
    model: 'dag-placement' as const,
    description,
    generate(params: Readonly<Record<string, unknown>>, rng: Rng, source: string): GeneratedSpec {
      const { cluster, variant, name: instanceName, ...own } = params;
      if (variant !== undefined && !(PLACEMENT_VARIANTS as readonly unknown[]).includes(variant))
        throw new InstanceFormatError(source, '$.params.variant', `one of ${PLACEMENT_VARIANTS.join(', ')}`, variant);
      if (instanceName !== undefined && (typeof instanceName !== 'string' || instanceName === ''))
        throw new InstanceFormatError(source, '$.params.name', 'a non-empty string', instanceName);
      const jobSpec = job(rng, own, source);
      return {
        kind: 'dag-placement',
        spec: {
          name: (instanceName as string | undefined) ?? `${name}-seed${rng.seed}`,
          variant: (variant as PlacementVariant | undefined) ?? defaultVariant,
          job: jobSpec,
          cluster: generateCluster(cluster, rng, source),
        },
      };
    },
  });
}

export const CLUSTER_GENERATORS = Object.freeze({
  'homogeneous-cluster': (params: Record<string, unknown>, _rng: Rng, source: string) => homogeneousCluster(params, source),
  'heterogeneous-cluster': (params: Record<string, unknown>, rng: Rng, source: string) => heterogeneousCluster(rng, params, source),
  'rack-cluster': (params: Record<string, unknown>, _rng: Rng, source: string) => rackCluster(params, source),
});
export type ClusterGeneratorName = keyof typeof CLUSTER_GENERATORS;

/** A cluster from a shorthand string, a `{generator, ...params}` object, or (undefined) the homogeneous default. */
export function generateCluster(spec: unknown, rng: Rng, source: string): ClusterSpec {
  if (spec === undefined) return homogeneousCluster({}, source);
  if (typeof spec === 'string') return parseClusterShorthand(spec, `${source}: $.params.cluster`);
  const names = Object.keys(CLUSTER_GENERATORS);
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
    const { generator, ...params } = spec as Record<string, unknown>;
    if (typeof generator === 'string' && generator in CLUSTER_GENERATORS)
      return CLUSTER_GENERATORS[generator as ClusterGeneratorName](params, rng, `${source} (cluster)`);
    throw new InstanceFormatError(source, '$.params.cluster.generator', `one of ${names.join(', ')}`, generator);
  }
  throw new InstanceFormatError(source, '$.params.cluster', `a cluster shorthand like "4x2" or {"generator": ${names.map((n) => `"${n}"`).join(' | ')}, ...}`, spec);
}

export const GENERATORS: readonly GeneratorEntry[] = Object.freeze([
  dagEntry('layered-dag', 'random layered DAG (layers, width, edge probability)', 'sequenced', randomLayeredDag),
  dagEntry('fork-join', 'fork -> parallel branches -> join, repeated for some stages', 'sequenced', forkJoin),
  dagEntry('out-tree', 'out-tree from one root (broadcast / divide)', 'sequenced', outTree),
  dagEntry('in-tree', 'in-tree into one root (aggregation / reduce)', 'sequenced', inTree),
  dagEntry('series-parallel', 'two-terminal series-parallel DAG grown by random compositions', 'sequenced', seriesParallel),
  dagEntry('flink-pipeline', 'Flink-like streaming job: source -> map -> keyBy + window -> sink, with key skew', 'shared', flinkPipeline),
  dagEntry('flink-join', 'Flink-like two-stream join: two sources and maps keyed into a join, then a sink', 'shared', flinkJoin),
  Object.freeze({
    name: 'slot-allocation',
    model: 'slot-allocation' as const,
    description: 'TaskManagers with random slot counts, jobs with fixed or elastic demands',
    generate: (params: Readonly<Record<string, unknown>>, rng: Rng, source: string): GeneratedSpec => {
      const { name, ...own } = params;
      return { kind: 'slot-allocation', spec: randomSlotAllocation(rng, own, source, typeof name === 'string' ? name : `slot-allocation-seed${rng.seed}`) };
    },
  }),
  Object.freeze({
    name: 'load-balancing',
    model: 'load-balancing' as const,
    description: 'subtasks of several operators with key skew on TaskManagers of given speeds',
    generate: (params: Readonly<Record<string, unknown>>, rng: Rng, source: string): GeneratedSpec => {
      const { name, ...own } = params;
      return { kind: 'load-balancing', spec: randomLoadBalancing(rng, own, source, typeof name === 'string' ? name : `load-balancing-seed${rng.seed}`) };
    },
  }),
]);

export function findGenerator(name: string, source = 'generate'): GeneratorEntry {
  const entry = GENERATORS.find((g) => g.name === name);
  if (!entry) throw new InstanceFormatError(source, 'generate', `the name of a generator: ${GENERATORS.map((g) => g.name).join(', ')}`, name);
  return entry;
}

/** The spec a generator makes from `params` with `rng`. */
export function generateSpec(generator: string, params: Readonly<Record<string, unknown>>, rng: Rng, source = generator): GeneratedSpec {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new InstanceFormatError(source, jsonPath(['params']), 'an object of generator parameters', params);
  return findGenerator(generator, source).generate(params, rng, source);
}

/**
 * Generates and builds an instance, with the same options (cluster, TaskManager count, variant, feasibility
 * check) and the same checks as `loadInstance`.
 */
export function generateInstance(generator: string, params: Readonly<Record<string, unknown>>, rng: Rng, options: LoadOptions = {}, source = generator): LoadedInstance {
  const generated = generateSpec(generator, params, rng, source);
  switch (generated.kind) {
    case 'dag-placement':
      return buildDagPlacement(generated.spec, source, options); // a cluster in the options replaces the generated one
    case 'slot-allocation':
      return buildSlotAllocation(generated.spec, source, options);
    case 'load-balancing':
      return buildLoadBalancing(generated.spec, source, options);
  }
}
