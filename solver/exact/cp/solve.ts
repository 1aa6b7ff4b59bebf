/**
 * DAG placement with communication by constraint programming: the model of dag-model.ts solved by Chuffed, a lazy
 * clause generation solver (Chuffed 0.13 in the `minizinc` package's WebAssembly; minizinc-runner.ts), from the
 * best schedule known (improved by the local search over allocations), searching only strictly below it:
 *
 * - Chuffed finishes its search with a schedule ("==========") → that schedule is optimal;
 * - it finishes without one (UNSATISFIABLE below the start's makespan) → the start is optimal;
 * - the time runs out → the best schedule found (or the start), with the model's lower bound.
 *
 * Chuffed's schedule is taken as an allocation and an order per TaskManager only: the times are recomputed here in
 * the instance's own (floating-point) ms as the earliest start in that order, so a rounding in the scaled integers
 * never reaches the answer; the recomputed makespan is never above Chuffed's (checked).
 * Chuffed runs with a fixed seed (`-r 1`): the same instance gives the same answer at any load, unless the time
 * limit cuts it.
 */
import { makespanLowerBounds } from '../../../models/dag-placement/bounds.ts';
import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import type { IndexedSchedule, Schedule } from '../../../models/solution.ts';
import { limitReached, statusAtLimit, type SolveOptions, type SolveResult } from '../../types.ts';
import { DIRECT_SHARE, searchAllocationOrdering } from '../allocation-ordering/allocation.ts';
import { AllocationBoundState, allocationBound } from '../allocation-ordering/bounds.ts';
import { AoProblem } from '../allocation-ordering/problem.ts';
import { allocationSchedule, improveStart, localSearchDeadline, type SearchStart } from '../allocation-ordering/start.ts';
import { describeLowerBound, meetsBound, scheduleAnswer, settledStatus } from '../dag-placement.ts';
import { buildCpDagModel, cpTimeScale } from './dag-model.ts';
import { openMiniZinc, type MiniZincMessage, type MiniZincSession } from './minizinc-runner.ts';

/** Search time when the caller gives neither a limit nor a deadline. */
const UNLIMITED_MS = 60_000;
/**
 * Chuffed's own time limit ends this long before the solve's deadline (its start-up, about a second, comes before
 * its clock starts); the worker is terminated this long after the deadline if Chuffed has not stopped by itself.
 * The solutions it streamed before are kept either way.
 */
const STOP_MARGIN_MS = 1_000;
const TERMINATE_GRACE_MS = 100;
const SEED = 1;

export interface CpStart {
  readonly schedule: IndexedSchedule;
  readonly makespanMs: number;
  readonly rule: string;
}

interface ChuffedOutcome {
  /** The last (best) solution printed: TaskManager (1-based) and start (scaled) per subtask, and the makespan. */
  readonly best?: { readonly mk: number; readonly m: number[]; readonly s: number[] };
  readonly complete: boolean;
  readonly nodes: number;
  /** Chuffed's own seconds: reading the model, searching. */
  readonly initS?: number;
  readonly solveS?: number;
  readonly error?: string;
}

/** What Chuffed streamed (minizinc's `--json-stream`): its solutions, final status and statistics. */
function readChuffed(messages: readonly MiniZincMessage[], stderr: string, exitCode: number | undefined): ChuffedOutcome {
  let best: ChuffedOutcome['best'];
  let complete = false;
  let nodes = 0;
  const seconds: { initS?: number; solveS?: number } = {};
  let error: string | undefined;
  for (const message of messages) {
    if (message.type === 'solution') {
      // `mk = 543;`, `m = array1d(1..n, [...]);`, `s = array1d(1..n, [...]);`
      const solution: { mk?: number; m?: number[]; s?: number[] } = {};
      for (const line of String((message.output as { dzn?: string } | undefined)?.dzn ?? '').split('\n')) {
        const assignment = /^(mk|m|s) = (.*);$/.exec(line.trim());
        if (!assignment) continue;
        const text = assignment[2]!;
        const value = JSON.parse(text.startsWith('array1d(') ? text.slice(text.indexOf('['), text.lastIndexOf(']') + 1) : text) as number | number[];
        if (assignment[1] === 'mk') solution.mk = value as number;
        else solution[assignment[1] as 'm' | 's'] = value as number[];
      }
      if (solution.mk !== undefined && solution.m && solution.s) best = { mk: solution.mk, m: solution.m, s: solution.s };
    } else if (message.type === 'status') {
      if (message.status === 'OPTIMAL_SOLUTION' || message.status === 'UNSATISFIABLE') complete = true;
      else if (message.status === 'ERROR') error ??= firstLine(stderr) ?? 'MiniZinc reported an error';
    } else if (message.type === 'statistics') {
      const st = message.statistics as Record<string, number>;
      if (typeof st.nodes === 'number') nodes = st.nodes;
      if (typeof st.initTime === 'number') seconds.initS = st.initTime;
      if (typeof st.solveTime === 'number') seconds.solveS = st.solveTime;
    } else if (message.type === 'error') error ??= String(message.message ?? 'MiniZinc reported an error');
  }
  if (error === undefined && exitCode !== undefined && exitCode !== 0 && !complete) error = firstLine(stderr) ?? `MiniZinc exited with code ${exitCode}`;
  return { best, complete: complete && error === undefined, nodes, ...seconds, ...(error !== undefined ? { error } : {}) };
}

