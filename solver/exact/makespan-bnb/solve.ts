/**
 * `bnb`: an exact branch and bound for min max-utilisation load balancing, i.e. P||Cmax on identical and
 * Q||Cmax on speed-scaled TaskManagers, with the model's slot (cardinality) and memory capacities.
 *
 * Paper vocabulary: job = task, machine = TaskManager, processing time = load, machine speed = speedFactor,
 * Cmax = max utilisation (load / speed).
 *
 * Method: iterative deepening on a target T (the bin-packing dual of P||Cmax).
 * 1. Lower bound: models/load-balancing/bounds.ts (preemptive, work, pigeonhole and Martello–Toth L2 bounds).
 * 2. Upper bound: the `lpt` heuristic's assignment (it respects the capacities), or a better valid assignment
 *    given as `start` (the registry entry passes the best registered heuristic's).
 * 3. Identical TaskManagers without capacities, integer loads: bisection on the capacity between the bound and
 *    MULTIFIT / LPT, each capacity decided as bin packing (decide-packing.ts: L2, first-fit decreasing, bin
 *    completion, the certified Gilmore–Gomory LP bound by column generation, the reduced-cost gap enumeration with
 *    HiGHS over its columns when a MILP backend is given, diving on that LP).
 *    Otherwise: targets rise from the lower bound, each decided by the capacitated search
 *    (capacitated-search.ts); a failed target names the next one, so the first schedule found is optimal.
 *
 * Reports `optimal` with a proof, or at the time limit `feasible` with the current target as the proven bound.
 */
import { maxUtilizationLowerBound } from '../../../models/load-balancing/bounds.ts';
import type { LoadBalancingInstance } from '../../../models/load-balancing/instance.ts';
import { lptAssignment } from '../../heuristics/lpt.ts';
import { decideCapacitated } from './capacitated-search.ts';
import type { MilpBackend } from '../../milp/backend.ts';
import { decidePacking } from './decide-packing.ts';
import { multifit } from './multifit.ts';
import { buildProblem, Deadline, EPS, machinesByTask, maxUtilizationOf, type Problem, type SearchBudget } from './problem.ts';

export interface MakespanBnbStats {
  readonly nodes: number;
  readonly targets: number;
  readonly rootLowerBound: number;
  readonly heuristicUpperBound: number | undefined;
}

export interface MakespanBnbResult {
  readonly status: 'optimal' | 'feasible' | 'infeasible' | 'timeout';
  /** TaskManager position per task position, when a solution is known. */
  readonly machineOfTask?: Int32Array;
  readonly objective?: number;
  readonly bestBound: number;
  readonly stats: MakespanBnbStats;
  readonly message: string;
}

/** The exact search; `timeLimitMs` bounds the wall time. */
export interface MakespanBnbOptions {
  /** Wall-clock limit in ms; default none. */
  readonly timeLimitMs?: number;
  /**
   * Decision mode (the bin-packing dual): stop as soon as an assignment with max utilisation
   * ≤ targetMs is found, or as soon as the proven bound exceeds it. The status is then
   * `feasible` unless optimality happens to be proven as well.
   */
  readonly targetMs?: number;
  /** A valid assignment (TaskManager position per task position) to start from when it beats LPT. */
  readonly start?: Int32Array;
  /** A MILP backend (HiGHS) for the bin-packing decisions' integer program over enumerated patterns (decide-packing.ts, step 5); optional. */
  readonly backend?: MilpBackend;
}

/** What both target loops start from and report with. */
interface SearchStart {
  readonly instance: LoadBalancingInstance;
  readonly p: Problem;
  readonly budget: SearchBudget;
  readonly lowerBound: number;
  /** The LPT assignment (machine per order position) and its max utilisation. */
  readonly heuristic: Int32Array | undefined;
  readonly upperBound: number;
  readonly targetMs: number | undefined;
}

export async function solveMakespanBnb(instance: LoadBalancingInstance, options: MakespanBnbOptions = {}): Promise<MakespanBnbResult> {
  const t0 = performance.now();
  const p = buildProblem(instance);
  const budget: SearchBudget = { nodes: 0, deadline: t0 + (options.timeLimitMs ?? Infinity) };
  const lowerBound = p.n === 0 ? 0 : maxUtilizationLowerBound(instance).valueMs;
  const { tmOfTask, stuck } = lptAssignment(instance);
  let heuristic = stuck === -1 ? Int32Array.from(p.order, (task) => tmOfTask[task]!) : undefined;
  let upperBound = heuristic ? maxUtilizationOf(instance, p, heuristic) : Infinity;
  if (options.start) {
    const given = Int32Array.from(p.order, (task) => options.start![task]!);
    const value = maxUtilizationOf(instance, p, given);
    if (value < upperBound) [heuristic, upperBound] = [given, value];
  }
  const start: SearchStart = { instance, p, budget, lowerBound, heuristic, upperBound, targetMs: options.targetMs };
  return binCompletionApplies(p) ? bisectCapacity(start, options.backend) : deepenTargets(start);
}

/** Bin completion and MULTIFIT need identical TaskManagers without slot or memory capacities, and integer loads. */
function binCompletionApplies(p: Problem): boolean {
  const speed0 = p.speed[0] ?? 1;
  return (
    p.n > 0 &&
    Array.from(p.speed).every((s) => s === speed0) &&
    Array.from(p.load).every((w) => Number.isInteger(w)) &&
    Array.from(p.slotCap).every((c) => c >= p.n) &&
    Array.from(p.memCap).every((c) => c === Infinity)
  );
}

