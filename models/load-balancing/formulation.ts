/**
 * The load balancing model as MILPs.
 *
 * Common part (x_tk = 1 when task t runs on TaskManager k):
 *   Σ_k x_tk = 1                               ∀ task t
 *   Σ_t x_tk ≤ slotCount_k                     ∀ TaskManager k   (when finite)
 *   Σ_t mem_t x_tk ≤ memoryBytes_k             ∀ TaskManager k   (when finite)
 *   u_k = Σ_t load_t x_tk / speed_k            (utilisation, ms of work at k's speed)
 *
 * `max-utilization` (P||Cmax on identical, Q||Cmax on speed-scaled TaskManagers):
 *   min U  s.t.  Σ_t load_t x_tk ≤ speed_k · U   ∀ k
 *
 * `squared-deviation`:  min Σ_k (u_k − ū)²,  ū = Σ load / Σ speed.
 *   With d_k = u_k − ū, the convex q_k ≥ d_k² is replaced by its tangents
 *   q_k ≥ 2a·d_k − a² at chosen points a (an outer approximation, so its optimum
 *   is a valid lower bound); `addTangents` adds more where a solution is cut too
 *   loosely, and the solver repeats until the bound meets the true objective of
 *   the best assignment (Kelley's outer approximation; finite, since there are
 *   finitely many assignments and a repeated one is cut exactly).
 */
import { LinearExpr, LinearModel, equalTo, greaterEq, lessEq, sum, type Formulation, type Var, type VarFamily } from '../milp/index.ts';
import { taskManagerOfTask, utilizationByTaskManager, type LoadBalancingInstance, type LoadBalancingTask, type LoadBalancingTaskManager, type TaskAssignment } from './instance.ts';

export interface LoadBalancingFormulationOptions {
  /** A known assignment (valid for the instance) to give the backend as its MIP start. */
  readonly start?: TaskAssignment;
}

export interface LoadBalancingFormulation extends Formulation<TaskAssignment> {
  readonly x: VarFamily<[LoadBalancingTask, LoadBalancingTaskManager]>;
}

export interface SquaredDeviationFormulation extends LoadBalancingFormulation {
  /** d_k = u_k − ū, by TaskManager position. */
  readonly deviation: readonly Var[];
  /** q_k ≥ d_k² (through the tangents), by TaskManager position. */
  readonly square: readonly Var[];
  /** Adds q_k ≥ 2a·d_k − a² for each TaskManager k at a = points[k]; returns how many rows were added. */
  addTangents(points: readonly number[]): number;
  /** The ideal utilisation ū. */
  readonly idealMs: number;
}

function assignmentPart(m: LinearModel, instance: LoadBalancingInstance): VarFamily<[LoadBalancingTask, LoadBalancingTaskManager]> {
  const { tasks, taskManagers } = instance;
  const x = m.binaryVars('x', tasks, taskManagers);
  for (const t of tasks) m.constrain(`assign[${t.id}]`, sum(taskManagers.map((tm) => x(t, tm))), equalTo(1));
  for (const tm of taskManagers) {
    if (Number.isFinite(tm.slotCount)) m.constrain(`slots[${tm.id}]`, sum(tasks.map((t) => x(t, tm))), lessEq(tm.slotCount));
    if (Number.isFinite(tm.memoryBytes) && tasks.some((t) => t.memoryBytes > 0)) {
      const mem = new LinearExpr();
      for (const t of tasks) mem.add(x(t, tm), t.memoryBytes);
      m.constrain(`memory[${tm.id}]`, mem, lessEq(tm.memoryBytes));
    }
  }
  return x;
}

function decoder(instance: LoadBalancingInstance, x: VarFamily<[LoadBalancingTask, LoadBalancingTaskManager]>) {
  return (values: ArrayLike<number>): TaskAssignment => ({
    assignments: x.selected(values).map(([t, tm]) => ({ task: t.id, taskManager: tm.id })),
  });
}

