/**
 * `cp` for DAG placement: the best of the list schedules and the registered heuristics (dag-incumbent.ts), optimal
 * at once when it meets the (rounded) lower bound, else the constraint model of dag-model.ts solved by Chuffed
 * (solve.ts) until the solve's one deadline (60 s without a limit or deadline).
 * Covers `sequenced` with one slot per TaskManager and no memory limits, with speeds, unrelated durations, link
 * speeds and cost matrices, when every time is a multiple of 1/q ms for some q ≤ 1000; other instances go to `bnb`.
 */
import { makespanLowerBounds } from '../../../models/dag-placement/bounds.ts';
import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import type { Schedule } from '../../../models/solution.ts';
import { NO_PARAMS } from '../../params.ts';
import { defineSolver, solveDeadlineMs, statusAtLimit, type SolveOptions, type SolveResult, type Solver } from '../../types.ts';
import { bestIncumbent } from '../dag-incumbent.ts';
import { solvedByBnbInstead } from '../dag-placement-bnb.ts';
import { describeLowerBound, meetsBound, scheduleAnswer } from '../dag-placement.ts';
import { heuristicBudgetMs } from '../heuristic-start.ts';
import { cpNotApplicable } from './applicable.ts';
import { openMiniZinc } from './minizinc-runner.ts';
import { solveDagPlacementCpFrom } from './solve.ts';

const NAME = 'cp';

export async function solveDagPlacementCp(instance: DagPlacementInstance, options: Omit<SolveOptions, 'params'>): Promise<SolveResult<Schedule>> {
  const t0 = performance.now();
  const deadline = solveDeadlineMs(options, t0);
  options = { ...options, deadlineMs: deadline };
  const variant: PlacementVariant = options.variant ?? instance.variant;
  const notApplicable = cpNotApplicable(instance, variant);
  if (notApplicable) return solvedByBnbInstead(NAME, notApplicable, instance, options);
  const lower = makespanLowerBounds(instance, variant);
  // the worker's WebAssembly loads while the heuristics run (closed by solveDagPlacementCpFrom, or here)
  const session = openMiniZinc();
  let handedOver = false;
  try {
    const list = await bestIncumbent(instance, variant, heuristicBudgetMs(options.timeLimitMs, deadline), deadline);
    if (!list) return { solver: NAME, status: statusAtLimit(false), timeMs: performance.now() - t0, message: 'No list schedule found to start from.' };
    if (meetsBound(instance, list.makespanMs, lower.lowerBoundMs))
      return {
        solver: NAME,
        status: 'optimal',
        ...scheduleAnswer(instance, list.schedule, lower.lowerBoundMs),
        timeMs: performance.now() - t0,
        nodes: 0,
        message: `Optimal: the ${list.rule} schedule meets the lower bound ${describeLowerBound(lower)}.`,
      };
    handedOver = true;
    return await solveDagPlacementCpFrom(instance, variant, { schedule: list.schedule, makespanMs: list.makespanMs, rule: `${list.rule} schedule` }, options, { t0, deadline, name: NAME, session });
  } finally {
    if (!handedOver) await session.close();
  }
}

export const dagPlacementCpSolver: Solver<'dag-placement'> = defineSolver({
  name: NAME,
  model: 'dag-placement',
  kind: 'exact',
  description: 'Constraint model solved by Chuffed (lazy clause generation, MiniZinc in WebAssembly), from the best heuristic schedule (sequenced, one slot per TaskManager, times in multiples of 1/q ms); otherwise bnb',
  params: NO_PARAMS,
  run: solveDagPlacementCp,
});
