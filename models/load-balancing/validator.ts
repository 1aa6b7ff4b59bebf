import type { LoadBalancingInstance, TaskAssignment } from './instance.ts';
import { fmt, type Violation } from '../violation.ts';

/** Independent validator of the load balancing model: every task on exactly one known TaskManager, slot and memory capacities kept. */
export function validateLoadBalancing(instance: LoadBalancingInstance, assignment: TaskAssignment): Violation[] {
  const out: Violation[] = [];
  const tms = new Map(instance.taskManagers.map((tm) => [tm.id, tm]));
  const tasks = new Map(instance.tasks.map((t) => [t.id, t]));
  const seen = new Set<string>();
  const count = new Map<string, number>();
  const memory = new Map<string, number>();
  for (const a of assignment.assignments) {
    const t = tasks.get(a.task);
    if (!t) { out.push({ constraint: 'assignment', message: `the assignment names task "${a.task}", which the instance does not have`, subjects: [a.task] }); continue; }
    if (!tms.has(a.taskManager)) { out.push({ constraint: 'assignment', message: `${t.id} is assigned to TaskManager "${a.taskManager}", which the instance does not have`, subjects: [t.id] }); continue; }
    if (seen.has(t.id)) { out.push({ constraint: 'assignment', message: `${t.id} is assigned more than once`, subjects: [t.id] }); continue; }
    seen.add(t.id);
    count.set(a.taskManager, (count.get(a.taskManager) ?? 0) + 1);
    memory.set(a.taskManager, (memory.get(a.taskManager) ?? 0) + t.memoryBytes);
  }
  for (const t of instance.tasks) if (!seen.has(t.id)) out.push({ constraint: 'assignment', message: `${t.id} is not assigned to any TaskManager`, subjects: [t.id] });
  for (const tm of instance.taskManagers) {
    const c = count.get(tm.id) ?? 0;
    if (c > tm.slotCount) out.push({ constraint: 'slot-capacity', message: `${tm.id} runs ${c} tasks but has ${tm.slotCount} slots`, where: tm.id, amount: c - tm.slotCount });
    const m = memory.get(tm.id) ?? 0;
    if (m > tm.memoryBytes) out.push({ constraint: 'memory', message: `${tm.id} holds tasks needing ${fmt(m)} bytes of memory but has ${fmt(tm.memoryBytes)}`, where: tm.id, amount: m - tm.memoryBytes });
  }
  return out;
}
