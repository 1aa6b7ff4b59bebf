/**
 * The result row of a benchmark run and the CSV columns it is written as, in order.
 * docs/benchmarks.md documents every column; the two lists are checked against each other by a test.
 *
 * A value that does not apply or is unknown is `null` and an empty CSV cell (never 0, never NaN).
 */

/** What a run ended with: the solver's own status, or `invalid` when its solution failed the model's validator. */
export const ROW_STATUSES = ['optimal', 'feasible', 'infeasible', 'unbounded', 'timeout', 'error', 'invalid'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** Where a row's `best_known` comes from. */
export const REFERENCE_SOURCES = ['published-optimum', 'published-best', 'suite-exact', 'suite-best'] as const;
export type ReferenceSource = (typeof REFERENCE_SOURCES)[number];

export interface ResultRow {
  readonly suite: string;
  readonly group: string;
  readonly dataset: string;
  readonly instance: string;
  readonly model: string;
  readonly variant: string | null;
  readonly cluster: string | null;
  readonly subtasks: number | null;
  readonly task_managers: number | null;
  readonly slots: number | null;
  readonly solver: string;
  readonly solver_kind: string;
  readonly backend: string | null;
  readonly seed: number;
  readonly status: RowStatus;
  readonly objective: number | null;
  readonly best_bound: number | null;
  readonly published_lower_bound: number | null;
  readonly published_best_known: number | null;
  readonly lower_bound: number | null;
  readonly lower_bound_source: string | null;
  readonly best_known: number | null;
  readonly best_known_source: ReferenceSource | null;
  readonly gap_to_best_known: number | null;
  readonly gap_to_lower_bound: number | null;
  readonly predicted_completion: number | null;
  readonly measured_completion: number | null;
  readonly cross_tm_bytes: number | null;
  readonly max_utilization: number | null;
  readonly jain_index: number | null;
  readonly valid: boolean | null;
  readonly violations: number | null;
  readonly violation: string | null;
  readonly solve_ms: number | null;
  readonly run_ms: number | null;
  readonly peak_rss_mb: number | null;
  readonly queue_policy: string | null;
  readonly allocation_policy: string | null;
  readonly avg_completion_predicted: number | null;
  readonly avg_completion_measured: number | null;
  readonly p95_completion_predicted: number | null;
  readonly p95_completion_measured: number | null;
  readonly makespan: number | null;
  readonly slot_utilization: number | null;
  readonly fairness: number | null;
  readonly note: string | null;
  readonly run_id: string;
  /** The plan's identity (plan.ts `planVersion`): rows of different versions are not merged. */
  readonly suite_version: string | null;
  /** `i/N` when the row was run as shard i of N (`bench --shard`), empty for an unsharded bench. */
  readonly shard: string | null;
}

export type ColumnName = keyof ResultRow;
export type ColumnType = 'string' | 'number' | 'boolean';

/** Every column in CSV order with its type and whether it may be empty. */
export const COLUMNS: ReadonlyArray<{ readonly name: ColumnName; readonly type: ColumnType; readonly nullable: boolean }> = Object.freeze([
  { name: 'suite', type: 'string', nullable: false },
  { name: 'group', type: 'string', nullable: false },
  { name: 'dataset', type: 'string', nullable: false },
  { name: 'instance', type: 'string', nullable: false },
  { name: 'model', type: 'string', nullable: false },
  { name: 'variant', type: 'string', nullable: true },
  { name: 'cluster', type: 'string', nullable: true },
  { name: 'subtasks', type: 'number', nullable: true },
  { name: 'task_managers', type: 'number', nullable: true },
  { name: 'slots', type: 'number', nullable: true },
  { name: 'solver', type: 'string', nullable: false },
  { name: 'solver_kind', type: 'string', nullable: false },
  { name: 'backend', type: 'string', nullable: true },
  { name: 'seed', type: 'number', nullable: false },
  { name: 'status', type: 'string', nullable: false },
  { name: 'objective', type: 'number', nullable: true },
  { name: 'best_bound', type: 'number', nullable: true },
  { name: 'published_lower_bound', type: 'number', nullable: true },
  { name: 'published_best_known', type: 'number', nullable: true },
  { name: 'lower_bound', type: 'number', nullable: true },
  { name: 'lower_bound_source', type: 'string', nullable: true },
  { name: 'best_known', type: 'number', nullable: true },
  { name: 'best_known_source', type: 'string', nullable: true },
  { name: 'gap_to_best_known', type: 'number', nullable: true },
  { name: 'gap_to_lower_bound', type: 'number', nullable: true },
  { name: 'predicted_completion', type: 'number', nullable: true },
  { name: 'measured_completion', type: 'number', nullable: true },
  { name: 'cross_tm_bytes', type: 'number', nullable: true },
  { name: 'max_utilization', type: 'number', nullable: true },
  { name: 'jain_index', type: 'number', nullable: true },
  { name: 'valid', type: 'boolean', nullable: true },
  { name: 'violations', type: 'number', nullable: true },
  { name: 'violation', type: 'string', nullable: true },
  { name: 'solve_ms', type: 'number', nullable: true },
  { name: 'run_ms', type: 'number', nullable: true },
  { name: 'peak_rss_mb', type: 'number', nullable: true },
  { name: 'queue_policy', type: 'string', nullable: true },
  { name: 'allocation_policy', type: 'string', nullable: true },
  { name: 'avg_completion_predicted', type: 'number', nullable: true },
  { name: 'avg_completion_measured', type: 'number', nullable: true },
  { name: 'p95_completion_predicted', type: 'number', nullable: true },
  { name: 'p95_completion_measured', type: 'number', nullable: true },
  { name: 'makespan', type: 'number', nullable: true },
  { name: 'slot_utilization', type: 'number', nullable: true },
  { name: 'fairness', type: 'number', nullable: true },
  { name: 'note', type: 'string', nullable: true },
  { name: 'run_id', type: 'string', nullable: false },
  { name: 'suite_version', type: 'string', nullable: true },
  { name: 'shard', type: 'string', nullable: true },
]);

export const COLUMN_NAMES: readonly ColumnName[] = Object.freeze(COLUMNS.map((c) => c.name));

/** The columns that depend on the other rows of the suite (filled in by `applyReferences`). */
export const REFERENCE_COLUMNS: readonly ColumnName[] = Object.freeze(['lower_bound', 'lower_bound_source', 'best_known', 'best_known_source', 'gap_to_best_known', 'gap_to_lower_bound']);

/**
 * The rows that describe the same question (same instance, cluster, variant and model): gaps compare rows of one
 * key with each other.
 */
/**
 * What the summary and the rankings call the row's solver: the `solver` column, and for a workload row (the
 * cluster model) the queue and allocation policies it compares beside the JobMasters' placement solver
 * (`fifo/first-fit (heft)`).
 */
export function summaryLabel(row: Pick<ResultRow, 'solver' | 'queue_policy' | 'allocation_policy'>): string {
  return row.queue_policy ? `${row.queue_policy}/${row.allocation_policy ?? '-'} (${row.solver})` : row.solver;
}

/** The figures of a workload run (cluster model), unknown: what every row starts with until run-workload.ts fills them. */
export const NO_WORKLOAD_FIGURES = Object.freeze({
    avg_completion_predicted: null,
    avg_completion_measured: null,
    p95_completion_predicted: null,
    p95_completion_measured: null,
    makespan: null,
    slot_utilization: null,
    fairness: null,
} as const satisfies Partial<ResultRow>);

/** The solver's figures of a row without an answer (a refused, failed or killed run): every one unknown. */
export const NO_SOLVER_FIGURES = Object.freeze({
  objective: null,
  best_bound: null,
  published_lower_bound: null,
  published_best_known: null,
  lower_bound: null,
  lower_bound_source: null,
  best_known: null,
  best_known_source: null,
  gap_to_best_known: null,
  gap_to_lower_bound: null,
  predicted_completion: null,
  measured_completion: null,
  cross_tm_bytes: null,
  max_utilization: null,
  jain_index: null,
} as const satisfies Partial<ResultRow>);

export function instanceKey(row: Pick<ResultRow, 'dataset' | 'instance' | 'model' | 'variant' | 'cluster'>): string {
  return [row.dataset, row.instance, row.model, row.variant ?? '', row.cluster ?? ''].join('|');
}
