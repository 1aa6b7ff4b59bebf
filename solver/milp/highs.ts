/**
 * HiGHS backend (the `highs` npm package: HiGHS compiled to WebAssembly, MIT).
 *
 * The model goes in as compressed sparse rows through HiGHS' persistent API
 * (no LP text to write or parse), with `time_limit` and `mip_rel_gap` set and
 * the model's MIP start passed with `setSolution`. The answer is checked by
 * `finishAnswer` like every backend's. The wasm runtime is created by a loader
 * the caller may supply, cached inside the backend object the caller owns, and
 * dropped after any native failure so that the next solve starts from a fresh
 * runtime (a HiGHS wasm instance is not reliable after it has aborted).
 * Every HiGHS model is disposed after its solve. The runtime is capped at
 * 2 GiB of memory; a model that needs more ends as `error`.
 *
 * Solves are synchronous inside the wasm runtime: the calling thread blocks
 * until HiGHS returns, which it does at its time limit.
 */
import type { Highs, ModelStatusCode } from 'highs';
import type { LinearModel, MilpResult } from '../../models/milp/index.ts';
import {
  DEFAULT_RELATIVE_GAP,
  DEFAULT_TIME_LIMIT_MS,
  finishAnswer,
  type MilpBackend,
  type MilpSolveOptions,
  type RawAnswer,
} from './backend.ts';
import { highsLoader } from './interop.ts';

export interface HighsBackendOptions {
  /** Creates a HiGHS runtime; default: the `highs` package's loader. */
  readonly load?: () => Promise<Highs>;
  /** Extra HiGHS options (snake_case names) applied to every solve. */
  readonly highsOptions?: Readonly<Record<string, boolean | number | string>>;
}

export interface HighsBackend extends MilpBackend {
  readonly name: 'highs';
}

