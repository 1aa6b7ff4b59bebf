export {
  finishAnswer,
  DEFAULT_RELATIVE_GAP,
  DEFAULT_TIME_LIMIT_MS,
  type MilpBackend,
  type MilpSolveOptions,
  type RawAnswer,
} from './backend.ts';
export { createHighsBackend, type HighsBackend, type HighsBackendOptions } from './highs.ts';
export { createLpSolverBackend, toLpSolverModel, type LpSolverBackend } from './lp-solver.ts';
export {
  milpBackendFactories,
  milpBackendNames,
  createMilpBackend,
  isMilpBackendName,
  DEFAULT_MILP_BACKEND,
  type MilpBackendName,
} from './backends.ts';
