import type { z } from 'zod';
import type { Rng } from '../../models/rng.ts';
import { InstanceFormatError } from '../../models/errors.ts';
import { parseClusterShorthand, type ClusterSpec } from '../../models/graphs/cluster.ts';
import type { JobGraphSpec } from '../../models/graphs/job-graph.ts';
import { PLACEMENT_VARIANTS, type DagPlacementSpec, type PlacementVariant } from '../../models/dag-placement/instance.ts';
import type { SlotAllocationSpec } from '../../models/slot-allocation/instance.ts';
import type { LoadBalancingSpec } from '../../models/load-balancing/instance.ts';
import { buildDagPlacement, buildLoadBalancing, buildSlotAllocation, type LoadedInstance, type LoadOptions } from '../loaders/index.ts';
import { jsonPath } from '../loaders/schema.ts';
import { layeredDagParams, randomLayeredDag } from './layered-dag.ts';
import { forkJoin, forkJoinParams } from './fork-join.ts';
import { outTree, treeParams } from './out-tree.ts';
import { inTree } from './in-tree.ts';
import { seriesParallel, seriesParallelParams } from './series-parallel.ts';
import { flinkPipeline, flinkPipelineParams } from './flink-pipeline.ts';
import { flinkJoin, flinkJoinParams } from './flink-join.ts';
import { randomSlotAllocation, slotAllocationParams } from './slot-allocation.ts';
import { fineGrainedSlots, fineGrainedSlotsParams } from './fine-grained-slots.ts';
import { loadBalancingParams, randomLoadBalancing } from './load-balancing.ts';
import { homogeneousCluster, homogeneousClusterParams } from './homogeneous-cluster.ts';
import { heterogeneousCluster, heterogeneousClusterParams } from './heterogeneous-cluster.ts';
import { rackCluster, rackClusterParams } from './rack-cluster.ts';

export { randomLayeredDag, forkJoin, outTree, inTree, seriesParallel, flinkPipeline, flinkJoin, randomSlotAllocation, fineGrainedSlots, randomLoadBalancing };
export { homogeneousCluster, heterogeneousCluster, rackCluster };
export { zipfShares, sampleInt, sampleReal, type IntRange, type RealRange } from './sampling.ts';
/** Workloads (jobs with arrival times on a cluster) are not instances of one model: their generator stands apart. */
export { generateWorkload, workloadGeneratorParams, type WorkloadGeneratorParams } from './workload.ts';
export { describeParams, type ParamDoc } from './params-doc.ts';
import type { ParamDoc } from './params-doc.ts';

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
  /** The generator's own parameters with their defaults (the schema `generate` checks them with); see describeParams. */
  readonly params: z.ZodObject;
  /** Parameters every generator of its model takes besides its own (`cluster`, `variant`, `name`), documented. */
  readonly commonParams: readonly ParamDoc[];
  /** Parameters (without `cluster`, `variant`, `name` for DAG generators) → spec. */
  generate(params: Readonly<Record<string, unknown>>, rng: Rng, source: string): GeneratedSpec;
}

const NAME_PARAM: ParamDoc = { name: 'name', defaultJson: undefined, expected: 'the instance name; default <generator>-seed<seed>' };

type JobGenerator = (rng: Rng, params: Record<string, unknown>, source: string) => JobGraphSpec;

