/**
 * The solver's own time limit when the suite gives none: it must stop and report what it proved before the
 * hard limit kills the run, so it gets the hard limit minus a margin of 20 % (at least 1 s, at most half).
 * Its own module, free of imports: the worker (run-one.ts) applies it and the shard planner (shard.ts) predicts
 * with it, and the planner's process does not load the worker's solvers and runtime.
 */
export function softTimeLimitMs(hardLimitMs: number): number {
  return Math.max(hardLimitMs / 2, hardLimitMs - Math.max(1000, hardLimitMs * 0.2));
}
