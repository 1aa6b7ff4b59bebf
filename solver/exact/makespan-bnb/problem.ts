import { utilizationByTaskManager, type LoadBalancingInstance } from '../../../models/load-balancing/instance.ts';

/**
 * The data every part of the P||Cmax / Q||Cmax branch and bound reads: tasks by decreasing load (ties: more memory
 * first, then instance order), per TaskManager speed and capacities, suffix sums for the capacity prunes.
 * Paper vocabulary: job = task, machine = TaskManager, processing time = load, Cmax = max utilisation.
 */
export const EPS = 1e-9;

/** The search ran out of time (thrown from deep in a search, caught by the driver). */
export class Deadline extends Error {}

/** Nodes counted and the wall-clock deadline (performance.now() ms), shared by every search of one solve. */
export interface SearchBudget {
  nodes: number;
  readonly deadline: number;
}

export interface Problem {
  readonly n: number;
  readonly m: number;
  /** Task order: positions into the instance's tasks, by decreasing load. */
  readonly order: Int32Array;
  readonly load: Float64Array; // by order position
  readonly mem: Float64Array; // by order position
  readonly speed: Float64Array;
  readonly slotCap: Float64Array;
  readonly memCap: Float64Array;
  /** suffix sums of load / memory from order position i */
  readonly restLoad: Float64Array;
  readonly restMem: Float64Array;
}

export function buildProblem(instance: LoadBalancingInstance): Problem {
  const n = instance.tasks.length;
  const m = instance.taskManagers.length;
  const order = Int32Array.from(
    instance.tasks
      .map((t, i) => i)
      .sort((a, b) => instance.tasks[b]!.load - instance.tasks[a]!.load || instance.tasks[b]!.memoryBytes - instance.tasks[a]!.memoryBytes || a - b),
  );
  const load = Float64Array.from(order, (i) => instance.tasks[i]!.load);
  const mem = Float64Array.from(order, (i) => instance.tasks[i]!.memoryBytes);
  const restLoad = new Float64Array(n + 1);
  const restMem = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    restLoad[i] = restLoad[i + 1]! + load[i]!;
    restMem[i] = restMem[i + 1]! + mem[i]!;
  }
  return {
    n,
    m,
    order,
    load,
    mem,
    speed: Float64Array.from(instance.taskManagers, (tm) => tm.speedFactor),
    slotCap: Float64Array.from(instance.taskManagers, (tm) => tm.slotCount),
    memCap: Float64Array.from(instance.taskManagers, (tm) => tm.memoryBytes),
    restLoad,
    restMem,
  };
}

/** TaskManager position per task of the instance, from the machine per order position. */
export function machinesByTask(p: Problem, machine: Int32Array): Int32Array {
  const out = new Int32Array(p.n);
  for (let i = 0; i < p.n; i++) out[p.order[i]!] = machine[i]!;
  return out;
}

/** The max-utilisation objective (models/load-balancing: utilizationByTaskManager) of a machine-per-order-position assignment. */
export function maxUtilizationOf(instance: LoadBalancingInstance, p: Problem, machine: Int32Array): number {
  return Math.max(0, ...utilizationByTaskManager(instance, machinesByTask(p, machine)));
}
