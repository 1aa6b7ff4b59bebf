/**
 * javascript-lp-solver backend (pure JavaScript, always available).
 *
 * Measured traps (see ../../../shared/NOTES.md): its own timeout is checked only
 * between branch-and-bound nodes and overshoots by seconds (one time-indexed LP
 * cycled without end); on timeout without an integer solution it returns
 * `feasible: true` with fractional values; it reports no bound or gap. So:
 * - each solve runs in a fresh worker thread that is terminated at the solve's
 *   deadline (`MilpSolveOptions.deadlineMs`; the result is then `timeout`: a
 *   killed worker has no incumbent); converting the model counts against it,
 *   and when nothing is left after the conversion no worker starts;
 * - the solver's own timeout is set to a fraction of the limit so that it may
 *   return an incumbent in time; a search that used up that budget is treated
 *   as unfinished (`feasible`), never as optimal;
 * - fractional "answers" to models with integer variables are rejected;
 * - every returned solution is checked against the model and its objective
 *   recomputed (`finishAnswer`);
 * - no bound and no gap are reported: a completed search is reported as
 *   `optimal` on the solver's word, with the message saying so.
 */
import { Worker } from 'node:worker_threads';
import type { LinearModel, MilpResult, SparseModel } from '../../models/milp/index.ts';
import {
  backendDeadlineMs,
  DEFAULT_RELATIVE_GAP,
  finishAnswer,
  type MilpBackend,
  type MilpSolveOptions,
  type RawAnswer,
} from './backend.ts';
import { lpSolverEntryPath, readLpSolverResult, type LpSolverModel } from './interop.ts';

