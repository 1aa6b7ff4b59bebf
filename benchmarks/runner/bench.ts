import { existsSync, statSync } from 'node:fs';
import { OutputFileError } from '../../models/errors.ts';
import type { ResultRow } from './columns.ts';
import { appendResults, normalizeRow, readResultsFile, writeResultsFile } from './csv.ts';
import { planSuite, planVersion, type Plan, type RunSpec } from './plan.ts';
import { formatShard, measuredTimes, predictedTimes, shardOf, type RunTimes, type ShardPlan, type ShardSpec } from './shard.ts';
import { defaultJobs, prestartWorkers, runPool, type PrestartedWorkers } from './pool.ts';
import { lockOutputFile } from './lock.ts';
import { applyReferences } from './references.ts';
import { WORKER_FILE } from './worker-file.ts';
import { loadRunInstance } from './instances.ts';
// run-facts.ts, not run-one.ts: this process does not load the solvers' runners and the runtime that the workers use.
import { createWorkerState, describeRunInstance, emptyRow, type WorkerState } from './run-facts.ts';
import { summarize, summaryNotes, type SolverSummary } from './summary.ts';
import { readSuiteFile, resolveSuitePath } from './suite.ts';
import type { Progress } from './progress.ts';

/**
 * `slotlab bench`: check and plan the suite (nothing runs if anything is wrong), run the runs that are not yet in
 * the output file on a pool of worker processes with the hard per-run limit, append each row as it finishes (so
 * an interrupted bench can resume), then fill in the references and gaps over all rows, rewrite the file whole
 * and summarise per solver.
 */

export { WORKER_FILE };

export interface BenchOptions {
  /** A shipped suite's name (`default`) or a suite file's path. */
  readonly suite: string;
  /** Result CSV; default `results/<suite>.csv` (results/ is ignored by git). */
  readonly out?: string;
  /** Worker processes; default the machine's available parallelism. */
  readonly jobs?: number;
  /** Keep the rows already in `out` and run only the missing ones. */
  readonly resume?: boolean;
  /** Run only this shard of the suite's runs (shard.ts), balanced by predicted run time. */
  readonly shard?: ShardSpec;
  /** A result CSV of an earlier bench of the suite whose measured `run_ms` balance the shards (else predicted). */
  readonly shardTimes?: string;
  /** Called with the plan before any run starts (to print what will happen); `sharding` when `shard` is set. */
  readonly onPlan?: (plan: Plan, toRun: number, skipped: number, sharding?: Sharding) => void;
  /** The worker module (default worker.ts); tests substitute their own. */
  readonly workerFile?: string;
  /** Created once the number of runs is known. */
  readonly progress?: (total: number) => Progress;
  /**
   * Workers the caller started (pool.ts `prestartWorkers`) before it loaded the bench; by default runBench starts
   * its workers itself before it plans, so that their start-up overlaps the planning. Closed when the bench ends.
   */
  readonly prestarted?: PrestartedWorkers;
}

/** What a sharded bench runs: shard `spec` of the partition `plan`, balanced on `times`. */
export interface Sharding {
  readonly spec: ShardSpec;
  readonly plan: ShardPlan;
  readonly times: RunTimes;
}

/** What a bench will run, before anything runs: the suite's plan, its version, and the runs of this bench (all, or one shard's). */
export interface BenchPlan {
  readonly plan: Plan;
  /** plan.ts `planVersion`: every row's `suite_version`. */
  readonly version: string;
  readonly runs: readonly RunSpec[];
  readonly sharding: Sharding | undefined;
}

/** Checks and plans the suite and picks the shard's runs; throws (one line) before anything runs. */
export function planBench(options: Pick<BenchOptions, 'suite' | 'shard' | 'shardTimes'>): BenchPlan {
  const suite = readSuiteFile(resolveSuitePath(options.suite));
  const plan = planSuite(suite);
  const version = planVersion(plan);
  if (options.shard === undefined) return { plan, version, runs: plan.runs, sharding: undefined };
  const times = options.shardTimes !== undefined ? measuredTimes(options.shardTimes, plan.runs) : predictedTimes();
  const { plan: shardPlan, shard } = shardOf(plan.runs, options.shard, times.ofRun);
  return { plan, version, runs: shard.runs, sharding: { spec: options.shard, plan: shardPlan, times } };
}

export interface BenchResult {
  readonly plan: Plan;
  /** Set when the bench ran one shard. */
  readonly sharding: Sharding | undefined;
  readonly out: string;
  /** Every row of the final file, references and gaps filled in. */
  readonly rows: readonly ResultRow[];
  readonly ran: number;
  readonly skipped: number;
  readonly summaries: readonly SolverSummary[];
  readonly notes: readonly string[];
  readonly elapsedMs: number;
}

/** Timeout or crash row, with the instance's facts read in this process. */
function rowWithoutAnswer(spec: RunSpec, status: 'timeout' | 'error', note: string, elapsedMs: number, state: WorkerState): ResultRow {
  const row = emptyRow(spec, status, note, Math.round(elapsedMs * 1000) / 1000);
  try {
    const instance = loadRunInstance(spec.instance, spec.cluster, spec.variant);
    const facts = describeRunInstance(spec, instance, state);
    return normalizeRow({ ...row, ...facts, note: [facts.note, note].filter(Boolean).join('; ') });
  } catch {
    return row;
  }
}

export interface ExecuteRunsOptions {
  readonly jobs: number;
  readonly workerFile?: string;
  readonly progress?: Progress;
  /** Called with each row as its run finishes. */
  readonly onRow?: (row: ResultRow) => void;
  /** Workers started before the runs were known (pool.ts `prestartWorkers` with the same worker file); closed at the end. */
  readonly prestarted?: PrestartedWorkers;
}

