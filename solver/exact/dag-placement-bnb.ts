/**
 * `bnb` for DAG placement: the best of the list schedules and the registered heuristics (dag-incumbent.ts) →
 * optimal at once when it meets the (rounded) lower bound → the branch and bound of dag-bnb.ts →
 * if that has not finished in its share of the time, the time-indexed MILP
 * (default backend) continues from the best schedule and the proven bound.
 * Variants the branch and bound does not handle go to the MILP directly.
 *
 * Where transfers cost time (a non-zero transfer between two TaskManagers) and the constraint model applies
 * (cp/applicable.ts: `sequenced`, one slot per TaskManager, times in multiples of 1/q ms), the descent is short
 * (`COMM_DESCENT_MS`) and the constraint search of cp/solve.ts (Chuffed) takes over from the best schedule: on
 * such instances it proves in seconds what the list-schedule branch and bound and the MILPs do not prove in minutes
 * (docs/exact-solving.md, "Constraint programming").
 */
import { makespanLowerBounds } from '../../models/dag-placement/bounds.ts';
import type { DagPlacementInstance, PlacementVariant } from '../../models/dag-placement/instance.ts';
import { relativeGap } from '../../models/milp/index.ts';
import type { IndexedSchedule, Schedule } from '../../models/solution.ts';
import { NO_PARAMS } from '../params.ts';
import { defineSolver, solveDeadlineMs, type SolveOptions, type SolveResult, type Solver } from '../types.ts';
import { cpNotApplicable } from './cp/applicable.ts';
import { openMiniZinc } from './cp/minizinc-runner.ts';
import { solveDagPlacementCpFrom } from './cp/solve.ts';
import { dagBnbNotApplicable, dagBranchAndBound } from './dag-bnb.ts';
import { bestIncumbent } from './dag-incumbent.ts';
import { describeLowerBound, meetsBound, scheduleAnswer, settledStatus, solveDagPlacementMilp } from './dag-placement.ts';
import { heuristicBudgetMs } from './heuristic-start.ts';
import { prepareBackend, withMilpBackend } from './milp-glue.ts';

/** Share of the time limit the branch and bound gets before the MILP takes over; its cap when there is no limit. */
const BNB_SHARE = 0.5;
const BNB_UNLIMITED_MS = 30_000;
/** The first, descending phase: at most this long and this share of the branch and bound's time. */
const DESCENT_MS = 2_000;
const DESCENT_SHARE = 0.2;
/** With communication, when the constraint search follows: the descent's cap and share of the time limit. */
const COMM_DESCENT_MS = 300;
const COMM_DESCENT_SHARE = 0.05;

