import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{models,solver,runtime,datasets,benchmarks,cli,test}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
