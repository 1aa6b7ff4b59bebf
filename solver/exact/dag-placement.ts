/**
 * Exact DAG placement by MILP (`milp`, `milp:highs`, `milp:lp-solver`), all
 * three variants, with the time-indexed formulation of
 * models/dag-placement/formulation.ts:
 * 1. (the registry entry has run the model's infeasibility check, models/dag-placement/feasibility.ts);
 * 2. lower bound = max(critical path, work / capacity), rounded up when every duration and transfer is
 *    integral (models/dag-placement/bounds.ts);
 * 3. incumbent = the best validated schedule of the list schedules and the registered heuristics
 *    (dag-incumbent.ts), improved by a short descending branch and bound where it applies; if it meets the
 *    lower bound, or that search completes (a proof), it is optimal and no MILP is solved;
 * 4. otherwise the time-indexed MILP with the incumbent's makespan as horizon and
 *    the incumbent as MIP start; the answer is decoded, validated and reported
 *    with the backend's proven bound (never below the lower bound of step 2, rounded the same way).
 * Every answer ends `optimal` when its objective meets its (rounded) proven bound (`settledStatus`).
 * One deadline (`SolveOptions.deadlineMs`, else `timeLimitMs` from the start) covers every step: the heuristics and
 * the pre-search get a share of what remains, the formulation is not handed to the backend when building it used
 * up the time, and the backend gets what remains (`statusAtLimit` says what such an answer reports).
 */
import { makespanLowerBounds, roundUpMakespanBound, type MakespanLowerBounds } from '../../models/dag-placement/bounds.ts';
import { formulateDagPlacementTimeIndexed, planTimeIndexing } from '../../models/dag-placement/formulation.ts';
import { continuousNotApplicable, formulateDagPlacementContinuous } from '../../models/dag-placement/formulation-continuous.ts';
import { relativeGap, type Formulation } from '../../models/milp/index.ts';
import type { DagPlacementInstance, PlacementVariant } from '../../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { makespanMs, toSchedule, type IndexedSchedule, type Schedule } from '../../models/solution.ts';
import type { MilpBackendName } from '../milp/backends.ts';
import { NO_PARAMS } from '../params.ts';
import { defineSolver, limitReached, pastDeadline, solveDeadlineMs, statusAtLimit, type SolveOptions, type SolveResult, type Solver } from '../types.ts';
import { dagBnbNotApplicable, dagBranchAndBound } from './dag-bnb.ts';
import { bestIncumbent } from './dag-incumbent.ts';
import { heuristicBudgetMs } from './heuristic-start.ts';
import { milpSolverName, milpSolvers, prepareBackend, runFormulation } from './milp-glue.ts';
import type { SolveProgress } from '../types.ts';

/** Heuristic improvement of the MIP start: at most this long, and this share of the time limit. */
const IMPROVE_MS = 1_000;
const IMPROVE_SHARE = 0.1;

/** Above this many (subtask, resource, time) cells the continuous-time model is used where it applies. */
const MAX_TIME_INDEXED_CELLS = 400_000;

/** Upper bound in ms on the optimal makespan of any instance with a feasible placement (serial execution). */
function serialHorizonMs(instance: DagPlacementInstance): number {
  let total = 0;
  for (let s = 0; s < instance.subtasks.length; s++) {
    let worst = 0;
    for (let k = 0; k < instance.taskManagers.length; k++) worst = Math.max(worst, instance.durationMs(s, k));
    total += worst;
  }
  const K = instance.taskManagers.length;
  for (const e of instance.edges) {
    let worst = 0;
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) if (a !== b) worst = Math.max(worst, instance.transferMs(e.index, a, b));
    total += worst;
  }
  return total;
}

/**
 * What an exact DAG placement answer reports about a schedule: the schedule, its makespan as objective, the proven
 * bound (never above the objective) and their relative gap. Fields without a value are left out.
 */
