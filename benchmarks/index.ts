/**
 * The benchmarks layer's public surface: suites (read, check, plan), the bench runner and `executeRuns` (what
 * `slotlab bench` and `slotlab compare` call), result rows and CSV, summaries, and the plots and tables of a results
 * file (report/). Composes datasets/, solver/ and runtime/.
 *
 * Internal: the worker-process pool and its protocol, per-run worker state, reference-table lookups and the glob
 * expansion; the speed benchmarks (benchmarks/*.ts) are scripts, not library code.
 */
export { runBench, executeRuns, type BenchOptions, type BenchResult, type ExecuteRunsOptions } from './runner/bench.ts';
export {
  DEFAULT_RUN_TIME_LIMIT_MS,
  DEFAULT_EXECUTE,
  SUITES_DIR,
  shippedSuiteNames,
  parseSuite,
  readSuiteFile,
  resolveSuitePath,
  type Suite,
  type SuiteGroup,
  type SuiteSolver,
  type SuiteCluster,
  type InstanceEntry,
  type ExecuteOptions,
} from './runner/suite.ts';
export { planSuite, type Plan, type PlanOptions, type RunSpec, type RunCluster, type RunSolver } from './runner/plan.ts';
export { defaultJobs } from './runner/pool.ts';
export { COLUMNS, COLUMN_NAMES, ROW_STATUSES, instanceKey, type ResultRow, type RowStatus, type ColumnName } from './runner/columns.ts';
export { readResultsFile, writeResultsFile, appendResults, rowsToCsv, csvToRows } from './runner/csv.ts';
export { summarize, summaryTable, summaryNotes, type SolverSummary } from './runner/summary.ts';
export * from './report/index.ts';
export { exportFlinkSettings, flinkExportDocument, type FlinkExport, type FlinkExportOptions, type FlinkModePrediction } from './flink/export.ts';
export * from './prediction/index.ts';
