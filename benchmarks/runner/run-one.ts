import { readFileSync, writeFileSync } from 'node:fs';
import { seededRng } from '../../models/rng.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { evaluateLoadBalancing } from '../../models/load-balancing/instance.ts';
import { usedSlots } from '../../models/slot-allocation/instance.ts';
import { balanceMetrics } from '../../models/metrics.ts';
import { objectiveOf, validateSolution } from '../../models/validate.ts';
import type { AnySolution, CheckedSolutionByModel, InstanceByModel, ModelKind } from '../../models/model-kind.ts';
import type { Violation } from '../../models/violation.ts';
import type { LoadedInstance } from '../../datasets/loaders/index.ts';
import { solveWith } from '../../solver/registry.ts';
import type { SolveOptions, SolveResult } from '../../solver/types.ts';
import type { ResultRow, RowStatus } from './columns.ts';
import { normalizeRow } from './csv.ts';
import { loadRunInstance } from './instances.ts';
import { executePlacement, type ExecutionOutcome } from './execute.ts';
import type { RunSpec } from './plan.ts';
import { runWorkload } from './run-workload.ts';
import { softTimeLimitMs } from './time-limits.ts';
import { createWorkerState, describeRunInstance, emptyRow, type WorkerState } from './run-facts.ts';

/**
 * One run, as a worker process performs it: load the instance, solve it with the named solver, check the
 * solution with the model's own validator, recompute the objective with the model's evaluator, measure, and
 * (when the suite asks) execute the placement on the runtime. Returns the CSV row without the columns that
 * depend on other rows (references and gaps: references.ts fills them at the end).
 * Never throws: whatever goes wrong becomes a row with status `error` and the reason in `note`.
 */

export { softTimeLimitMs, createWorkerState, describeRunInstance, emptyRow, type WorkerState };

/** Linux: resets the process's peak RSS (VmHWM) so that the next reading is this run's peak. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak resident set size in MB: VmHWM where Linux offers it, else the process's lifetime maximum. */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round((Number(m[1]) / 1024) * 10) / 10;
  } catch {
    // not Linux
  }
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** Times are measurements: microseconds are plenty. */
function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function join(...parts: Array<string | null | undefined>): string | null {
  const text = parts.filter((p): p is string => typeof p === 'string' && p !== '').join('; ');
  return text === '' ? null : text;
}

function instanceCacheKey(spec: RunSpec): string {
  return JSON.stringify([spec.instance, spec.cluster?.label ?? null, spec.cluster?.spec ?? null, spec.cluster?.taskManagers ?? null, spec.variant ?? null]);
}

interface Measures {
  predicted: number | null;
  crossTmBytes: number | null;
  maxUtilization: number | null;
  jainIndex: number | null;
}

/**
 * Per-model figures of a valid solution:
 * - DAG placement: predicted completion = makespan; cross-TaskManager bytes; busy utilisation of each
 *   TaskManager (busy slot-time / (slots × makespan)): its maximum and Jain's index;
 * - load balancing: predicted completion = the largest utilisation (ms of work at TaskManager speed: when the
 *   most loaded TaskManager finishes); utilisation max and Jain's index;
 * - slot allocation: no completion time; per TaskManager used slots / slots: maximum and Jain's index.
 */
const MEASURES: { readonly [M in ModelKind]: (instance: InstanceByModel[M], solution: CheckedSolutionByModel[M]) => Measures } = Object.freeze({
  'dag-placement': (instance, solution) => {
    const e = evaluateDagPlacement(instance, solution);
    return { predicted: e.makespanMs, crossTmBytes: e.crossTmBytes, maxUtilization: e.busyUtilization.max, jainIndex: e.busyUtilization.jainIndex };
  },
  'load-balancing': (instance, solution) => {
    const e = evaluateLoadBalancing(instance, solution);
    return { predicted: e.maxUtilizationMs, crossTmBytes: null, maxUtilization: e.maxUtilizationMs, jainIndex: e.balance.jainIndex };
  },
  'slot-allocation': (instance, solution) => {
    const used = usedSlots(instance, solution);
    const b = balanceMetrics(instance.taskManagers.map((tm, i) => (tm.slotCount === 0 ? 0 : used[i]! / tm.slotCount)));
    return { predicted: null, crossTmBytes: null, maxUtilization: b.max, jainIndex: b.jainIndex };
  },
});