export function createHighsBackend(backendOptions: HighsBackendOptions = {}): HighsBackend {
  const load = backendOptions.load ?? (() => highsLoader());
  let runtime: Promise<Highs> | undefined;
  const getRuntime = (): Promise<Highs> => {
    if (!runtime) runtime = load();
    return runtime;
  };

  const solve = async (model: LinearModel, options: MilpSolveOptions = {}): Promise<MilpResult> => {
    const startedAt = performance.now();
    const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    const gapLimit = options.relativeGap ?? DEFAULT_RELATIVE_GAP;
    const sm = model.toSparse();
    const integralObjective = model.objectiveIsIntegral();
    const ctx = { backend: 'highs', startedAt, relativeGap: gapLimit };
    let highs: Highs;
    try {
      highs = await getRuntime();
    } catch (error) {
      runtime = undefined;
      return finishAnswer(sm, integralObjective, { claim: 'error', message: `HiGHS failed to load: ${String(error)}` }, ctx);
    }
    const inf = highs.infinity;
    const clampInf = (a: Float64Array): Float64Array => a.map((v) => (v === Infinity ? inf : v === -Infinity ? -inf : v));
    const run = (presolve: 'choose' | 'off'): RawAnswer => {
      const hm = highs.createModel({
        numCols: sm.numVars,
        numRows: sm.numRows,
        sense: sm.sense === 'minimize' ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize,
        offset: sm.objectiveOffset,
        colCost: sm.objective,
        colLower: clampInf(sm.colLower),
        colUpper: clampInf(sm.colUpper),
        rowLower: clampInf(sm.rowLower),
        rowUpper: clampInf(sm.rowUpper),
        matrix: {
          format: 'csr',
          numRows: sm.numRows,
          numCols: sm.numVars,
          starts: sm.rowStart,
          indices: sm.colIndex,
          values: sm.coef,
        },
        integrality: Int32Array.from(sm.integer),
      });
      try {
        const remainingS = Number.isFinite(timeLimitMs)
          ? Math.max(0.05, (timeLimitMs - (performance.now() - startedAt)) / 1000)
          : inf;
        hm.options.set({
          output_flag: options.log !== undefined,
          log_to_console: false,
          time_limit: remainingS,
          mip_rel_gap: gapLimit,
          presolve,
          ...(backendOptions.highsOptions ?? {}),
        });
        const hasIntegers = sm.integer.some((v) => v === 1);
        if (hasIntegers && options.useStart !== false && model.start.size > 0) {
          const indices: number[] = [];
          const values: number[] = [];
          for (const [i, v] of model.start) {
            indices.push(i);
            values.push(v);
          }
          hm.setSolution({ indices, values });
        }
        const logger = options.log;
        const { modelStatus } = logger
          ? hm.run({
              [highs.constants.callbackType.logging]: (event) => {
                const line = (event.data as { log_msg?: string } | undefined)?.log_msg ?? event.message;
                if (line) logger(line.trimEnd());
                return undefined;
              },
            })
          : hm.run();
        const primalStatus = Number(hm.info.get('primal_solution_status'));
        const hasPrimal = primalStatus === highs.constants.solutionStatus.feasible;
        const values = hasPrimal ? hm.getSolution().colValue : undefined;
        const nodes = hasIntegers ? Number(hm.info.get('mip_node_count')) : undefined;
        const bound = hasIntegers ? Number(hm.info.get('mip_dual_bound')) : undefined;
        return interpret(highs, modelStatus, values, bound, nodes, timeLimitMs);
      } finally {
        hm.dispose();
      }
    };
    try {
      let raw = run('choose');
      if (raw.claim === 'error' && raw.message.includes('unbounded or infeasible')) {
        // Presolve does not tell the two apart; the solver without presolve does.
        raw = run('off');
      }
      return finishAnswer(sm, integralObjective, raw, ctx);
    } catch (error) {
      // A native abort leaves the wasm instance unusable: start a fresh one next time.
      runtime = undefined;
      const message = error instanceof Error ? error.message : String(error);
      return finishAnswer(sm, integralObjective, { claim: 'error', message: `HiGHS failed: ${message}` }, ctx);
    }
  };

  return {
    name: 'highs',
    solve,
    dispose: () => {
      runtime = undefined;
    },
  };
}

function interpret(
  highs: Highs,
  status: ModelStatusCode,
  values: Float64Array | undefined,
  bound: number | undefined,
  nodes: number | undefined,
  timeLimitMs: number,
): RawAnswer {
  const s = highs.constants.modelStatus;
  const extra = {
    ...(values ? { values } : {}),
    ...(bound !== undefined && Number.isFinite(bound) ? { bound } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
  };
  switch (status) {
    case s.optimal:
      return { claim: 'optimal', ...extra, message: 'HiGHS proved optimality.' };
    case s.empty:
      return { claim: 'optimal', values: values ?? new Float64Array(0), message: 'Empty model.' };
    case s.infeasible:
      return { claim: 'infeasible', message: 'HiGHS proved the model infeasible.' };
    case s.unbounded:
      return { claim: 'unbounded', message: 'HiGHS proved the model unbounded.' };
    case s.unboundedOrInfeasible:
      return { claim: 'error', message: 'HiGHS: unbounded or infeasible (not distinguished by presolve).' };
    case s.timeLimit:
      return values
        ? { claim: 'incumbent', ...extra, message: `HiGHS reached the time limit of ${timeLimitMs} ms with an incumbent.` }
        : { claim: 'timeout', ...extra, message: `HiGHS reached the time limit of ${timeLimitMs} ms without a feasible solution.` };
    default: {
      const name = Object.entries(s).find(([, code]) => code === status)?.[0] ?? String(status);
      return values
        ? { claim: 'incumbent', ...extra, message: `HiGHS stopped (${name}) with an incumbent.` }
        : { claim: 'error', ...extra, message: `HiGHS stopped (${name}) without a solution.` };
    }
  }
}