/** Share of the time limit given to the solver's own (overshooting) timeout. */
const OWN_TIMEOUT_SHARE = 0.6;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const solver = require(workerData.entry);
const t0 = Date.now();
try {
  const result = solver.Solve(workerData.model);
  parentPort.postMessage({ ok: true, result, elapsedMs: Date.now() - t0 });
} catch (error) {
  parentPort.postMessage({ ok: false, message: String(error && error.stack || error), elapsedMs: Date.now() - t0 });
}
`;

const OBJECTIVE_KEY = '__objective';
const colKey = (j: number): string => `x${j}`;

/**
 * Writes the model in javascript-lp-solver's JSON format (variables are ≥ 0 unless unrestricted). With a
 * `deadlineMs` (performance.now() ms), the conversion checks the clock every few thousand columns and rows and
 * gives up (undefined) once it has passed: on large models it is seconds of synchronous work.
 */
export function toLpSolverModel(sm: SparseModel, ownTimeoutMs: number): LpSolverModel;
export function toLpSolverModel(sm: SparseModel, ownTimeoutMs: number, deadlineMs: number): LpSolverModel | undefined;
export function toLpSolverModel(sm: SparseModel, ownTimeoutMs: number, deadlineMs: number = Number.POSITIVE_INFINITY): LpSolverModel | undefined {
  const late = (i: number): boolean => (i & 4095) === 4095 && performance.now() >= deadlineMs;
  const variables: Record<string, Record<string, number>> = {};
  const constraints: Record<string, { min?: number; max?: number; equal?: number }> = {};
  const ints: Record<string, 1> = {};
  const unrestricted: Record<string, 1> = {};
  for (let j = 0; j < sm.numVars; j++) {
    if (late(j)) return undefined;
    const col: Record<string, number> = {};
    if (sm.objective[j] !== 0) col[OBJECTIVE_KEY] = sm.objective[j]!;
    variables[colKey(j)] = col;
    if (sm.integer[j] === 1) ints[colKey(j)] = 1;
    const lo = sm.colLower[j]!;
    const hi = sm.colUpper[j]!;
    if (lo < 0) unrestricted[colKey(j)] = 1;
    const boundRow: { min?: number; max?: number; equal?: number } = {};
    if (lo === hi) boundRow.equal = lo;
    else {
      if (lo !== 0 && Number.isFinite(lo)) boundRow.min = lo;
      if (Number.isFinite(hi)) boundRow.max = hi;
    }
    if (Object.keys(boundRow).length > 0) {
      constraints[`b${j}`] = boundRow;
      col[`b${j}`] = 1;
    }
  }
  for (let r = 0; r < sm.numRows; r++) {
    if (late(r)) return undefined;
    const key = `r${r}`;
    const lo = sm.rowLower[r]!;
    const hi = sm.rowUpper[r]!;
    const row: { min?: number; max?: number; equal?: number } = {};
    if (lo === hi) row.equal = lo;
    else {
      if (Number.isFinite(lo)) row.min = lo;
      if (Number.isFinite(hi)) row.max = hi;
    }
    if (Object.keys(row).length === 0) continue;
    constraints[key] = row;
    for (let k = sm.rowStart[r]!; k < sm.rowStart[r + 1]!; k++) variables[colKey(sm.colIndex[k]!)]![key] = sm.coef[k]!;
  }
  return {
    optimize: OBJECTIVE_KEY,
    opType: sm.sense === 'minimize' ? 'min' : 'max',
    constraints,
    variables,
    ints,
    unrestricted,
    options: Number.isFinite(ownTimeoutMs) ? { timeout: Math.max(1, Math.round(ownTimeoutMs)) } : {},
  };
}

interface WorkerReply {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly message?: string;
  readonly elapsedMs: number;
}

export interface LpSolverBackend extends MilpBackend {
  readonly name: 'lp-solver';
}

export function createLpSolverBackend(): LpSolverBackend {
  const live = new Set<Worker>();
  const entry = lpSolverEntryPath();

  const solve = async (model: LinearModel, options: MilpSolveOptions = {}): Promise<MilpResult> => {
    const startedAt = performance.now();
    const deadline = backendDeadlineMs(options, startedAt);
    const timeLimitMs = options.timeLimitMs ?? deadline - startedAt;
    const sm = model.toSparse();
    const integralObjective = model.objectiveIsIntegral();
    const hasIntegers = sm.integer.some((v) => v === 1);
    const ownTimeoutMs = (deadline - performance.now()) * OWN_TIMEOUT_SHARE;
    const json = toLpSolverModel(sm, ownTimeoutMs, deadline);
    const remainingMs = deadline - performance.now();
    const ctx = { backend: 'lp-solver', startedAt, relativeGap: options.relativeGap ?? DEFAULT_RELATIVE_GAP, boundless: true };
    if (json === undefined || remainingMs <= 0) {
      const message = `javascript-lp-solver did not start: the time limit of ${timeLimitMs} ms was used up before it (converting the model took ${Math.round(performance.now() - startedAt)} ms).`;
      return finishAnswer(sm, integralObjective, { claim: 'timeout', message }, ctx);
    }
    const raw = await new Promise<RawAnswer>((resolve) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { entry, model: json },
        resourceLimits: { maxOldGenerationSizeMb: 2048 },
      });
      live.add(worker);
      let settled = false;
      const settle = (answer: RawAnswer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        live.delete(worker);
        void worker.terminate();
        resolve(answer);
      };
      const timer = Number.isFinite(remainingMs)
        ? setTimeout(() => {
            settle({
              claim: 'timeout',
              message: `javascript-lp-solver had not returned at the time limit of ${timeLimitMs} ms; its worker was terminated (no incumbent can be recovered).`,
            });
          }, Math.max(1, deadline - performance.now()))
        : undefined;
      worker.on('message', (reply: WorkerReply) => settle(interpret(reply, sm, hasIntegers, ownTimeoutMs)));
      worker.on('error', (error) => settle({ claim: 'error', message: `javascript-lp-solver worker failed: ${error.message}` }));
      worker.on('exit', (code) => settle({ claim: 'error', message: `javascript-lp-solver worker exited with code ${code}` }));
    });
    return finishAnswer(sm, integralObjective, raw, ctx);
  };

  return {
    name: 'lp-solver',
    solve,
    dispose: () => {
      for (const w of live) void w.terminate();
      live.clear();
    },
  };
}

function interpret(reply: WorkerReply, sm: SparseModel, hasIntegers: boolean, ownTimeoutMs: number): RawAnswer {
  if (!reply.ok) return { claim: 'error', message: `javascript-lp-solver threw: ${reply.message ?? 'unknown error'}` };
  let result;
  try {
    result = readLpSolverResult(reply.result);
  } catch (error) {
    return { claim: 'error', message: (error as Error).message };
  }
  // The search may have stopped at its own timeout: then nothing is proven.
  const mayHaveTimedOut = hasIntegers && reply.elapsedMs >= ownTimeoutMs;
  if (!result.bounded) return { claim: 'unbounded', message: 'javascript-lp-solver reports the model unbounded.' };
  if (!result.feasible) {
    return mayHaveTimedOut
      ? { claim: 'timeout', message: 'javascript-lp-solver stopped at its time budget without a feasible solution.' }
      : { claim: 'infeasible', message: 'javascript-lp-solver reports the model infeasible (its completed search found no solution).' };
  }
  if (hasIntegers && !result.isIntegral) {
    return mayHaveTimedOut
      ? {
          claim: 'timeout',
          message: `javascript-lp-solver stopped at its time budget with only a fractional point (objective ${result.result}); rejected.`,
        }
      : {
          claim: 'error',
          message: `javascript-lp-solver returned a fractional point (objective ${result.result}) without an integral solution; rejected.`,
        };
  }
  const values = new Float64Array(sm.numVars);
  for (let j = 0; j < sm.numVars; j++) values[j] = result.values.get(colKey(j)) ?? 0;
  if (mayHaveTimedOut) {
    return {
      claim: 'incumbent',
      values,
      message: 'javascript-lp-solver used up its time budget; the solution is an incumbent (it reports no bound).',
    };
  }
  return {
    claim: 'optimal',
    values,
    message: hasIntegers
      ? 'javascript-lp-solver completed its branch and bound (optimal on its word; it reports no bound or gap).'
      : 'javascript-lp-solver solved the LP.',
  };
}
