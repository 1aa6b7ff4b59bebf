/**
 * `bnb`: an exact branch and bound for min max-utilisation load balancing,
 * i.e. P||Cmax on identical and Q||Cmax on speed-scaled TaskManagers, with
 * the model's slot (cardinality) and memory capacities.
 *
 * Paper vocabulary: job = task, machine = TaskManager, processing time = load,
 * machine speed = speedFactor, Cmax = max utilisation (load / speed).
 *
 * Method: iterative deepening on a target T (the bin-packing dual of P||Cmax:
 * "do the tasks fit into the TaskManagers with capacities T·speed_k?").
 * 1. Lower bound: max of the preemptive Q|pmtn|Cmax bound
 *    max_j (p_1+…+p_j)/(s_1+…+s_j) (loads and speeds sorted decreasingly),
 *    the pigeonhole bound p_m + p_{m+1} on identical TaskManagers, and the
 *    Martello–Toth bin-packing bound L2 (Discrete Appl. Math. 28, 1990) lifted
 *    to P||Cmax as in Dell'Amico & Martello (ORSA J. Computing 7, 1995):
 *    the least integer T with L2(T) ≤ m.
 * 2. Upper bound: LPT respecting the capacities.
 * 3. For T from the lower bound upwards: a depth-first search assigns tasks in
 *    decreasing load to TaskManagers whose capacity T·speed_k they fit, tries
 *    only one of several TaskManagers in the same state (symmetry), and prunes
 *    when the remaining load exceeds the usable remaining capacity (capacity
 *    below the smallest remaining load is waste). Every prune records the
 *    smallest target at which it would not have happened; when the search fails
 *    the next target is the least of these, which is a valid lower bound on the
 *    optimum. A schedule found at target T is therefore optimal.
 *
 * Reports `optimal` with a proof, or at the time limit `feasible` with the
 * current target as the proven bound.
 */
import type { LoadBalancingInstance, TaskAssignment } from '../../models/load-balancing/instance.ts';
import { evaluateLoadBalancing } from '../../models/load-balancing/instance.ts';
import { relativeGap } from '../../models/milp/index.ts';
import { lptAssignment } from '../heuristics/lpt.ts';
import type { SolveOptions, SolveResult, Solver } from '../types.ts';

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

const EPS = 1e-9;

/** Martello–Toth L2 lower bound on the bins of capacity c needed for `sizes` (sorted decreasingly). */
export function binPackingL2(sizesDesc: readonly number[], c: number): number {
  if (sizesDesc.length === 0) return 0;
  if (sizesDesc[0]! > c + EPS) return Infinity;
  let best = 0;
  const half = c / 2;
  // α ranges over 0 and the distinct sizes ≤ c/2.
  const alphas = new Set<number>([0]);
  for (const w of sizesDesc) if (w <= half + EPS) alphas.add(w);
  for (const alpha of alphas) {
    let n1 = 0;
    let n2 = 0;
    let s2 = 0;
    let s3 = 0;
    for (const w of sizesDesc) {
      if (w > c - alpha + EPS) n1++;
      else if (w > half + EPS) {
        n2++;
        s2 += w;
      } else if (w >= alpha - EPS) s3 += w;
    }
    const spare = n2 * c - s2;
    const extra = Math.max(0, Math.ceil((s3 - spare) / c - EPS));
    best = Math.max(best, n1 + n2 + extra);
  }
  return best;
}

