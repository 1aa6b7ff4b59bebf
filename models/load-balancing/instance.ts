import { describeValue, InvalidInstanceError } from '../errors.ts';
import { INSTANCE_LIMITS, overLimitReason } from '../limits.ts';
import { balanceMetrics, type BalanceMetrics } from '../metrics.ts';

/**
 * The load balancing model (utilisation view). Tasks (subtasks, each with its real load: key skew makes the
 * subtasks of one operator unequal) are assigned to TaskManagers. The utilisation of TaskManager k is
 *   u_k = (Σ load of its tasks) / speedFactor_k          (ms of work at the TaskManager's own speed)
 * Objectives: `max-utilization` (min max_k u_k: P||Cmax on identical, Q||Cmax on speed-scaled TaskManagers) and
 * `squared-deviation` (min Σ_k (u_k − ū)², ū = Σ load / Σ speed, the perfectly balanced utilisation).
 * Capacities: at most `slotCount` tasks on a TaskManager, and their memory within its memory.
 * Rebalancing: tasks may carry their `currentTaskManager`; moving one costs `migrationCostMs` (added to the
 * objective by rebalancers, reported by the evaluator as a count).
 */
export type LoadBalancingObjective = 'max-utilization' | 'squared-deviation';
export const LOAD_BALANCING_OBJECTIVES: readonly LoadBalancingObjective[] = ['max-utilization', 'squared-deviation'];

export interface LoadBalancingTaskManager {
  readonly id: string;
  /** Default unlimited. */
  readonly slotCount: number;
  readonly speedFactor: number;
  /** Default unlimited. */
  readonly memoryBytes: number;
}

export interface LoadBalancingTask {
  readonly id: string;
  /** Operator the task is a subtask of, if any. */
  readonly operator: string | undefined;
  /** Work in ms at speed 1. */
  readonly load: number;
  readonly memoryBytes: number;
  readonly currentTaskManager: string | undefined;
}

export interface LoadBalancingInstance {
  readonly kind: 'load-balancing';
  readonly name: string;
  readonly objective: LoadBalancingObjective;
  readonly taskManagers: readonly LoadBalancingTaskManager[];
  readonly tasks: readonly LoadBalancingTask[];
  /** Cost of moving one task away from its currentTaskManager, in ms of utilisation. Default 0. */
  readonly migrationCostMs: number;
}

export interface LoadBalancingSpec {
  readonly name: string;
  readonly objective?: LoadBalancingObjective;
  readonly taskManagers: ReadonlyArray<{ id: string; slotCount?: number; speedFactor?: number; memoryBytes?: number }>;
  readonly tasks: ReadonlyArray<{ id: string; operator?: string; load: number; memoryBytes?: number; currentTaskManager?: string }>;
  readonly migrationCostMs?: number;
}

/** Task → TaskManager. */
export interface TaskAssignment {
  readonly assignments: ReadonlyArray<{ readonly task: string; readonly taskManager: string }>;
}

export function createLoadBalancingInstance(spec: LoadBalancingSpec, source = spec.name): LoadBalancingInstance {
  const objective = spec.objective ?? 'max-utilization';
  if (!LOAD_BALANCING_OBJECTIVES.includes(objective))
    throw new InvalidInstanceError(source, 'objective', `should be one of ${LOAD_BALANCING_OBJECTIVES.join(', ')}, got ${JSON.stringify(objective)}`);
  const tmIds = new Set<string>();
  const taskManagers = spec.taskManagers.map((tm, i): LoadBalancingTaskManager => {
    const at = `taskManagers[${i}]`;
    if (tmIds.has(tm.id)) throw new InvalidInstanceError(source, `${at}.id`, `duplicate TaskManager id "${tm.id}"`);
    tmIds.add(tm.id);
    if (tm.slotCount !== undefined && !(Number.isInteger(tm.slotCount) && tm.slotCount >= 0)) throw new InvalidInstanceError(source, `${at}.slotCount`, `should be an integer >= 0, got ${describeValue(tm.slotCount)}`);
    if (tm.slotCount !== undefined && tm.slotCount > INSTANCE_LIMITS.slots) throw new InvalidInstanceError(source, `${at}.slotCount`, overLimitReason(tm.slotCount, 'slots', INSTANCE_LIMITS.slots));
    if (tm.speedFactor !== undefined && !(tm.speedFactor > 0)) throw new InvalidInstanceError(source, `${at}.speedFactor`, `should be > 0, got ${JSON.stringify(tm.speedFactor)}`);
    if (tm.memoryBytes !== undefined && !(tm.memoryBytes >= 0)) throw new InvalidInstanceError(source, `${at}.memoryBytes`, `should be >= 0, got ${JSON.stringify(tm.memoryBytes)}`);
    return { id: tm.id, slotCount: tm.slotCount ?? Number.POSITIVE_INFINITY, speedFactor: tm.speedFactor ?? 1, memoryBytes: tm.memoryBytes ?? Number.POSITIVE_INFINITY };
  });
  if (taskManagers.length === 0) throw new InvalidInstanceError(source, 'taskManagers', 'should list at least one TaskManager');
  if (spec.tasks.length > INSTANCE_LIMITS.subtasks) throw new InvalidInstanceError(source, 'tasks', overLimitReason(spec.tasks.length, 'tasks', INSTANCE_LIMITS.subtasks));
  const taskIds = new Set<string>();
  const tasks = spec.tasks.map((t, i): LoadBalancingTask => {
    const at = `tasks[${i}]`;
    if (taskIds.has(t.id)) throw new InvalidInstanceError(source, `${at}.id`, `duplicate task id "${t.id}"`);
    taskIds.add(t.id);
    if (typeof t.load !== 'number' || !Number.isFinite(t.load) || t.load < 0) throw new InvalidInstanceError(source, `${at}.load`, `should be a finite number >= 0, got ${describeValue(t.load)}`);
    if (t.load > INSTANCE_LIMITS.quantity) throw new InvalidInstanceError(source, `${at}.load`, `${t.load} exceeds the limit of ${INSTANCE_LIMITS.quantity} (docs/formats.md, "Limits")`);
    if (t.memoryBytes !== undefined && !(t.memoryBytes >= 0)) throw new InvalidInstanceError(source, `${at}.memoryBytes`, `should be >= 0, got ${JSON.stringify(t.memoryBytes)}`);
    if (t.currentTaskManager !== undefined && !tmIds.has(t.currentTaskManager)) throw new InvalidInstanceError(source, `${at}.currentTaskManager`, `names no TaskManager ("${t.currentTaskManager}")`);
    return { id: t.id, operator: t.operator, load: t.load, memoryBytes: t.memoryBytes ?? 0, currentTaskManager: t.currentTaskManager };
  });
  const migrationCostMs = spec.migrationCostMs ?? 0;
  if (!(migrationCostMs >= 0)) throw new InvalidInstanceError(source, 'migrationCostMs', `should be >= 0, got ${JSON.stringify(spec.migrationCostMs)}`);
  return { kind: 'load-balancing', name: spec.name, objective, taskManagers, tasks, migrationCostMs };
}