export async function solveDagPlacementBnb(instance: DagPlacementInstance, options: Omit<SolveOptions, 'params'>): Promise<SolveResult<Schedule>> {
  const t0 = performance.now();
  // One deadline for the whole solve: the list schedules, both searches and the MILP fallback (which gets what remains).
  const deadline = solveDeadlineMs(options, t0);
  options = { ...options, deadlineMs: deadline };
  const variant: PlacementVariant = options.variant ?? instance.variant;
  const elapsed = () => performance.now() - t0;
  const notApplicable = dagBnbNotApplicable(instance, variant);
  if (notApplicable) return solveDagPlacementMilp(instance, options, 'default', { solverName: 'bnb', startedAt: t0, note: `(${notApplicable}; solved by the time-indexed MILP)` });
  const lower = makespanLowerBounds(instance, variant);
  const list = await bestIncumbent(instance, variant, heuristicBudgetMs(options.timeLimitMs, deadline), deadline);
  const done = (schedule: IndexedSchedule, bound: number, message: string, status: 'optimal' | 'feasible', nodes: number): SolveResult<Schedule> => ({
    solver: 'bnb',
    status,
    ...scheduleAnswer(instance, schedule, bound),
    timeMs: elapsed(),
    nodes,
    message,
  });
  if (!list) return solveDagPlacementMilp(instance, options, 'default', { solverName: 'bnb', startedAt: t0, note: '(no list schedule found; solved by the time-indexed MILP)' });
  if (meetsBound(instance, list.makespanMs, lower.lowerBoundMs)) {
    return done(list.schedule, lower.lowerBoundMs, `Optimal: the ${list.rule} schedule meets the lower bound ${describeLowerBound(lower)}.`, 'optimal', 0);
  }
  const limit = options.timeLimitMs ?? Infinity;
  const share = Number.isFinite(limit) ? limit * BNB_SHARE : BNB_UNLIMITED_MS;
  const constraintSearch = !instance.derived.zeroCommunication && cpNotApplicable(instance, variant) === null;
  // the constraint solver's worker loads its WebAssembly during the descent (closed by solveDagPlacementCpFrom, or here)
  const session = constraintSearch ? openMiniZinc() : undefined;
  let handedOver = false;
  try {
    const descentMs = constraintSearch ? Math.min(COMM_DESCENT_MS, (Number.isFinite(limit) ? limit : BNB_UNLIMITED_MS) * COMM_DESCENT_SHARE) : Math.min(DESCENT_MS, share * DESCENT_SHARE);
    // 1. a short descent from the list schedule: better incumbents (and sometimes the proof)
    const descent = dagBranchAndBound(instance, {
      upperBoundMs: list.makespanMs,
      lowerBoundMs: lower.lowerBoundMs,
      deadline: Math.min(t0 + descentMs, deadline),
      direction: 'descend',
    });
    let best = descent.schedule ? { schedule: descent.schedule, makespanMs: descent.makespanMs, rule: 'branch-and-bound' } : list;
    let nodes = descent.nodes;
    if (descent.complete) {
      return done(best.schedule, best.makespanMs, `Optimal: the branch and bound proved that nothing ends before ${best.makespanMs} ms (${nodes} nodes, descending).`, 'optimal', nodes);
    }
    if (session) {
      // transfers matter: the constraint search continues from the best schedule
      const rule = best === list ? `${list.rule} schedule` : 'branch and bound\'s schedule';
      handedOver = true;
      return await solveDagPlacementCpFrom(instance, variant, { ...best, rule }, options, {
        t0,
        deadline,
        name: 'bnb',
        note: `(transfers cost time: after ${nodes} nodes of branch and bound, the constraint search, solver/exact/cp)`,
        nodes,
        session,
      });
    }
    // 2. deepening from the lower bound: the first schedule found is optimal (the MILP's backend loads meanwhile)
    prepareBackend(options);
    const r = dagBranchAndBound(instance, { upperBoundMs: best.makespanMs, lowerBoundMs: lower.lowerBoundMs, deadline: Math.min(t0 + share, deadline) });
    nodes += r.nodes;
    if (r.schedule) best = { schedule: r.schedule, makespanMs: r.makespanMs, rule: 'branch-and-bound' };
    if (r.complete) {
      return done(best.schedule, best.makespanMs, `Optimal: the branch and bound proved that nothing ends before ${best.makespanMs} ms (${nodes} nodes, ${r.targets} targets).`, 'optimal', nodes);
    }
    const fallback = await solveDagPlacementMilp(instance, options, 'default', {
      solverName: 'bnb',
      startedAt: t0,
      incumbent: best,
      lowerBoundMs: r.lowerBoundMs,
      note: `(branch and bound stopped after ${r.nodes} nodes with bound ${r.lowerBoundMs} ms; the time-indexed MILP continued)`,
    });
    nodes += fallback.nodes ?? 0;
    if ((fallback.status === 'optimal' || fallback.status === 'feasible') && fallback.bestBound !== undefined && fallback.bestBound < r.lowerBoundMs) {
      const bestBound = Math.min(r.lowerBoundMs, fallback.objective ?? Infinity);
      const status = settledStatus(instance, fallback.status, fallback.objective, bestBound);
      const message = status !== fallback.status ? `Optimal: the makespan meets the branch and bound's proven bound ${bestBound} ms. ${fallback.message ?? ''}` : fallback.message;
      return { ...fallback, status, bestBound, ...(fallback.objective !== undefined ? { gap: relativeGap(fallback.objective, bestBound) } : {}), nodes, ...(message !== undefined ? { message } : {}) };
    }
    return { ...fallback, nodes };
  } finally {
    if (session && !handedOver) await session.close();
  }
}

/**
 * An exact DAG solver that does not apply to (instance, variant) for `reason`: the answer of `bnb`, reported under
 * the solver's own `name` with the reason in front of the message (one rule for `allocation-ordering` and `cp`).
 */
export async function solvedByBnbInstead(name: string, reason: string, instance: DagPlacementInstance, options: Omit<SolveOptions, 'params'>): Promise<SolveResult<Schedule>> {
  const r = await solveDagPlacementBnb(instance, options);
  return { ...r, solver: name, message: `(${reason}; solved by bnb) ${r.message ?? ''}`.trim() };
}

export const dagPlacementBnbSolver: Solver<'dag-placement'> = defineSolver({
  name: 'bnb',
  model: 'dag-placement',
  kind: 'exact',
  description: 'Branch and bound over canonical list schedules with energetic heads/tails bounds (sequenced), then the time-indexed MILP; where transfers cost time, the constraint search (cp) after a short descent',
  params: NO_PARAMS,
  run: (instance, options) => withMilpBackend('default', options, (withBackend) => solveDagPlacementBnb(instance, withBackend)),
});
