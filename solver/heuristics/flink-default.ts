import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { flinkPlacement } from './common/flink-slot-matching.ts';

/**
 * Apache Flink's default placement (load-balance mode NONE): slot sharing by
 * `LocalInputPreferredSlotSharingStrategy` (a subtask prefers an execution slot sharing group of its producers,
 * operators in topological order; common/flink-slot-sharing.ts), then every group takes the first free slot in
 * the order the TaskManagers are listed (`AnyMatchingSlotMatchingStrategy`; common/flink-slot-matching.ts).
 * Flink → slotlab: job vertex = operator, execution vertex = subtask, slot sharing group = `slotSharingGroup`,
 * TaskExecutor = TaskManager; co-location groups are not modelled. Times: the model's earliest schedule of the
 * placement. Under `exclusive` there is no sharing (one group per subtask); under `sequenced` groups beyond the
 * slot count queue behind earlier ones on the same slots. Deterministic: ignores the rng.
 */
export const flinkDefaultHeuristic: DagPlacementHeuristic = (instance, options) =>
  flinkPlacement(instance, options, { name: 'flink-default', sharing: 'local-input', matching: 'any' });

export const flinkDefault = heuristicSolver(
  'flink-default',
  'dag-placement',
  "Flink's default: LocalInputPreferredSlotSharingStrategy groups, first free slot (AnyMatchingSlotMatchingStrategy)",
  flinkDefaultHeuristic,
);