/**
 * Runs specs on the worker pool; a run killed at its hard limit becomes a `timeout` row and a crashed worker an
 * `error` row, both with the instance's facts. Rows come back in completion order, without references.
 */
export async function executeRuns(specs: readonly RunSpec[], options: ExecuteRunsOptions): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const mainState = createWorkerState();
  try {
    await runPool<RunSpec, ResultRow>(
      specs.map((spec) => ({ id: spec.runId, payload: spec, hardLimitMs: spec.hardLimitMs })),
      {
        workerFile: options.workerFile ?? WORKER_FILE,
        jobs: options.jobs,
        ...(options.prestarted !== undefined ? { prestarted: options.prestarted } : {}),
        onOutcome: (task, outcome) => {
          const spec = task.payload;
          let row: ResultRow;
          if (outcome.kind === 'result') row = outcome.value;
          else if (outcome.kind === 'timeout')
            row = rowWithoutAnswer(spec, 'timeout', `killed: still running at the hard per-run limit of ${spec.hardLimitMs} ms`, outcome.elapsedMs, mainState);
          else row = rowWithoutAnswer(spec, 'error', outcome.reason, outcome.elapsedMs, mainState);
          rows.push(row);
          options.onRow?.(row);
          options.progress?.done(row);
        },
      },
    );
  } finally {
    options.progress?.stop();
    await options.prestarted?.close();
  }
  return rows;
}

/** The plan's rows first, in plan order, then rows of the file that the plan does not have. */
function ordered(plan: Plan, rows: readonly ResultRow[]): ResultRow[] {
  const position = new Map(plan.runs.map((r, i) => [r.runId, i]));
  const inPlan = rows.filter((r) => position.has(r.run_id)).sort((a, b) => position.get(a.run_id)! - position.get(b.run_id)!);
  return [...inPlan, ...rows.filter((r) => !position.has(r.run_id))];
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const t0 = performance.now();
  const jobs = options.jobs ?? defaultJobs();
  // The workers start now and boot (Node, every solver, the runtime) while this process plans the suite.
  const prestarted = options.prestarted ?? prestartWorkers(options.workerFile ?? WORKER_FILE, jobs);
  try {
    const planned = planBench(options);
    const out = options.out ?? `results/${planned.plan.suite.name}${planned.sharding ? `-shard${planned.sharding.spec.index}of${planned.sharding.spec.count}` : ''}.csv`;
    if (existsSync(out) && !statSync(out).isFile()) throw new OutputFileError(out, `is ${statSync(out).isDirectory() ? 'a folder' : 'not a regular file'}; --out names the result CSV`);
    const release = lockOutputFile(out);
    try {
      return await runLocked(options, t0, planned, out, jobs, prestarted);
    } finally {
      release();
    }
  } finally {
    await prestarted.close();
  }
}

/** The bench proper, while this process holds the output file's lock. */
async function runLocked(options: BenchOptions, t0: number, planned: BenchPlan, out: string, jobs: number, prestarted: PrestartedWorkers): Promise<BenchResult> {
  const { plan, sharding } = planned;
  const shard = sharding ? formatShard(sharding.spec) : null;
  let existing: ResultRow[] = [];
  if (options.resume && existsSync(out)) existing = readResultsFile(out);
  // A shard resumes its own file: rows another shard (or an unsharded bench) wrote would be counted twice by merge.
  const alien = existing.find((r) => r.shard !== shard);
  if (alien !== undefined)
    throw new OutputFileError(out, `holds rows of ${alien.shard === null ? 'an unsharded bench' : `shard ${alien.shard}`} (column shard), but this bench runs ${shard === null ? 'the whole suite' : `shard ${shard}`}: --resume continues the file of the same shard`);
  const done = new Set(existing.map((r) => r.run_id));
  const toRun = planned.runs.filter((r) => !done.has(r.runId));
  const skipped = planned.runs.length - toRun.length;
  options.onPlan?.(plan, toRun.length, skipped, sharding);
  // A fresh file holds the header only; rows are appended as runs finish.
  if (existing.length === 0) writeResultsFile(out, []);

  const stamp = (row: ResultRow): ResultRow => ({ ...row, suite_version: planned.version, shard });
  const fresh = await executeRuns(toRun, {
    jobs,
    prestarted,
    ...(options.workerFile !== undefined ? { workerFile: options.workerFile } : {}),
    ...(options.progress !== undefined ? { progress: options.progress(toRun.length) } : {}),
    onRow: (row) => appendResults(out, [stamp(row)]),
  });

  const rows = applyReferences(ordered(plan, [...existing, ...fresh.map(stamp)]));
  writeResultsFile(out, rows);
  const ids = new Set(planned.runs.map((r) => r.runId));
  const summarised = rows.filter((r) => ids.has(r.run_id));
  const notes = summaryNotes(summarised);
  const foreign = rows.length - summarised.length;
  if (foreign > 0) notes.push(`${foreign} rows of ${out} are not runs of this ${shard === null ? 'suite' : `shard`} as it is now; they are kept in the file and left out of the summary.`);
  const stale = rows.filter((r) => r.suite_version !== planned.version).length;
  if (stale > 0) notes.push(`${stale} rows of ${out} were run under another suite version than ${planned.version} (the suite or its data changed since): \`slotlab merge\` refuses them; run without --resume to replace them.`);
  if (shard !== null) notes.push(`shard ${shard}: gaps compare the rows of this shard only; \`slotlab merge\` recomputes them over all shards.`);
  return { plan, sharding, out, rows, ran: fresh.length, skipped, summaries: summarize(summarised), notes, elapsedMs: performance.now() - t0 };
}
