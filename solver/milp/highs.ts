/**
 * HiGHS backend (the `highs` npm package: HiGHS compiled to WebAssembly, MIT).
 *
 * The model goes in as compressed sparse rows through HiGHS' persistent API
 * (no LP text to write or parse), with `time_limit` and `mip_rel_gap` set and
 * the model's MIP start passed with `setSolution` (highs-runner.cjs). The
 * answer is checked by `finishAnswer` like every backend's. The time limit is
 * the solve's deadline (`MilpSolveOptions.deadlineMs`), passed as a wall-clock
 * instant and turned into HiGHS' `time_limit` just before `run`, so loading
 * the wasm runtime and building the HiGHS model count against it too.
 *
 * By default the wasm runtime lives in a worker thread owned by the backend
 * object (created on first use, kept between solves, unreferenced while idle,
 * ended by `dispose`). HiGHS usually stops at its time limit but not always
 * (measured: 10–15 s late at the root of some time-indexed DAG models), so the
 * worker is terminated 1 s + 5 % after the limit, and the last incumbent and
 * bound HiGHS reported through its callbacks are kept (the grace is
 * `hardKillGraceMs`: 250 ms + 2 % of the limit after the deadline). After any native
 * failure the worker (or, inline, the runtime) is dropped and the next solve
 * starts from a fresh one: a wasm instance is not trusted after an abort.
 * Every HiGHS model is disposed after its solve. The runtime is capped at
 * 2 GiB of memory; a model that needs more ends as `error`.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Highs } from 'highs';
import type { LinearModel, MilpResult } from '../../models/milp/index.ts';
import {
  backendDeadlineMs,
  DEFAULT_RELATIVE_GAP,
  finishAnswer,
  hardKillGraceMs,
  type MilpBackend,
  type MilpProgress,
  type MilpSolveOptions,
  type RawAnswer,
} from './backend.ts';
import { highsLoader } from './interop.ts';

export interface HighsBackendOptions {
  /**
   * Creates a HiGHS runtime for inline solving; default: none, solves run in a worker thread.
   * Giving a loader implies `isolation: 'inline'`.
   */
  readonly load?: () => Promise<Highs>;
  /**
   * `worker` (default): HiGHS runs in a worker thread owned by this backend object, which is terminated
   * when HiGHS overruns its time limit by more than a grace period (1 s + 5 %; HiGHS does not always
   * check its clock, measured: 10–15 s overruns at the root of some time-indexed models), keeping the
   * last incumbent and bound it reported. `inline`: in the calling thread, blocking it.
   */
  readonly isolation?: 'worker' | 'inline';
  /** Extra HiGHS options (snake_case names) applied to every solve. */
  readonly highsOptions?: Readonly<Record<string, boolean | number | string>>;
}

export interface HighsBackend extends MilpBackend {
  readonly name: 'highs';
}

/** One solve, as posted to highs-runner.cjs (structured-cloneable). */
export interface HighsJob {
  readonly id: number;
  readonly numCols: number;
  readonly numRows: number;
  readonly minimize: boolean;
  readonly offset: number;
  readonly colCost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  readonly starts: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
  readonly integrality: Int32Array;
  readonly options: Readonly<Record<string, boolean | number | string>>;
  readonly start?: { readonly indices: readonly number[]; readonly values: readonly number[] };
  readonly log: boolean;
  /** The solve's deadline as a wall-clock instant (performance.timeOrigin + performance.now(), ms); Infinity for none. */
  readonly deadlineEpochMs: number;
  /** Post incumbents and progress while solving (worker mode). */
  readonly events: boolean;
}

export interface HighsOutcome {
  readonly modelStatus: number;
  readonly values?: Float64Array;
  readonly bound?: number;
  readonly nodes?: number;
}

export type HighsEvent =
  | { readonly id: number; readonly type: 'incumbent'; readonly values: Float64Array }
  | { readonly id: number; readonly type: 'progress'; readonly bound?: number; readonly nodes: number }
  | { readonly id: number; readonly type: 'log'; readonly line: string }
  | { readonly id: number; readonly type: 'done'; readonly outcome: HighsOutcome }
  | { readonly id: number; readonly type: 'error'; readonly message: string };

type WithoutId<E> = E extends unknown ? Omit<E, 'id'> : never;

interface HighsRunner {
  runJob(highs: Highs, job: HighsJob, post: (event: WithoutId<HighsEvent>) => void): HighsOutcome;
}

const require = createRequire(import.meta.url);
const RUNNER_PATH = require.resolve('./highs-runner.cjs');
const runner = require(RUNNER_PATH) as HighsRunner;

