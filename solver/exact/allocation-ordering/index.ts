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
import { solvedByBnbInstead } from '../dag-placement-bnb.ts';
import { describeLowerBound, meetsBound, scheduleAnswer, settledStatus } from '../dag-placement.ts';
import { DIRECT_SHARE, searchAllocationOrdering } from './allocation.ts';
import { AoProblem, allocationOrderingNotApplicable } from './problem.ts';
import { allocationSchedule, searchStart } from './start.ts';

export { allocationOrderingNotApplicable } from './problem.ts';

/** Search time when the caller gives neither a limit nor a deadline. */
const UNLIMITED_MS = 60_000;
const NAME = 'allocation-ordering';

export async function solveDagPlacementAllocationOrdering(instance: DagPlacementInstance, options: Omit<SolveOptions, 'params'>): Promise<SolveResult<Schedule>> {
  const t0 = performance.now();
  // One deadline for the whole solve: the incumbents, the search, or bnb when the search does not apply.
  const deadline = solveDeadlineMs(options, t0);
  options = { ...options, deadlineMs: deadline };
  const variant: PlacementVariant = options.variant ?? instance.variant;
  const notApplicable = allocationOrderingNotApplicable(instance, variant);
  if (notApplicable) return solvedByBnbInstead(NAME, notApplicable, instance, options);
  const elapsed = () => performance.now() - t0;
  const lower = makespanLowerBounds(instance, variant);
  const answer = (schedule: IndexedSchedule | undefined, bound: number, status: SolveResult<Schedule>['status'], message: string, nodes: number): SolveResult<Schedule> => {
    const a = scheduleAnswer(instance, schedule, bound);
    return { solver: NAME, status: settledStatus(instance, status, a.objective, a.bestBound), ...a, timeMs: elapsed(), nodes, message };
  };
  const problem = new AoProblem(instance);
  const endMs = Number.isFinite(deadline) ? deadline : t0 + UNLIMITED_MS;
  const meets = (makespan: number) => meetsBound(instance, makespan, lower.lowerBoundMs);
  const start = await searchStart(problem, variant, { t0, endMs, deadline, timeLimitMs: options.timeLimitMs }, meets);
  if (start.schedule && meets(start.makespanMs))
    return answer(start.schedule, lower.lowerBoundMs, 'optimal', `Optimal: the ${start.rule} meets the lower bound ${describeLowerBound(lower)}.`, 0);
  let schedule = start.schedule;
  let rule = start.rule;
  const upperMs = start.makespanMs;
  const now = performance.now();
  const r = searchAllocationOrdering(problem, upperMs, lower.lowerBoundMs, endMs, now + Math.max(0, endMs - now) * DIRECT_SHARE);
  if (r.best) {
    schedule = allocationSchedule(instance, r.best.alloc, r.best.ordering);
    rule = "allocation–ordering search's schedule";
  }
  const stats = `${r.nodes} nodes, ${r.allocationNodes} of them allocating, ${r.orderings} complete allocations ordered, ${r.targets} targets`;
  if (r.complete) {
    if (!schedule) return { solver: NAME, status: 'infeasible', timeMs: elapsed(), nodes: r.nodes, message: `The allocation–ordering search found no schedule (${stats}).` };
    return answer(schedule, r.lowerBoundMs, 'optimal', `Optimal: the allocation–ordering search proved that nothing ends before the makespan of the ${rule} (${stats}).`, r.nodes);
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
