import type { DagPlacementHeuristic } from '../types.ts';
import { heuristicSolver } from '../types.ts';
import { averageCosts, bottomLevelMs } from './common/ranks.ts';
import { variantOf } from './common/results.ts';
import { noSlotFor } from './common/list-scheduling.ts';
import { earliestStartRule, readySetSchedule } from './common/ready-set.ts';

/**
 * ETF, Earliest Task First (J.-J. Hwang, Y.-C. Chow, F. D. Anger, C.-Y. Lee, "Scheduling precedence graphs in
 * systems with interprocessor communication times", SIAM J. Comput. 18(2):244-257, 1989, doi:10.1137/0218016).
 *
 * Paper → slotlab: task = subtask; processor = TaskManager (its slot with the earliest start); the earliest
 * starting time e(t, p) = max(data ready on p, p free), append-only (ETF never fills an idle gap); the static
 * level tie-break = the longest chain of average durations to an exit (`bottomLevelMs`, HLFET's level).
 * Step: over all ready subtasks and TaskManagers, the pair with the earliest start is scheduled; ties: the higher
 * static level, then the lower subtask index; between TaskManagers for one subtask, the earlier finish, then the
 * lower TaskManager. The paper's event loop (current and
 * next moment, free processors only) picks the same pair: a processor busy at the current moment cannot start
 * anything earlier than one that is free. The rule is `earliestStartRule` (common/ready-set.ts), which
 * `critical-path` (Graham's list scheduling with HLFET levels) also runs: on slotlab's model the two definitions
 * coincide, and a test checks that they give the same schedule. Valid under all three variants.
 * Deterministic: ignores the rng.
 */
export const etfHeuristic: DagPlacementHeuristic = (instance, options) => {
  const variant = variantOf(instance, options);
  const level = bottomLevelMs(instance, averageCosts(instance).meanDurationMs);
  const { builder, stuck } = readySetSchedule(instance, variant, 'append', earliestStartRule(level), false);
  if (stuck !== -1) return noSlotFor('etf', instance, variant, stuck);
  return builder.result();
};

export const etf = heuristicSolver('etf', 'dag-placement', 'ETF (Hwang, Chow, Anger, Lee, SIAM J. Comput. 1989): the ready subtask that can start earliest, ties by static level', etfHeuristic);