const firstLine = (text: string): string | undefined => text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('%%%'))?.trim();

/** The earliest schedule of Chuffed's allocation in its order per TaskManager, in the instance's ms. */
function retime(p: AoProblem, m: readonly number[], s: readonly number[]): { alloc: Int32Array; start: Float64Array; end: Float64Array; makespanMs: number } {
  const alloc = Int32Array.from(m, (k) => k - 1);
  const order = Array.from({ length: p.n }, (_, i) => i).sort((a, b) => s[a]! - s[b]! || p.allocPos[a]! - p.allocPos[b]!);
  const start = new Float64Array(p.n);
  const end = new Float64Array(p.n);
  const free = new Float64Array(p.K);
  let makespanMs = 0;
  for (const i of order) {
    const k = alloc[i]!;
    start[i] = p.arrivalMs(i, alloc, end, free);
    end[i] = start[i]! + p.dur[i * p.K + k]!;
    free[k] = end[i]!;
    if (end[i]! > makespanMs) makespanMs = end[i]!;
  }
  return { alloc, start, end, makespanMs };
}

/**
 * Solves (instance, variant) from `start` until `deadline` (performance.now() ms; Infinity: 60 s). The caller has
 * checked `cpNotApplicable` and that `start` does not meet the lower bound. `name` is the solver reported;
 * `session`: a MiniZinc worker the caller opened early (its WebAssembly loads meanwhile); closed here.
 */
export async function solveDagPlacementCpFrom(
  instance: DagPlacementInstance,
  variant: PlacementVariant,
  start: CpStart,
  options: Omit<SolveOptions, 'params'>,
  timing: { readonly t0: number; readonly deadline: number; readonly name: string; readonly note?: string; readonly nodes?: number; readonly session?: MiniZincSession },
): Promise<SolveResult<Schedule>> {
  // the worker (and its WebAssembly) starts now, while the local search runs; closed whatever happens
  const session = timing.session ?? openMiniZinc();
  try {
    return await cpSearch(instance, variant, start, options, timing, session);
  } finally {
    await session.close();
  }
}