/** HiGHS' model status codes (stable C API values, `highs.constants.modelStatus`). */
const MODEL_STATUS = {
  optimal: 7,
  empty: 6,
  infeasible: 8,
  unboundedOrInfeasible: 9,
  unbounded: 10,
  timeLimit: 13,
} as const;
const MODEL_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'notSet', 1: 'loadError', 2: 'modelError', 3: 'presolveError', 4: 'solveError', 5: 'postsolveError', 6: 'empty',
  7: 'optimal', 8: 'infeasible', 9: 'unboundedOrInfeasible', 10: 'unbounded', 11: 'objectiveBound', 12: 'objectiveTarget',
  13: 'timeLimit', 14: 'iterationLimit', 15: 'unknown', 16: 'solutionLimit', 17: 'interrupted',
};

export function createHighsBackend(backendOptions: HighsBackendOptions = {}): HighsBackend {
  const inline = backendOptions.isolation === 'inline' || backendOptions.load !== undefined;
  const load = backendOptions.load ?? (() => highsLoader());
  let runtime: Promise<Highs> | undefined; // inline mode
  let worker: Worker | undefined; // worker mode
  let jobs = 0;

  const dropWorker = (): void => {
    const w = worker;
    worker = undefined;
    if (w) void w.terminate();
  };

  /** Runs a job inline; throws on native failure (after dropping the runtime). */
  const runInline = async (job: HighsJob, log?: (line: string) => void): Promise<HighsOutcome> => {
    if (!runtime) runtime = load();
    let highs: Highs;
    try {
      highs = await runtime;
    } catch (error) {
      runtime = undefined;
      throw new Error(`HiGHS failed to load: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      return runner.runJob(highs, job, (event) => {
        if (event.type === 'log' && log) log(event.line);
      });
    } catch (error) {
      runtime = undefined; // a native abort leaves the wasm instance unusable
      throw error;
    }
  };

  /** Runs a job in the worker, terminating it at the deadline; resolves with the outcome or what was reported. */
  const runInWorker = (job: HighsJob, hardLimitMs: number, log?: (line: string) => void, progress?: (event: MilpProgress) => void): Promise<{ outcome?: HighsOutcome; overran?: { values?: Float64Array; bound?: number; nodes?: number }; error?: string }> =>
    new Promise((resolve) => {
      if (!worker) worker = new Worker(RUNNER_PATH, { workerData: { slotlabHighsWorker: true } });
      const w = worker;
      w.ref();
      let incumbent: Float64Array | undefined;
      let bound: number | undefined;
      let nodes: number | undefined;
      let settled = false;
      const finish = (value: { outcome?: HighsOutcome; overran?: { values?: Float64Array; bound?: number; nodes?: number }; error?: string }, kill: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (kill) {
          if (worker === w) worker = undefined;
          void w.terminate();
        } else w.unref();
        resolve(value);
      };
      const onMessage = (event: HighsEvent): void => {
        if (event.id !== job.id) return;
        if (event.type === 'incumbent') {
          incumbent = event.values;
          if (progress) {
            let objective = job.offset;
            for (let i = 0; i < job.numCols; i++) objective += job.colCost[i]! * (incumbent[i] ?? 0);
            progress({ objective });
          }
        } else if (event.type === 'progress') {
          if (event.bound !== undefined && Number.isFinite(event.bound)) bound = event.bound;
          nodes = event.nodes;
          if (progress) progress({ ...(bound !== undefined ? { bound } : {}), ...(nodes !== undefined ? { nodes } : {}) });
        } else if (event.type === 'log') log?.(event.line);
        else if (event.type === 'done') finish({ outcome: event.outcome }, false);
        else finish({ error: event.message }, true);
      };
      const onError = (error: Error): void => finish({ error: `HiGHS worker failed: ${error.message}` }, true);
      const onExit = (code: number): void => finish({ error: `HiGHS worker exited with code ${code}` }, true);
      const timer = Number.isFinite(hardLimitMs)
        ? setTimeout(() => finish({ overran: { ...(incumbent ? { values: incumbent } : {}), ...(bound !== undefined ? { bound } : {}), ...(nodes !== undefined ? { nodes } : {}) } }, true), hardLimitMs)
        : undefined;
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(job);
    });

  const solve = async (model: LinearModel, options: MilpSolveOptions = {}): Promise<MilpResult> => {
    const startedAt = performance.now();
    const deadline = backendDeadlineMs(options, startedAt);
    const timeLimitMs = options.timeLimitMs ?? deadline - startedAt;
    const gapLimit = options.relativeGap ?? DEFAULT_RELATIVE_GAP;
    const sm = model.toSparse();
    const integralObjective = model.objectiveIsIntegral();
    const ctx = { backend: 'highs', startedAt, relativeGap: gapLimit };
    const hasIntegers = sm.integer.some((v) => v === 1);
    let start: HighsJob['start'];
    if (hasIntegers && options.useStart !== false && model.start.size > 0) {
      const indices: number[] = [];
      const values: number[] = [];
      for (const [i, v] of model.start) {
        indices.push(i);
        values.push(v);
      }
      start = { indices, values };
    }
    const job = (presolve: 'choose' | 'off'): HighsJob => ({
      id: ++jobs,
      numCols: sm.numVars,
      numRows: sm.numRows,
      minimize: sm.sense === 'minimize',
      offset: sm.objectiveOffset,
      colCost: sm.objective,
      colLower: sm.colLower,
      colUpper: sm.colUpper,
      rowLower: sm.rowLower,
      rowUpper: sm.rowUpper,
      starts: sm.rowStart,
      indices: sm.colIndex,
      values: sm.coef,
      integrality: Int32Array.from(sm.integer),
      options: {
        output_flag: options.log !== undefined,
        log_to_console: false,
        time_limit: Number.isFinite(deadline) ? Math.max(0.05, (deadline - performance.now()) / 1000) : Infinity,
        mip_rel_gap: gapLimit,
        presolve,
        ...(backendOptions.highsOptions ?? {}),
      },
      ...(start ? { start } : {}),
      log: options.log !== undefined,
      deadlineEpochMs: performance.timeOrigin + deadline,
      events: !inline,
    });
    const run = async (presolve: 'choose' | 'off'): Promise<RawAnswer> => {
      if (performance.now() >= deadline) return { claim: 'timeout', message: `HiGHS did not start: the time limit of ${timeLimitMs} ms was used up before it.` };
      const j = job(presolve);
      if (inline) return interpret(await runInline(j, options.log), timeLimitMs);
      const grace = hardKillGraceMs(timeLimitMs);
      const hard = Number.isFinite(deadline) ? Math.max(0, deadline - performance.now()) + grace : Infinity;
      const r = await runInWorker(j, hard, options.log, options.progress);
      if (r.outcome) return interpret(r.outcome, timeLimitMs);
      if (r.error !== undefined) return { claim: 'error', message: `HiGHS failed: ${r.error}` };
      const o = r.overran ?? {};
      const note = `HiGHS had not stopped ${Math.round(grace)} ms after the time limit of ${timeLimitMs} ms; its worker was terminated`;
      const extra = { ...(o.bound !== undefined ? { bound: o.bound } : {}), ...(o.nodes !== undefined ? { nodes: o.nodes } : {}) };
      return o.values
        ? { claim: 'incumbent', values: o.values, ...extra, message: `${note}, keeping its last incumbent.` }
        : { claim: 'timeout', ...extra, message: `${note}; it had found no solution of its own.` };
    };
    try {
      let raw = await run('choose');
      if (raw.claim === 'error' && raw.message.includes('unbounded or infeasible')) {
        // Presolve does not tell the two apart; the solver without presolve does.
        raw = await run('off');
      }
      return finishAnswer(sm, integralObjective, raw, ctx);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return finishAnswer(sm, integralObjective, { claim: 'error', message: message.startsWith('HiGHS') ? message : `HiGHS failed: ${message}` }, ctx);
    }
  };

  return {
    name: 'highs',
    solve,
    prepare: () => {
      if (inline) {
        if (!runtime) runtime = load();
        return;
      }
      if (!worker) {
        worker = new Worker(RUNNER_PATH, { workerData: { slotlabHighsWorker: true } });
        worker.unref();
      }
    },
    dispose: () => {
      runtime = undefined;
      dropWorker();
    },
  };
}

function interpret(outcome: HighsOutcome, timeLimitMs: number): RawAnswer {
  const { modelStatus: status, values, bound, nodes } = outcome;
  const extra = {
    ...(values ? { values } : {}),
    ...(bound !== undefined && Number.isFinite(bound) ? { bound } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
  };
  switch (status) {
    case MODEL_STATUS.optimal:
      return { claim: 'optimal', ...extra, message: 'HiGHS proved optimality.' };
    case MODEL_STATUS.empty:
      return { claim: 'optimal', values: values ?? new Float64Array(0), message: 'Empty model.' };
    case MODEL_STATUS.infeasible:
      return { claim: 'infeasible', message: 'HiGHS proved the model infeasible.' };
    case MODEL_STATUS.unbounded:
      return { claim: 'unbounded', message: 'HiGHS proved the model unbounded.' };
    case MODEL_STATUS.unboundedOrInfeasible:
      return { claim: 'error', message: 'HiGHS: unbounded or infeasible (not distinguished by presolve).' };
    case MODEL_STATUS.timeLimit:
      return values
        ? { claim: 'incumbent', ...extra, message: `HiGHS reached the time limit of ${timeLimitMs} ms with an incumbent.` }
        : { claim: 'timeout', ...extra, message: `HiGHS reached the time limit of ${timeLimitMs} ms without a solution of its own.` };
    default: {
      const name = MODEL_STATUS_NAMES[status] ?? String(status);
      return values
        ? { claim: 'incumbent', ...extra, message: `HiGHS stopped (${name}) with an incumbent.` }
        : { claim: 'error', ...extra, message: `HiGHS stopped (${name}) without a solution.` };
    }
  }
}