function measure<M extends ModelKind>(instance: InstanceByModel[M], solution: CheckedSolutionByModel[M]): Measures {
  return MEASURES[instance.kind as M](instance, solution);
}

/** How a run reaches its solver: the registry's `solveWith`; tests pass a stand-in. */
export type SolveFunction = (name: string, instance: LoadedInstance, options: SolveOptions) => Promise<SolveResult<AnySolution>>;

export async function runOne(spec: RunSpec, state: WorkerState, solve: SolveFunction = solveWith): Promise<ResultRow> {
  const t0 = performance.now();
  resetPeakRss();
  if (spec.workload !== undefined) return runWorkload(spec, spec.workload, emptyRow(spec, 'error', '', null), t0);
  let instance: LoadedInstance;
  try {
    const key = instanceCacheKey(spec);
    instance = state.instances.get(key) ?? loadRunInstance(spec.instance, spec.cluster, spec.variant);
    state.instances.set(key, instance);
  } catch (error) {
    return emptyRow(spec, 'error', `could not load the instance: ${error instanceof Error ? error.message : String(error)}`, ms(performance.now() - t0));
  }
  const facts = describeRunInstance(spec, instance, state);
  const base = { ...emptyRow(spec, 'error', '', null), ...facts };

  let result: SolveResult<AnySolution>;
  try {
    result = await solve(spec.solver.name, instance, {
      rng: seededRng(spec.seed),
      timeLimitMs: spec.solver.timeLimitMs ?? softTimeLimitMs(spec.hardLimitMs),
      ...(spec.solver.relativeGap !== undefined ? { relativeGap: spec.solver.relativeGap } : {}),
      ...(spec.solver.params !== undefined ? { params: spec.solver.params } : {}),
    });
  } catch (error) {
    return normalizeRow({ ...base, status: 'error', note: join(facts.note, `solver threw: ${error instanceof Error ? error.message : String(error)}`), run_ms: ms(performance.now() - t0), peak_rss_mb: peakRssMb() });
  }

  const notes: Array<string | null | undefined> = [facts.note, result.message];
  let status: RowStatus = result.status;
  let violations: Violation[] = [];
  let objective: number | null = result.objective ?? null;
  let measures: Measures = { predicted: null, crossTmBytes: null, maxUtilization: null, jainIndex: null };
  let valid: boolean | null = null;
  let execution: ExecutionOutcome | null = null;

  if (result.solution !== undefined) {
    try {
      violations = validateSolution(instance, result.solution);
    } catch (error) {
      violations = [{ constraint: 'validator', message: `the validator could not read the solution: ${error instanceof Error ? error.message : String(error)}` }];
    }
    valid = violations.length === 0;
    if (!valid) status = 'invalid';
    else {
      objective = objectiveOf(instance, result.solution);
      measures = measure(instance, result.solution);
      if (result.objective !== undefined && Math.abs(result.objective - objective) > 1e-6 * Math.max(1, Math.abs(objective)))
        notes.push(`the solver reported objective ${result.objective}, the model's evaluator gives ${objective} (the evaluator's value is recorded)`);
      if (status === 'timeout') {
        status = 'feasible';
        notes.push('the solver timed out with a valid incumbent');
      } else if (status !== 'optimal' && status !== 'feasible') notes.push(`the solver said ${status} but returned a valid solution`);
      if (spec.execute) {
        execution = await executePlacement(instance, result.solution, spec.execute);
        notes.push(execution.note);
      }
    }
  } else if (status === 'optimal' || status === 'feasible') {
    notes.push(`the solver reported ${status} without a solution`);
    status = 'error';
  }
  // Without a solution there is no objective; an invalid solution keeps the value its solver claimed.
  if (valid === null) objective = null;

  return normalizeRow({
    ...base,
    backend: result.backend ?? null,
    status,
    objective,
    best_bound: result.bestBound ?? null,
    predicted_completion: measures.predicted,
    measured_completion: execution?.measuredMs ?? null,
    cross_tm_bytes: measures.crossTmBytes,
    max_utilization: measures.maxUtilization,
    jain_index: measures.jainIndex,
    valid,
    violations: result.solution !== undefined ? violations.length : null,
    violation: violations[0] ? `${violations[0].constraint}: ${violations[0].message}` : null,
    solve_ms: ms(result.timeMs),
    run_ms: ms(performance.now() - t0),
    peak_rss_mb: peakRssMb(),
    note: join(...notes),
  });
}
