import type { LoadedInstance } from '../../datasets/loaders/index.ts';
import type { AnySolution } from '../../models/model-kind.ts';
import type { Placement } from '../../models/solution.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { runPlacement } from '../../runtime/index.ts';
import type { ExecuteOptions } from './suite.ts';

/**
 * Executing a run's placement on slotlab's runtime (runtime/: one worker thread per TaskManager, real records,
 * emulated work at `timeScaleMsPerUnit` wall ms per model ms), for the CSV's `measured_completion`.
 * Only DAG placements are executed, and only when the suite asks (`execute`), the instance has at most
 * `maxSubtasks` subtasks and the predicted run takes at most `maxWallMs` of wall time. The measured completion is
 * given in the model's ms (wall ms / time scale), next to `predicted_completion`. The note (prefixed `runtime:`)
 * says what was run or why nothing was measured; the summary lists those reasons.
 */
export interface ExecutionOutcome {
  /** Measured completion time in model ms, or null. */
  readonly measuredMs: number | null;
  readonly note: string;
}

export async function executePlacement(instance: LoadedInstance, solution: AnySolution, options: ExecuteOptions): Promise<ExecutionOutcome> {
  if (instance.kind !== 'dag-placement') return { measuredMs: null, note: '' };
  if (instance.subtasks.length > options.maxSubtasks)
    return { measuredMs: null, note: `runtime: not executed, ${instance.subtasks.length} subtasks is more than the suite's maxSubtasks ${options.maxSubtasks}` };
  const placement = solution as Placement;
  const predictedWallMs = evaluateDagPlacement(instance, placement).makespanMs * options.timeScaleMsPerUnit;
  if (predictedWallMs > options.maxWallMs)
    return { measuredMs: null, note: `runtime: not executed, the predicted run takes ${Math.round(predictedWallMs)} wall ms at ${options.timeScaleMsPerUnit} ms per unit, more than the suite's maxWallMs ${options.maxWallMs}` };
  try {
    const report = await runPlacement(instance, placement, {
      mode: options.mode,
      timeScaleMsPerUnit: options.timeScaleMsPerUnit,
      timeoutMs: Math.max(10_000, predictedWallMs * 10),
    });
    const measured = report.measuredMs / options.timeScaleMsPerUnit;
    const error = report.relativeError === null ? '' : `, ${(report.relativeError * 100).toFixed(1)} % from the prediction`;
    const warnings = report.warnings.length > 0 ? `; ${report.warnings.join('; ')}` : '';
    return { measuredMs: Math.round(measured * 1000) / 1000, note: `runtime: ${options.mode}, ${options.timeScaleMsPerUnit} wall ms per unit, ${report.workers} workers${error}${warnings}` };
  } catch (error) {
    return { measuredMs: null, note: `runtime: the run failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
