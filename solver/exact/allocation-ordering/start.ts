/**
 * The start of the exact DAG placement searches with communication (`allocation-ordering`, `cp`): the best of the
 * list schedules and the registered heuristics (dag-incumbent.ts), improved by the local search over allocations
 * (local-search.ts) within its share of the time to the deadline.
 */
import type { DagPlacementInstance, PlacementVariant } from '../../../models/dag-placement/instance.ts';
import type { IndexedSchedule } from '../../../models/solution.ts';
import { bestIncumbent } from '../dag-incumbent.ts';
import { heuristicBudgetMs } from '../heuristic-start.ts';
import { improveAllocation } from './local-search.ts';
import type { OrderingResult } from './ordering.ts';
import type { AoProblem } from './problem.ts';

/** The local search's budget: allocations scored, and at most this share of the time to the deadline. */
const LOCAL_SEARCH_EVALUATIONS = 20_000;
const LOCAL_SEARCH_SHARE = 0.15;

export interface SearchStart {
  readonly schedule?: IndexedSchedule;
  /** Its makespan, Infinity without one. */
  readonly makespanMs: number;
  /** Where it came from, for the solve's message. */
  readonly rule: string;
}

/** The schedule of an allocation and its ordering (each subtask in its TaskManager's one slot). */
export function allocationSchedule(instance: DagPlacementInstance, alloc: Int32Array, ordering: OrderingResult): IndexedSchedule {
  return { slotOfSubtask: Int32Array.from(alloc, (k) => instance.taskManagers[k]!.firstSlot), startMs: ordering.start, endMs: ordering.end };
}

/**
 * The best start found by `endMs` (performance.now() ms; the solve began at `t0`, its limit is `timeLimitMs`).
 * `good(makespan)` says when to stop early (the start meets the lower bound).
 */
export async function searchStart(
  problem: AoProblem,
  variant: PlacementVariant,
  timing: { readonly t0: number; readonly endMs: number; readonly deadline: number; readonly timeLimitMs?: number },
  good: (makespanMs: number) => boolean,
): Promise<SearchStart> {
  const { instance } = problem;
  const list = await bestIncumbent(instance, variant, heuristicBudgetMs(timing.timeLimitMs, timing.deadline), timing.deadline);
  if (!list) return { makespanMs: Number.POSITIVE_INFINITY, rule: 'none' };
  if (good(list.makespanMs)) return { schedule: list.schedule, makespanMs: list.makespanMs, rule: `${list.rule} schedule` };
  return improveStart(problem, { schedule: list.schedule, makespanMs: list.makespanMs, rule: `${list.rule} schedule` }, localSearchDeadline(timing.t0, timing.endMs));
}

/** `start` improved by the local search over allocations until `deadline` (performance.now() ms), or `start`. */
export function improveStart(problem: AoProblem, start: Required<SearchStart>, deadline: number): Required<SearchStart> {
  const { instance } = problem;
  const initial = Int32Array.from(start.schedule.slotOfSubtask, (slot) => instance.slots[slot]!.taskManager);
  const improved = improveAllocation(problem, initial, LOCAL_SEARCH_EVALUATIONS, deadline);
  if (improved.ordering.makespanMs < start.makespanMs - 1e-9)
    return {
      schedule: allocationSchedule(instance, improved.alloc, improved.ordering),
      makespanMs: improved.ordering.makespanMs,
      rule: `local search from the ${start.rule} (${improved.evaluations} allocations scored)`,
    };
  return start;
}

/** The deadline of the local search in a solve from `t0` to `endMs`. */
export function localSearchDeadline(t0: number, endMs: number): number {
  return t0 + (endMs - t0) * LOCAL_SEARCH_SHARE;
}
