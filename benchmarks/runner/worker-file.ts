import { siblingModulePath } from '../../models/package-files.ts';

/**
 * The bench worker module (worker.ts; its compiled .js under dist/), named without importing it or the runner: the
 * CLI starts the pool's workers (pool.ts `prestartWorkers`) before it loads the rest of the bench.
 */
export const WORKER_FILE = siblingModulePath(import.meta.url, './worker');