function statsOf(start: SearchStart, targets: number): MakespanBnbStats {
  return { nodes: start.budget.nodes, targets, rootLowerBound: start.lowerBound, heuristicUpperBound: start.heuristic ? start.upperBound : undefined };
}

/** Integer capacities C = T·speed: bisection between the lower bound and MULTIFIT/LPT, each C decided by bin completion. */
async function bisectCapacity(start: SearchStart, backend: MilpBackend | undefined): Promise<MakespanBnbResult> {
  const { p, budget, lowerBound: lb0, targetMs: target } = start;
  const speed0 = p.speed[0] ?? 1;
  let best = start.heuristic;
  let ub = start.upperBound;
  let targets = 0;
  const stats = () => statsOf(start, targets);
  const toTasks = (machine: Int32Array) => machinesByTask(p, machine);
  let lo = Math.round(lb0 * speed0);
  let hi = Math.round(ub * speed0);
  const mf = multifit(p.load, p.m, lo, hi);
  if (mf && maxUtilizationOf(start.instance, p, mf) < ub) {
    best = mf;
    ub = maxUtilizationOf(start.instance, p, mf);
    hi = Math.round(ub * speed0);
  }
  const targetC = target === undefined ? undefined : Math.floor(target * speed0 + EPS);
  const decided = (): MakespanBnbResult | undefined => {
    if (targetC === undefined) return undefined;
    if (hi <= targetC) return { status: 'feasible', machineOfTask: toTasks(best!), objective: ub, bestBound: lo / speed0, stats: stats(), message: `Decision mode: an assignment with max utilisation ${ub} ≤ ${target} exists.` };
    if (lo > targetC) return { status: 'feasible', machineOfTask: toTasks(best!), objective: ub, bestBound: lo / speed0, stats: stats(), message: `Decision mode: no assignment has max utilisation ≤ ${target} (proven bound ${lo / speed0}).` };
    return undefined;
  };
  const tryCapacity = async (C: number): Promise<void> => {
    targets++;
    const machine = await decidePacking(p.load, p.m, C, budget, backend ? { backend } : {});
    if (machine) {
      best = machine;
      ub = maxUtilizationOf(start.instance, p, machine);
      hi = Math.round(ub * speed0);
    } else lo = C + 1;
  };
  try {
    // The lower bound is often the optimum: try it first, then bisect; in decision mode the target comes first.
    for (const first of targetC === undefined ? [lo] : [targetC, lo]) {
      if (first === undefined || first < lo || first >= hi) continue;
      const d = decided();
      if (d) return d;
      await tryCapacity(first);
    }
    while (lo < hi) {
      const d = decided();
      if (d) return d;
      await tryCapacity(Math.floor((lo + hi) / 2));
    }
    return { status: 'optimal', machineOfTask: toTasks(best!), objective: ub, bestBound: ub, stats: stats(), message: `Proven optimal by bin packing decisions: ${ub} fits, ${lo - 1 >= Math.round(lb0 * speed0) ? `${(lo - 1) / speed0} does not` : 'it meets the lower bound'}.` };
  } catch (error) {
    if (!(error instanceof Deadline)) throw error;
    return { status: 'feasible', machineOfTask: toTasks(best!), objective: ub, bestBound: lo / speed0, stats: stats(), message: `Time limit: best ${ub}, proven lower bound ${lo / speed0}.` };
  }
}

/** Targets rising from the lower bound, each decided by the capacitated search; a failed target names the next. */
function deepenTargets(start: SearchStart): MakespanBnbResult {
  const { p, budget } = start;
  const best = start.heuristic;
  const ub = start.upperBound;
  let T = start.lowerBound;
  let targets = 0;
  const stats = () => statsOf(start, targets);
  const toTasks = (machine: Int32Array) => machinesByTask(p, machine);
  try {
    for (;;) {
      if (best && ub <= T * (1 + EPS) + EPS) {
        return { status: 'optimal', machineOfTask: toTasks(best), objective: ub, bestBound: ub, stats: stats(), message: `Proven optimal: the lower bound reached ${T}.` };
      }
      targets++;
      const r = decideCapacitated(p, T, budget);
      if ('machine' in r) {
        const u = maxUtilizationOf(start.instance, p, r.machine);
        return { status: 'optimal', machineOfTask: toTasks(r.machine), objective: u, bestBound: u, stats: stats(), message: `Proven optimal: no assignment fits below ${T}, one fits at ${T}.` };
      }
      if (r.next === Infinity) {
        if (best) return { status: 'optimal', machineOfTask: toTasks(best), objective: ub, bestBound: ub, stats: stats(), message: 'Proven optimal by exhaustive search.' };
        return { status: 'infeasible', bestBound: Infinity, stats: stats(), message: 'Infeasible: no assignment of the tasks respects the slot and memory capacities (exhaustive search).' };
      }
      T = Math.max(r.next, T);
    }
  } catch (error) {
    if (!(error instanceof Deadline)) throw error;
    if (best) {
      return { status: 'feasible', machineOfTask: toTasks(best), objective: ub, bestBound: T, stats: stats(), message: `Time limit: best ${ub}, proven lower bound ${T}.` };
    }
    return { status: 'timeout', bestBound: T, stats: stats(), message: `Time limit without a feasible assignment; proven lower bound ${T}.` };
  }
}