export interface LoadBalancingEvaluation {
  /** Per TaskManager, in instance order: Σ load / speedFactor. */
  readonly utilizationMs: readonly number[];
  readonly balance: BalanceMetrics;
  readonly maxUtilizationMs: number;
  /** Σ_k (u_k − ū)² with ū = Σ load / Σ speed. */
  readonly squaredDeviation: number;
  /** Tasks not on their currentTaskManager. */
  readonly migrations: number;
  /** The instance's objective value. */
  readonly objective: number;
}

/** TaskManager position per task position of an assignment; -1 for a task it leaves out (unknown ids are skipped). */
export function taskManagerOfTask(instance: LoadBalancingInstance, assignment: TaskAssignment): Int32Array {
  const tmPos = new Map(instance.taskManagers.map((tm, k) => [tm.id, k]));
  const taskPos = new Map(instance.tasks.map((t, i) => [t.id, i]));
  const tmOfTask = new Int32Array(instance.tasks.length).fill(-1);
  for (const a of assignment.assignments) {
    const i = taskPos.get(a.task);
    const k = tmPos.get(a.taskManager);
    if (i !== undefined && k !== undefined) tmOfTask[i] = k;
  }
  return tmOfTask;
}

/** Evaluates an assignment (unknown ids are skipped; the validator reports them). */
export function evaluateLoadBalancing(instance: LoadBalancingInstance, assignment: TaskAssignment): LoadBalancingEvaluation {
  const tmPos = new Map(instance.taskManagers.map((tm, i) => [tm.id, i]));
  const taskPos = new Map(instance.tasks.map((t, i) => [t.id, i]));
  const tmOfTask = new Int32Array(instance.tasks.length).fill(-1);
  let migrations = 0;
  for (const a of assignment.assignments) {
    const k = tmPos.get(a.taskManager);
    const i = taskPos.get(a.task);
    if (k === undefined || i === undefined) continue;
    tmOfTask[i] = k;
    const t = instance.tasks[i]!;
    if (t.currentTaskManager !== undefined && t.currentTaskManager !== a.taskManager) migrations++;
  }
  const utilizationMs = Array.from(utilizationByTaskManager(instance, tmOfTask));
  const totalLoad = instance.tasks.reduce((t, x) => t + x.load, 0);
  const totalSpeed = instance.taskManagers.reduce((t, tm) => t + tm.speedFactor, 0);
  const ideal = totalLoad / totalSpeed;
  const squaredDeviation = utilizationMs.reduce((t, u) => t + (u - ideal) ** 2, 0);
  const balance = balanceMetrics(utilizationMs);
  return {
    utilizationMs,
    balance,
    maxUtilizationMs: balance.max,
    squaredDeviation,
    migrations,
    objective: instance.objective === 'max-utilization' ? balance.max : squaredDeviation,
  };
}

/**
 * u_k = (Σ load of the tasks on TaskManager k) / speedFactor_k, in ms of work at k's own speed, from the TaskManager
 * position of each task (-1: unassigned, skipped). The one definition of utilisation: its maximum is the
 * `max-utilization` objective (the makespan of P||Cmax / Q||Cmax).
 */
export function utilizationByTaskManager(instance: LoadBalancingInstance, tmOfTask: ArrayLike<number>): Float64Array {
  const u = new Float64Array(instance.taskManagers.length);
  for (let i = 0; i < tmOfTask.length; i++) {
    const k = tmOfTask[i]!;
    if (k >= 0) u[k] = u[k]! + instance.tasks[i]!.load;
  }
  for (let k = 0; k < u.length; k++) u[k] = u[k]! / instance.taskManagers[k]!.speedFactor;
  return u;
}
