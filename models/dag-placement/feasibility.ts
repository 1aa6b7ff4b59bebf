import type { DagPlacementInstance, PlacementVariant } from './instance.ts';

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
    const totalMemory = instance.taskManagers.reduce((t, tm) => t + tm.memoryBytes, 0);
    const need = instance.subtasks.reduce((t, s) => t + s.memoryBytes, 0);
    if (need > totalMemory) return `the subtasks need ${need} bytes of memory but the TaskManagers have ${totalMemory} in all`;
  }
  const maxMemory = instance.taskManagers.reduce((m, tm) => Math.max(m, tm.memoryBytes), 0);
  const hungry = instance.subtasks.find((s) => s.memoryBytes > maxMemory);
  if (hungry) return `subtask ${hungry.id} needs ${hungry.memoryBytes} bytes of memory, more than any TaskManager has (${maxMemory})`;
  return undefined;
}
