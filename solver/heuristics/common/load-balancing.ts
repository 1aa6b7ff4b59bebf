import { utilizationByTaskManager, type LoadBalancingInstance, type TaskAssignment } from '../../../models/load-balancing/instance.ts';
import { balanceMetrics } from '../../../models/metrics.ts';
import { failed, type HeuristicResult } from './results.ts';

/**
 * Shared state of the load-balancing heuristics: per TaskManager the summed load (ms of work at speed 1), the
 * number of tasks (against `slotCount`) and the memory in use (against `memoryBytes`). Tasks are indices into
 * `instance.tasks`, TaskManagers indices into `instance.taskManagers`; each task keeps its own load, so
 * subtasks of one operator with unequal loads (key skew) are balanced by what they really carry.
 */
export class TaskManagerLoads {
  readonly loadMs: Float64Array;
  readonly taskCount: Int32Array;
  readonly memoryBytes: Float64Array;
  /** Per task: its load and memory, copied once from `instance.tasks` for tight loops. */
  readonly taskLoad: Float64Array;
  readonly taskMemory: Float64Array;
  /** Per TaskManager: slots and memory (Infinity when unlimited). */
  readonly slotCount: Float64Array;
  readonly memoryCapacity: Float64Array;
  /** False when no task needs memory or no TaskManager limits it: memory checks can be skipped. */
  readonly memoryMatters: boolean;

  constructor(readonly instance: LoadBalancingInstance) {
    const K = instance.taskManagers.length;
    const n = instance.tasks.length;
    this.loadMs = new Float64Array(K);
    this.taskCount = new Int32Array(K);
    this.memoryBytes = new Float64Array(K);
    this.taskLoad = new Float64Array(n);
    this.taskMemory = new Float64Array(n);
    let anyMemory = false;
    for (let t = 0; t < n; t++) {
      const task = instance.tasks[t]!;
      this.taskLoad[t] = task.load;
      this.taskMemory[t] = task.memoryBytes;
      if (task.memoryBytes > 0) anyMemory = true;
    }
    this.slotCount = Float64Array.from(instance.taskManagers, (tm) => tm.slotCount);
    this.memoryCapacity = Float64Array.from(instance.taskManagers, (tm) => tm.memoryBytes);
    this.memoryMatters = anyMemory && instance.taskManagers.some((tm) => Number.isFinite(tm.memoryBytes));
  }

  canTake(task: number, k: number): boolean {
    return this.taskCount[k]! < this.slotCount[k]! && (!this.memoryMatters || this.memoryBytes[k]! + this.taskMemory[task]! <= this.memoryCapacity[k]!);
  }

  add(task: number, k: number): void {
    this.loadMs[k] = this.loadMs[k]! + this.taskLoad[task]!;
    this.taskCount[k] = this.taskCount[k]! + 1;
    this.memoryBytes[k] = this.memoryBytes[k]! + this.taskMemory[task]!;
  }

  remove(task: number, k: number): void {
    this.loadMs[k] = this.loadMs[k]! - this.taskLoad[task]!;
    this.taskCount[k] = this.taskCount[k]! - 1;
    this.memoryBytes[k] = this.memoryBytes[k]! - this.taskMemory[task]!;
  }

  /** u_k = load / speedFactor, in ms of work at the TaskManager's own speed. */
  utilizationMs(k: number): number {
    return this.loadMs[k]! / this.instance.taskManagers[k]!.speedFactor;
  }
}

/** TaskManagers in a binary min-heap by current load (ties: lower index), on typed arrays. */
class LeastLoadedHeap {
  private readonly heap: Int32Array;
  size = 0;

  constructor(
    private readonly load: Float64Array,
    capacity: number,
  ) {
    this.heap = new Int32Array(capacity);
  }

  private before(a: number, b: number): boolean {
    const la = this.load[a]!;
    const lb = this.load[b]!;
    return la < lb || (la === lb && a < b);
  }

  push(k: number): void {
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = this.heap[parent]!;
      if (!this.before(k, p)) break;
      this.heap[i] = p;
      i = parent;
    }
    this.heap[i] = k;
  }

  top(): number {
    return this.size === 0 ? -1 : this.heap[0]!;
  }

  /** Restores the order after the top's load grew. */
  siftTopDown(): void {
    const n = this.size;
    const k = this.heap[0]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.before(this.heap[r]!, this.heap[l]!) ? r : l;
      const child = this.heap[c]!;
      if (!this.before(child, k)) break;
      this.heap[i] = child;
      i = c;
    }
    this.heap[i] = k;
  }

  pop(): number {
    if (this.size === 0) return -1;
    const top = this.heap[0]!;
    this.size--;
    if (this.size > 0) {
      this.heap[0] = this.heap[this.size]!;
      this.siftTopDown();
    }
    return top;
  }
}

