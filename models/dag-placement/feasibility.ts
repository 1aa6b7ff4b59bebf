import { memoryShortage } from '../memory-shortage.ts';
import type { DagPlacementInstance, PlacementVariant } from './instance.ts';
import { dagResourceInfeasibility } from './resources.ts';

/**
 * The DAG placement model's infeasibility check, the one every solver and loader relies on (the solver registry
 * runs it before any solver): a sentence saying why the instance cannot be placed under `variant`, or undefined
 * when these necessary conditions hold (which does not prove feasibility).
 */
export function dagPlacementInfeasibility(instance: DagPlacementInstance, variant: PlacementVariant = instance.variant): string | undefined {
  const slotCount = instance.slots.length;
  if (variant === 'exclusive' && instance.subtasks.length > slotCount)
    return `the job has ${instance.subtasks.length} subtasks but the cluster has ${slotCount} slots, and under exclusive every subtask needs a slot of its own`;
  if (variant === 'shared') {
    for (const op of instance.operators)
      if (op.parallelism > slotCount)
        return `operator ${op.id} has parallelism ${op.parallelism} but the cluster has ${slotCount} slots, and under shared its subtasks need different slots`;
  }
  if (variant !== 'sequenced') {
    for (const op of instance.operators)
      if (op.parallelism > slotCount)
        return `operator ${op.id} has parallelism ${op.parallelism} but the cluster has ${slotCount} slots`;
  }
  const resources = dagResourceInfeasibility(instance, variant);
  if (resources !== undefined) return resources;
  // exclusive and shared reserve every subtask's memory for the whole job; sequenced only what runs at once
  return memoryShortage(instance.subtasks, 'subtask', instance.taskManagers, { countTotal: variant !== 'sequenced' });
}
