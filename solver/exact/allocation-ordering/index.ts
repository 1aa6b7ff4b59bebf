/**
 * `allocation-ordering` for DAG placement: the best of the list schedules and the registered heuristics
 * (dag-incumbent.ts) → optimal at once when it meets the (rounded) lower bound → the allocation–ordering
 * depth-first branch and bound (allocation.ts, ordering.ts) until the solve's one deadline (`deadlineMs`, else
 * `timeLimitMs` from the start; 60 s of search without either), as every exact solver.
 * Covers `sequenced` with one slot per TaskManager and no memory limits, with speeds, unrelated durations, link
 * speeds and cost matrices (transfers only across TaskManagers). Other instances go to `bnb`
 * (dag-placement-bnb.ts), which hands what it does not cover to the time-indexed MILP.
 */
import { makespanLowerBounds } from '../../../models/dag-placement/bounds.ts';
import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import type { IndexedSchedule, Schedule } from '../../../models/solution.ts';
import { NO_PARAMS } from '../../params.ts';
import { defineSolver, limitReached, solveDeadlineMs, statusAtLimit, type SolveOptions, type SolveResult, type Solver } from '../../types.ts';
import { bestIncumbent } from '../dag-incumbent.ts';
import { solveDagPlacementBnb } from '../dag-placement-bnb.ts';
import { describeLowerBound, meetsBound, scheduleAnswer, settledStatus } from '../dag-placement.ts';
import { heuristicBudgetMs } from '../heuristic-start.ts';
import { searchAllocationOrdering } from './allocation.ts';
import { improveAllocation } from './local-search.ts';
import type { OrderingResult } from './ordering.ts';
import { AoProblem, allocationOrderingNotApplicable } from './problem.ts';

export { allocationOrderingNotApplicable } from './problem.ts';

/** Search time when the caller gives neither a limit nor a deadline. */
const UNLIMITED_MS = 60_000;
/** The local search's budget: allocations scored, and at most this share of the time to the deadline. */
const LOCAL_SEARCH_EVALUATIONS = 20_000;
const LOCAL_SEARCH_SHARE = 0.15;
/** Share of the remaining time searched below the incumbent before bisection takes over (allocation.ts). */
const DIRECT_SHARE = 0.5;
const NAME = 'allocation-ordering';

export async function solveDagPlacementAllocationOrdering(instance: DagPlacementInstance, options: Omit<SolveOptions, 'params'>): Promise<SolveResult<Schedule>> {
  const t0 = performance.now();
  // One deadline for the whole solve: the incumbents, the search, or bnb when the search does not apply.
  const deadline = solveDeadlineMs(options, t0);
  options = { ...options, deadlineMs: deadline };
  const variant: PlacementVariant = options.variant ?? instance.variant;
  const notApplicable = allocationOrderingNotApplicable(instance, variant);
  if (notApplicable) {
    const r = await solveDagPlacementBnb(instance, options);
    return { ...r, solver: NAME, message: `(${notApplicable}; solved by bnb) ${r.message ?? ''}`.trim() };
  }
  const elapsed = () => performance.now() - t0;
  const lower = makespanLowerBounds(instance, variant);
  const list = await bestIncumbent(instance, variant, heuristicBudgetMs(options.timeLimitMs, deadline), deadline);
  const answer = (schedule: IndexedSchedule | undefined, bound: number, status: SolveResult<Schedule>['status'], message: string, nodes: number): SolveResult<Schedule> => {
    const a = scheduleAnswer(instance, schedule, bound);
    return { solver: NAME, status: settledStatus(instance, status, a.objective, a.bestBound), ...a, timeMs: elapsed(), nodes, message };
  };
  if (list && meetsBound(instance, list.makespanMs, lower.lowerBoundMs))
    return answer(list.schedule, lower.lowerBoundMs, 'optimal', `Optimal: the ${list.rule} schedule meets the lower bound ${describeLowerBound(lower)}.`, 0);
  const problem = new AoProblem(instance);
  const endMs = Number.isFinite(deadline) ? deadline : t0 + UNLIMITED_MS;
  const toSchedule = (alloc: Int32Array, ordering: OrderingResult): IndexedSchedule => ({
    slotOfSubtask: Int32Array.from(alloc, (k) => instance.taskManagers[k]!.firstSlot),
    startMs: ordering.start,
    endMs: ordering.end,
  });
  let schedule = list?.schedule;
  let rule = list?.rule ?? 'none';
  let upperMs = list?.makespanMs ?? Infinity;
  if (list) {
    // the incumbent improved by the local search over allocations (local-search.ts), within its share of the time
    const initial = Int32Array.from(list.schedule.slotOfSubtask, (slot) => instance.slots[slot]!.taskManager);
    const improved = improveAllocation(problem, initial, LOCAL_SEARCH_EVALUATIONS, t0 + (endMs - t0) * LOCAL_SEARCH_SHARE);
    if (improved.ordering.makespanMs < upperMs - 1e-9) {
      schedule = toSchedule(improved.alloc, improved.ordering);
      upperMs = improved.ordering.makespanMs;
      rule = `local search from the ${list.rule} schedule (${improved.evaluations} allocations scored)`;
      if (meetsBound(instance, upperMs, lower.lowerBoundMs))
        return answer(schedule, lower.lowerBoundMs, 'optimal', `Optimal: the ${rule} meets the lower bound ${describeLowerBound(lower)}.`, 0);
    }
  }
  const now = performance.now();
  const r = searchAllocationOrdering(problem, upperMs, lower.lowerBoundMs, endMs, now + Math.max(0, endMs - now) * DIRECT_SHARE);
  if (r.best) {
    schedule = toSchedule(r.best.alloc, r.best.ordering);
    rule = 'allocation–ordering search';
  }
  const stats = `${r.nodes} nodes, ${r.allocationNodes} of them allocating, ${r.orderings} complete allocations ordered, ${r.targets} targets`;
  if (r.complete) {
    if (!schedule) return { solver: NAME, status: 'infeasible', timeMs: elapsed(), nodes: r.nodes, message: `The allocation–ordering search found no schedule (${stats}).` };
    return answer(schedule, r.lowerBoundMs, 'optimal', `Optimal: the allocation–ordering search proved that nothing ends before the ${rule} schedule's makespan (${stats}).`, r.nodes);
  }
  if (!schedule) return { solver: NAME, status: statusAtLimit(false), timeMs: elapsed(), nodes: r.nodes, ...(Number.isFinite(r.lowerBoundMs) ? { bestBound: r.lowerBoundMs } : {}), message: `${limitReached(options)} without a schedule (${stats}).` };
  return answer(schedule, Math.max(r.lowerBoundMs, lower.lowerBoundMs), statusAtLimit(true), `Not proven: ${limitReached(options)}; best schedule from the ${rule}, bound proven by the allocation–ordering search (its root bound, raised by every target it refuted; ${stats}).`, r.nodes);
}

export const dagPlacementAllocationOrderingSolver: Solver<'dag-placement'> = defineSolver({
  name: NAME,
  model: 'dag-placement',
  kind: 'exact',
  description: 'Allocation–ordering branch and bound (Orr & Sinnen 2015) with communication-aware bounds (sequenced, one slot per TaskManager); otherwise bnb',
  params: NO_PARAMS,
  run: solveDagPlacementAllocationOrdering,
});