export function scheduleAnswer(
  instance: DagPlacementInstance,
  schedule: IndexedSchedule | undefined,
  boundMs: number | undefined,
): Pick<SolveResult<Schedule>, 'solution' | 'objective' | 'bestBound' | 'gap'> {
  const rounded = boundMs === undefined ? undefined : roundUpMakespanBound(instance, boundMs);
  if (schedule === undefined) return rounded === undefined ? {} : { bestBound: rounded };
  const objective = makespanMs(schedule);
  const solution = toSchedule(instance, schedule);
  if (rounded === undefined) return { solution, objective };
  const bestBound = Math.min(rounded, objective);
  return { solution, objective, bestBound, gap: relativeGap(objective, bestBound) };
}

/** True when a makespan meets a proven lower bound (after rounding it up where the instance allows): a proof of optimality. */
export function meetsBound(instance: DagPlacementInstance, makespan: number, boundMs: number): boolean {
  return makespan <= roundUpMakespanBound(instance, boundMs) * (1 + 1e-9) + 1e-9;
}

/** `feasible` becomes `optimal` when the objective meets the proven bound: no exact answer leaves a proof unreported. */
export function settledStatus(instance: DagPlacementInstance, status: SolveResult<Schedule>['status'], objective: number | undefined, boundMs: number | undefined): SolveResult<Schedule>['status'] {
  return status === 'feasible' && objective !== undefined && boundMs !== undefined && meetsBound(instance, objective, boundMs) ? 'optimal' : status;
}

/** How the model's lower bound came about, for messages: `267 ms (critical path 81, work 266.5, rounded up: ...)`. */
export function describeLowerBound(lower: MakespanLowerBounds, boundMs: number = lower.lowerBoundMs): string {
  const rounding = lower.rounded ? '; rounded up to a whole ms because every duration and transfer is integral' : '';
  return `${boundMs} ms (critical path ${lower.criticalPathMs}, work ${lower.workMs}${rounding})`;
}

export interface DagMilpExtras {
  /** Registry name to report (default: the MILP solver's name). */
  readonly solverName?: string;
  /** A better incumbent than the list schedules, and a lower bound proven elsewhere (ms). */
  readonly incumbent?: { readonly schedule: IndexedSchedule; readonly makespanMs: number; readonly rule: string };
  readonly lowerBoundMs?: number;
  /** Start of the overall solve (for the time limit and the reported time). */
  readonly startedAt?: number;
  /** Prefix for the message. */
  readonly note?: string;
}