interface Problem {
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

function buildProblem(instance: LoadBalancingInstance): Problem {
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

function rootLowerBound(p: Problem): number {
  const { n, m, load, speed } = p;
  const speeds = Array.from(speed).sort((a, b) => b - a);
  let lb = 0;
  let ps = 0;
  let ss = 0;
  for (let j = 0; j < Math.min(n, m); j++) {
    ps += load[j]!;
    ss += speeds[j]!;
    lb = Math.max(lb, ps / ss);
  }
  const total = p.restLoad[0]!;
  lb = Math.max(lb, total / speeds.reduce((a, b) => a + b, 0));
  const identical = speeds.every((s) => s === speeds[0]);
  if (identical && n > m) lb = Math.max(lb, (load[m - 1]! + load[m]!) / speeds[0]!);
  // L2 lifted to P||Cmax, for integer loads on identical TaskManagers without capacities.
  const integral = Array.from(load).every((w) => Number.isInteger(w));
  const uncapped = Array.from(p.slotCap).every((c) => c >= n) && Array.from(p.memCap).every((c) => c === Infinity);
  if (identical && speeds[0] === 1 && integral && uncapped) {
    let T = Math.ceil(lb - EPS);
    const sizes = Array.from(load);
    while (binPackingL2(sizes, T) > m) T++;
    lb = Math.max(lb, T);
  } else if (identical && integral) {
    lb = Math.ceil(lb * speeds[0]! - EPS) / speeds[0]!;
  }
  return lb;
}

/** The `lpt` heuristic's assignment (it respects slots and memory), as machine per order position; undefined when it gets stuck. */
function lptStart(instance: LoadBalancingInstance, p: Problem): Int32Array | undefined {
  const { tmOfTask, stuck } = lptAssignment(instance);
  return stuck === -1 ? Int32Array.from(p.order, (task) => tmOfTask[task]!) : undefined;
}

function makespanOf(p: Problem, machine: Int32Array): number {
  const load = new Float64Array(p.m);
  for (let i = 0; i < p.n; i++) load[machine[i]!] = load[machine[i]!]! + p.load[i]!;
  let u = 0;
  for (let k = 0; k < p.m; k++) u = Math.max(u, load[k]! / p.speed[k]!);
  return u;
}

class Deadline extends Error {}

/**
 * Decides whether every task fits with utilisation ≤ T. Returns the machine per order
 * position, or the least target at which some prune would not have happened (> T).
 */
function decide(
  p: Problem,
  T: number,
  budget: { nodes: number; deadline: number },
): { machine: Int32Array } | { next: number } {
  const { n, m, load: w, mem: wm, speed, slotCap, memCap, restLoad, restMem } = p;
  const load = new Float64Array(m);
  const count = new Float64Array(m);
  const mem = new Float64Array(m);
  const machine = new Int32Array(n);
  const cap = Float64Array.from(speed, (s) => s * T * (1 + EPS) + EPS);
  let next = Infinity;
  const minLoad = n > 0 ? w[n - 1]! : 0;

  const dfs = (i: number): boolean => {
    if (i === n) return true;
    if ((++budget.nodes & 1023) === 0 && performance.now() > budget.deadline) throw new Deadline();
    // Capacity reasoning for the remaining tasks.
    let freeSlots = 0;
    let freeMem = 0;
    let usable = 0;
    let usableLoad = 0;
    let usableSpeed = 0;
    let unwaste = Infinity;
    for (let k = 0; k < m; k++) {
      const slotsLeft = slotCap[k]! - count[k]!;
      if (slotsLeft <= 0) continue;
      freeSlots += slotsLeft;
      freeMem += memCap[k]! - mem[k]!;
      const r = cap[k]! - load[k]!;
      if (r >= minLoad - EPS) {
        usable += r;
        usableLoad += load[k]!;
        usableSpeed += speed[k]!;
      } else {
        const t = (load[k]! + minLoad) / speed[k]!;
        if (t < unwaste) unwaste = t;
      }
    }
    if (freeSlots < n - i || freeMem < restMem[i]! - EPS) return false; // permanent
    if (restLoad[i]! > usable + EPS) {
      const area = usableSpeed > 0 ? (restLoad[i]! + usableLoad) / usableSpeed : Infinity;
      const t = Math.min(area, unwaste);
      if (t < next) next = t;
      return false;
    }
    const wi = w[i]!;
    const mi = wm[i]!;
    for (let k = 0; k < m; k++) {
      if (count[k]! + 1 > slotCap[k]! || mem[k]! + mi > memCap[k]!) continue;
      if (load[k]! + wi > cap[k]!) {
        const t = (load[k]! + wi) / speed[k]!;
        if (t < next) next = t;
        continue;
      }
      // Symmetry: skip a TaskManager in the same state as an earlier one.
      let same = false;
      for (let q = 0; q < k; q++) {
        if (load[q] === load[k] && speed[q] === speed[k] && count[q] === count[k] && mem[q] === mem[k] && slotCap[q] === slotCap[k] && memCap[q] === memCap[k]) {
          same = true;
          break;
        }
      }
      if (same) continue;
      load[k] = load[k]! + wi;
      count[k] = count[k]! + 1;
      mem[k] = mem[k]! + mi;
      machine[i] = k;
      if (dfs(i + 1)) return true;
      load[k] = load[k]! - wi;
      count[k] = count[k]! - 1;
      mem[k] = mem[k]! - mi;
    }
    return false;
  };
  return dfs(0) ? { machine } : { next };
}


/**
 * Bin completion (Korf, "A new algorithm for optimal bin packing", AAAI 2002;
 * Schreiber & Korf, IJCAI 2013) for identical TaskManagers without slot or
 * memory capacities and integer loads: fill one TaskManager at a time with the
 * largest remaining task plus a maximal set of others whose total waste stays
 * within the slack m·C − Σ loads; L2 prunes each node; failed sets of
 * remaining tasks are remembered (a failure with d TaskManagers filled also
 * fails with more filled). Returns the machine per order position, or null.
 */
function decideBinCompletion(w: Float64Array, m: number, C: number, budget: { nodes: number; deadline: number }): Int32Array | null {
  const n = w.length;
  const total = w.reduce((a, b) => a + b, 0);
  const slack = m * C - total;
  if (slack < 0 || (n > 0 && w[0]! > C)) return null;
  const used = new Uint8Array(n);
  const machine = new Int32Array(n);
  const words = Math.ceil(n / 30) || 1;
  const bits = new Int32Array(words).fill(0);
  for (let i = 0; i < n; i++) bits[(i / 30) | 0]! |= 1 << (i % 30);
  const failed = new Map<string, number>();
  const FAILED_LIMIT = 2_000_000;
  const remainingSizes = (): number[] => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (!used[i]) out.push(w[i]!);
    return out;
  };

  const fill = (bin: number, waste: number, remainingCount: number, remainingSum: number): boolean => {
    if (remainingCount === 0) return true;
    if (bin === m) return false;
    if ((++budget.nodes & 255) === 0 && performance.now() > budget.deadline) throw new Deadline();
    const key = bits.join(',');
    const seenDepth = failed.get(key);
    if (seenDepth !== undefined && seenDepth <= bin) return false;
    if (binPackingL2(remainingSizes(), C) > m - bin) {
      if (failed.size < FAILED_LIMIT) failed.set(key, bin);
      return false;
    }
    let a = 0;
    while (used[a]) a++;
    const residual = C - w[a]!;
    const minSum = residual - (slack - waste); // the completion must reach this much
    used[a] = 1;
    machine[a] = bin;
    bits[(a / 30) | 0]! &= ~(1 << (a % 30));
    // suffix sums of unused items, for the reachability prune
    const suffix = new Float64Array(n + 1);
    for (let j = n - 1; j >= 0; j--) suffix[j] = suffix[j + 1]! + (used[j] ? 0 : w[j]!);
    let chosenCount = 0;
    // Choose the next included task j ≥ start; the unused tasks skipped on the way are excluded
    // (loads are sorted decreasingly, so the last one skipped is the smallest excluded so far).
    const extend = (start: number, sum: number, minExcluded: number): boolean => {
      let excluded = minExcluded;
      let lastTried = -1;
      for (let j = start; j < n; j++) {
        if (used[j]) continue;
        if (sum + suffix[j]! < minSum) return false;
        const wj = w[j]!;
        if (wj !== lastTried && sum + wj <= residual) {
          lastTried = wj; // equal loads: including a later copy instead is symmetric
          used[j] = 1;
          machine[j] = bin;
          bits[(j / 30) | 0]! &= ~(1 << (j % 30));
          chosenCount++;
          const ok = extend(j + 1, sum + wj, excluded);
          chosenCount--;
          used[j] = 0;
          bits[(j / 30) | 0]! |= 1 << (j % 30);
          if (ok) return true;
        }
        excluded = Math.min(excluded, wj);
      }
      // Close the TaskManager here: the completion must be maximal and within the waste budget.
      if (sum < minSum || excluded <= residual - sum) return false;
      return fill(bin + 1, waste + residual - sum, remainingCount - 1 - chosenCount, remainingSum - w[a]! - sum);
    };
    const ok = extend(a + 1, 0, Infinity);
    used[a] = 0;
    bits[(a / 30) | 0]! |= 1 << (a % 30);
    if (!ok && failed.size < FAILED_LIMIT) failed.set(key, bin);
    return ok;
  };
  return fill(0, 0, n, total) ? machine : null;
}

/**
 * MULTIFIT (Coffman, Garey & Johnson, SIAM J. Comput. 7(1), 1978): the least capacity
 * (binary search over integers) at which first-fit decreasing packs the loads into m
 * TaskManagers. Identical TaskManagers without capacities, integer loads.
 */
function multifit(w: Float64Array, m: number, lo: number, hi: number): Int32Array | undefined {
  const ffd = (C: number): Int32Array | undefined => {
    const fill = new Float64Array(m);
    const machine = new Int32Array(w.length);
    for (let i = 0; i < w.length; i++) {
      let k = 0;
      while (k < m && fill[k]! + w[i]! > C) k++;
      if (k === m) return undefined;
      fill[k] = fill[k]! + w[i]!;
      machine[i] = k;
    }
    return machine;
  };
  let best = ffd(hi);
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    const r = ffd(mid);
    if (r) {
      best = r;
      b = mid;
    } else a = mid + 1;
  }
  return best;
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
}

