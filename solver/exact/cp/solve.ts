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
import { AoProblem } from '../allocation-ordering/problem.ts';
import { allocationSchedule, improveStart, localSearchDeadline, type SearchStart } from '../allocation-ordering/start.ts';
import { describeLowerBound, meetsBound, scheduleAnswer, settledStatus } from '../dag-placement.ts';
import { buildCpDagModel, cpTimeScale } from './dag-model.ts';
import { runMiniZinc } from './minizinc-runner.ts';

/** Search time when the caller gives neither a limit nor a deadline. */
const UNLIMITED_MS = 60_000;
/** Chuffed's own time limit ends this long before the solve's deadline (its answer still has to come back). */
const STOP_MARGIN_MS = 250;
/** The worker is terminated this long after the deadline if Chuffed has not stopped by itself. */
const TERMINATE_GRACE_MS = 1_000;
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
  readonly error?: string;
}

function readChuffed(stdout: string, stderr: string, exitCode: number | undefined): ChuffedOutcome {
  let best: ChuffedOutcome['best'];
  let complete = false;
  let nodes = 0;
  let unknown = false;
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (t.startsWith('{')) best = JSON.parse(t) as ChuffedOutcome['best'];
    else if (t === '==========' || t === '=====UNSATISFIABLE=====') complete = true;
    else if (t === '=====UNKNOWN=====') unknown = true;
    else if (t.startsWith('%%%mzn-stat: nodes=')) nodes = Number(t.slice('%%%mzn-stat: nodes='.length)) || nodes;
    else if (t === '=====ERROR=====') return { best, complete: false, nodes, error: firstLine(stderr) ?? 'MiniZinc reported an error' };
  }
  if (exitCode !== 0 && !complete && !unknown && best === undefined) return { complete: false, nodes, error: firstLine(stderr) ?? `MiniZinc exited with code ${exitCode}` };
  return { best, complete, nodes };
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
 * checked `cpNotApplicable` and that `start` does not meet the lower bound. `name` is the solver reported.
 */
export async function solveDagPlacementCpFrom(
  instance: DagPlacementInstance,
  variant: PlacementVariant,
  start: CpStart,
  options: Omit<SolveOptions, 'params'>,
  timing: { readonly t0: number; readonly deadline: number; readonly name: string; readonly note?: string; readonly nodes?: number },
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
  const { model, data, scale } = buildCpDagModel(problem, scaled.scale, lower.lowerBoundMs, best.makespanMs, true);
  const limitMs = Math.max(1, Math.floor(endMs - performance.now() - STOP_MARGIN_MS));
  const run = await runMiniZinc({
    files: { 'model.mzn': model, 'data.dzn': data },
    args: ['model.mzn', 'data.dzn', '--solver', 'chuffed', '-f', '-r', String(SEED), '-s', '--time-limit', String(limitMs)],
    hardDeadline: endMs + TERMINATE_GRACE_MS,
  });
  const out = readChuffed(run.stdout, run.stderr, run.exitCode);
  const units = scale === 1 ? 'ms' : `1/${scale} ms`;
  const stats = `Chuffed: ${out.nodes} nodes; times in units of ${units}`;
  if (out.best) {
    const t = retime(problem, out.best.m, out.best.s);
    if (t.makespanMs > (out.best.mk / scale) * (1 + 1e-9) + 1e-9)
      throw new Error(`internal: Chuffed's schedule retimed to ${t.makespanMs} ms, above its makespan ${out.best.mk / scale} ms`);
    if (t.makespanMs < best.makespanMs - 1e-9)
      best = { schedule: allocationSchedule(instance, t.alloc, t), makespanMs: t.makespanMs, rule: 'constraint search' };
  }
  if (out.complete) {
    const how = out.best
      ? `Optimal: the constraint search (lazy clause generation) proved that no schedule ends before ${best.makespanMs} ms`
      : `Optimal: the constraint search (lazy clause generation) proved that no schedule ends before the ${best.rule}'s makespan ${best.makespanMs} ms`;
    return answer(best.schedule, best.makespanMs, 'optimal', `${how} (${stats}).`, out.nodes);
  }
  const why = out.error ? `the constraint solver failed (${out.error})` : run.stopped === 'deadline' ? 'the constraint solver was stopped at the deadline' : limitReached(options);
  return answer(best.schedule, lower.lowerBoundMs, statusAtLimit(true), `Not proven: ${why}; best schedule: the ${best.rule}; bound ${describeLowerBound(lower)} (${stats}).`, out.nodes);
}
