import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { InvalidInstanceError } from '../../models/errors.ts';
import type { ClusterSpec, Link, LinkSpec } from '../../models/graphs/cluster.ts';
import { seededRng } from '../../models/rng.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { solveWith } from '../../solver/registry.ts';
import { runPlacement } from '../../runtime/index.ts';
import type { PerformancePoint } from '../../models/predict/types.ts';

/**
 * A sweep: one job run on the runtime at several TaskManager counts, the training data of the performance models
 * (models/predict). At each count N the cluster is N identical TaskManagers with S slots (what `--cluster NxS`
 * builds), keeping the job's own link (bandwidth, latency); a placement solver from the registry places the job,
 * the validator checks the placement, and `runPlacement` runs it `repeats` times (blocking mode).
 */
export interface SweepOptions {
  /** The job on a given cluster (the loader or a generator with `{ cluster }`). */
  readonly instanceAt: (cluster: ClusterSpec) => DagPlacementInstance;
  readonly taskManagerCounts: readonly number[];
  readonly slotsPerTaskManager: number;
  /** The link every pair of TaskManagers gets (the job file's default link); undefined: free. */
  readonly link?: Link;
  /** A DAG placement solver's registry name. */
  readonly placement: string;
  readonly timeScaleMsPerUnit: number;
  readonly seed: number;
  readonly repeats: number;
  /**
   * Counts that are placed and evaluated but not run: one row each with the model's `predicted_ms` and no
   * `measured_ms` (what the `calibrated` model needs at the counts it predicts).
   */
  readonly placeOnlyCounts?: readonly number[];
  readonly timeoutMs?: number;
  readonly dataDirs?: readonly string[];
  /** Called after each run (progress). */
  readonly onRun?: (row: SweepRow) => void;
}

/** One run: a row of the sweep CSV (columns in SWEEP_COLUMNS). */
export interface SweepRow {
  readonly instance: string;
  readonly task_managers: number;
  readonly slots: number;
  readonly placement: string;
  /** The model's (evaluator's) completion time of the placement × time scale, ms. */
  readonly predicted_ms: number;
  /** null: placed, not run (placeOnlyCounts). */
  readonly measured_ms: number | null;
  /** Worker start-up, not part of measured_ms. */
  readonly startup_ms: number | null;
  readonly repeat: number;
  readonly seed: number;
}

export const SWEEP_COLUMNS = ['instance', 'task_managers', 'slots', 'placement', 'predicted_ms', 'measured_ms', 'startup_ms', 'repeat', 'seed'] as const;

/** `N x S` identical TaskManagers tm1..tmN, every pair joined by `link`. */
export function sweepCluster(taskManagers: number, slots: number, link?: Link): ClusterSpec {
  const linkSpec: LinkSpec | undefined =
    link === undefined ? undefined : { latencyMs: link.latencyMs, ...(Number.isFinite(link.bandwidthBytesPerMs) ? { bandwidthBytesPerMs: link.bandwidthBytesPerMs } : {}) };
  return {
    taskManagers: Array.from({ length: taskManagers }, (_, i) => ({ id: `tm${i + 1}`, slotCount: slots })),
    ...(linkSpec ? { defaultLink: linkSpec } : {}),
  };
}

export async function sweep(options: SweepOptions): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  const placeOnly = (options.placeOnlyCounts ?? []).filter((n) => !options.taskManagerCounts.includes(n));
  for (const n of [...options.taskManagerCounts, ...placeOnly]) {
    const instance = options.instanceAt(sweepCluster(n, options.slotsPerTaskManager, options.link));
    const result = await solveWith(options.placement, instance, { rng: seededRng(options.seed), timeLimitMs: 30_000 });
    if (result.solution === undefined)
      throw new InvalidInstanceError(instance.name, `--task-managers ${n}`, `placement ${options.placement} gave no placement on ${n}x${options.slotsPerTaskManager} (status ${result.status}${result.message ? `: ${result.message}` : ''})`);
    const violations = validateDagPlacement(instance, result.solution);
    if (violations.length > 0) throw new InvalidInstanceError(instance.name, `--placement ${options.placement}`, `the validator rejected its placement on ${n} TaskManagers: ${JSON.stringify(violations[0])}`);
    if (placeOnly.includes(n)) {
      const predictedMs = evaluateDagPlacement(instance, result.solution).makespanMs * options.timeScaleMsPerUnit;
      const row: SweepRow = { instance: instance.name, task_managers: n, slots: options.slotsPerTaskManager, placement: options.placement, predicted_ms: predictedMs, measured_ms: null, startup_ms: null, repeat: 0, seed: options.seed };
      rows.push(row);
      continue;
    }
    for (let r = 0; r < options.repeats; r++) {
      const report = await runPlacement(instance, result.solution, {
        mode: 'blocking',
        timeScaleMsPerUnit: options.timeScaleMsPerUnit,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.dataDirs === undefined ? {} : { dataDirs: options.dataDirs }),
      });
      const row: SweepRow = {
        instance: instance.name,
        task_managers: n,
        slots: options.slotsPerTaskManager,
        placement: options.placement,
        predicted_ms: report.predictedMs,
        measured_ms: report.measuredMs,
        startup_ms: report.startupMs,
        repeat: r,
        seed: options.seed,
      };
      rows.push(row);
      options.onRun?.(row);
    }
  }
  return rows;
}

/** A sweep's runs as training points (with the schedule's time), and the schedule's time at every count placed. */
export function sweepPoints(rows: readonly SweepRow[]): { points: PerformancePoint[]; modelMsAt: Map<number, number> } {
  const modelMsAt = new Map<number, number>();
  for (const r of rows) if (!modelMsAt.has(r.task_managers)) modelMsAt.set(r.task_managers, r.predicted_ms);
  const points = rows.flatMap((r) => (r.measured_ms === null ? [] : [{ taskManagers: r.task_managers, measuredMs: r.measured_ms, modelMs: r.predicted_ms }]));
  return { points, modelMsAt };
}