export function noTaskManagerFor(solver: string, instance: LoadBalancingInstance, task: number): HeuristicResult<'load-balancing'> {
  return failed(
    `${solver} found no TaskManager with a free slot and enough memory for task ${instance.tasks[task]!.id}. This does not prove the instance infeasible; an exact solver may still assign it.`,
  );
}

/**
 * Assigns tasks in the given order, each to the TaskManager where it finishes first: min (load_k + p)/speed_k
 * among those with a free slot and enough memory, ties to the lower index (Graham's list scheduling; on
 * identical TaskManagers, the least-loaded one). A heap over TaskManagers makes the identical-speed case
 * O(n log K). Returns -1, or the first task no TaskManager could take.
 */
export function assignGreedily(loads: TaskManagerLoads, order: ArrayLike<number>, tmOfTask: Int32Array): number {
  const instance = loads.instance;
  const K = instance.taskManagers.length;
  const speed0 = instance.taskManagers[0]!.speedFactor;
  const identical = instance.taskManagers.every((tm) => tm.speedFactor === speed0);
  if (identical) {
    const heap = new LeastLoadedHeap(loads.loadMs, K);
    for (let k = 0; k < K; k++) if (loads.slotCount[k]! > 0) heap.push(k);
    const aside: number[] = [];
    for (let i = 0; i < order.length; i++) {
      const task = order[i]!;
      let k = heap.top();
      if (k !== -1 && loads.canTake(task, k)) {
        // the common case: the least-loaded TaskManager takes it and stays in the heap while it has slots
        loads.add(task, k);
        tmOfTask[task] = k;
        if (loads.taskCount[k]! < loads.slotCount[k]!) heap.siftTopDown();
        else heap.pop();
        continue;
      }
      // it lacks memory for this task: look further down, then put the skipped ones back
      for (k = heap.pop(); k !== -1 && !loads.canTake(task, k); k = heap.pop()) aside.push(k);
      for (const a of aside) heap.push(a);
      aside.length = 0;
      if (k === -1) return task;
      loads.add(task, k);
      tmOfTask[task] = k;
      if (loads.taskCount[k]! < loads.slotCount[k]!) heap.push(k);
    }
    return -1;
  }
  for (let i = 0; i < order.length; i++) {
    const task = order[i]!;
    const p = loads.taskLoad[task]!;
    let best = -1;
    let bestU = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      if (!loads.canTake(task, k)) continue;
      const u = (loads.loadMs[k]! + p) / instance.taskManagers[k]!.speedFactor;
      if (u < bestU) {
        bestU = u;
        best = k;
      }
    }
    if (best === -1) return task;
    loads.add(task, best);
    tmOfTask[task] = best;
  }
  return -1;
}

/**
 * The result of an assignment given as TaskManager index per task. The objective is the model's
 * (evaluateLoadBalancing's formulas: max utilisation, or Σ (u_k − ū)² with ū = Σ load / Σ speed), computed
 * here from the arrays so that a million tasks need no id lookups.
 */
export function assignmentResult(instance: LoadBalancingInstance, tmOfTask: Int32Array, message?: string): HeuristicResult<'load-balancing'> {
  const K = instance.taskManagers.length;
  const assignments = new Array<{ task: string; taskManager: string }>(instance.tasks.length);
  let totalLoad = 0;
  for (let i = 0; i < instance.tasks.length; i++) {
    const t = instance.tasks[i]!;
    totalLoad += t.load;
    assignments[i] = { task: t.id, taskManager: instance.taskManagers[tmOfTask[i]!]!.id };
  }
  const utilization = utilizationByTaskManager(instance, tmOfTask);
  let totalSpeed = 0;
  for (let k = 0; k < K; k++) totalSpeed += instance.taskManagers[k]!.speedFactor;
  let objective: number;
  if (instance.objective === 'max-utilization') objective = balanceMetrics(utilization).max;
  else {
    const ideal = totalLoad / totalSpeed;
    objective = 0;
    for (let k = 0; k < K; k++) objective += (utilization[k]! - ideal) ** 2;
  }
  const solution: TaskAssignment = { assignments };
  return message === undefined ? { status: 'feasible', solution, objective } : { status: 'feasible', solution, objective, message };
}