export function solveMakespanBnb(instance: LoadBalancingInstance, options: MakespanBnbOptions = {}): MakespanBnbResult {
  const timeLimitMs = options.timeLimitMs ?? Infinity;
  const target = options.targetMs;
  const t0 = performance.now();
  const p = buildProblem(instance);
  const budget = { nodes: 0, deadline: t0 + timeLimitMs };
  const lb0 = p.n === 0 ? 0 : rootLowerBound(p);
  const heuristic = lptStart(instance, p);
  let best = heuristic;
  let ub = heuristic ? makespanOf(p, heuristic) : Infinity;
  let targets = 0;
  const stats = (): MakespanBnbStats => ({ nodes: budget.nodes, targets, rootLowerBound: lb0, heuristicUpperBound: heuristic ? makespanOf(p, heuristic) : undefined });
  const toTasks = (machine: Int32Array): Int32Array => {
    const out = new Int32Array(p.n);
    for (let i = 0; i < p.n; i++) out[p.order[i]!] = machine[i]!;
    return out;
  };
  let T = lb0;
  const speed0 = p.speed[0] ?? 1;
  const binCompletion =
    p.n > 0 &&
    Array.from(p.speed).every((s) => s === speed0) &&
    Array.from(p.load).every((w) => Number.isInteger(w)) &&
    Array.from(p.slotCap).every((c) => c >= p.n) &&
    Array.from(p.memCap).every((c) => c === Infinity);
  if (binCompletion) {
    // Integer capacities C = T·speed: bisection between the lower bound and MULTIFIT/LPT.
    let lo = Math.round(lb0 * speed0);
    let hi = Math.round(ub * speed0);
    const mf = multifit(p.load, p.m, lo, hi);
    if (mf && makespanOf(p, mf) < ub) {
      best = mf;
      ub = makespanOf(p, mf);
      hi = Math.round(ub * speed0);
    }
    const targetC = target === undefined ? undefined : Math.floor(target * speed0 + EPS);
    const decided = (): MakespanBnbResult | undefined => {
      if (targetC === undefined) return undefined;
      if (hi <= targetC) return { status: 'feasible', machineOfTask: toTasks(best!), objective: ub, bestBound: lo / speed0, stats: stats(), message: `Decision mode: an assignment with max utilisation ${ub} ≤ ${target} exists.` };
      if (lo > targetC) return { status: 'feasible', machineOfTask: toTasks(best!), objective: ub, bestBound: lo / speed0, stats: stats(), message: `Decision mode: no assignment has max utilisation ≤ ${target} (proven bound ${lo / speed0}).` };
      return undefined;
    };
    try {
      // The lower bound is often the optimum: try it first, then the target, then bisect.
      for (const first of [lo, targetC]) {
        if (first === undefined || first < lo || first >= hi) continue;
        const d = decided();
        if (d) return d;
        targets++;
        const machine = decideBinCompletion(p.load, p.m, first, budget);
        if (machine) {
          best = machine;
          ub = makespanOf(p, machine);
          hi = Math.round(ub * speed0);
        } else lo = first + 1;
      }
      while (lo < hi) {
        const d = decided();
        if (d) return d;
        const mid = Math.floor((lo + hi) / 2);
        targets++;
        const machine = decideBinCompletion(p.load, p.m, mid, budget);
        if (machine) {
          best = machine;
          ub = makespanOf(p, machine);
          hi = Math.round(ub * speed0);
        } else lo = mid + 1;
      }
      return { status: 'optimal', machineOfTask: toTasks(best!), objective: ub, bestBound: ub, stats: stats(), message: `Proven optimal by bin completion: ${ub} fits, ${lo - 1 >= Math.round(lb0 * speed0) ? `${(lo - 1) / speed0} does not` : 'it meets the lower bound'}.` };
    } catch (error) {
      if (!(error instanceof Deadline)) throw error;
      return { status: 'feasible', machineOfTask: toTasks(best!), objective: ub, bestBound: lo / speed0, stats: stats(), message: `Time limit: best ${ub}, proven lower bound ${lo / speed0}.` };
    }
  }
  try {
    for (;;) {
      if (best && ub <= T * (1 + EPS) + EPS) {
        return { status: 'optimal', machineOfTask: toTasks(best), objective: ub, bestBound: ub, stats: stats(), message: `Proven optimal: the lower bound reached ${T}.` };
      }
      targets++;
      const r = decide(p, T, budget);
      if ('machine' in r) {
        const u = makespanOf(p, r.machine);
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

export const makespanBnbSolver: Solver<'load-balancing'> = Object.freeze({
  name: 'bnb',
  model: 'load-balancing' as const,
  kind: 'exact' as const,
  description: 'Branch and bound for P||Cmax / Q||Cmax with capacities: iterative deepening on the bin-packing dual, Martello–Toth L2 and area bounds',
  solve: async (instance: LoadBalancingInstance, options: SolveOptions): Promise<SolveResult<TaskAssignment>> => {
    const t0 = performance.now();
    if (instance.objective !== 'max-utilization') {
      return { solver: 'bnb', status: 'error', timeMs: performance.now() - t0, message: `bnb minimises max utilisation; this instance asks for ${instance.objective} (use milp)` };
    }
    const targetMs = typeof options.params?.targetMs === 'number' ? options.params.targetMs : undefined;
    const r = solveMakespanBnb(instance, { timeLimitMs: options.timeLimitMs ?? Infinity, ...(targetMs !== undefined ? { targetMs } : {}) });
    const solution: TaskAssignment | undefined = r.machineOfTask
      ? { assignments: instance.tasks.map((t, i) => ({ task: t.id, taskManager: instance.taskManagers[r.machineOfTask![i]!]!.id })) }
      : undefined;
    const objective = solution ? evaluateLoadBalancing(instance, solution).objective : undefined;
    const gap = objective !== undefined && Number.isFinite(r.bestBound) ? relativeGap(objective, r.bestBound) : undefined;
    return {
      solver: 'bnb',
      status: r.status,
      ...(solution ? { solution } : {}),
      ...(objective !== undefined ? { objective } : {}),
      ...(Number.isFinite(r.bestBound) ? { bestBound: r.bestBound } : {}),
      ...(gap !== undefined ? { gap } : {}),
      nodes: r.stats.nodes,
      timeMs: performance.now() - t0,
      message: r.message,
    };
  },
});