async function cpSearch(
  instance: DagPlacementInstance,
  variant: PlacementVariant,
  start: CpStart,
  options: Omit<SolveOptions, 'params'>,
  timing: { readonly t0: number; readonly deadline: number; readonly name: string; readonly note?: string; readonly nodes?: number },
  session: MiniZincSession,
): Promise<SolveResult<Schedule>> {
  const { t0, deadline, name } = timing;
  const elapsed = () => performance.now() - t0;
  const endMs = Number.isFinite(deadline) ? deadline : t0 + UNLIMITED_MS;
  const lower = makespanLowerBounds(instance, variant);
  const problem = new AoProblem(instance);
  const note = timing.note ? ` ${timing.note}` : '';
  const answer = (schedule: IndexedSchedule, bound: number, status: SolveResult<Schedule>['status'], message: string, nodes: number): SolveResult<Schedule> => {
    const a = scheduleAnswer(instance, schedule, bound);
    return { solver: name, status: settledStatus(instance, status, a.objective, a.bestBound), ...a, timeMs: elapsed(), nodes: nodes + (timing.nodes ?? 0), message: `${message}${note}` };
  };
  let best: Required<SearchStart> = improveStart(problem, start, localSearchDeadline(t0, endMs));
  if (meetsBound(instance, best.makespanMs, lower.lowerBoundMs))
    return answer(best.schedule, lower.lowerBoundMs, 'optimal', `Optimal: the ${best.rule} meets the lower bound ${describeLowerBound(lower)}.`, 0);
  const scaled = cpTimeScale(instance);
  if ('problem' in scaled) throw new Error(`internal: the constraint model does not apply (${scaled.problem}); cpNotApplicable should have said so`);
  // the makespan's lower bound in the model: the allocation–ordering search's root bound (transfers counted where
  // an input cannot share its consumer's TaskManager), never below the model's own
  const rootBoundMs = Math.max(lower.lowerBoundMs, allocationBound(problem, new Int32Array(problem.n).fill(-1), new AllocationBoundState(problem)));
  const { flatzinc, scale } = buildCpDagModel(problem, scaled.scale, rootBoundMs, best.makespanMs, true);
  const limitMs = Math.max(1, Math.floor(endMs - performance.now() - STOP_MARGIN_MS));
  const chuffed = session
    .run({
      files: { 'model.fzn': flatzinc },
      args: ['model.fzn', '--solver', 'chuffed', '-f', '-r', String(SEED), '-s', '--time-limit', String(limitMs)],
      jsonStream: true,
      hardDeadline: endMs + TERMINATE_GRACE_MS,
    })
    .then(
      (run) => ({ run }),
      (error: Error) => ({ error }),
    );
  // Meanwhile, on this thread: the allocation–ordering search from the same start (strong where communication is
  // heavy), stopped by the shared flag as soon as Chuffed has finished. The first proof wins.
  const now = performance.now();
  const ao = searchAllocationOrdering(problem, best.makespanMs, lower.lowerBoundMs, endMs, now + Math.max(0, endMs - now) * DIRECT_SHARE, session.finished);
  const aoStats = `allocation–ordering search: ${ao.nodes} nodes`;
  if (ao.best && ao.best.ordering.makespanMs < best.makespanMs - 1e-9)
    best = { schedule: allocationSchedule(instance, ao.best.alloc, ao.best.ordering), makespanMs: ao.best.ordering.makespanMs, rule: "allocation–ordering search's schedule" };
  if (ao.complete) {
    await session.close();
    await chuffed;
    return answer(best.schedule, best.makespanMs, 'optimal', `Optimal: the allocation–ordering search, racing the constraint search, proved that nothing ends before ${best.makespanMs} ms, the makespan of the ${best.rule} (${aoStats}).`, ao.nodes);
  }
  const finished = await chuffed;
  if ('error' in finished) throw finished.error;
  const run = finished.run;
  const out = readChuffed(run.messages, run.stderr, run.exitCode);
  const units = scale === 1 ? 'ms' : `1/${scale} ms`;
  const searched = out.solveS !== undefined ? `, ${out.solveS.toFixed(2)} s searching after ${(out.initS ?? 0).toFixed(2)} s reading the model` : '';
  const stats = `Chuffed: ${out.nodes} nodes${searched}; times in units of ${units}; ${aoStats}`;
  const nodes = out.nodes + ao.nodes;
  const startMs = best.makespanMs;
  if (out.best) {
    const t = retime(problem, out.best.m, out.best.s);
    if (t.makespanMs > (out.best.mk / scale) * (1 + 1e-9) + 1e-9)
      throw new Error(`internal: Chuffed's schedule retimed to ${t.makespanMs} ms, above its makespan ${out.best.mk / scale} ms`);
    if (t.makespanMs < best.makespanMs - 1e-9) best = { schedule: allocationSchedule(instance, t.alloc, t), makespanMs: t.makespanMs, rule: 'constraint search' };
  }
  if (out.complete) {
    // Chuffed searched every makespan below the start's: its last schedule, or else the start, is optimal
    if (!out.best && best.makespanMs < startMs - 1e-9) throw new Error(`internal: Chuffed found nothing below ${startMs} ms, but a schedule of ${best.makespanMs} ms exists`);
    const how = out.best
      ? `Optimal: the constraint search (lazy clause generation) proved that no schedule ends before ${best.makespanMs} ms`
      : `Optimal: the constraint search (lazy clause generation) proved that no schedule ends before ${best.makespanMs} ms, the makespan of the ${best.rule}`;
    return answer(best.schedule, best.makespanMs, 'optimal', `${how} (${stats}).`, nodes);
  }
  const why = out.error ? `the constraint solver failed (${out.error})` : run.stopped === 'deadline' ? 'the constraint solver was stopped at the deadline' : limitReached(options);
  const boundMs = Math.max(rootBoundMs, ao.lowerBoundMs);
  return answer(best.schedule, boundMs, statusAtLimit(true), `Not proven: ${why}; best schedule: the ${best.rule}; bound ${boundMs} ms (the model's ${describeLowerBound(lower)}, raised by the allocation–ordering search's bounds) (${stats}).`, nodes);
}
