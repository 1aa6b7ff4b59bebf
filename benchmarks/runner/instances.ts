import { seededRng } from '../../models/rng.ts';
import type { PlacementVariant } from '../../models/dag-placement/instance.ts';
import { loadInstance, type LoadedInstance, type LoadOptions } from '../../datasets/loaders/index.ts';
import { generateInstance } from '../../datasets/generators/index.ts';
import type { RunCluster } from './plan.ts';

/**
 * Where a run's instance comes from: a file any loader reads, or a generator with its parameters and its own seed
 * (the instance's seed, apart from the run's seed that the solver gets). Plain data.
 */
export type InstanceRef =
  | { readonly kind: 'file'; readonly path: string; readonly label: string; readonly dataset: string }
  | { readonly kind: 'generate'; readonly generator: string; readonly params: Readonly<Record<string, unknown>>; readonly seed: number; readonly label: string; readonly dataset: string };

export interface LoadRunOptions {
  /** Refuse instances that cannot be placed at all (the loader's feasibility check). Default true. */
  readonly check?: boolean;
}

/** Loads (or generates) the instance of a run on its cluster and variant, through the datasets layer. */
export function loadRunInstance(ref: InstanceRef, cluster: RunCluster | undefined, variant: PlacementVariant | undefined, options: LoadRunOptions = {}): LoadedInstance {
  const loadOptions: LoadOptions = {
    ...(cluster?.spec ? { cluster: cluster.spec } : {}),
    ...(cluster?.taskManagers !== undefined ? { taskManagers: cluster.taskManagers } : {}),
    ...(variant ? { variant } : {}),
    checkFeasibility: options.check !== false,
  };
  if (ref.kind === 'file') return loadInstance(ref.path, loadOptions);
  return generateInstance(ref.generator, ref.params, seededRng(ref.seed), loadOptions, ref.label);
}
