import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{models,solver,runtime,datasets,benchmarks,cli,test}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Many test files spend their time waiting (child processes, solver time limits, worker threads at a time
    // scale): three forks keep both cores busy; the default (cores − 1 = 1 fork on 2 cores) runs them one by one.
    maxWorkers: 3,
  },
});
