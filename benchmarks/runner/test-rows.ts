import { NO_SOLVER_FIGURES, NO_WORKLOAD_FIGURES, type ResultRow } from './columns.ts';

/** A complete row with every column set to "unknown", for tests to override. */
export function blankRow(overrides: Partial<ResultRow> = {}): ResultRow {
  return {
    suite: 'test',
    group: 'g',
    dataset: 'stg',
    instance: 'stg/graphs/50/rand0000.stg',
    model: 'dag-placement',
    variant: 'sequenced',
    cluster: '2x1',
    subtasks: 50,
    task_managers: 2,
    slots: 2,
    solver: 'heft',
    solver_kind: 'heuristic',
    backend: null,
    seed: 1,
    status: 'feasible',
    ...NO_SOLVER_FIGURES,
    valid: true,
    violations: 0,
    violation: null,
    solve_ms: 1,
    run_ms: 2,
    peak_rss_mb: null,
    queue_policy: null,
    allocation_policy: null,
    ...NO_WORKLOAD_FIGURES,
    note: null,
    run_id: 'id',
    suite_version: null,
    shard: null,
    ...overrides,
  };
}