export async function solveDagPlacementMilp(
  instance: DagPlacementInstance,
  options: Omit<SolveOptions, 'params'>,
  backend: MilpBackendName | 'default' = 'default',
  extras: DagMilpExtras = {},
): Promise<SolveResult<Schedule>> {
  const name = extras.solverName ?? milpSolverName(backend);
  const t0 = extras.startedAt ?? performance.now();
  const deadline = solveDeadlineMs(options, t0);
  options = { ...options, deadlineMs: deadline };
  const variant: PlacementVariant = options.variant ?? instance.variant;
  const elapsed = () => performance.now() - t0;
  const modelBounds = makespanLowerBounds(instance, variant);
  const lower = { ...modelBounds, lowerBoundMs: roundUpMakespanBound(instance, Math.max(modelBounds.lowerBoundMs, extras.lowerBoundMs ?? 0)) };
  let incumbent = extras.incumbent ?? (await bestIncumbent(instance, variant, heuristicBudgetMs(options.timeLimitMs, deadline), deadline));
  // Improve the incumbent (sequenced): a short descending depth-first search over canonical list schedules.
  // Every schedule it finds is a better MIP start and a smaller horizon; when it completes, it is a proof.
  let presearchProof: string | undefined;
  if (!incumbent || !meetsBound(instance, incumbent.makespanMs, lower.lowerBoundMs)) prepareBackend(options); // loads during the pre-search
  if (!extras.incumbent && incumbent && !meetsBound(instance, incumbent.makespanMs, lower.lowerBoundMs) && dagBnbNotApplicable(instance, variant) === null) {
    const budget = Math.min(IMPROVE_MS, IMPROVE_SHARE * (options.timeLimitMs ?? Infinity));
    const improved = dagBranchAndBound(instance, { upperBoundMs: incumbent.makespanMs, lowerBoundMs: lower.lowerBoundMs, deadline: Math.min(performance.now() + budget, deadline), direction: 'descend' });
    if (improved.schedule) incumbent = { schedule: improved.schedule, makespanMs: improved.makespanMs, rule: `improved ${incumbent.rule}` };
    if (improved.complete) presearchProof = `the branch-and-bound pre-search proved that nothing ends before ${incumbent.makespanMs} ms (${improved.nodes} nodes)`;
  }
  if (incumbent) options.onProgress?.({ incumbent: incumbent.makespanMs, bound: lower.lowerBoundMs, source: incumbent.rule });

  const note = extras.note ? `${extras.note} ` : '';
  const result = (
    status: SolveResult<Schedule>['status'],
    schedule: IndexedSchedule | undefined,
    bound: number | undefined,
    message: string,
    extra: { nodes?: number; backend?: string } = {},
  ): SolveResult<Schedule> => {
    const answer = scheduleAnswer(instance, schedule, bound);
    const settled = settledStatus(instance, status, answer.objective, answer.bestBound);
    const proof = settled !== status ? `Optimal: the makespan meets the proven bound ${answer.bestBound} ms${modelBounds.rounded ? ' (bounds rounded up: every duration and transfer is integral)' : ''}. ` : '';
    return {
      solver: name,
      status: settled,
      ...answer,
      timeMs: elapsed(),
      ...(extra.nodes !== undefined ? { nodes: extra.nodes } : {}),
      ...(extra.backend ? { backend: extra.backend } : {}),
      message: note + proof + message,
    };
  };
  if (incumbent && meetsBound(instance, incumbent.makespanMs, lower.lowerBoundMs)) {
    return result('optimal', incumbent.schedule, lower.lowerBoundMs, `Optimal: the ${incumbent.rule} schedule meets the lower bound ${describeLowerBound(modelBounds, lower.lowerBoundMs)}.`);
  }
  if (incumbent && presearchProof) return result('optimal', incumbent.schedule, incumbent.makespanMs, `Optimal: ${presearchProof}; the ${incumbent.rule} schedule attains it.`);
  const stoppedAt = (phase: string): SolveResult<Schedule> =>
    incumbent
      ? result(statusAtLimit(true), incumbent.schedule, lower.lowerBoundMs, `Not proven: ${limitReached(options)} ${phase}; returning the ${incumbent.rule} schedule.`)
      : { solver: name, status: statusAtLimit(false), bestBound: lower.lowerBoundMs, timeMs: elapsed(), message: `${limitReached(options)} ${phase}, without a schedule.` };
  if (pastDeadline(deadline)) return stoppedAt('before the MILP was built');
  const plan = planTimeIndexing(instance, variant);
  const horizonMs = incumbent ? incumbent.makespanMs : serialHorizonMs(instance);
  let formulation: Formulation<IndexedSchedule>;
  let unitMs = 1;
  let sizeLabel: string;
  let restriction: string | undefined;
  const gridCells = instance.subtasks.length * plan.resources.length * Math.ceil(horizonMs / plan.unitMs);
  const gridProblem = plan.problem ?? (gridCells > MAX_TIME_INDEXED_CELLS && continuousNotApplicable(instance, variant) === null ? `the time grid would need ${gridCells} variables (unit ${plan.unitMs} ms)` : undefined);
  if (!gridProblem) {
    const horizon = Math.ceil(horizonMs / plan.unitMs - 1e-7);
    formulation = formulateDagPlacementTimeIndexed(instance, {
      plan,
      horizon,
      lowerBoundMs: lower.lowerBoundMs,
      ...(incumbent ? { start: incumbent.schedule } : {}),
    });
    unitMs = plan.unitMs;
    restriction = (formulation as { readonly restriction?: string }).restriction;
    sizeLabel = `time-indexed model, unit ${plan.unitMs} ms, horizon ${horizon} units`;
  } else {
    const why = continuousNotApplicable(instance, variant);
    if (why) {
      const message = `the time-indexed formulation does not apply (${gridProblem}) and ${why}`;
      return incumbent
        ? result('feasible', incumbent.schedule, lower.lowerBoundMs, `Not proven: ${message}; returning the ${incumbent.rule} schedule.`)
        : { solver: name, status: 'error', timeMs: elapsed(), message };
    }
    formulation = formulateDagPlacementContinuous(instance, {
      variant,
      horizonMs,
      lowerBoundMs: lower.lowerBoundMs,
      ...(incumbent ? { start: incumbent.schedule } : {}),
    });
    sizeLabel = `continuous-time model (${gridProblem}), horizon ${horizonMs} ms`;
  }
  if (pastDeadline(deadline)) return stoppedAt(`while the MILP was built (${sizeLabel})`);
  // the backend reports in the formulation's time units: progress is passed on in ms
  const onProgress = options.onProgress;
  const inMs = onProgress && { onProgress: (e: SolveProgress) => onProgress({ ...e, ...(e.incumbent !== undefined ? { incumbent: e.incumbent * unitMs } : {}), ...(e.bound !== undefined && restriction === undefined ? { bound: roundUpMakespanBound(instance, Math.max(lower.lowerBoundMs, e.bound * unitMs)) } : {}) }) };
  const { milp, solution } = await runFormulation(formulation, backend, { ...options, ...inMs });
  // a narrower model's bound is no bound of the placement model
  const boundMs = roundUpMakespanBound(instance, Math.max(lower.lowerBoundMs, milp.bestBound !== undefined && restriction === undefined ? milp.bestBound * unitMs : 0));
  const size = formulation.model.size();
  const sizeNote = `${sizeLabel}: ${size.variables} variables, ${size.constraints} rows`;
  const extra = { ...(milp.nodes !== undefined ? { nodes: milp.nodes } : {}), backend: milp.backend };
  if (milp.status === 'infeasible') {
    if (incumbent) return result('error', incumbent.schedule, undefined, `The MILP claims infeasibility but a valid schedule exists (${milp.message}); ${sizeNote}.`, extra);
    if (restriction !== undefined) return { solver: name, status: 'error', timeMs: elapsed(), backend: milp.backend, message: `The MILP found no placement, which proves nothing: ${restriction} (${milp.message})` };
    return { solver: name, status: 'infeasible', timeMs: elapsed(), backend: milp.backend, message: `Infeasible: no placement satisfies the slot, memory and sharing rules (${milp.message})` };
  }
  if (solution) {
    const violations = validateDagPlacement(instance, toSchedule(instance, solution), variant);
    if (violations.length > 0) {
      const why = `the decoded MILP schedule fails the validator: ${violations[0]!.message}`;
      return incumbent ? result('feasible', incumbent.schedule, lower.lowerBoundMs, `Not proven: ${why}.`, extra) : { solver: name, status: 'error', timeMs: elapsed(), message: why };
    }
  }
  const better = solution && (!incumbent || makespanMs(solution) <= incumbent.makespanMs) ? solution : incumbent?.schedule;
  if (milp.status === 'optimal' && better) {
    // a narrower model's optimum bounds nothing from below: the proven bound stays the model bounds'
    if (restriction !== undefined) return result('feasible', better, lower.lowerBoundMs, `Not proven: ${restriction}, so its optimum ${makespanMs(better)} ms is not proven optimal for the placement model. ${sizeNote}.`, extra);
    return result('optimal', better, makespanMs(better), `${milp.message} ${sizeNote}.`, extra);
  }
  if (milp.status === 'error' || milp.status === 'unbounded') {
    const why = `the MILP backend failed (${milp.message}); ${sizeNote}`;
    return better ? result('feasible', better, boundMs, `Not proven: ${why}; returning the best schedule known.`, extra) : { solver: name, status: 'error', bestBound: boundMs, timeMs: elapsed(), backend: milp.backend, message: why };
  }
  if (better) return result(statusAtLimit(true), better, boundMs, `Not proven: ${limitReached(options)}. ${milp.message} ${sizeNote}.`, extra);
  return { solver: name, status: statusAtLimit(false), bestBound: boundMs, timeMs: elapsed(), backend: milp.backend, message: `${limitReached(options)} without a schedule. ${milp.message} ${sizeNote}.` };
}

export const dagPlacementMilpSolvers: readonly Solver<'dag-placement'>[] = milpSolvers(
  'dag-placement',
  'time-indexed formulation, list-schedule MIP start, critical-path and work bounds',
  solveDagPlacementMilp,
);
