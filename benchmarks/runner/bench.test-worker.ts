import { serveTasks } from './pool.ts';
import { createWorkerState, runOne } from './run-one.ts';
import type { ResultRow } from './columns.ts';
import type { RunSpec } from './plan.ts';

/** Worker for bench.test.ts: the real worker, except that a run with seed 666 never answers (a hung solver). */
function main(): void {
  const state = createWorkerState();
  serveTasks<RunSpec, ResultRow>(async (spec) => {
    if (spec.seed === 666) for (;;) {
      // never yields: only the pool's kill ends this run
    }
    return runOne(spec, state);
  });
}

main();
