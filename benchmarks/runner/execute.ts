import type { LoadedInstance } from '../../datasets/loaders/index.ts';
import type { ModelSolution } from '../../models/validate.ts';
import type { ExecuteOptions } from './suite.ts';

/**
 * Executing a run's placement on slotlab's runtime (runtime/), for the CSV's `measured_completion`.
 * Only DAG placements are executed. The note (prefixed `runtime:`) says what happened or why nothing was
 * measured; the summary lists those reasons.
 */
export interface ExecutionOutcome {
  readonly measuredMs: number | null;
  readonly note: string;
}

export async function executePlacement(instance: LoadedInstance, solution: ModelSolution, options: ExecuteOptions): Promise<ExecutionOutcome> {
  void solution;
  if (instance.kind !== 'dag-placement') return { measuredMs: null, note: '' };
  if (instance.subtasks.length > options.maxSubtasks)
    return { measuredMs: null, note: `runtime: not executed, ${instance.subtasks.length} subtasks is more than the suite's maxSubtasks ${options.maxSubtasks}` };
  return { measuredMs: null, note: 'runtime: not executed, this checkout has no runtime executor yet (runtime/ is being written)' };
}
