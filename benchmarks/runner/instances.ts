import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRng } from '../../models/rng.ts';
import { createWorkload, type Workload } from '../../models/cluster/workload.ts';
import type { PlacementVariant } from '../../models/dag-placement/instance.ts';
import { loadInstance, type LoadedInstance, type LoadOptions } from '../../datasets/loaders/index.ts';
import { generateInstance } from '../../datasets/generators/index.ts';
import { generateWorkload } from '../../datasets/generators/workload.ts';
import { loadWorkload, parseWorkloadDocument } from '../../datasets/loaders/workload.ts';
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

/**
 * Loads (or generates) a workload run's workload (run-workload.ts runs it; the planner checks that it loads); a
 * generated one names its job files relative to a file in the temporary folder.
 */
export function loadRunWorkload(ref: InstanceRef): Workload {
  if (ref.kind === 'file') return loadWorkload(ref.path);
  const file = join(tmpdir(), `slotlab-${ref.label}.json`);
  const doc = generateWorkload(seededRng(ref.seed), ref.params, file, `workload generator (${ref.label})`);
  return createWorkload(parseWorkloadDocument(JSON.parse(JSON.stringify(doc)), file), file);
}

/** How large a run's instance is: what the CSV's `subtasks`, `task_managers` and `slots` columns say, and what predicts a run's time (shard.ts). */
export interface InstanceSize {
  /** DAG placement: subtasks; load balancing: tasks; slot allocation: jobs. */
  readonly subtasks: number;
  readonly taskManagers: number;
  /** All slots; null for load balancing without slot limits. */
  readonly slots: number | null;
}

export function instanceSize(instance: LoadedInstance): InstanceSize {
  switch (instance.kind) {
    case 'dag-placement':
      return { subtasks: instance.subtasks.length, taskManagers: instance.taskManagers.length, slots: instance.slots.length };
    case 'load-balancing': {
      const slots = instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
      return { subtasks: instance.tasks.length, taskManagers: instance.taskManagers.length, slots: Number.isFinite(slots) ? slots : null };
    }
    case 'slot-allocation':
      return { subtasks: instance.jobs.length, taskManagers: instance.taskManagers.length, slots: instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0) };
  }
}
