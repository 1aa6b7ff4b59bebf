import type { LoadedInstance } from '../../datasets/loaders/index.ts';
import { NO_SOLVER_FIGURES, NO_WORKLOAD_FIGURES, type ResultRow, type RowStatus } from './columns.ts';
import { normalizeRow } from './csv.ts';
import { instanceSize } from './instances.ts';
import { modelLowerBound } from './bounds.ts';
import { publishedReference, referenceTables, type ReferenceTables } from './published.ts';
import type { RunSpec } from './plan.ts';

/**
 * A run's row before (or without) its answer: the columns of the run and of its instance, which the worker
 * (run-one.ts) starts every row from and the bench's own process writes for a run that was killed or crashed
 * (bench.ts). Apart from run-one.ts so that the bench's process does not load the solvers' runners and the runtime.
 */

/** What a worker keeps between runs: loaded instances and ground-truth tables. Created per worker, not global. */
export interface WorkerState {
  readonly instances: Map<string, LoadedInstance>;
  readonly tables: ReferenceTables;
}

export function createWorkerState(): WorkerState {
  return { instances: new Map(), tables: referenceTables() };
}

/** A row for a run that produced nothing (load failure, timeout, crash). */
export function emptyRow(spec: RunSpec, status: RowStatus, note: string, runMs: number | null): ResultRow {
  return normalizeRow({
    suite: spec.suite,
    group: spec.group,
    dataset: spec.instance.dataset,
    instance: spec.instance.label,
    model: 'unknown',
    variant: spec.variant ?? null,
    cluster: spec.cluster?.label ?? null,
    subtasks: null,
    task_managers: null,
    slots: null,
    solver: spec.solver.label,
    solver_kind: spec.solver.kind,
    backend: null,
    seed: spec.seed,
    status,
    ...NO_SOLVER_FIGURES,
    valid: null,
    violations: null,
    violation: null,
    solve_ms: null,
    run_ms: runMs,
    peak_rss_mb: null,
    queue_policy: spec.workload?.queue ?? null,
    allocation_policy: spec.workload?.allocation ?? null,
    ...NO_WORKLOAD_FIGURES,
    note,
    run_id: spec.runId,
    suite_version: null,
    shard: null,
  });
}

/** The facts of the instance a row describes (filled in by the planner for rows that never reached a worker). */
export function describeRunInstance(spec: RunSpec, instance: LoadedInstance, state: WorkerState): Partial<ResultRow> {
  const size = instanceSize(instance);
  const published = spec.instance.kind === 'file' ? publishedReference(instance, spec.instance.path, state.tables) : null;
  const bound = modelLowerBound(instance);
  const publishedLowerWins = published?.lowerBound != null && (bound === null || published.lowerBound >= bound.value);
  return {
    model: instance.kind,
    variant: instance.kind === 'dag-placement' ? instance.variant : null,
    subtasks: size.subtasks,
    task_managers: size.taskManagers,
    slots: size.slots,
    published_lower_bound: published?.lowerBound ?? null,
    published_best_known: published?.bestKnown ?? null,
    lower_bound: publishedLowerWins ? published!.lowerBound : (bound?.value ?? null),
    lower_bound_source: publishedLowerWins ? 'published' : (bound?.source ?? null),
    note: published ? published.source : null,
  };
}