/** x from an assignment (one TaskManager per task); returns the utilisation per TaskManager position. */
function setAssignmentStart(m: LinearModel, instance: LoadBalancingInstance, x: VarFamily<[LoadBalancingTask, LoadBalancingTaskManager]>, start: TaskAssignment): Float64Array {
  const tmOfTask = taskManagerOfTask(instance, start);
  instance.tasks.forEach((t, i) => instance.taskManagers.forEach((tm, k) => m.setStart(x(t, tm), tmOfTask[i] === k ? 1 : 0)));
  return utilizationByTaskManager(instance, tmOfTask);
}

/** Work of task t on TaskManager k's scale: load_t (utilisation is load / speed). */
function loadRow(instance: LoadBalancingInstance, x: VarFamily<[LoadBalancingTask, LoadBalancingTaskManager]>, tm: LoadBalancingTaskManager): LinearExpr {
  const e = new LinearExpr();
  for (const t of instance.tasks) e.add(x(t, tm), t.load);
  return e;
}

/** min max_k u_k. `U` is declared integer when loads are integers and every speed is 1. */
export function formulateMaxUtilization(instance: LoadBalancingInstance, options: LoadBalancingFormulationOptions = {}): LoadBalancingFormulation {
  const m = new LinearModel(`load-balancing:max-utilization:${instance.name}`, 'minimize');
  const x = assignmentPart(m, instance);
  const integral = instance.taskManagers.every((tm) => tm.speedFactor === 1) && instance.tasks.every((t) => Number.isInteger(t.load));
  const U = integral ? m.intVar('maxUtilizationMs') : m.continuousVar('maxUtilizationMs');
  for (const tm of instance.taskManagers) {
    m.constrain(`utilization[${tm.id}]`, loadRow(instance, x, tm), lessEq(new LinearExpr().add(U, tm.speedFactor)));
  }
  m.minimize(U);
  if (options.start) m.setStart(U, Math.max(0, ...setAssignmentStart(m, instance, x, options.start)));
  return { model: m, x, decode: decoder(instance, x) };
}

/** min Σ_k (u_k − ū)² by outer approximation (see the file comment). */
export function formulateSquaredDeviation(instance: LoadBalancingInstance): SquaredDeviationFormulation {
  const m = new LinearModel(`load-balancing:squared-deviation:${instance.name}`, 'minimize');
  const x = assignmentPart(m, instance);
  const totalLoad = instance.tasks.reduce((t, task) => t + task.load, 0);
  const totalSpeed = instance.taskManagers.reduce((t, tm) => t + tm.speedFactor, 0);
  const idealMs = totalLoad / totalSpeed;
  const deviation: Var[] = [];
  const square: Var[] = [];
  for (const tm of instance.taskManagers) {
    const d = m.continuousVar(`deviation[${tm.id}]`, { min: -idealMs, max: totalLoad / tm.speedFactor - idealMs });
    const q = m.continuousVar(`square[${tm.id}]`, { min: 0 });
    // Σ load x / speed − d = ū   (scaled by speed to keep integer coefficients)
    m.constrain(`deviation-def[${tm.id}]`, loadRow(instance, x, tm).sub(d, tm.speedFactor), equalTo(idealMs * tm.speedFactor));
    deviation.push(d);
    square.push(q);
  }
  const addTangents = (points: readonly number[]): number => {
    let added = 0;
    points.forEach((a, k) => {
      if (!Number.isFinite(a)) return;
      const tm = instance.taskManagers[k]!;
      // q_k − 2a d_k ≥ −a²
      m.constrain(`tangent[${tm.id},${m.constraintCount}]`, new LinearExpr().add(square[k]!).sub(deviation[k]!, 2 * a), greaterEq(-a * a));
      added++;
    });
    return added;
  };
  for (const f of [0, 0.25, -0.25, 0.5, -0.5, 1, -1]) addTangents(instance.taskManagers.map(() => f * idealMs));
  m.minimize(sum(square));
  return { model: m, x, decode: decoder(instance, x), deviation, square, addTangents, idealMs };
}