function dagEntry(name: string, description: string, defaultVariant: PlacementVariant, params: z.ZodObject, job: JobGenerator): GeneratorEntry {
  return Object.freeze({
    name,
    model: 'dag-placement' as const,
    description,
    params,
    commonParams: [
      { name: 'cluster', defaultJson: undefined, expected: `a cluster shorthand like "4x2", or cluster.generator=${Object.keys(CLUSTER_GENERATORS).join('|')} with that generator's parameters as cluster.<param>; default: homogeneous-cluster's defaults` },
      { name: 'variant', defaultJson: JSON.stringify(defaultVariant), expected: `one of ${PLACEMENT_VARIANTS.join(', ')}` },
      NAME_PARAM,
    ],
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

/** A cluster generator: for a DAG generator's `cluster` parameter, and on its own for `slotlab generate`. */
export interface ClusterGeneratorEntry {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodObject;
  generate(params: Record<string, unknown>, rng: Rng, source: string): ClusterSpec;
}

export const CLUSTER_GENERATOR_ENTRIES: readonly ClusterGeneratorEntry[] = Object.freeze([
  Object.freeze({
    name: 'homogeneous-cluster',
    description: 'identical TaskManagers tm1..tmN with the same slots, speed 1, one uniform link (deterministic)',
    params: homogeneousClusterParams,
    generate: (params: Record<string, unknown>, _rng: Rng, source: string) => homogeneousCluster(params, source),
  }),
  Object.freeze({
    name: 'heterogeneous-cluster',
    description: 'TaskManagers with slot counts and speed factors drawn from ranges (related machines), one uniform link',
    params: heterogeneousClusterParams,
    generate: (params: Record<string, unknown>, rng: Rng, source: string) => heterogeneousCluster(rng, params, source),
  }),
  Object.freeze({
    name: 'rack-cluster',
    description: 'racks of identical TaskManagers, a fast link inside a rack and a slower one between racks (deterministic)',
    params: rackClusterParams,
    generate: (params: Record<string, unknown>, _rng: Rng, source: string) => rackCluster(params, source),
  }),
]);

export const CLUSTER_GENERATORS = Object.freeze({
  'homogeneous-cluster': CLUSTER_GENERATOR_ENTRIES[0]!.generate,
  'heterogeneous-cluster': CLUSTER_GENERATOR_ENTRIES[1]!.generate,
  'rack-cluster': CLUSTER_GENERATOR_ENTRIES[2]!.generate,
});
export type ClusterGeneratorName = keyof typeof CLUSTER_GENERATORS;

/** The cluster generator `name`, or an error listing them. */
export function findClusterGenerator(name: string, source = 'generate'): ClusterGeneratorEntry {
  const entry = CLUSTER_GENERATOR_ENTRIES.find((g) => g.name === name);
  if (!entry) throw new InstanceFormatError(source, 'generator', `the name of a cluster generator: ${CLUSTER_GENERATOR_ENTRIES.map((g) => g.name).join(', ')}`, name);
  return entry;
}

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
  dagEntry('layered-dag', 'random layered DAG (layers, width, edge probability)', 'sequenced', layeredDagParams, randomLayeredDag),
  dagEntry('fork-join', 'fork -> parallel branches -> join, repeated for some stages', 'sequenced', forkJoinParams, forkJoin),
  dagEntry('out-tree', 'out-tree from one root (broadcast / divide)', 'sequenced', treeParams, outTree),
  dagEntry('in-tree', 'in-tree into one root (aggregation / reduce)', 'sequenced', treeParams, inTree),
  dagEntry('series-parallel', 'two-terminal series-parallel DAG grown by random compositions', 'sequenced', seriesParallelParams, seriesParallel),
  dagEntry('flink-pipeline', 'Flink-like streaming job: source -> map -> keyBy + window -> sink, with key skew', 'shared', flinkPipelineParams, flinkPipeline),
  dagEntry('flink-join', 'Flink-like two-stream join: two sources and maps keyed into a join, then a sink', 'shared', flinkJoinParams, flinkJoin),
  Object.freeze({
    name: 'slot-allocation',
    model: 'slot-allocation' as const,
    description: 'TaskManagers with random slot counts, jobs with fixed or elastic demands',
    params: slotAllocationParams,
    commonParams: [NAME_PARAM],
    generate: (params: Readonly<Record<string, unknown>>, rng: Rng, source: string): GeneratedSpec => {
      const { name, ...own } = params;
      return { kind: 'slot-allocation', spec: randomSlotAllocation(rng, own, source, typeof name === 'string' ? name : `slot-allocation-seed${rng.seed}`) };
    },
  }),
  Object.freeze({
    name: 'fine-grained-slots',
    model: 'slot-allocation' as const,
    description: 'fine-grained slot requests of several resource profiles on TaskManagers that cut slots (Flink memory derived)',
    params: fineGrainedSlotsParams,
    commonParams: [NAME_PARAM],
    generate: (params: Readonly<Record<string, unknown>>, rng: Rng, source: string): GeneratedSpec => {
      const { name, ...own } = params;
      return { kind: 'slot-allocation', spec: fineGrainedSlots(rng, own, source, typeof name === 'string' ? name : `fine-grained-slots-seed${rng.seed}`) };
    },
  }),
  Object.freeze({
    name: 'load-balancing',
    model: 'load-balancing' as const,
    description: 'subtasks of several operators with key skew on TaskManagers of given speeds',
    params: loadBalancingParams,
    commonParams: [NAME_PARAM],
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
