import { serveTasks } from './pool.ts';
import { createWorkerState, runOne } from './run-one.ts';
import type { ResultRow } from './columns.ts';
import type { RunSpec } from './plan.ts';

/** The benchmark worker process: runs one RunSpec at a time for the pool (pool.ts) and answers with its row. */
function main(): void {
  const state = createWorkerState();
  serveTasks<RunSpec, ResultRow>((spec) => runOne(spec, state));
}

main();
