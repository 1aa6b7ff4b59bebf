/**
 * The exact `bnb` for load balancing (P||Cmax / Q||Cmax with capacities), one algorithm per file:
 * - problem.ts: the tasks by decreasing load, capacities, the shared budget and deadline;
 * - capacitated-search.ts: the decision search with slot and memory capacities (iterative deepening);
 * - bin-completion.ts: Korf's bin completion for identical TaskManagers without capacities;
 * - multifit.ts: MULTIFIT's upper bound;
 * - solve.ts: the driver (bounds from models/load-balancing/bounds.ts, LPT start, the two target loops);
 * - solver.ts: the registry entry.
 */
export { solveMakespanBnb, type MakespanBnbOptions, type MakespanBnbResult, type MakespanBnbStats } from './solve.ts';
export { makespanBnbSolver } from './solver.ts';
