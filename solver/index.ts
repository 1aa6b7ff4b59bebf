/**
 * The solver layer's public surface: the registry (every heuristic and exact solver by model and name), the one
 * signature per model, and the MILP backends. Imports models/ only.
 *
 * `solve(name, instance, options)` is the registry's `solveWith`: it finds the solver for the instance's model, answers
 * an instance that fails the model's quick feasibility checks with `status: 'infeasible'`, and turns a solver's
 * exception into `status: 'error'`. It does not validate: check the answer with `validateSolution` (models/).
 *
 * Internal: the individual heuristic and exact solver objects and their building blocks (schedule builder, ranks,
 * branch and bound internals); reach a solver through the registry by name (`findSolver('heft', 'dag-placement')`).
 */
export { SOLVERS, solversFor, solverNames, findSolver, solveWith, solveWith as solve } from './registry.ts';
export {
  heuristicSolver,
  type SolveStatus,
  type SolveOptions,
  type SolveResult,
  type Solver,
  type AnySolver,
  type Heuristic,
  type DagPlacementHeuristic,
  type LoadBalancingHeuristic,
  type SlotAllocationHeuristic,
} from './types.ts';
export { HEURISTICS } from './heuristics/index.ts';
export { EXACT_SOLVERS } from './exact/index.ts';
export {
  createHighsBackend,
  createLpSolverBackend,
  createMilpBackend,
  milpBackendNames,
  isMilpBackendName,
  DEFAULT_MILP_BACKEND,
  type MilpBackend,
  type MilpBackendName,
  type MilpSolveOptions,
  type HighsBackend,
  type HighsBackendOptions,
  type LpSolverBackend,
} from './milp/index.ts';
