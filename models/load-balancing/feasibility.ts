import { memoryShortage } from '../memory-shortage.ts';
import type { LoadBalancingInstance } from './instance.ts';

/**
 * The load balancing model's infeasibility check, the one every solver relies on (the solver registry runs it
 * before any solver): a sentence saying why no assignment exists, or undefined (which does not prove feasibility:
 * memory is packed per TaskManager, which only a search decides).
 * Checked in this order: slots in all, memory in all, the largest single task against the largest TaskManager.
 */
export function loadBalancingInfeasibility(instance: LoadBalancingInstance): string | undefined {
  const slots = instance.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
  if (instance.tasks.length > slots) return `there are ${instance.tasks.length} tasks but the TaskManagers have ${slots} slots in all`;
  return memoryShortage(instance.tasks, 'task', instance.taskManagers, { countTotal: true });
}
